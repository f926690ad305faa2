"""The batch's fast path, first half: a cohort's rows read as columns and validated a column at a time.

A ``Cohort`` is a block of input rows held as columns (one raw cell per row, ``None`` where a
row has no such cell), with each row's number and, for rows that must take the scalar path
whole, the row exactly as the scalar reader gives it. ``columns`` turns it into one
``Column`` per finding: the distinct raw cells are converted once each by the scalar path's
own conversion (``batch.cell_value``) and kept only if the case model would accept them
unchanged (a check that may refuse what pydantic accepts, never the reverse); every row with
a refused cell, a value in an unknown column or a line that is not JSON is marked for the
scalar path, which gives it the same summary or the same message as a run without the fast
path. The readers parse exactly as ``batch.read_rows`` does (the ``csv`` module, the same
JSON Lines reader, pyarrow for Parquet).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.knowledge.base import KnowledgeBase
from engine.tools.batch import cell_value, read_rows

__all__ = ["Cohort", "Column", "columns", "read_cohorts"]

IGNORED = ("id", "row")  # columns the scalar path reads as the case id or skips


@dataclass(slots=True)
class Cohort:
    """A block of input rows as columns: what one worker summarises at once."""

    numbers: list[int]  # 1-based row numbers, as the scalar path counts them
    cells: dict[str, Sequence[Any]]  # column -> one raw cell per row (None: no cell); a list or a pyarrow array
    rows: Sequence[Mapping[str, Any]] | None = None  # the rows as read, when their own key order matters (JSON Lines)
    broken: dict[int, Mapping[str, Any]] = field(default_factory=dict)  # position -> row that must take the scalar path

    def raw(self, i: int) -> dict[str, Any]:
        """Row ``i`` as the scalar path gets it: empty cells left out, the reader's key order."""
        row = self.broken.get(i)
        if row is None:
            row = self.rows[i] if self.rows is not None else {k: _cell(col, i) for k, col in self.cells.items()}
        return {k: v for k, v in row.items() if v is not None and v != ""}


def _cell(col: Sequence[Any], i: int) -> Any:
    return col[i] if isinstance(col, list) else col[i].as_py()  # a pyarrow array


@dataclass(frozen=True, slots=True)
class Column:
    """One finding over a cohort: its distinct valid values and, per row, the index of its value."""

    values: list[Any]  # distinct values as the case holds them (sets as frozensets); None = unknown
    codes: NDArray[np.intp]  # per row, an index into ``values``


def read_cohorts(path: Path, size: int) -> Iterator[Cohort]:
    """The input in blocks of at most ``size`` rows, numbered from 1 as ``read_rows`` numbers them."""
    kind = path.suffix.lower()
    if kind == ".csv":
        yield from _arrow_csv_cohorts(path, size) if _plain_csv(path) else _csv_cohorts(path, size)
    elif kind == ".parquet":
        import pyarrow.parquet as pq  # local: only Parquet needs pyarrow

        start = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=size):
            cells = dict(zip(batch.schema.names, batch.columns, strict=True))  # a repeated name: the last, as to_pylist
            yield Cohort(list(range(start + 1, start + 1 + batch.num_rows)), cells)
            start += batch.num_rows
    else:
        yield from row_cohorts(read_rows(path), size)


def row_cohorts(rows: Iterable[Mapping[str, Any]], size: int, start: int = 0) -> Iterator[Cohort]:
    """Rows already read (JSON Lines, a data frame's records) in blocks, numbered from ``start + 1``."""
    it = iter(rows)
    while block := list(islice(it, size)):
        keys = dict.fromkeys(k for r in block for k in r)
        # filled row by row: each row touches only the keys it has (rows are sparse), not every column
        filled: dict[str, list[Any]] = {k: [None] * len(block) for k in keys}
        for i, r in enumerate(block):
            for k, v in r.items():
                filled[k][i] = v
        cells: dict[str, Sequence[Any]] = dict(filled)
        broken = {i: r for i, r in enumerate(block) if "__error__" in r}
        yield Cohort(list(range(start + 1, start + 1 + len(block))), cells, block, broken)
        start += len(block)


def _plain_csv(path: Path) -> bool:
    """A CSV file pyarrow splits as the ``csv`` module does: no quote, no NUL, no byte-order
    mark, no blank first line (anything else is read by the ``csv`` module itself)."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith((b"\xef\xbb\xbf", b"\n", b"\r")) or not head:
            return False
        fh.seek(0)
        while block := fh.read(1 << 22):
            if b'"' in block or b"\0" in block:
                return False
    return True


def _arrow_csv_cohorts(path: Path, size: int) -> Iterator[Cohort]:
    """A plain CSV file by pyarrow's reader, every cell as text (nothing read as null or a
    number); a row of another length, or anything pyarrow refuses, and the ``csv`` module
    reads the whole file instead."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    with path.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh), [])
    try:
        types = {name: pa.string() for name in header}
        convert = pcsv.ConvertOptions(column_types=types, null_values=[], strings_can_be_null=False, quoted_strings_can_be_null=False)
        table = pcsv.read_csv(path, read_options=pcsv.ReadOptions(use_threads=False), convert_options=convert)
    except (pa.ArrowException, UnicodeDecodeError, ValueError):
        yield from _csv_cohorts(path, size)
        return
    if table.column_names != header:
        yield from _csv_cohorts(path, size)
        return
    for start in range(0, table.num_rows, size):
        part = table.slice(start, size)
        cells = {name: part.column(i).combine_chunks() for i, name in enumerate(header)}  # a repeated name: the last
        yield Cohort(list(range(start + 1, start + 1 + part.num_rows)), cells)


def _csv_cohorts(path: Path, size: int) -> Iterator[Cohort]:
    """CSV as ``csv.DictReader`` reads it: blank lines skipped and not counted, a repeated header
    name takes the last cell, a row of another length keeps DictReader's dict (scalar path)."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            return
        last = {name: i for i, name in enumerate(header)}
        width, number = len(header), 0
        while block := list(islice(reader, size)):
            rows: list[Sequence[str | None]] = []
            broken: dict[int, Mapping[str, Any]] = {}
            for row in block:
                if not row:
                    continue
                if len(row) != width:
                    broken[len(rows)] = _dict_row(header, row)
                    rows.append([None] * width)
                else:
                    rows.append(row)
            if not rows:
                continue
            transposed = list(zip(*rows, strict=True)) if width else []
            cells: dict[str, Sequence[Any]] = {name: list(transposed[i]) for name, i in last.items()}
            yield Cohort(list(range(number + 1, number + 1 + len(rows))), cells, None, broken)
            number += len(rows)


def _dict_row(header: list[str], row: list[str]) -> dict[Any, Any]:
    """What ``csv.DictReader`` makes of a row whose length is not the header's."""
    d: dict[Any, Any] = dict(zip(header, row, strict=False))
    if len(header) < len(row):
        d[None] = row[len(header):]
    for key in header[len(row):]:
        d[key] = None
    return d


def _factorize(col: Sequence[Any]) -> tuple[NDArray[np.intp], list[Any]]:
    """Per row the index of its cell among the distinct cells (1 and True and 1.0 kept apart)."""
    if not isinstance(col, list):  # a pyarrow array (Parquet)
        import pyarrow as pa
        import pyarrow.compute as pc

        t = col.type  # type: ignore[attr-defined]
        if pa.types.is_string(t) or pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t):
            enc = pc.dictionary_encode(col)
            uniques: list[Any] = enc.dictionary.to_pylist()
            codes = enc.indices.to_numpy(zero_copy_only=False)
            if enc.indices.null_count:  # null: no cell (the last value, None)
                codes = np.where(enc.indices.is_valid().to_numpy(zero_copy_only=False), np.nan_to_num(codes), len(uniques))
            return codes.astype(np.intp), [*uniques, None]
        col = col.to_pylist()  # type: ignore[attr-defined]
    kinds = set(map(type, col)) - {type(None)}
    if len(kinds) <= 1 and kinds <= {str, bool, int}:  # one kind, so no 1 == True == 1.0: pandas hashes it in C
        import pandas as pd

        codes, found = pd.factorize(np.array(col, dtype=object))
        codes = codes.astype(np.intp)
        codes[codes < 0] = len(found)
        return codes, [*found.tolist(), None]
    index: dict[Any, int] = {}
    firsts: list[Any] = []
    out = np.empty(len(col), dtype=np.intp)
    for i, v in enumerate(col):
        key = _key(v)
        code = index.get(key)
        if code is None:
            code = index[key] = len(firsts)
            firsts.append(v)
        out[i] = code
    return out, firsts


def _key(v: Any) -> Any:
    """A dict key that tells apart values Python calls equal across types (1, 1.0, True)."""
    if type(v) is str:
        return v
    if isinstance(v, list):
        return (list, tuple(_key(x) for x in v))
    try:
        hash(v)
    except TypeError:
        return (object, id(v))  # a mapping in a cell: never valid, kept apart
    return (type(v), v)


def _valid(kb: KnowledgeBase, fid: str, raw: Any, words: frozenset[str]) -> tuple[bool, Any]:
    """(accepted, value): the scalar conversion, then a check that passes only what the case
    model accepts unchanged (strict types, the finding's range or vocabulary ``words``)."""
    try:
        v = cell_value(kb, fid, raw)
        if v is None:
            return True, None
        f = kb.findings[fid]
        low, high = f.min if f.min is not None else -np.inf, f.max if f.max is not None else np.inf
        if f.type == "bool":
            return type(v) is bool, v
        if f.type == "int":
            return type(v) is int and low <= v <= high, v
        if f.type == "number":
            return type(v) in (int, float) and low <= v <= high, float(v)  # strict float takes an int as a float
        if f.type == "enum":
            return type(v) is str and v in words, v
        if f.type == "set":
            items = frozenset(v)
            return (type(raw) is str or all(type(x) is str for x in v)) and items <= words, items  # text splits into str
    except Exception:  # noqa: BLE001 - any failure sends the row to the scalar path, which reports or raises it
        return False, None
    return False, None


def columns(kb: KnowledgeBase, cohort: Cohort) -> tuple[dict[str, Column], NDArray[np.bool_]]:
    """The cohort's findings as columns, and the rows that must take the scalar path."""
    n = len(cohort.numbers)
    scalar = np.zeros(n, dtype=bool)
    for i in cohort.broken:
        scalar[i] = True
    out: dict[str, Column] = {}
    for key, col in cohort.cells.items():
        if key in IGNORED:
            continue
        codes, uniques = _factorize(col)
        if key not in kb.findings:  # an unknown column is an error only where a row has a cell in it
            scalar |= np.array([u is not None and u != "" for u in uniques], dtype=bool)[codes]
            continue
        words = frozenset(kb.vocabularies.get(kb.findings[key].vocabulary or "", ()))
        checked = [_valid(kb, key, u, words) for u in uniques]
        scalar |= np.array([not ok for ok, _ in checked], dtype=bool)[codes]
        index: dict[Any, int] = {}
        values: list[Any] = []
        remap = np.empty(len(checked), dtype=np.intp)
        for j, (ok, v) in enumerate(checked):
            v = v if ok else None  # a refused cell: its row is summarised by the scalar path
            k = _key(v)
            if k not in index:
                index[k] = len(values)
                values.append(v)
            remap[j] = index[k]
        out[key] = Column(values, remap[codes])
    return out, scalar


def case_ids(cohort: Cohort) -> list[str | None]:
    """Each row's id as the scalar path writes it."""
    col = cohort.cells.get("id")
    if col is None:
        return [None] * len(cohort.numbers)
    values = col if isinstance(col, list) else col.to_pylist()  # type: ignore[attr-defined]
    return [None if v is None or (isinstance(v, float) and v != v) or v == "" else str(v) for v in values]
