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
