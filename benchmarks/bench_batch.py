"""Batch throughput: python benchmarks/bench_batch.py [N] [--dask]

Writes N generated cases to a CSV file (engine.tools.sampling, seeded), then times
``engine.tools.batch.run_batch`` with 1 and 2 worker processes and, with ``--dask``,
``engine.tools.batch_dask.run_dask`` on a local cluster of 1 and 2 workers (cluster start-up
included). Prints cases per second, wall clock, with the load average. Speed is measured
here, never asserted in a test.
"""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import engine  # noqa: E402
from engine.tools.batch import run_batch  # noqa: E402
from engine.tools.sampling import random_findings  # noqa: E402


def write_cohort(kb: engine.KnowledgeBase, path: Path, n: int) -> None:
    rng = random.Random(2026)
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, ["id", *kb.findings])
        w.writeheader()
        for i in range(n):
            f = random_findings(kb, rng)
            w.writerow({"id": f"c{i}", **{k: ";".join(v) or "[]" if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else v
                                         for k, v in f.items()}})


def main() -> None:
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), 20_000))
    kb = engine.load_kb()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "cohort.csv"
        write_cohort(kb, src, n)
        print(f"{n} generated cases, load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
        for jobs in (1, 2):
            t = time.perf_counter()
            written, errors = run_batch(kb, engine.DEFAULT_CONTENT, src, Path(tmp) / "out.csv", jobs=jobs, progress=False)
            dt = time.perf_counter() - t
            print(f"engine.tools.batch  --jobs {jobs}: {written} rows in {dt:6.2f} s  {written / dt:8.0f} cases/s  ({len(errors)} bad)")
        if "--dask" in sys.argv:
            from engine.tools.batch_dask import run_dask

            for workers in (1, 2):
                t = time.perf_counter()
                written, errors = run_dask(str(src), Path(tmp) / "dask.csv", workers=workers, blocksize="1MB")
                dt = time.perf_counter() - t
                print(f"batch_dask  {workers} worker(s): {written} rows in {dt:6.2f} s  {written / dt:8.0f} cases/s  (with start-up)")


if __name__ == "__main__":
    main()
