"""Knowledge-base shapes the linter used to pass or crash on: each is one clean problem
naming the file and the rule id."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.tools.cli import main
from engine.tools.satisfiable import can_fire
from tests.support import kb
from tests.test_lint import BASE, _append_rule, _problems
from tests.test_lint import content as _content_copy


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return _content_copy.__wrapped__(tmp_path)  # a fresh copy of content/ per test

FEVER = {"op": "is", "finding": "fever", "value": True}
SMOKER = {"op": "is", "finding": "smoker", "value": True}
WHERE = "rules/99_broken.yaml: "


def test_at_least_n_above_its_number_of_premises_is_rejected(content: Path) -> None:
    _append_rule(content, {**BASE, "id": "x.too_many", "when": [{"op": "at_least", "n": 3, "of": [FEVER, SMOKER]}]})
    assert any(p.startswith(WHERE + "x.too_many") and "at_least 3 of only 2" in p for p in _problems(content))


def test_at_least_with_the_same_premise_twice_is_rejected(content: Path) -> None:
    _append_rule(content, {**BASE, "id": "x.twice", "when": [{"op": "at_least", "n": 2, "of": [FEVER, FEVER, SMOKER]}]})
    assert any(p.startswith(WHERE + "x.twice") and "same premise twice: fever" in p for p in _problems(content))


def test_a_contradiction_hidden_among_eight_findings_is_found(content: Path) -> None:
    many = [{"op": "is", "finding": f, "value": True} for f in ("fever", "smoker", "diabetes", "obesity", "night_pain", "weight_loss")]
    when = [*many, {"op": "ge", "finding": "age", "value": 70}, {"op": "has", "finding": "weakness", "value": "hip_flexion"},
            {"op": "at_least", "n": 1, "of": [{"op": "lt", "finding": "age", "value": 50}, {"op": "empty", "finding": "weakness"}]}]
    _append_rule(content, {**BASE, "id": "x.hidden", "when": when})
    assert any(p.startswith(WHERE + "x.hidden") and "can never fire" in p for p in _problems(content))


def test_not_and_unknown_are_understood_by_the_satisfiability_search(content: Path) -> None:
    _append_rule(content, {**BASE, "id": "x.not_and_is", "when": [FEVER, {"op": "not", "of": FEVER}]})
    _append_rule(content, {**BASE, "id": "x.unknown_and_is", "when": [{"op": "unknown", "finding": "fever"}, SMOKER, FEVER]})
    found = _problems(content)
    assert any(p.startswith(WHERE + "x.not_and_is") and "can never fire" in p for p in found)
    assert any(p.startswith(WHERE + "x.unknown_and_is") and "can never fire" in p for p in found)


def test_every_rule_of_the_real_knowledge_base_can_fire() -> None:
    assert [r.id for r in kb().rules if can_fire(kb(), r) is not True] == []


def test_a_rule_file_that_is_not_utf8_is_one_clean_problem(content: Path) -> None:
    (content / "rules" / "98_latin1.yaml").write_bytes("- id: x.caf\xe9\n".encode("latin-1"))
    _append_rule(content, {**BASE, "id": "x.other", "when": [{"op": "is", "finding": "fevr", "value": True}]})
    found = _problems(content)
    assert any(p.startswith("rules/98_latin1.yaml") and "not UTF-8 (byte 0xe9" in p for p in found)
    assert any("x.other" in p for p in found)  # the other files are still checked
    assert main(["--content", str(content), "lint"]) == 1


def test_a_duplicate_key_in_a_rule_is_rejected(content: Path) -> None:
    (content / "rules" / "98_dup.yaml").write_text("- id: x.dup_key\n  lr: 2.0\n  lr: 9.0\n")
    assert any(p.startswith("rules/98_dup.yaml") and "duplicate key 'lr'" in p for p in _problems(content))


def test_a_cross_reference_problem_names_the_file_and_the_rule(content: Path) -> None:
    _append_rule(content, {**BASE, "id": "x.ref", "sources": ["nobody2099"], "when": [FEVER]})
    assert any(p.startswith(WHERE + "x.ref") and "unknown source" in p for p in _problems(content))


def test_a_cycle_names_each_rule_and_its_file(content: Path) -> None:
    _append_rule(content, {"id": "x.cycle_a", "description": "a", "layer": "sign", "then": "motor_deficit", "sources": ["gck"],
                           "when": [{"op": "fact", "fact": "reflex_deficit"}]})
    _append_rule(content, {"id": "x.cycle_b", "description": "b", "layer": "sign", "then": "reflex_deficit", "sources": ["gck"],
                           "when": [{"op": "fact", "fact": "motor_deficit"}]})
    cycles = [p for p in _problems(content) if "cycle:" in p]
    assert cycles and all(WHERE + "x.cycle_a" in p and WHERE + "x.cycle_b" in p for p in cycles)


@pytest.mark.parametrize("name", ["findings.yaml", "sources.yaml"])
def test_a_broken_top_level_file_is_a_clean_lint_failure(content: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    (content / name).write_bytes(b"\xff\xfe" + "x: 1".encode("utf-16-le"))
    assert main(["--content", str(content), "lint"]) == 1
    assert name in capsys.readouterr().err


@pytest.mark.parametrize("expected", ["[lumbar_disc_herniation]", "{roots: L5}"])
def test_a_teaching_case_with_a_malformed_expected_block_is_a_problem_not_a_crash(content: Path, expected: str) -> None:
    (content / "cases" / "99-odd.yaml").write_text(f"id: odd\nfindings: {{}}\nexpected: {expected}\n")
    assert any(p.startswith("cases/99-odd.yaml") and "expected: must be a mapping" in p for p in _problems(content))
