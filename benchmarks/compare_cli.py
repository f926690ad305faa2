"""The CLI's bytes in two checkouts: ``python benchmarks/compare_cli.py BEFORE_ROOT [AFTER_ROOT]``.

Runs ``python -m engine`` in both checkouts (AFTER_ROOT defaults to this one) on every
teaching case (``evaluate`` as JSON and text, ``ask``, ``explain``), every hostile case
file of ``tests/test_hostile_input.py`` (both formats), a few bad inputs of
``tests/test_cli.py``, ``schema``, every ``--help``, a bad command, and ``lint`` on the content and on each
broken knowledge base of ``benchmarks/hostile_cli.py`` (with the content cache off), and
compares stdout, stderr and the exit status byte for byte. Prints each difference and a count; exits 1 on any difference.
A speed change to the CLI's start must leave every one of these unchanged.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.hostile_cli import BROKEN_RULES  # noqa: E402 - after the path fix
from tests.test_hostile_input import HOSTILE  # noqa: E402

BAD = ['{"findings": {"agee": 4}}', '{"findings": {"age": 300}}', '{"findings": {"slr": "maybe"}}', "findings: [unclosed",
       '{"id": "no findings"}', '{"findings": {"age": 45.0, "duration_weeks": 3}}', "findings: {fever: .nan}"]


def _run(root: Path, args: list[str], stdin: bytes | None) -> tuple[bytes, bytes, int]:
    env = {**os.environ, "RADIX_CACHE": "off"} if "lint" in args else None  # every record validated
    out = subprocess.run([sys.executable, "-m", "engine", *args], cwd=root, capture_output=True, input=stdin, timeout=60, env=env)
    return out.stdout, out.stderr, out.returncode


def _runs(tmp: Path) -> list[tuple[list[str], bytes | None]]:
    cases = sorted(str(p) for p in (ROOT / "content" / "cases").glob("*.yaml"))
    runs: list[tuple[list[str], bytes | None]] = [(["schema"], None), (["frobnicate"], None), (["batch"], None),
                                                  (["evaluate", "-"], b'{"findings": {"fever": true}}')]
    runs += [([*verb, "--help"], None) for verb in ([], ["evaluate"], ["explain"], ["ask"], ["report"], ["batch"], ["lint"])]
    for case in cases:
        runs += [(["evaluate", case], None), (["evaluate", case, "--format", "text"], None), (["ask", case], None),
                 (["explain", case, "lumbar_disc_herniation"], None), (["explain", case, "cauda_equina"], None)]
    inputs = [(label, data) for label, data, _ in HOSTILE] + [(f"bad {i}", text.encode()) for i, text in enumerate(BAD)]
    for i, (_, data) in enumerate(inputs):
        path = tmp / f"{i}.{'json' if data.lstrip().startswith(b'{') else 'yaml'}"
        path.write_bytes(data)
        runs += [(["evaluate", str(path)], None), (["evaluate", str(path), "--format", "text"], None)]
    runs.append((["lint"], None))
    for i, (_, text) in enumerate(BROKEN_RULES):
        content = tmp / f"content-{i}"
        shutil.copytree(ROOT / "content", content)
        (content / "rules" / "99_broken.yaml").write_bytes(text.encode("latin-1"))
        runs += [(["--content", str(content), "lint"], None), (["--content", str(content), "evaluate", cases[0]], None)]
    return runs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path, nargs="?", default=ROOT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(2) as pool:
        runs = _runs(Path(tmp))
        before = list(pool.map(lambda r: _run(args.before, *r), runs))
        after = list(pool.map(lambda r: _run(args.after, *r), runs))
    differ = [(r, b, a) for r, b, a in zip(runs, before, after, strict=True) if b != a]
    for (argv, _), b, a in differ:
        print(f"DIFFERENT: {' '.join(argv)}\n  before: exit {b[2]}, {b[1][-300:]!r}\n  after:  exit {a[2]}, {a[1][-300:]!r}")
    print(f"{len(runs) - len(differ)} of {len(runs)} runs identical (stdout, stderr, exit status)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
