"""Batch summaries: every format gives infer's answers, bad rows are reported and skipped."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

import pytest

import engine
from engine.tools.batch import read_rows, run_batch
from engine.tools.cli import main
from engine.tools.sampling import random_findings
from tests.support import kb as _kb

kb = _kb()


def _cells(findings: dict[str, Any]) -> dict[str, str]:
    """A case as a CSV row: bools as true/false, lists as a;b ([] when known empty)."""
    out = {}
    for fid in kb.findings:
        v = findings.get(fid)
        if v is None:
            out[fid] = ""
        elif isinstance(v, bool):
            out[fid] = "true" if v else "false"
        elif isinstance(v, list | set | frozenset):
            out[fid] = ";".join(sorted(v)) or "[]"
        else:
            out[fid] = str(v)
    return out


def _cohort(n: int, seed: int = 9) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [random_findings(kb, rng) for _ in range(n)]


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, ["id", *kb.findings])
        w.writeheader()
        w.writerows(rows)


def _expected(i: int, findings: dict[str, Any]) -> dict[str, Any]:
    r = engine.infer(engine.parse_case({"findings": findings}, kb), kb)
    top = [(d.id, d.score) for d in r.differential[:3]]
    return {
        "urgency": r.urgency, "red_flags": ";".join(f.id for f in r.red_flags),
        **{k: v for j, (c, p) in enumerate(top, start=1) for k, v in ((f"cause_{j}", c), (f"p_{j}", p))},
        "roots": ";".join(f"{x.root}:{x.score:g}" for x in r.roots), "step": r.ladder.step, "id": f"c{i}",
    }


def _strip(row: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in row.items() if k != "row"}
    return {k: (float(v) if k.startswith("p_") else v or "") for k, v in row.items()}


@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet"])
def test_every_format_gives_the_summary_of_infer_for_each_case(tmp_path: Path, kind: str) -> None:
    cohort = _cohort(300)
    src = tmp_path / "in.csv"
    _write_csv(src, [{"id": f"c{i}", **_cells(f)} for i, f in enumerate(cohort)])
    if kind == "jsonl":  # lists as lists, unknown left out
        src = tmp_path / "in.jsonl"
        src.write_text("".join(json.dumps({"id": f"c{i}", **f}) + "\n" for i, f in enumerate(cohort)))
    elif kind == "parquet":  # strings, as a CSV converted to Parquet would hold them
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = list(read_rows(src))
        src = tmp_path / "in.parquet"
        pq.write_table(pa.Table.from_pylist(rows), src)
    out = tmp_path / f"out.{kind}"
    written, errors = run_batch(kb, engine.DEFAULT_CONTENT, src, out, jobs=1, progress=False)
    assert (written, errors) == (300, [])
    got = [_strip(r) for r in read_rows(out)]
    assert got == [_strip(_expected(i, f)) for i, f in enumerate(cohort)]


def test_bad_rows_are_reported_with_their_number_and_reason_and_skipped(tmp_path: Path) -> None:
    cohort = _cohort(6, seed=3)
    rows = [{"id": f"c{i}", **_cells(f)} for i, f in enumerate(cohort)]
    rows[1]["age"] = "old"
    rows[3]["laterality"] = "sideways"
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    _write_csv(src, rows)
    written, errors = run_batch(kb, engine.DEFAULT_CONTENT, src, out, jobs=1, progress=False)
    assert written == 4
    assert errors[0].startswith("row 2: age: 'old' is not a whole number")
    assert errors[1].startswith("row 4:") and "laterality" in errors[1]
    assert [r["id"] for r in read_rows(out)] == ["c0", "c2", "c4", "c5"]


def test_two_processes_give_the_single_process_rows_in_order(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    _write_csv(src, [{"id": f"c{i}", **_cells(f)} for i, f in enumerate(_cohort(500, seed=5))])
    run_batch(kb, engine.DEFAULT_CONTENT, src, tmp_path / "one.csv", jobs=1, progress=False)
    run_batch(kb, engine.DEFAULT_CONTENT, src, tmp_path / "two.csv", jobs=2, progress=False, chunk=64)
    assert (tmp_path / "one.csv").read_text() == (tmp_path / "two.csv").read_text()


def test_the_batch_verb_writes_rows_and_names_bad_rows_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"id": f"c{i}", **_cells(f)} for i, f in enumerate(_cohort(3, seed=4))]
    rows[2]["slr"] = "maybe"
    src, out = tmp_path / "in.csv", tmp_path / "out.jsonl"
    _write_csv(src, rows)
    assert main(["batch", str(src), str(out), "--jobs", "1", "--no-progress"]) == 0
    captured = capsys.readouterr()
    assert "2 cases summarised" in captured.out and "1 bad rows skipped" in captured.out
    assert captured.err.startswith("row 3:") and "slr" in captured.err
    assert len(out.read_text().splitlines()) == 2


def test_a_local_dask_cluster_gives_the_single_process_rows(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from engine.tools.batch_dask import run_dask

    rows = [{"id": f"c{i}", **_cells(f)} for i, f in enumerate(_cohort(400, seed=6))]
    rows[7]["age"] = "old"
    src = tmp_path / "in.csv"
    _write_csv(src, rows)
    one = run_batch(kb, engine.DEFAULT_CONTENT, src, tmp_path / "one.csv", jobs=1, progress=False)
    dask = run_dask(str(src), tmp_path / "dask.csv", workers=2, blocksize="40KB")  # several partitions
    assert dask == one and one[1] == ["row 8: age: 'old' is not a whole number"]
    assert (tmp_path / "dask.csv").read_text() == (tmp_path / "one.csv").read_text()


def test_a_bad_cell_is_echoed_cut_short_whatever_its_length(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,age\na," + "9" * 5000 + "\nb,40\n")
    for path in ([], ["--scalar"]):
        assert main(["batch", str(src), str(tmp_path / "out.csv"), *path]) == 0
        line = next(ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("row 1:"))
        assert "is not a whole number" in line and len(line) < 300, line


def test_json_lines_are_read_as_json_loads_reads_each_line(tmp_path: Path) -> None:
    """The reader skips json.loads's per-call wrapper: same values, same error for every line."""
    lines = ['{"age": 40}', "{broken", "1 2", '\ufeff{"age": 1}', '\x1c{"age": 1}', ' {"age": 41}\t', '{"age": 1}\x00',
             "[1, 2]", '"text"', '{"id": "x", "findings": {"age": 42}}', '{"a": NaN}']
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n\n", encoding="utf-8")

    def expected(line: str) -> dict[str, Any]:
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            return {"__error__": f"not valid JSON: {exc.msg}"}
        if isinstance(row, dict) and isinstance(row.get("findings"), dict):
            row = {"id": row.get("id"), **row["findings"]}
        return row if isinstance(row, dict) else {"__error__": "not a JSON object"}

    got = list(read_rows(src))
    want = [expected(line) for line in lines]
    assert [json.dumps(r, sort_keys=True) for r in got] == [json.dumps(r, sort_keys=True) for r in want]


@pytest.mark.parametrize("scalar", [False, True])
def test_the_collector_is_paused_for_a_batch_and_resumes_as_the_caller_had_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scalar: bool) -> None:
    import gc

    from engine.tools import batch

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"c{i}", **f}) + "\n" for i, f in enumerate(_cohort(5))), encoding="utf-8")
    seen: list[bool] = []
    writer = batch.write_rows
    monkeypatch.setattr(batch, "write_rows", lambda *a: (seen.append(gc.isenabled()), writer(*a)))
    assert gc.isenabled()
    assert run_batch(kb, engine.DEFAULT_CONTENT, src, tmp_path / "out.jsonl", jobs=1, progress=False, scalar=scalar)[0] == 5
    assert seen == [False] and gc.isenabled(), "paused while the cohort is in memory, then resumed"
    gc.disable()  # a caller that turned the collector off keeps it off
    try:
        run_batch(kb, engine.DEFAULT_CONTENT, src, tmp_path / "out.jsonl", jobs=1, progress=False, scalar=scalar)
        assert not gc.isenabled()
    finally:
        gc.enable()
