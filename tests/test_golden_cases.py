"""The teaching cases are golden tests: each cited case's expected top condition, urgency,
roots and red flags. Where Radix's answer differs from the source's, the case file records
it under ``known_limitations`` with why, and the test is a strict expected failure (so a
fix that makes it pass is noticed)."""

from pathlib import Path

import pytest

import engine
from tests.support import CASES, kb, load_case


def _result(path: Path) -> tuple[dict, engine.Result]:
    raw, case = load_case(path)
    return raw, engine.infer(case, kb())


def _limit(raw: dict, key: str) -> None:
    why = (raw.get("known_limitations") or {}).get(key)
    if why:
        pytest.xfail(why)


def test_there_are_at_least_25_cited_teaching_cases_covering_every_condition() -> None:
    raws = [load_case(p)[0] for p in CASES]
    assert len(raws) >= 25
    assert {r["expected"]["top_condition"] for r in raws} == set(kb().conditions)
    assert all(r["source"]["citation"] for r in raws)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_teaching_case_urgency_matches_the_expected_urgency(path: Path) -> None:
    raw, res = _result(path)
    _limit(raw, "urgency")
    assert res.urgency == raw["expected"]["urgency"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_teaching_case_expected_condition_is_in_the_top_three(path: Path) -> None:
    raw, res = _result(path)
    _limit(raw, "top_condition")
    top3 = [d.id for d in res.differential[:3]]
    assert raw["expected"]["top_condition"] in top3


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_teaching_case_roots_match(path: Path) -> None:
    raw, res = _result(path)
    _limit(raw, "roots")
    expected = raw["expected"]["roots"]
    if expected:
        assert res.roots and res.roots[0].root in expected
    else:
        assert all(r.score < 0.5 for r in res.roots)  # no confident root for a non-radicular case


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_teaching_case_raises_the_expected_red_flags(path: Path) -> None:
    raw, res = _result(path)
    _limit(raw, "red_flags")
    assert set(raw["expected"].get("red_flags", [])) <= {f.id for f in res.red_flags}


def test_every_teaching_case_is_tagged_with_difficulty_setting_and_presentation() -> None:
    from engine.lint import CASE_TAGS

    for path in CASES:
        raw = load_case(path)[0]
        for key, allowed in CASE_TAGS.items():
            assert raw.get(key) in allowed, f"{path.name}: {key}={raw.get(key)!r}"
