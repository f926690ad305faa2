"""A CLI start in two checkouts, alternated: ``python benchmarks/cli_start.py BEFORE_ROOT [AFTER_ROOT] [--runs N]``.

Runs ``python -m engine evaluate`` on the first teaching case in BEFORE_ROOT, then in
AFTER_ROOT (default: this checkout), N times after three warm-up pairs, so both see the
same load; prints per checkout the wall time (mean, median, least) and the CPU time of
the process (user + system, from ``wait4``: less disturbed by other work on a shared
machine than the wall time). Bytecode is written and read as usual
(``PYTHONDONTWRITEBYTECODE`` is dropped). Speed is measured here, never asserted in a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = "content/cases/01-s1-disc-herniation-graduate-student.yaml"


def _once(root: Path, env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "engine", "evaluate", CASE], cwd=root, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{root}: exit {proc.returncode}")
    return (time.perf_counter() - start) * 1e3, (usage.ru_utime + usage.ru_stime) * 1e3


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path, nargs="?", default=ROOT)
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    roots = {"before": args.before, "after": args.after}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in roots}
    for i in range(args.runs + 3):
        for name, root in roots.items():
            measured = _once(root, env)
            if i >= 3:
                times[name].append(measured)
    print(f"{args.runs} alternating runs each, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, runs in times.items():
        wall, cpu = [w for w, _ in runs], [c for _, c in runs]
        print(f"{name:6} {str(roots[name]):28} wall mean {statistics.mean(wall):6.1f} median {statistics.median(wall):6.1f} "
              f"least {min(wall):6.1f} ms | CPU median {statistics.median(cpu):6.1f} least {min(cpu):6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
