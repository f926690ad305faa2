"""Properties of the engine over generated cases (Hypothesis), and parser fuzzing.

Each property holds for every case Hypothesis can build from ``content/findings.yaml``:
determinism, cauda-equina monotonicity, unknown is not absent, and agreement of the
compiled network with the three-valued evaluator. The parser, fed arbitrary bytes and
mangled documents, returns a case or raises a clean ``EngineError``, nothing else.
Example counts are kept small so that the file runs in a few seconds; the long run is
``benchmarks/fuzz_parser.py``.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.knowledge.premises import FactIs, Unknown, leaves
from engine.knowledge.records import FindingDef
from engine.tools.case_file import parse_case_bytes
from tests.support import CASES, assert_network_agrees_with_the_evaluator, kb

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CES_SYMPTOMS = ("bladder_dysfunction", "bowel_dysfunction", "saddle_anaesthesia")


def _value(f: FindingDef) -> st.SearchStrategy[Any]:
    if f.type == "bool":
        return st.booleans()
    if f.type == "int":
        return st.integers(int(f.min or 0), int(f.max or 0))
    if f.type == "number":
        return st.one_of(st.integers(int(f.min or 0), int(f.max or 0)), st.floats(f.min, f.max, allow_nan=False))
    words = kb().vocabularies[f.vocabulary or ""]
    if f.type == "enum":
        return st.sampled_from(words)
    return st.lists(st.sampled_from(words), unique=True, max_size=len(words))


FINDINGS = st.fixed_dictionaries({}, optional={fid: _value(f) for fid, f in kb().findings.items()})


def _infer(findings: dict[str, Any]) -> engine.Result:
    return engine.infer(engine.parse_case({"findings": findings}, kb()), kb())


def _fired(findings: dict[str, Any]) -> set[str]:
    return {f.rule for f in _infer(findings).trace}


def _tainted_by_unknown(finding: str) -> set[str]:
    """Rules that test ``finding`` for *not asked*, and every rule downstream of them:
    the only ones allowed to stop firing once the finding is answered."""
    rules = kb().rules
    tainted = {r.id for r in rules if any(isinstance(q, Unknown) and q.finding == finding for p in r.when for q in leaves(p))}
    while True:
        facts = {r.then for r in rules if r.id in tainted}
        more = {r.id for r in rules if any(isinstance(q, FactIs) and q.fact in facts for p in r.when for q in leaves(p))}
        if more <= tainted:
            return tainted
        tainted |= more


@FAST
@given(FINDINGS)
def test_the_same_case_always_gives_the_same_result_whatever_the_finding_order(findings: dict[str, Any]) -> None:
    first = _infer(findings).to_dict()
    assert _infer(findings).to_dict() == first
    assert _infer(dict(reversed(list(findings.items())))).to_dict() == first


@FAST
@given(FINDINGS, st.sampled_from(CES_SYMPTOMS))
def test_any_cauda_equina_symptom_added_to_any_case_raises_cauda_equina_as_an_emergency(findings: dict[str, Any], symptom: str) -> None:
    result = _infer({**findings, symptom: True})
    assert "cauda_equina" in [f.id for f in result.red_flags]
    assert result.urgency == "emergency"


@FAST
@given(FINDINGS, st.data())
def test_answering_more_questions_never_withdraws_a_cauda_equina_flag(findings: dict[str, Any], data: st.DataObject) -> None:
    unknown = [fid for fid in kb().findings if fid not in findings]
    before = _infer(findings)
    if not unknown or "cauda_equina" not in [f.id for f in before.red_flags]:
        return
    fid = data.draw(st.sampled_from(unknown))
    after = _infer({**findings, fid: data.draw(_value(kb().findings[fid]))})
    assert "cauda_equina" in [f.id for f in after.red_flags]
    assert after.urgency == "emergency"


@FAST
@given(FINDINGS, st.data())
def test_unknown_is_not_absent_no_rule_that_fired_depended_on_an_unanswered_finding(findings: dict[str, Any], data: st.DataObject) -> None:
    unknown = [fid for fid in kb().findings if fid not in findings]
    if not unknown:
        return
    fid = data.draw(st.sampled_from(unknown))
    value = data.draw(_value(kb().findings[fid]))
    kept = _fired(findings) - _tainted_by_unknown(fid)
    assert kept <= _fired({**findings, fid: value}), f"answering {fid}={value!r} withdrew a firing"


@FAST
@given(FINDINGS)
def test_the_compiled_network_fires_exactly_the_rules_the_evaluator_accepts(findings: dict[str, Any]) -> None:
    assert_network_agrees_with_the_evaluator(_infer(findings))


# ---- parser fuzzing ---------------------------------------------------------------------

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
SEEDS = [p.read_bytes() for p in CASES[:6]]


def _clean_or_case(data: bytes, name: str) -> None:
    try:
        parse_case_bytes(data, kb(), name)
    except engine.EngineError as err:
        assert str(err)  # a message, never an empty error


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["case.yaml", "case.json"]))
def test_arbitrary_bytes_are_a_case_or_a_clean_error(data: bytes, name: str) -> None:
    _clean_or_case(data, name)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "findings", "notes", "title", "x"]), JSONISH, max_size=4), st.booleans())
def test_arbitrary_documents_are_a_case_or_a_clean_error(doc: dict[str, Any], as_json: bool) -> None:
    text = json.dumps(doc) if as_json else yaml.safe_dump(doc, allow_unicode=True)
    _clean_or_case(text.encode("utf-8", "surrogatepass"), "case.json" if as_json else "case.yaml")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.integers(0, 4000), st.binary(min_size=0, max_size=6)), max_size=4))
def test_mutated_teaching_cases_are_a_case_or_a_clean_error(seed: bytes, edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(seed)
    for at, chunk in edits:
        at %= len(data) + 1
        data[at:at + len(chunk)] = chunk
    _clean_or_case(bytes(data), "case.yaml")


@settings(max_examples=150, deadline=None)
@given(FINDINGS, st.sampled_from(["case.yaml", "case.json"]))
def test_every_generated_case_survives_a_round_trip_through_the_reader(findings: dict[str, Any], name: str) -> None:
    text = json.dumps({"id": "gen", "findings": findings}) if name.endswith(".json") else yaml.safe_dump({"id": "gen", "findings": findings})
    case = parse_case_bytes(text.encode(), kb(), name)
    assert case.findings == engine.parse_case({"findings": findings}, kb()).findings
