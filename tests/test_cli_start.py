"""What ``python -m engine evaluate`` does differently to start faster gives the same answers
as what it replaced: the findings validator is the pydantic case model's own validator,
built without the model class; evidence records are built per key, as they were per row;
the JSON is ``json.dumps(..., indent=2)``'s text; the collector paused for the imports
resumes after them."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import engine
from engine.knowledge.records import FindingDef
from engine.tools.json_text import dumps_indented
from tests.support import CASES, kb, load_case

MANY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# values of every kind a case file can hold, valid and not, for any finding
_ODD: list[Any] = [None, True, False, 0, 1, -1, 3.0, 2.5, -0.0, 10**30, math.nan, math.inf, -math.inf, "", "yes", "true",
                   "3", [], [None], ["buttock"], ("buttock",), {"a": 1}, {"buttock"}, b"x"]


def _value(f: FindingDef) -> st.SearchStrategy[Any]:
    words = kb().vocabularies.get(f.vocabulary or "", ())
    low, high = f.min if f.min is not None else -5, f.max if f.max is not None else 5
    return st.one_of(
        st.sampled_from(_ODD),
        st.integers(int(low) - 3, int(high) + 3),
        st.floats(low - 2, high + 2),
        st.sampled_from(words) if words else st.text(max_size=3),
        st.lists(st.sampled_from(words) if words else st.integers(), max_size=4),
        st.lists(st.sampled_from(_ODD), max_size=2),
    )


@st.composite
def _findings(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(sorted(kb().findings)), max_size=6, unique=True))
    return {fid: draw(_value(kb().findings[fid])) for fid in chosen}


def _by_model(known: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", kb().case_model.model_validate(known).model_dump()
    except ValidationError as exc:
        return "bad", sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})


def _by_validator(known: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", kb().findings_validator.validate_python(known)[0]
    except ValidationError as exc:
        return "bad", sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})


def test_the_findings_validator_compiles_the_case_model_s_own_schema() -> None:
    from engine.knowledge.case_model import findings_schema

    assert findings_schema(kb()) == kb().case_model.__pydantic_core_schema__["schema"]


@MANY
@given(_findings())
def test_the_findings_validator_accepts_refuses_and_returns_what_the_case_model_does(known: dict[str, Any]) -> None:
    by_model, by_validator = _by_model(known), _by_validator(known)
    assert by_validator == by_model
    if by_model[0] == "ok":  # same values, same types (an int given for a number is a float in both)
        assert [(k, type(v)) for k, v in by_validator[1].items()] == [(k, type(v)) for k, v in by_model[1].items()]


@pytest.mark.parametrize("value", _ODD, ids=repr)
def test_every_odd_value_meets_the_same_verdict_for_every_finding(value: Any) -> None:
    for fid in kb().findings:
        assert _by_validator({fid: value}) == _by_model({fid: value}), fid


def test_a_knowledge_base_builds_the_pydantic_case_model_only_when_asked() -> None:
    base = engine.load_kb()
    engine.infer(engine.parse_case({"findings": {"age": 45, "slr": "positive"}}, base), base)
    assert "case_model" not in base.__dict__
    assert set(base.case_model.model_fields) == set(base.findings)


def test_evidence_records_are_built_per_key_on_first_lookup_the_same_in_any_order() -> None:
    from engine.knowledge.table import build_table, direction

    keys = [(row.id, present, counted) for row in kb().likelihoods for present in (True, False) for counted in (True, False)]
    forward, backward = build_table(kb()).evidence, build_table(kb()).evidence
    first = forward[keys[0]]
    assert list(forward) == [keys[0]] and forward[keys[0]] is first  # one key built, then kept
    for (row, present, counted) in keys:
        for cause, e in zip(kb().table.causes, forward[(row, present, counted)], strict=True):
            cell = kb().table.cells[row][cause]
            share = cell.present if present else cell.absent
            assert (e.row, e.observed, e.counted, e.published) == (row, "present" if present else "absent", counted, cell.published)
            assert (e.contribution, e.direction) == (round(share, 4) if counted else 0.0, direction(share))
            assert e.capped == (cell.capped_present if present else cell.capped_absent)
    for key in reversed(keys):
        assert backward[key] == forward[key]
    assert backward == forward
    with pytest.raises(KeyError):
        forward[("no_such_row", True, True)]


class _Number(int):
    def __repr__(self) -> str:
        return "not a JSON number"


class _Text(str):
    pass


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                     st.sampled_from(["\ud800", "é\n\"\\", "\x00", math.nan, math.inf, -math.inf, -0.0, 1e300, 5e-324, 2**70]))
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        # what json converts or refuses: non-string keys, subclasses, other types
        st.dictionaries(st.one_of(st.integers(), st.floats(), st.booleans(), st.none()), inner, max_size=2),
        st.sampled_from([_Number(3), _Text("x"), {1, 2}, b"x", object()]),
    ),
    max_leaves=20,
)


def _dumps(data: Any) -> tuple[str, Any]:
    try:
        return "ok", json.dumps(data, indent=2)
    except (TypeError, ValueError) as exc:
        return "error", (type(exc), str(exc))


def _dumps_indented(data: Any) -> tuple[str, Any]:
    try:
        return "ok", dumps_indented(data)
    except (TypeError, ValueError) as exc:
        return "error", (type(exc), str(exc))


def test_the_cli_writes_each_teaching_case_s_result_as_json_dumps_with_indent_2_does() -> None:
    for path in CASES:
        data = engine.infer(load_case(path)[1], kb()).to_dict()
        assert dumps_indented(data) == json.dumps(data, indent=2), path.name
    schema = engine.case_json_schema(kb())
    assert dumps_indented(schema) == json.dumps(schema, indent=2)


@MANY
@given(_JSON)
def test_the_indented_writer_gives_json_dumps_text_or_error_for_any_data(data: Any) -> None:
    assert _dumps_indented(data) == _dumps(data)


def test_a_cycle_is_refused_as_json_dumps_refuses_it() -> None:
    loop: list[Any] = []
    loop.append(loop)
    assert _dumps_indented({"a": loop}) == _dumps({"a": loop})


def test_every_cell_of_the_likelihood_table_is_the_soft_capped_ratio_a_shared_cell_included() -> None:
    from math import log10

    from engine.knowledge.table import _soft_cap

    cap, share = kb().scoring.estimate_cap, kb().scoring.atypical_share
    assert share == 0.1
    for row in kb().likelihoods:
        for cause in kb().conditions:
            p, d, published = row.p.get(cause, row.default), row.default, cause in row.published
            if not published and cause in row.p:  # a stated estimate keeps a share of atypical presentations, like the catch-all's
                p = (1 - share) * p + share * d
            (rp, cp), (ra, ca) = ((p / d, False), ((1 - p) / (1 - d), False)) if published else (
                _soft_cap(p / d, cap), _soft_cap((1 - p) / (1 - d), cap))
            cell = kb().table.cells[row.id][cause]
            assert (cell.present, cell.absent, cell.published, cell.capped_present, cell.capped_absent) == (
                log10(rp), log10(ra), published, cp, ca), (row.id, cause)
            assert str(cell.present) == str(log10(rp)) and str(cell.absent) == str(log10(ra))  # 0.0, not -0.0


def _gc_after_import(argv0: str, gc_on: bool) -> list[object]:
    import subprocess
    import sys

    from tests.support import ROOT

    code = (f"import gc, json, sys; sys.argv = [{argv0!r}]; {'' if gc_on else 'gc.disable(); '}import engine; "
            "print(json.dumps([gc.isenabled(), gc.get_freeze_count() > 0, gc.get_threshold()]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


def test_under_python_m_engine_the_collector_is_paused_for_the_imports_then_resumes() -> None:
    import gc

    threshold = list(gc.get_threshold())
    assert _gc_after_import("-m", gc_on=True) == [True, True, threshold]  # resumed, the imports frozen
    assert _gc_after_import("-m", gc_on=False) == [False, False, threshold]  # a caller's choice is kept
    assert _gc_after_import("app.py", gc_on=True) == [True, False, threshold]  # an importing program: untouched
