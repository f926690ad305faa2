"""Engine latency over generated cases: python benchmarks/bench_engine.py [N]

Prints median and p95 per-case latency and cases per second for parsing, inference
(chaining, scoring and the trace) and the contract JSON, plus "what would change the
picture" (one re-run per candidate value of each unknown finding) on a subset.
Speed is measured here, never asserted in a test.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import engine  # noqa: E402
from engine.reasoning.chaining import chain  # noqa: E402
from engine.reasoning.infer import inputs_of  # noqa: E402
from engine.reasoning.instruments import score_all  # noqa: E402
from engine.reasoning.summary import summarize  # noqa: E402
from engine.tools.sampling import random_findings  # noqa: E402


def generate(kb: engine.KnowledgeBase, n: int, seed: int = 2026) -> list[dict]:
    """Random cases (seeded, so every run measures the same cases)."""
    rng = random.Random(seed)
    return [{"findings": random_findings(kb, rng)} for _ in range(n)]


def timed(fn: Callable, items: list) -> tuple[list[float], list]:
    times, out = [], []
    for item in items:
        t = time.perf_counter()
        out.append(fn(item))
        times.append(time.perf_counter() - t)
    return times, out


def report(name: str, times: list[float]) -> None:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    print(f"{name:<32} n={len(ms):>6}  median {statistics.median(ms):7.3f} ms  p95 {p95:7.3f} ms  {len(ms) / sum(times):9.0f} cases/s")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    t = time.perf_counter()
    kb = engine.load_kb()
    print(f"load + validate + lint content: {time.perf_counter() - t:.2f} s ({len(kb.rules)} rules); load average {os.getloadavg()[0]:.2f}")
    raw = generate(kb, n)
    parse_t, cases = timed(lambda r: engine.parse_case(r, kb), raw)
    engine.infer(cases[0], kb)  # compile the network once, as the dashboard's cache does
    net = kb.network
    inputs = [inputs_of(c.findings, score_all(kb, c.findings)) for c in cases]
    chain_t, _ = timed(lambda i: chain(net, i), inputs)
    infer_t, results = timed(lambda c: engine.infer(c, kb), cases)
    json_t, _ = timed(lambda r: r.to_dict(), results)
    summary_t, _ = timed(lambda c: summarize(c.findings, kb), cases)
    whatif_t, _ = timed(lambda c: engine.what_if(c, kb), cases[:200])
    report("parse_case", parse_t)
    report("chain (Horn network only)", chain_t)
    report("infer (instruments+chain+cards)", infer_t)
    report("to_dict (trace + JSON)", json_t)
    report("summarize (no cards, no trace)", summary_t)
    report("what_if (all unknowns)", whatif_t)
    urgencies = statistics.multimode(r.urgency for r in results)
    print(f"sanity: {sum(r.urgency == 'emergency' for r in results)} emergencies of {n}; most common urgency {urgencies}")


if __name__ == "__main__":
    main()
