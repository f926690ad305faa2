import time
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("dashboard/app.py", default_timeout=30)
t=time.perf_counter(); at.run(); print("first", time.perf_counter()-t)
at.slider(key="f.age").set_value(45).run()
at.button_group(key="f.leg_pain_worse_than_back").set_value("yes").run()
at.multiselect(key="f.pain_regions").set_value(["buttock","posterior_thigh","lateral_shin","dorsum_foot_big_toe"]).run()
at.selectbox(key="f.slr").set_value("positive").run()
at.multiselect(key="f.weakness").set_value(["great_toe_extension"])
t=time.perf_counter(); at.run(); print("rerun", time.perf_counter()-t)
print(at.session_state["radix.case"])
print("exc", at.exception)
for e in at.error: print("ERR", e.value[:300])
for e in at.markdown: 
    if "Step" in e.value: print(e.value[:200])
for e in at.expander: print("EXP", e.label)
at.button_group(key="f.bladder_dysfunction").set_value("yes").run()
for e in at.error: print("ERR", e.value[:400])
for e in at.markdown: 
    if "Step" in e.value: print(e.value[:200])
at.selectbox(key="radix.example").set_value("tc01-s1-disc-herniation")
at.button(key="radix.load_example").click().run()
print(at.slider(key="f.age").value, at.multiselect(key="f.pain_regions").value, at.selectbox(key="f.sex").value)
for e in at.info: print("INFO", e.value)
