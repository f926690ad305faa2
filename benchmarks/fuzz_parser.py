"""Long fuzz run of the case-file reader: ``python benchmarks/fuzz_parser.py [N] [--seconds S]``.

Mutates the teaching cases and a set of hostile seeds (byte flips, YAML tokens such as
anchors, tags, brackets and huge numbers, line duplication, splicing, re-encoding) and
feeds each result to ``engine.parse_case_bytes``. Every input must give a case or a
clean ``EngineError``; anything else is a crash, printed with its input, exit 1.
Bounded by count and time; seeded, so a run is reproducible.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import engine  # noqa: E402 - after the path above
from engine.tools.case_file import parse_case_bytes  # noqa: E402

TOKENS = [b"&a ", b"*a", b"[", b"]", b"{", b"}", b": ", b"!!python/object:os.system ", b"!!binary ", b"\t", b"\x00",
          b"0o17", b"030", b"1:10", b"<<: ", b"? ", b"- ", b'"\\ud800"', b"9" * 40, b".inf", b".nan", b"yes", b"~",
          b"\xe9", b"\xff\xfe", b"\xef\xbb\xbf", b"\x1b[2J", b"%YAML 1.1\n---\n", b"---\n", b"...\n", b"'", b'"', b"#",
          b"findings: ", b"  age: ", b"  slr: ", b"id: ", b"\n", b"  " * 30]
HOSTILE = [
    b"a: &a [x,x]\nb: &b [*a,*a]\nc: [*b,*b]\nfindings: {}\n",
    b"findings: " + b"[" * 100 + b"]" * 100,
    b'{"findings": {"age": 1, "age": 2}}',
    b"findings:\n  fever: true\n  fever: null\n",
    "findings: {fever: true}".encode("utf-16"),
]


def mutate(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.choices(range(7), weights=(1, 6, 2, 2, 2, 1, 0.3))[0]
        at = rng.randrange(len(out) + 1)
        if op == 0 and out:
            out[min(at, len(out) - 1)] = rng.randrange(256)
        elif op == 1:
            out[at:at] = rng.choice(TOKENS)
        elif op == 2:
            del out[at:at + rng.randint(1, 40)]
        elif op == 3:
            lines = bytes(out).split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            out = bytearray(b"\n".join(lines))
        elif op == 4:
            other = rng.choice(seeds)
            cut = rng.randrange(len(other) + 1)
            out[at:] = other[cut:]
        elif op == 5:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        else:
            with contextlib.suppress(UnicodeDecodeError, UnicodeEncodeError):
                out = bytearray(bytes(out).decode("utf-8").encode(rng.choice(["utf-16", "latin-1", "utf-32"])))
    return bytes(out)


def category(err: engine.EngineError, kb: engine.KnowledgeBase) -> str:
    """A coarse label for a clean error: its first problem's message up to a colon."""
    p = err.problems[0]
    head = p.message.split(":")[0].split("(")[0].strip()
    return "invalid finding value" if p.where in kb.findings else head


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, nargs="?", default=100_000)
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    kb = engine.load_kb()
    cases = sorted((ROOT / "content" / "cases").glob("*.yaml"))
    seeds = [p.read_bytes() for p in cases] + HOSTILE
    seeds += [json.dumps({"id": p.stem, "findings": yaml.safe_load(p.read_text())["findings"]}).encode() for p in cases]
    rng = random.Random(args.seed)
    outcomes: Counter[str] = Counter()
    slowest, start = 0.0, time.perf_counter()
    done = 0
    while done < args.n:
        done += 1
        data = mutate(rng, rng.choice(seeds), seeds)
        name = "case.json" if data.lstrip().startswith(b"{") else "case.yaml"
        t = time.perf_counter()
        try:
            parse_case_bytes(data, kb, name)
            outcomes["valid case"] += 1
        except engine.EngineError as err:
            outcomes[category(err, kb)] += 1
        except Exception as exc:  # noqa: BLE001 - the point of a fuzzer: report any other exception
            print(f"CRASH {type(exc).__name__}: {exc}\ninput ({name}): {data[:400]!r}", file=sys.stderr)
            return 1
        slowest = max(slowest, time.perf_counter() - t)
        if time.perf_counter() - start > args.seconds:
            break
    elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{done} inputs in {elapsed:.1f} s ({done / elapsed:.0f}/s), seed {args.seed}: 0 crashes; "
          f"slowest input {slowest * 1000:.1f} ms; peak RSS {rss:.0f} MB")
    for label, count in outcomes.most_common(12):
        print(f"  {count:7d}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
