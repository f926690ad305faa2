"""Ask-next latency per teaching case: python benchmarks/bench_ask.py [REPEATS]

For each of the cited teaching cases, the best of REPEATS runs of ``engine.ask_next``
(every unknown finding, every candidate answer, the chaining continued where a syndrome can change),
then the median, p95 and maximum. Target: at most 2 ms per case. Measured, never asserted.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

import engine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main(repeats: int = 5) -> None:
    kb = engine.load_kb()
    cases = [(p.stem, engine.parse_case(yaml.safe_load(p.read_text(encoding="utf-8")), kb))
             for p in sorted((ROOT / "content" / "cases").glob("*.yaml"))]
    engine.ask_next(cases[0][1], kb)  # build the per-knowledge-base table once
    times = []
    for name, case in cases:
        best = float("inf")
        for _ in range(repeats):
            t = time.perf_counter()
            questions = engine.ask_next(case, kb)
            best = min(best, time.perf_counter() - t)
        times.append(best * 1000)
        top = next((q for q in questions if q.kind != "red_flag"), None)
        print(f"{name[:52]:52} {best * 1000:6.2f} ms  {len(questions):3} questions  next: {top.finding if top else '-'}")
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"\n{len(times)} cases, best of {repeats}: median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
