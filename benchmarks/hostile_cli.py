"""Hostile case files and broken knowledge bases against a CLI: ``python benchmarks/hostile_cli.py [--root DIR]``.

Runs every hostile case file of ``tests/test_hostile_input.py`` (plus a FIFO, /dev/zero
and a 50 MB file) through ``python -m engine evaluate`` (both formats), and every broken
knowledge base of ``tests/test_lint_shapes.py`` through ``python -m engine lint``, in the
checkout at ``--root`` (default: this one; point it at an older checkout to compare).
Each run is capped at 10 s and 1 GB of memory. Prints one line per outcome:

* clean: exit 2 (evaluate) or 1 (lint), a message on stderr, no traceback, nothing on stdout;
* ACCEPTED: exit 0, i.e. the input was taken silently (or a broken knowledge base passed);
* TRACEBACK / HANG / OOM: what it says.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_hostile_input import HOSTILE  # noqa: E402 - after the path fix

FEVER = {"op": "is", "finding": "fever", "value": True}
SMOKER = {"op": "is", "finding": "smoker", "value": True}
BASE = {"description": "broken", "layer": "cause", "then": "lumbar_disc_herniation", "support": "weak", "sources": ["gck"]}
SIX = [{"op": "is", "finding": f, "value": True} for f in ("fever", "smoker", "diabetes", "obesity", "night_pain", "weight_loss")]
BROKEN_RULES: list[tuple[str, str]] = [
    ("at_least n above its children", str([{**BASE, "id": "x.a", "when": [{"op": "at_least", "n": 3, "of": [FEVER, SMOKER]}]}])),
    ("at_least with a repeated child", str([{**BASE, "id": "x.b", "when": [{"op": "at_least", "n": 2, "of": [FEVER, FEVER, SMOKER]}]}])),
    ("contradiction over 8 findings", str([{**BASE, "id": "x.c", "when": [*SIX, {"op": "ge", "finding": "age", "value": 70},
                                                                          {"op": "lt", "finding": "age", "value": 60}]}])),
    ("duplicate key in a rule", "- id: x.d\n  lr: 2.0\n  lr: 9.0\n"),
    ("non-UTF-8 rule file", "- id: x.caf\xe9\n"),
]


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def _run(root: Path, args: list[str], ok_status: int) -> str:
    try:
        out = subprocess.run([sys.executable, "-m", "engine", *args], cwd=root, capture_output=True, timeout=10,
                             preexec_fn=_limit)
    except subprocess.TimeoutExpired:
        return "HANG"
    err = out.stderr.decode("utf-8", "replace")
    if "MemoryError" in err:
        return "OOM"
    if "Traceback" in err:
        return "TRACEBACK"
    if out.returncode == 0:
        return "ACCEPTED"
    return "clean" if out.returncode == ok_status and not out.stdout else f"exit {out.returncode}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=ROOT)
    args = ap.parse_args()
    outcomes: Counter[tuple[str, str]] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        files: list[tuple[str, Path]] = []
        for label, data, _ in HOSTILE:
            path = Path(tmp) / f"{len(files)}.{'json' if data.startswith(b'{') else 'yaml'}"
            path.write_bytes(data)
            files.append((label, path))
        big = Path(tmp) / "big.yaml"
        big.write_bytes(b"notes: '" + b"x" * 50_000_000 + b"'\nfindings: {}\n")
        fifo = Path(tmp) / "fifo.yaml"
        os.mkfifo(fifo)
        files += [("a 50 MB file", big), ("a FIFO", fifo), ("/dev/zero", Path("/dev/zero"))]
        for label, path in files:
            for fmt in ("json", "text"):
                result = _run(args.root, ["evaluate", str(path), "--format", fmt], 2)
                outcomes[("case file", result)] += 1
                if result != "clean":
                    print(f"{result:9} evaluate --format {fmt}: {label}")
        for label, text in BROKEN_RULES:
            content = Path(tmp) / "content"
            shutil.rmtree(content, ignore_errors=True)
            shutil.copytree(ROOT / "content", content)
            (content / "rules" / "99_broken.yaml").write_bytes(text.encode("latin-1"))
            result = _run(args.root, ["--content", str(content), "lint"], 1)
            outcomes[("knowledge base", result)] += 1
            if result != "clean":
                print(f"{result:9} lint: {label}")
    for (kind, result), n in sorted(outcomes.items()):
        print(f"{kind:15} {result:10} {n}")
    return 0 if all(r == "clean" for _, r in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
