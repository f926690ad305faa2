"""The batch's fast path (engine/tools/batch_vector.py) gives the scalar path's rows and messages."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

import pytest

import engine
from engine.tools.batch import _chunk, read_rows, run_batch
from engine.tools.batch_columns import row_cohorts
from engine.tools.batch_vector import compile_plan, round4, summarize_cohort
from engine.tools.sampling import random_findings
from tests.support import CASES, load_case
from tests.support import kb as _kb

kb = _kb()
plan = compile_plan(kb)


def _scalar(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """The reference: ``summary_row`` on each row (``batch._chunk``), empty cells left out as the batch leaves them."""
    out, messages = _chunk(kb, [(number, {k: v for k, v in raw.items() if v is not None and v != ""}) for number, raw in enumerate(rows, 1)])
    return out, [(int(m.split(":")[0].removeprefix("row ")), m.split(": ", 1)[1]) for m in messages]


def _fast(rows: list[dict[str, Any]], size: int = 100_000) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    out: list[dict[str, Any]] = []
    bad: list[tuple[int, str]] = []
    for cohort in row_cohorts(rows, size):
        o, b = summarize_cohort(kb, plan, cohort)
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


def test_the_fast_path_gives_the_scalar_row_for_each_of_3000_generated_cases() -> None:
    cases = _generated(3000, seed=11)
    fast, expected = _fast(cases, size=1000), _scalar(cases)
    assert fast == expected
    rows = fast[0]
    # the cohort reaches what the fast path has to get right
    assert {r["urgency"] for r in rows} == {"routine", "urgent", "emergency"}
    assert any(r["step"] == "cause_workup" for r in rows) and any(r["step"] == "epidural_injection" for r in rows)
    assert any(r["roots"].count(";") >= 2 for r in rows)
    assert any(r["red_flags"].count(";") >= 2 for r in rows)


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
