import time, statistics, collections
import streamlit as st
from streamlit.testing.v1 import AppTest
acc=collections.Counter()
def wrap(mod, name):
    orig=getattr(mod,name)
    def w(*a,**k):
        t=time.perf_counter(); r=orig(*a,**k); acc[name]+=time.perf_counter()-t; return r
    setattr(mod,name,w)
import engine
for n in ["what_if","infer","why_not","parse_findings"]: wrap(engine,n)
import dashboard.charts.body_map as bm, dashboard.render.results as rr, dashboard.render.reasoning as rs, dashboard.intake as it, dashboard.render.results as res
wrap(rr,"body_map_figure"); wrap(rr,"differential_figure"); wrap(rs,"trace_figure"); wrap(rs,"ladder_figure")
wrap(it,"intake_ui"); wrap(it,"body_map_ui"); wrap(it,"finding_ui"); import dashboard.body_map_ui as bmu; wrap(bmu,"body_map_figure"); wrap(bmu, "finding_ui")
import dashboard.widgets as wd
for n in ["_bool_ui","_enum_ui","_number_ui","_set_ui"]: wrap(wd,n)
from streamlit.delta_generator import DeltaGenerator
for n in ["plotly_chart","dataframe","segmented_control","markdown"]:
    orig=getattr(DeltaGenerator,n)
    def mk(orig,n):
        def w(self,*a,**k):
            t=time.perf_counter(); r=orig(self,*a,**k); acc["st."+n]+=time.perf_counter()-t; return r
        return w
    setattr(DeltaGenerator,n,mk(orig,n))
at = AppTest.from_file("dashboard/app.py", default_timeout=30); at.run()
at.selectbox(key="radix.example").set_value("tc01-s1-disc-herniation")
at.button(key="radix.load_example").click().run()
ts=[]
for i in range(6):
    acc.clear()
    at.slider(key="f.pain_intensity").set_value(i+1)
    t=time.perf_counter(); at.run(); ts.append(time.perf_counter()-t)
print([round(x*1000) for x in ts]); print({k: round(v*1000,1) for k,v in acc.items()})
