"""Batch throughput: python benchmarks/bench_batch.py [N] [--repeat R] [--jsonl] [--dask]

Writes N generated cases to a CSV file (engine.tools.sampling, seeded), then times
``engine.tools.batch.run_batch`` with 1 and 2 worker processes, the scalar reference
(``scalar=True``, row by row) and the default fast path (``engine.tools.batch_vector``) one
right after the other, R times each (default 3; median and range), and checks that both
wrote the same file. With ``--jsonl``, the same cases as JSON Lines (lists as lists), one
process, scalar and fast. With ``--dask``, ``engine.tools.batch_dask.run_dask`` on a local
cluster of 1 and 2 workers (cluster start-up included). Prints cases per second (reading,
validating, summarising and writing) with the load average at each line. Speed is measured
here, never asserted in a test.
"""

from __future__ import annotations

import csv
import json
import os
import random
import statistics
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


def write_jsonl(kb: engine.KnowledgeBase, path: Path, n: int) -> None:
    rng = random.Random(2026)
    with path.open("w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"c{i}", **random_findings(kb, rng)}) + "\n")


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), 20_000))
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    kb = engine.load_kb()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "cohort.csv"
        write_cohort(kb, src, n)
        print(f"{n} generated cases, {_load()}, {os.cpu_count()} cores, {repeat} runs each (median, min-max)")
        run_batch(kb, engine.DEFAULT_CONTENT, src, Path(tmp) / "warm.csv", jobs=1, progress=False, chunk=64)  # imports, plan
        for jobs in (1, 2):
            for scalar in (True, False):
                rates, cpu = [], []
                for _ in range(repeat):
                    t, c = time.perf_counter(), time.process_time()
                    written, errors = run_batch(kb, engine.DEFAULT_CONTENT, src, Path(tmp) / f"out-{scalar}.csv", jobs=jobs,
                                                progress=False, scalar=scalar)
                    rates.append(written / (time.perf_counter() - t))
                    cpu.append(written / (time.process_time() - c))
                name = "scalar" if scalar else "fast  "
                # with one job all the work is this process's: cases per second of its CPU time as well
                per_cpu = f"  {statistics.median(cpu):8.0f} per CPU s" if jobs == 1 else ""
                print(f"engine.tools.batch  --jobs {jobs} {name}: {written} rows  {statistics.median(rates):8.0f} cases/s"
                      f"  ({min(rates):.0f}-{max(rates):.0f}; {len(errors)} bad){per_cpu}  {_load()}")
            same = (Path(tmp) / "out-True.csv").read_bytes() == (Path(tmp) / "out-False.csv").read_bytes()
            print(f"  --jobs {jobs}: fast and scalar files identical: {same}")
        if "--jsonl" in sys.argv:
            lines = Path(tmp) / "cohort.jsonl"
            write_jsonl(kb, lines, n)
            for scalar in (True, False):
                rates = []
                for _ in range(repeat):
                    t = time.perf_counter()
                    written, errors = run_batch(kb, engine.DEFAULT_CONTENT, lines, Path(tmp) / f"jsonl-{scalar}.csv", jobs=1,
                                                progress=False, scalar=scalar)
                    rates.append(written / (time.perf_counter() - t))
                name = "scalar" if scalar else "fast  "
                print(f"JSON Lines  --jobs 1 {name}: {written} rows  {statistics.median(rates):8.0f} cases/s"
                      f"  ({min(rates):.0f}-{max(rates):.0f}; {len(errors)} bad)  {_load()}")
            same = (Path(tmp) / "jsonl-True.csv").read_bytes() == (Path(tmp) / "jsonl-False.csv").read_bytes()
            print(f"  JSON Lines: fast and scalar files identical: {same}")
        if "--dask" in sys.argv:
            from engine.tools.batch_dask import run_dask

            for workers in (1, 2):
                t = time.perf_counter()
                written, errors = run_dask(str(src), Path(tmp) / "dask.csv", workers=workers, blocksize="1MB")
                dt = time.perf_counter() - t
                print(f"batch_dask  {workers} worker(s): {written} rows in {dt:6.2f} s  {written / dt:8.0f} cases/s  (with start-up)")


if __name__ == "__main__":
    main()
