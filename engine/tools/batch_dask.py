"""The batch over a Dask cluster: the batch's fast path (``engine.tools.batch_vector``) per partition.

    python -m engine.tools.batch_dask INPUT OUTPUT                              # a local cluster, one worker a core
    python -m engine.tools.batch_dask INPUT OUTPUT --scheduler tcp://host:8786  # an existing cluster

INPUT is CSV, JSON Lines or Parquet (a file, a glob or a folder Dask can read, local or on
shared storage the workers see); OUTPUT is written by the client as in ``engine.tools.batch``.
Each worker loads the knowledge base once (from ``--content``, a path the workers can
read) and keeps it. Rows keep their input numbers; bad rows are reported on stderr and
left out, as in the single-process run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.load import DEFAULT_CONTENT, load_kb
from engine.tools.batch import COLUMNS, write_rows

__all__ = ["run_dask", "summarize_frame"]

_KBS: dict[str, KnowledgeBase] = {}  # per worker process: content folder -> knowledge base


def _kb(content: str) -> KnowledgeBase:
    if content not in _KBS:
        _KBS[content] = load_kb(Path(content))
    return _KBS[content]


def summarize_frame(df: Any, content: str, offsets: tuple[int, ...] = (), partition_info: dict[str, Any] | None = None) -> Any:  # noqa: ANN401
    """One partition (a pandas DataFrame of cases) to its summary rows, plus an ``error`` column:
    the rows as ``engine.tools.batch`` summarises them, a block at a time."""
    import pandas as pd

    from engine.tools.batch_columns import Cohort
    from engine.tools.batch_plan import plan_for
    from engine.tools.batch_vector import summarize_cohort

    kb = _kb(content)
    start = offsets[partition_info["number"]] if offsets and partition_info else 0
    cohort = Cohort(list(range(start + 1, start + 1 + len(df))), {str(k): df[k].tolist() for k in df.columns})
    rows, bad = summarize_cohort(kb, plan_for(kb), cohort)
    records = [{**r, "error": None} for r in rows] + [{"row": number, "error": reason} for number, reason in bad]
    return pd.DataFrame(sorted(records, key=lambda r: int(r["row"])), columns=[*COLUMNS, "error"])


def _read(source: str, blocksize: str | None) -> Any:  # noqa: ANN401 - a dask DataFrame
    import dask.dataframe as dd

    if source.endswith(".csv"):
        return dd.read_csv(source, dtype=str, keep_default_na=False, na_values=[], blocksize=blocksize or "8MB")
    if source.endswith((".jsonl", ".ndjson")):
        return dd.read_json(source, lines=True, blocksize=blocksize or 2**23, dtype=False)
    return dd.read_parquet(source)


def run_dask(source: str, target: Path, scheduler: str | None = None, workers: int | None = None,
             content: Path = DEFAULT_CONTENT, blocksize: str | None = None) -> tuple[int, list[str]]:
    """Summarise ``source`` on a Dask cluster (``scheduler`` address, or a local cluster of
    ``workers`` single-threaded processes); returns (rows written, bad-row messages)."""
    import pandas as pd
    from distributed import Client, LocalCluster  # untyped library: its calls are checked by the Dask test

    cluster = None if scheduler else LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    with Client(scheduler or cluster) as client:  # type: ignore[no-untyped-call]
        df = _read(source, blocksize)
        lengths = df.map_partitions(len).compute()
        offsets = tuple(int(x) for x in pd.Series(lengths).cumsum().shift(fill_value=0))
        meta = pd.DataFrame({c: pd.Series(dtype="float64" if c.startswith("p_") else "object") for c in [*COLUMNS, "error"]})
        out = df.map_partitions(summarize_frame, str(content), offsets, meta=meta).compute()
        client.close()
    if cluster is not None:
        cluster.close()
    bad = out[out["error"].notna()]
    good = out[out["error"].isna()].drop(columns="error")
    errors = [f"row {r}: {e}" for r, e in zip(bad["row"], bad["error"], strict=True)]
    records = [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in good.to_dict("records")]
    write_rows(target, records)
    return len(records), errors


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m engine.tools.batch_dask", description=__doc__.splitlines()[0])
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--scheduler", help="address of an existing Dask scheduler (default: start a local cluster)")
    p.add_argument("--workers", type=int, help="local cluster: worker processes (default: one a core)")
    p.add_argument("--content", default=str(DEFAULT_CONTENT), help="knowledge base folder, readable by every worker")
    p.add_argument("--blocksize", help="partition size, e.g. 8MB")
    args = p.parse_args(argv)
    written, errors = run_dask(args.input, Path(args.output), args.scheduler, args.workers, Path(args.content), args.blocksize)
    for line in errors:
        sys.stderr.write(line + "\n")
    sys.stdout.write(f"{written} cases summarised into {args.output}; {len(errors)} bad rows skipped\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
