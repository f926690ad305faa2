"""The batch's fast path (engine/tools/batch_vector.py) gives the scalar path's rows and messages."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

import pytest

import engine
from engine.reasoning.vectors import round4
from engine.tools.batch import _chunk, read_rows, run_batch
from engine.tools.batch_columns import row_cohorts
from engine.tools.batch_plan import compile_plan
from engine.tools.batch_vector import summarize_cohort
from engine.tools.sampling import random_findings
from tests.support import CASES, load_case
from tests.support import kb as _kb

kb = _kb()
plan = compile_plan(kb)


def _scalar(rows: list[dict[str, Any]], base: engine.KnowledgeBase = kb) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """The reference: ``summary_row`` on each row (``batch._chunk``), empty cells left out as the batch leaves them."""
    out, messages = _chunk(base, [(number, {k: v for k, v in raw.items() if v is not None and v != ""}) for number, raw in enumerate(rows, 1)])
    return out, [(int(m.split(":")[0].removeprefix("row ")), m.split(": ", 1)[1]) for m in messages]


def _fast(rows: list[dict[str, Any]], size: int = 100_000, base: engine.KnowledgeBase = kb) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    out: list[dict[str, Any]] = []
    bad: list[tuple[int, str]] = []
    for cohort in row_cohorts(rows, size):
        o, b = summarize_cohort(base, plan if base is kb else compile_plan(base), cohort)
        out += o
        bad += b
    return out, bad


def _text(findings: dict[str, Any]) -> dict[str, str]:
    """A case as CSV cells: bools true/false, lists a;b ([] when known empty), unknown empty."""
    out = {}
    for fid in kb.findings:
        v = findings.get(fid)
        out[fid] = "" if v is None else ("true" if v else "false") if isinstance(v, bool) else \
            (";".join(v) or "[]") if isinstance(v, list) else str(v)
    return out


def _generated(n: int, seed: int) -> list[dict[str, Any]]:
    """Generated cases from sparse to complete (complete ones score the instruments)."""
    rng = random.Random(seed)
    return [{"id": f"c{i}", **random_findings(kb, rng, p_asked=(0.1, 0.4, 0.7, 0.95, 1.0)[i % 5])} for i in range(n)]


# an acute severe L5 sciatica after six weeks of conservative care: the epidural step, which a
# random cohort reaches only by chance (one case in 3000 or none)
_EPIDURAL = {"id": "epidural", "age": 42, "back_pain": True, "leg_pain_worse_than_back": True, "laterality": "left",
             "pain_regions": ["buttock", "posterior_thigh", "lateral_shin", "dorsum_foot_big_toe"], "pain_character": ["electric_shooting"],
             "slr": "positive", "weakness": ["great_toe_extension"], "reflex_achilles": "normal", "worse_sitting": True,
             "progressive_weakness": False, "duration_weeks": 8, "pain_intensity": 8, "conservative_care_weeks": 6,
             "treatments_tried": ["nsaids", "physiotherapy", "self_management"]}


def test_the_fast_path_gives_the_scalar_row_for_each_of_3000_generated_cases() -> None:
    cases = [*_generated(3000, seed=11), _EPIDURAL]
    fast, expected = _fast(cases, size=1000), _scalar(cases)
    assert fast == expected
    rows = fast[0]
    # the cohort reaches what the fast path has to get right
    assert {r["urgency"] for r in rows} == {"routine", "urgent", "emergency"}
    assert any(r["step"] == "cause_workup" for r in rows) and any(r["step"] == "epidural_injection" for r in rows)
    assert any(r["roots"].count(";") >= 2 for r in rows)
    assert any(r["red_flags"].count(";") >= 2 for r in rows)


def test_a_case_where_the_epidural_bar_decides_the_step_gets_the_scalar_row() -> None:
    # lumbar stenosis leads with neurogenic claudication: the epidural step is barred (nice_ng59)
    case = {"sex": "female", "onset": "gradual", "trigger_lifting": False, "back_pain": True, "leg_pain_worse_than_back": False,
            "pain_regions": ["lateral_foot_little_toe", "posterior_calf"], "pain_intensity": 8, "worse_sitting": False,
            "worse_cough_sneeze_strain": False, "worse_walking_standing": True, "relieved_sitting_or_flexion": True,
            "relieved_standing_still": False, "walking_distance_limited": True, "weakness": ["hip_abduction", "great_toe_extension", "ankle_plantarflexion"],
            "upper_motor_neuron_signs": False, "slr": "negative", "crossed_slr": "negative", "piriformis_tests": "negative",
            "sciatic_notch_tenderness": False, "spinal_percussion_tenderness": False, "hip_rotation_groin_pain": True,
            "peripheral_pulses_reduced": False, "stocking_glove_sensory_loss": True, "sexual_dysfunction": False, "immunosuppression": False,
            "diabetes": False, "smoker": False, "obesity": True, "conservative_care_weeks": 8, "treatments_tried": ["psychological", "nsaids", "acupuncture"],
            "start_back_2": True, "start_back_4": False, "start_back_6": False, "start_back_7": False, "start_back_8": True, "duration_weeks": 10}
    fast = _fast([case])
    assert fast == _scalar([case])
    barred = [(s.id, x.condition) for s in kb.ladder_steps for x in s.not_for]
    assert barred and all(fast[0][0]["step"] != step for step, cause in barred if fast[0][0]["cause_1"] == cause)


def test_the_fast_path_follows_the_engine_on_constructs_the_content_does_not_use_yet() -> None:
    """at_least 2 of 3 and its negation, "not asked" in a rule and in a likelihood row, a new
    correlated group, an against root rule and an instrument band that overlaps the others."""
    from engine.knowledge.base import compile_content
    from engine.knowledge.records import Band, LikelihoodRow, Rule

    urgent = next(f.id for f in kb.red_flags.values() if f.urgency == "urgent")
    fact = next(iter(kb.table.rows_by_fact))  # a derived fact a likelihood row reads
    causes = kb.table.causes
    src = kb.rules[0].sources
    three = [{"op": "is", "finding": "night_pain", "value": True}, {"op": "ge", "finding": "age", "value": 60},
             {"op": "eq", "finding": "laterality", "value": "left"}]
    rules = tuple(Rule.model_validate({"description": "test", "sources": src, **r}) for r in (
        {"id": "test.two_of_three", "layer": "red_flag", "then": urgent, "when": [{"op": "at_least", "n": 2, "of": three}]},
        {"id": "test.not_two_of_three", "layer": "syndrome", "then": fact, "when": [{"op": "not", "of": {"op": "at_least", "n": 2, "of": three}}]},
        {"id": "test.not_asked", "layer": "root", "then": "L5", "support": "strong", "direction": "against",
         "when": [{"op": "unknown", "finding": "pain_intensity"}]},
    ))
    rows = tuple(LikelihoodRow.model_validate({"label": "test", "default": 0.2, "group": "test", "sources": src, "basis": "test", **r}) for r in (
        {"id": "lik.test_not_asked", "p": {causes[0]: 0.5, causes[1]: 0.05},
         "when": {"op": "any", "of": [{"op": "unknown", "finding": "duration_weeks"},
                                      {"op": "all", "of": [{"op": "fact", "fact": fact}, {"op": "not", "of": three[0]}]}]}},
        {"id": "lik.test_two_of_three", "p": {causes[2]: 0.6}, "when": {"op": "at_least", "n": 2, "of": three}},
        {"id": "lik.test_band", "p": {causes[3]: 0.9}, "group": None, "when": {"op": "instrument", "instrument": "start_back", "band": "test_band"}},
    ))
    inst = kb.instruments["start_back"]
    bands = (Band(id="test_band", label="test", min={"total": 5}), *inst.bands)
    changed = compile_content(kb.model_copy(update={
        "rules": kb.rules + rules, "likelihoods": kb.likelihoods + rows,
        "instruments": {**kb.instruments, "start_back": inst.model_copy(update={"bands": bands})},
    }))
    cases = _generated(1500, seed=16)
    fast = _fast(cases, base=changed)
    assert fast == _scalar(cases, base=changed) and fast != _fast(cases)


def test_the_fast_path_reads_text_cells_as_the_scalar_path_does() -> None:
    cases = [{"id": f"t{i}", **_text(f)} for i, f in enumerate(_generated(1000, seed=12))]
    assert _fast(cases) == _scalar(cases)


def test_every_teaching_case_gets_the_scalar_row() -> None:
    rows = []
    for path in CASES:
        raw, case = load_case(path)
        rows.append({"id": raw.get("id"), **{k: sorted(v) if isinstance(v, frozenset) else v for k, v in case.findings.items()}})
    fast, expected = _fast(rows), _scalar(rows)
    assert fast == expected and not fast[1] and len(fast[0]) == len(CASES)


def test_bad_cells_are_reported_with_the_scalar_message_and_the_other_rows_summarised() -> None:
    cases = [{"id": f"b{i}", **f} for i, f in enumerate(_generated(60, seed=13))]
    bad: list[dict[str, Any]] = [
        {"age": "old"}, {"age": 200}, {"age": 41.5}, {"age": True}, {"slr": "maybe"}, {"night_pain": 1}, {"night_pain": "perhaps"},
        {"laterality": "sideways"}, {"numbness_regions": ["calf", "elbow"]}, {"numbness_regions": 7}, {"pain_regions": "calf;elbow"},
        {"duration_weeks": "soon"}, {"duration_weeks": float("nan")}, {"not_a_finding": "yes"}, {"__error__": "not valid JSON: x"},
    ]
    for i, change in enumerate(bad):
        cases[3 * i].update(change)
    cases[1]["not_a_finding"] = ""  # an unknown column with no cell is no error
    fast, expected = _fast(cases, size=16), _scalar(cases)
    assert fast == expected
    assert len(fast[1]) == len(bad) - 1  # NaN is an empty cell, not an error
    assert fast[1][0] == (1, "age: 'old' is not a whole number")


def test_run_batch_writes_the_scalar_file_and_messages_for_csv_quoted_csv_jsonl_and_parquet(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cases = _generated(300, seed=14)
    rows = [{"id": f"c{i}", **_text(f)} for i, f in enumerate(cases)]
    rows[5]["age"], rows[9]["laterality"], rows[11]["slr"] = "old", "sideways", "maybe"
    header = ["id", *kb.findings]
    plain, quoted = tmp_path / "plain.csv", tmp_path / "quoted.csv"
    for path, quoting in ((plain, csv.QUOTE_MINIMAL), (quoted, csv.QUOTE_ALL)):
        with path.open("w", newline="") as fh:
            w = csv.DictWriter(fh, header, quoting=quoting)
            w.writeheader()
            w.writerows(rows)
    with plain.open("a") as fh:  # a row too long, a row too short, a blank line (not counted)
        fh.write(",".join(["x1", *rows[0].values()]) + "\nx2,true\n\n" + ",".join(rows[1].values()) + "\n")
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps({"id": f"c{i}", **f}) + "\n" for i, f in enumerate(cases))
                     + "{not json\n[1, 2]\n" + json.dumps({"id": "doc", "findings": {"age": 40, "slr": "positive"}}) + "\n")
    typed = tmp_path / "typed.parquet"
    pq.write_table(pa.Table.from_pylist(cases), typed)
    text = tmp_path / "text.parquet"
    pq.write_table(pa.Table.from_pylist(list(read_rows(plain))[:-3]), text)
    for src in (plain, quoted, jsonl, typed, text):
        fast, slow = tmp_path / f"{src.stem}-fast.csv", tmp_path / f"{src.stem}-slow.csv"
        got = run_batch(kb, engine.DEFAULT_CONTENT, src, fast, jobs=1, progress=False, chunk=64)
        want = run_batch(kb, engine.DEFAULT_CONTENT, src, slow, jobs=1, progress=False, scalar=True)
        assert got == want, src.name
        assert fast.read_bytes() == slow.read_bytes(), src.name
    errors = run_batch(kb, engine.DEFAULT_CONTENT, plain, tmp_path / "x.csv", jobs=1, progress=False)[1]
    assert errors[0] == "row 6: age: 'old' is not a whole number"
    assert errors[1].startswith("row 10: ") and "laterality" in errors[1] and errors[2].startswith("row 12: ") and "slr" in errors[2]
    assert errors[3].startswith("row 301: ") and errors[4].startswith("row 302:") and len(errors) == 5


@pytest.mark.parametrize("value", [0.0, 1.0, 0.5, 0.12345, 0.00005, 0.99995, 0.33335, 0.1234499999999, 0.2468500000001])
def test_round4_is_round_to_four_places(value: float) -> None:
    import numpy as np

    rng = random.Random(15)
    values = [value, *(rng.random() for _ in range(20_000)), *((k + 0.5) / 1e4 for k in range(10_000))]
    assert round4(np.array(values)).tolist() == [round(v, 4) for v in values]
