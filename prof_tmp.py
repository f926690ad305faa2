import time, engine
from pathlib import Path
from engine.body_map import load_body_map
from dashboard.charts.body_map import body_map_figure
from dashboard.charts.differential import differential_figure, evidence_table
from dashboard.charts.trace_graph import trace_figure
from dashboard.charts.ladder import ladder_figure
kb=engine.load_kb(); body=load_body_map(Path("content/body_map.yaml"))
f=engine.parse_findings({'age':45,'leg_pain_worse_than_back':True,'pain_regions':['buttock','posterior_thigh','lateral_shin'],'slr':'positive','weakness':['great_toe_extension']},kb)
c=engine.Case(f); r=engine.infer(c,kb)
def T(name, fn, n=5):
    fn(); t=time.perf_counter()
    for _ in range(n): x=fn()
    print(name, round((time.perf_counter()-t)/n*1000,1), "ms"); return x
T("infer", lambda: engine.infer(c,kb))
T("what_if", lambda: engine.what_if(c,kb,r))
fig=T("bodymap sel", lambda: body_map_figure(body,{},['buttock'],[],selectable=True))
T("bodymap json", lambda: fig.to_json())
fig2=T("bodymap res", lambda: body_map_figure(body,{x.root:x.score for x in r.roots},['buttock'],[],selectable=False))
T("diff", lambda: differential_figure(r))
T("trace", lambda: trace_figure(r,kb))
T("ladder", lambda: ladder_figure(r,kb))
T("evid", lambda: [evidence_table(r,kb,d.id) for d in r.differential[:3]])
print(len(fig.to_json())/1e3, "kB")
