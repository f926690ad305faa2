import pytest

import engine
from engine import CaseError
from tests.support import kb


def problems(raw: dict) -> dict[str, engine.Problem]:
    with pytest.raises(CaseError) as info:
        engine.parse_case(raw, kb())
    return {p.where: p for p in info.value.problems}


def test_a_misspelt_finding_id_is_named_with_a_did_you_mean() -> None:
    p = problems({"findings": {"slr_test": "positive"}})["slr_test"]
    assert p.message == "unknown finding id" and p.suggestion == "slr"


def test_every_problem_in_a_case_is_reported_at_once() -> None:
    found = problems({"findings": {"agee": 4, "age": 300, "slr": "positiv", "fever": "yes", "pain_regions": ["calf"]}})
    assert set(found) == {"agee", "age", "slr", "fever", "pain_regions"}
    assert found["age"].expected == "a whole number from 0 to 120" and found["age"].value == 300
    assert found["slr"].suggestion == "positive"
    assert found["fever"].expected.startswith("true or false")
    assert found["pain_regions"].value == "calf" and "lower_back" in found["pain_regions"].expected


def test_a_number_where_an_enum_is_expected_names_the_allowed_values() -> None:
    p = problems({"findings": {"reflex_achilles": 2}})["reflex_achilles"]
    assert "normal, reduced, absent, brisk" in p.expected


def test_a_case_without_findings_or_with_an_unknown_top_level_key_is_rejected() -> None:
    assert "findings" in problems({"id": "x"})
    assert problems({"finding": {}, "findings": {}})["finding"].suggestion == "findings"


def test_findings_must_be_a_mapping() -> None:
    assert "findings" in problems({"findings": ["age", 40]})


def test_null_is_unknown_and_an_empty_list_is_known_absent() -> None:
    case = engine.parse_case({"findings": {"fever": None, "weakness": []}}, kb())
    assert "fever" not in case.findings
    assert case.findings["weakness"] == frozenset()


def test_booleans_are_strict_and_numbers_accept_integers_for_real_findings() -> None:
    assert "fever" in problems({"findings": {"fever": 1}})
    case = engine.parse_case({"findings": {"duration_weeks": 6, "age": 30}}, kb())
    assert case.findings["duration_weeks"] == 6


def test_the_json_schema_lists_every_finding_with_its_type() -> None:
    schema = engine.case_json_schema(kb())
    props = schema["properties"]["findings"]["properties"]
    assert set(props) == set(kb().findings)
    assert "slr" in props and "positive" in str(props["slr"])
