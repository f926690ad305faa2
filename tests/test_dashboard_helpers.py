"""The dashboard's pure helpers: three-valued widget mapping and case files in and out."""

from __future__ import annotations

import json

import pytest

from dashboard.intake.case_files import export_json, findings_for_widgets, parse_case_text, problem_line
from dashboard.intake.form_state import finding_from_widgets, widget_state_for
from dashboard.render.reasoning import _cause_chain, _targets
from engine.errors import CaseError
from tests.support import kb, run


@pytest.mark.parametrize(
    ("finding", "value"),
    [("fever", True), ("fever", False), ("fever", None), ("slr", "negative"), ("slr", None),
     ("age", 63), ("age", None), ("duration_weeks", 8.0), ("weakness", []), ("weakness", ["hip_flexion"]),
     ("weakness", None)],
)
def test_every_value_survives_a_round_trip_through_its_widgets(finding, value) -> None:
    f = kb().findings[finding]
    voc = kb().vocabularies.get(f.vocabulary or "", ())
    assert finding_from_widgets(f, widget_state_for(f, value, voc)) == value


def test_not_asked_and_no_are_different_widget_states() -> None:
    f = kb().findings["bladder_dysfunction"]
    assert widget_state_for(f, None) != widget_state_for(f, False)


def test_an_exported_case_imports_back_to_the_same_findings() -> None:
    findings = {"age": 46, "slr": "positive", "pain_regions": ["buttock", "lateral_shin"], "fever": False}
    case = parse_case_text(export_json(findings, "c1"), kb(), "c1.json")
    assert case.id == "c1"
    assert findings_for_widgets(case, kb()) == findings
    assert json.loads(export_json(findings))["findings"] == findings


def test_a_bad_case_file_reports_every_problem_with_a_suggestion() -> None:
    with pytest.raises(CaseError) as err:
        parse_case_text("findings:\n  slr: postive\n  agee: 40\n", kb(), "bad.yaml")
    lines = [problem_line(p) for p in err.value.problems]
    assert any(line.startswith("slr:") and "did you mean 'positive'" in line for line in lines)
    assert any(line.startswith("agee:") and "did you mean 'age'" in line for line in lines)


def test_text_that_is_not_json_or_yaml_is_a_case_error_naming_the_file() -> None:
    with pytest.raises(CaseError) as err:
        parse_case_text("{not json", kb(), "broken.json")
    assert err.value.problems[0].where == "broken.json"


def test_the_app_imports_pandas_in_full_before_any_page_runs() -> None:
    # plotly uses pandas only if it is already in sys.modules: two sessions starting at once
    # on a cold server could see a half-imported pandas (found by benchmarks/load_test.py)
    import ast

    from tests.support import ROOT

    tree = ast.parse((ROOT / "dashboard" / "app.py").read_text())
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    names = [a.name for n in imports if isinstance(n, ast.Import) for a in n.names]
    assert "pandas" in names
    calls = [i for i, n in enumerate(tree.body) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)]
    pandas_at = next(i for i, n in enumerate(tree.body) if isinstance(n, ast.Import) and n.names[0].name == "pandas")
    assert calls and pandas_at < calls[0]  # before the knowledge-base gate and st.navigation run anything


def test_the_trace_explains_the_engines_first_cause_first_even_a_pinned_unlikely_one() -> None:
    res = run(age=30, back_pain=True, iv_drug_use=True)  # an infection flag pins an unlikely cause first
    first = res.differential[0]
    assert first.must_not_miss and first.score < max(d.score for d in res.differential)
    assert _targets(res, kb())[0] == first.id


def test_the_explanation_starts_from_the_prior_and_says_how_much_of_the_base_rate_it_keeps() -> None:
    res = run(age=40, back_pain=True)
    disc = next(d for d in res.differential if d.id == "lumbar_disc_herniation")
    first = _cause_chain(res, kb(), "lumbar_disc_herniation")[0]
    assert first.startswith(f"Start: prior {disc.prior:.1%} ({kb().scoring.prior_weight:g} of its primary-care base rate's log-odds")


def test_a_case_set_this_knowledge_base_cannot_read_is_named_not_measured(tmp_path) -> None:
    from dashboard.session.validity import _measured

    empty = tmp_path / "empty"
    empty.mkdir()
    assert _measured("Empty", empty) is None, "a folder with no case is left out"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "01-case.yaml").write_text(
        "id: x\nsource: {citation: c}\nfindings: {age: 40, not_a_finding: true}\n"
        "expected: {top_condition: lumbar_disc_herniation, urgency: routine}\n")
    said = _measured("A deployment's set", bad)
    assert isinstance(said, str) and said.startswith("A deployment's set: not measured (")
    assert "cannot read 01-case.yaml: not_a_finding" in said
