import subprocess
import sys

from tests.support import ROOT


def test_importing_and_running_the_engine_loads_no_streamlit_or_plotly() -> None:
    code = (
        "import sys, engine\n"
        "kb = engine.load_kb()\n"
        "engine.infer(engine.parse_case({'findings': {'age': 40}}, kb), kb)\n"
        "bad = [m for m in ('streamlit', 'plotly', 'pandas') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_infer_is_deterministic_and_does_not_mutate_its_inputs() -> None:
    from tests.support import kb, run

    findings = {"age": 45, "slr": "positive", "pain_regions": ["buttock", "lateral_shin"]}
    first, second = run(**findings), run(**findings)
    assert first.to_dict() == second.to_dict()
    assert findings == {"age": 45, "slr": "positive", "pain_regions": ["buttock", "lateral_shin"]}
    assert kb().rules is kb().rules
