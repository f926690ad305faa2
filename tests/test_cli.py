"""``python -m engine``: the contract's JSON, the text report, schema, explain, bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import CASES, ROOT

CONTRACT_KEYS = {"urgency", "red_flags", "syndromes", "differential", "roots", "pain_type", "instruments", "ladder", "warnings", "trace"}


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT, capture_output=True, text=True, input=stdin)


def test_evaluate_prints_the_contract_json_with_every_key() -> None:
    out = cli("evaluate", str(CASES[0]))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= CONTRACT_KEYS
    assert data["differential"] == sorted(data["differential"], key=lambda d: (not d["must_not_miss"], -d["score"], -d["prior"], d["id"]))
    assert all(0 <= d["score"] <= 1 for d in data["differential"])
    assert [t["order"] for t in data["trace"]] == list(range(1, len(data["trace"]) + 1))
    assert all(t["source"] for t in data["trace"])


def test_evaluate_works_on_every_teaching_case_in_both_formats() -> None:
    import engine
    from engine.tools.report import text_report
    from tests.support import kb, load_case

    paths = " ".join(str(p) for p in CASES)
    code = f"import sys; from engine.tools.cli import main; sys.exit(max(main(['evaluate', p]) for p in '{paths}'.split()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count('\n  "urgency": ') == len(CASES)
    for path in CASES:
        result = engine.infer(load_case(path)[1], kb())
        assert "Reasoning trace" in text_report(result, kb())


def test_the_text_report_leads_with_urgency_and_ends_with_the_trace() -> None:
    out = cli("evaluate", str(next(p for p in CASES if p.name.startswith("06-"))), "--format", "text").stdout
    assert "URGENCY: EMERGENCY" in out and "Reasoning trace" in out
    assert out.index("URGENCY") < out.index("Differential") < out.index("Reasoning trace")


def test_evaluate_reads_a_case_from_stdin() -> None:
    out = cli("evaluate", "-", stdin='{"findings": {"fever": true}}')
    assert json.loads(out.stdout)["urgency"] == "emergency"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{"findings": {"agee": 4}}', "did you mean 'age'"),
        ('{"findings": {"age": 300}}', "from 0 to 120"),
        ('{"findings": {"slr": "maybe"}}', "positive, negative"),
        ("findings: [unclosed", "not valid YAML"),
        ('{"id": "no findings"}', "findings"),
    ],
)
def test_bad_input_exits_2_with_a_message_on_stderr_and_nothing_on_stdout(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(content)
    out = cli("evaluate", str(path))
    assert (out.returncode, out.stdout) == (2, "")
    assert needle in out.stderr


def test_a_missing_case_file_and_a_bad_command_exit_2() -> None:
    out = cli("evaluate", "no/such/case.yaml")
    assert (out.returncode, out.stdout) == (2, "") and "cannot read" in out.stderr
    assert cli("frobnicate").returncode == 2


def test_schema_prints_a_json_schema_of_the_case() -> None:
    schema = json.loads(cli("schema").stdout)
    assert schema["required"] == ["findings"] and "slr" in schema["properties"]["findings"]["properties"]


def test_explain_answers_why_and_why_not() -> None:
    case = str(CASES[0])
    why = cli("explain", case, "lumbar_disc_herniation").stdout
    assert "Concluded because" in why and "lik.radicular_pain" in why and "syn.radicular_pain_below_knee" in why
    assert "Probability" in why and "Straight-leg raise reproduces leg pain (present; published)" in why
    why_not = cli("explain", case, "cauda_equina").stdout
    assert "Not concluded" in why_not and "would fire if asked and present" in why_not
    bad = cli("explain", case, "lumbar_disc_hernation")
    assert bad.returncode == 2 and "lumbar_disc_herniation" in bad.stderr
