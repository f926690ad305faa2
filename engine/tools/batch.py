"""``python -m engine batch INPUT OUTPUT``: a cohort in, one summary row per case out.

Input and output are CSV, JSON Lines or Parquet, chosen by extension (``.csv``,
``.jsonl`` / ``.ndjson``, ``.parquet``). One case a row: a column per finding (an empty
cell or null is *unknown*), an optional ``id`` column; list findings are delimited strings
(``a;b``, ``[]`` for known-empty) or, in JSON Lines and Parquet, lists. Each row is
validated like a case file; a bad row is reported on stderr with its row number and the
reason and skipped, the others go on. Each output row holds the summary of ``infer``
(``engine.reasoning.summary``): urgency, red flags, the top causes with their probabilities, the
nerve roots with their scores and the ladder step. By default a block of rows is summarised
at once with numpy (``engine.tools.batch_vector``, the same output); ``--scalar`` runs
``summary_row`` on each row, the reference. Blocks or rows can be spread over processes
(``--jobs``); the output keeps the input's order. ``engine.tools.batch_dask`` runs the fast
path per partition of a Dask cluster.
"""

from __future__ import annotations

import csv
import gc
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any

from engine.errors import EngineError, clean
from engine.knowledge.base import KnowledgeBase
from engine.reasoning.case import parse_findings
from engine.reasoning.summary import summarize

__all__ = ["COLUMNS", "TOP", "cell_value", "read_rows", "run_batch", "run_cli", "summary_row", "write_rows"]

TOP = 3  # causes listed per row
COLUMNS = ("row", "id", "urgency", "red_flags", *(f"{k}_{i}" for i in range(1, TOP + 1) for k in ("cause", "p")), "roots", "step")
_TRUE, _FALSE = {"true", "yes", "1", "present", "positive"}, {"false", "no", "0", "absent"}


def cell_value(kb: KnowledgeBase, fid: str, raw: Any) -> Any:
    """A cell as the case format wants it; None for unknown. Raises ValueError with a reason."""
    if raw is None or (isinstance(raw, float) and raw != raw) or (isinstance(raw, str) and not raw.strip()):
        return None  # empty cell, null or NaN: not asked
    f = kb.findings[fid]
    if f.type == "set":
        if isinstance(raw, str):
            text = raw.strip()
            return [] if text in ("[]", "none") else [v.strip() for v in text.replace("|", ";").split(";") if v.strip()]
        return list(raw)
    if not isinstance(raw, str):
        return raw.item() if hasattr(raw, "item") else raw  # numpy scalars from Parquet
    text = raw.strip()
    if f.type == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError(f"{fid}: {clean(repr(raw))} is not true or false")
    if f.type == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{fid}: {clean(repr(raw))} is not a whole number") from None
    if f.type == "number":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{fid}: {clean(repr(raw))} is not a number") from None
    return text


def summary_row(kb: KnowledgeBase, number: int, raw: Mapping[str, Any]) -> dict[str, Any]:
    """One input row to one output row; raises ValueError or EngineError for a bad row."""
    case_id = raw.get("id")
    findings = {}
    for key, cell in raw.items():
        if key in ("id", "row"):
            continue
        if key not in kb.findings:
            raise ValueError(f"unknown column {clean(repr(key))}")
        value = cell_value(kb, key, cell)
        if value is not None:
            findings[key] = value
    s = summarize(parse_findings(findings, kb), kb)
    out: dict[str, Any] = {"row": number, "id": None if _value_missing(case_id) else str(case_id), "urgency": s.urgency,
                           "red_flags": ";".join(s.red_flags)}
    for i in range(TOP):
        cause, p = s.differential[i] if i < len(s.differential) else (None, None)
        out[f"cause_{i + 1}"], out[f"p_{i + 1}"] = cause, p
    out["roots"] = ";".join(f"{r}:{v:g}" for r, v in s.roots)
    out["step"] = s.step
    return out


def _value_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or v == ""


_DECODER = json.JSONDecoder()


def _json_value(text: str) -> Any:
    """``json.loads`` of a line stripped of JSON whitespace, without its per-call wrapper (a
    cohort has one per row): the same values and the same error messages."""
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    value, end = _DECODER.raw_decode(text)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The input's rows as mappings, in order."""
    kind = path.suffix.lower()
    if kind == ".csv":
        with path.open(newline="", encoding="utf-8") as fh:
            yield from csv.DictReader(fh)
    elif kind in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    try:
                        row = _json_value(line.strip(" \t\n\r"))  # JSON's own whitespace only
                    except json.JSONDecodeError as exc:
                        row = {"__error__": f"not valid JSON: {exc.msg}"}
                    if isinstance(row, Mapping) and isinstance(row.get("findings"), Mapping):
                        row = {"id": row.get("id"), **row["findings"]}
                    yield row if isinstance(row, dict) else {"__error__": "not a JSON object"}  # a fresh dict: no copy needed
    elif kind == ".parquet":
        import pyarrow.parquet as pq  # local: only Parquet needs pyarrow

        for batch in pq.ParquetFile(path).iter_batches():
            yield from batch.to_pylist()
    else:
        raise ValueError(f"{path}: unknown format {kind!r} (use .csv, .jsonl or .parquet)")


def write_rows(path: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    kind = path.suffix.lower()
    if kind == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)  # what csv.DictWriter(fh, COLUMNS) writes, without its per-row check of the keys
            w.writerow(COLUMNS)
            w.writerows(map(itemgetter(*COLUMNS), rows))  # every summary row holds every column
    elif kind in (".jsonl", ".ndjson"):
        with path.open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in rows)
    elif kind == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(list(rows)) if rows else pa.table({c: [] for c in COLUMNS}), path)
    else:
        raise ValueError(f"{path}: unknown format {kind!r} (use .csv, .jsonl or .parquet)")


def _chunk(kb: KnowledgeBase, chunk: list[tuple[int, Mapping[str, Any]]]) -> tuple[list[dict[str, Any]], list[str]]:
    out, errors = [], []
    for number, raw in chunk:
        try:
            if "__error__" in raw:
                raise ValueError(raw["__error__"])
            out.append(summary_row(kb, number, raw))
        except (ValueError, TypeError, EngineError) as exc:
            errors.append(f"row {number}: {' '.join(str(exc).split())}")
    return out, errors


_KB: KnowledgeBase | None = None


def _init(content: str) -> None:
    global _KB  # noqa: PLW0603 - one knowledge base per worker process, loaded once
    from engine.knowledge.load import load_kb

    _KB = load_kb(Path(content))


def _work(chunk: list[tuple[int, Mapping[str, Any]]]) -> tuple[list[dict[str, Any]], list[str]]:
    assert _KB is not None
    return _chunk(_KB, chunk)


def _chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[tuple[int, Mapping[str, Any]]]]:
    chunk: list[tuple[int, Mapping[str, Any]]] = []
    for number, row in enumerate(rows, start=1):
        # empty cells are unknown anyway: leaving them out shrinks what goes to the workers
        chunk.append((number, {k: v for k, v in row.items() if v is not None and v != ""}))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_batch(
    kb: KnowledgeBase, content: Path, source: Path, target: Path, jobs: int | None = None,
    progress: bool = True, chunk: int | None = None, scalar: bool = False,
) -> tuple[int, list[str]]:
    """Summarise every row of ``source`` into ``target``; returns (rows written, bad-row messages).
    By default a block of rows at a time with numpy (``engine.tools.batch_vector``); ``scalar``
    runs ``summary_row`` on each row (the reference: the same output)."""
    with _collector_paused():
        return _run_batch(kb, content, source, target, jobs, progress, chunk, scalar)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for a batch. A cohort is tens of thousands of live
    dicts and lists, which every collection of the oldest generation walks again (a third of
    a JSON Lines batch's time); what a batch makes has no reference cycles (parsed cells,
    arrays, summary rows), so reference counting frees it. A caller's ``gc.disable()`` is
    left as it is; the collector resumes, and collects anything left, when the batch ends."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _run_batch(
    kb: KnowledgeBase, content: Path, source: Path, target: Path, jobs: int | None,
    progress: bool, chunk: int | None, scalar: bool,
) -> tuple[int, list[str]]:
    fast = not scalar and kb.network.acyclic  # the fast path evaluates the network in topological order
    # the fast path reads and writes in this process, which is then most of the work: one process unless asked
    jobs = jobs or (1 if fast else os.cpu_count() or 1)
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    total = None
    if progress and source.suffix.lower() in (".csv", ".jsonl", ".ndjson"):
        with source.open("rb") as fh:
            total = max(sum(1 for _ in fh) - (source.suffix.lower() == ".csv"), 0)
    if fast:
        rows, errors = _run_vector(kb, content, source, jobs, progress, total, chunk or (32768 if jobs == 1 else 4096))
    elif jobs == 1:
        results: Iterable[tuple[list[dict[str, Any]], list[str]]] = (_chunk(kb, c) for c in _chunks(read_rows(source), chunk or 2000))
        rows, errors = _collect(results, total, progress)
    else:
        import multiprocessing

        global _KB  # noqa: PLW0603 - forked workers inherit the loaded knowledge base
        _KB = kb
        fork = "fork" in multiprocessing.get_all_start_methods()
        with multiprocessing.get_context("fork" if fork else "spawn").Pool(
            jobs, initializer=None if fork else _init, initargs=() if fork else (str(content),)
        ) as pool:
            rows, errors = _collect(pool.imap(_work, _chunks(read_rows(source), chunk or 2000)), total, progress)
    write_rows(target, rows)
    return len(rows), errors


def _run_vector(
    kb: KnowledgeBase, content: Path, source: Path, jobs: int, progress: bool, total: int | None, chunk: int
) -> tuple[list[dict[str, Any]], list[str]]:
    from engine.tools import batch_vector as bv  # local: numpy only for a batch
    from engine.tools.batch_columns import read_cohorts
    from engine.tools.batch_plan import plan_for

    plan_for(kb)  # compiled before the workers fork, so they share it
    if jobs == 1:
        return _collect((bv.work(kb, c) for c in read_cohorts(source, chunk)), total, progress)
    import multiprocessing

    global _KB  # noqa: PLW0603 - forked workers inherit the loaded knowledge base and its plan
    _KB = kb
    fork = "fork" in multiprocessing.get_all_start_methods()
    with multiprocessing.get_context("fork" if fork else "spawn").Pool(
        jobs, initializer=None if fork else _init, initargs=() if fork else (str(content),)
    ) as pool:
        return _collect(pool.imap(_work_vector, read_cohorts(source, chunk)), total, progress)


def _work_vector(cohort: Any) -> tuple[list[dict[str, Any]], list[str]]:  # noqa: ANN401 - a batch_columns.Cohort
    from engine.tools import batch_vector as bv

    assert _KB is not None
    return bv.work(_KB, cohort)


def _collect(
    results: Iterable[tuple[list[dict[str, Any]], list[str]]], total: int | None, progress: bool
) -> tuple[list[dict[str, Any]], list[str]]:
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    for out, bad in results:
        rows += out
        errors += bad
        if progress:
            done = len(rows) + len(errors)
            bar = f"[{'#' * (30 * done // total):<30}] " if total else ""
            sys.stderr.write(f"\r{bar}{done}{f'/{total}' if total else ''} cases, {len(errors)} skipped")
            sys.stderr.flush()
    if progress:
        sys.stderr.write("\n")
    return rows, errors


def run_cli(args: Any, kb: KnowledgeBase) -> str:  # noqa: ANN401 - argparse namespace
    """The ``batch`` verb: bad rows on stderr (row number and reason), a one-line tally on stdout."""
    source, target = Path(args.input), Path(args.output)
    from engine.errors import CaseError, Problem

    if not source.exists():
        raise CaseError(Problem(args.input, "no such file"))
    for path in (source, target):
        if path.suffix.lower() not in (".csv", ".jsonl", ".ndjson", ".parquet"):
            raise CaseError(Problem(str(path), "unknown format: use .csv, .jsonl or .parquet"))
    written, errors = run_batch(kb, Path(args.content), source, target, args.jobs, progress=not args.no_progress, scalar=args.scalar)
    for line in errors:
        sys.stderr.write(line + "\n")
    return f"{written} cases summarised into {target}; {len(errors)} bad rows skipped\n"
