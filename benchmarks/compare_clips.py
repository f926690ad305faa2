"""Radix's chaining against CLIPS on the project's own rules: python benchmarks/compare_clips.py [N]

Translates the compiled rule network (``engine.knowledge.network``) to CLIPS (clipspy, a
benchmark-only dependency: requirements-bench.txt), runs both on the same N generated
cases (``engine.tools.sampling``) in one process, checks that every case derives the same facts
and fires the same rules in the same order, and prints per-case medians:

* chaining: ``engine.reasoning.chaining.chain`` (leaf tests included) against one CLIPS call per
  case. CLIPS is handed the leaf tests already evaluated (the atoms, as ``(f <index>)``
  facts), so its time leaves out work Radix's includes: the ratio is conservative.
* full ``infer`` (instruments, chaining, red flags, differential, roots, ladder; the trace
  is built lazily, on first use, and is not included).
* growth: chaining time for 1x, 2x, 4x and 8x clones of the rule base (``--growth``).

The CLIPS encoding: one defrule per rule; each all / any / at-least group is a defrule of
top salience per way of satisfying it (so it is true at once, as in Radix); rule salience
follows Radix's agenda (earliest layer, then highest priority, then smallest rule id), so
every rule has its own salience and CLIPS's conflict strategy never decides. A rule's
right-hand side asserts its conclusion and appends its index to a global list, which the
per-case deffunction returns (called through clipspy's ``Function``: one C call, nothing
parsed). Speed is measured here, never asserted in a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import engine  # noqa: E402
from engine.knowledge.network import Network, compile_network  # noqa: E402
from engine.knowledge.premises import AllOf, AnyOf, AtLeast, FactIs, Not, Premise  # noqa: E402
from engine.knowledge.records import Rule  # noqa: E402
from engine.reasoning.chaining import chain  # noqa: E402
from engine.reasoning.infer import inputs_of  # noqa: E402
from engine.reasoning.instruments import score_all  # noqa: E402
from engine.tools.sampling import random_findings  # noqa: E402

GROUP_SALIENCE = 10_000


def atoms_of(net: Network, inputs: dict) -> list[int]:
    """The leaf tests true for a case (what ``chain`` computes before propagating)."""
    out = []
    for key, value in inputs.items():
        for atom in net.atoms_by_input.get(key, ()):
            if atom.test(value) is not atom.negated:
                out.append(atom.index)
    for atom in net.unknown_atoms:
        if (atom.input not in inputs) is not atom.negated:
            out.append(atom.index)
    return out


def to_clips(net: Network) -> str:
    """The network as CLIPS constructs: facts are ``(f <fact index>)``."""
    order = sorted((n for n, r in enumerate(net.rule_of) if r >= 0), key=lambda n: net.salience[n])
    salience = {n: GROUP_SALIENCE - 1 - rank for rank, n in enumerate(order)}
    out = [
        "(defglobal ?*fired* = (create$))",
        "(deffunction run-case ($?atoms) (reset) (foreach ?a ?atoms (assert (f ?a))) (run) ?*fired*)",
        "(deffunction facts-now () (bind ?out (create$)) (do-for-all-facts ((?x f)) TRUE (bind ?out (create$ ?out ?x:implied))) ?out)",
    ]
    for n, kids in enumerate(net.premises):
        c = net.conclusion[n]
        r = net.rule_of[n]
        if r < 0:  # a group: one rule per minimal way of satisfying it
            for j, combo in enumerate(combinations(kids, net.required[n])):
                lhs = " ".join(f"(f {k})" for k in combo)
                out.append(f"(defrule g{n}-{j} (declare (salience {GROUP_SALIENCE})) {lhs} => (assert (f {c})))")
        else:
            lhs = " ".join(f"(f {k})" for k in kids)
            out.append(
                f"(defrule r{n} (declare (salience {salience[n]})) {lhs} => "
                f"(assert (f {c})) (bind ?*fired* (create$ ?*fired* {r})))"
            )
    return "\n".join(out)


def clips_env(net: Network):  # noqa: ANN201 - clips.Environment, imported late
    import clips

    env = clips.Environment()
    for construct in to_clips(net).split("\n"):
        env.build(construct)
    return env


def clips_facts(env) -> set[int]:  # noqa: ANN001
    """The facts CLIPS holds, as ints (no Python fact objects that would pin CLIPS memory)."""
    return {int(x) for x in env.find_function("facts-now")()}


def rename(p: Premise, suffix: str) -> Premise:
    """A premise reading the clone's derived facts (findings are shared)."""
    if isinstance(p, FactIs):
        return p.model_copy(update={"fact": p.fact + suffix})
    if isinstance(p, Not):
        return p.model_copy(update={"of": rename(p.of, suffix)})
    if isinstance(p, AllOf | AnyOf | AtLeast):
        return p.model_copy(update={"of": tuple(rename(c, suffix) for c in p.of)})
    return p


def cloned(kb: engine.KnowledgeBase, k: int) -> Network:
    """The network of k independent copies of the rule base (copy i's facts end in #i)."""
    rules: list[Rule] = []
    for i in range(k):
        s = f"#{i}" if i else ""
        rules += [r.model_copy(update={"id": r.id + s, "then": r.then + s, "when": tuple(rename(p, s) for p in r.when)}) for r in kb.rules]
    return compile_network(kb.model_copy(update={"rules": tuple(rules)}))


def per_case(fn, items: list) -> list[float]:  # noqa: ANN001
    times = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - t)
    return times


def us(times: list[float]) -> float:
    return statistics.median(times) * 1e6


def verify(net: Network, env, inputs: list[dict]) -> int:  # noqa: ANN001
    """Same firing order and same derived facts on every case; returns the cases checked."""
    run_case = env.find_function("run-case")
    for i, inp in enumerate(inputs):
        run = chain(net, inp)
        fired = tuple(int(x) for x in run_case(*atoms_of(net, inp)))
        if fired != run.fired:
            raise SystemExit(f"case {i}: firing order differs\n radix {run.fired}\n clips {fired}")
        radix_facts = {f for f, s in enumerate(run.since) if s >= 0}
        if clips_facts(env) != radix_facts:
            raise SystemExit(f"case {i}: derived facts differ: {sorted(clips_facts(env) ^ radix_facts)}")
    return len(inputs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=10_000)
    ap.add_argument("--growth", action="store_true", help="also time 1x, 2x, 4x and 8x clones of the rule base")
    args = ap.parse_args()
    kb = engine.load_kb()
    net = kb.network
    rng = random.Random(2026)
    cases = [engine.parse_case({"findings": random_findings(kb, rng)}, kb) for _ in range(args.n)]
    inputs = [inputs_of(c.findings, score_all(kb, c.findings)) for c in cases]
    print(f"{len(kb.rules)} rules, {len(cases)} generated cases, load average {os.getloadavg()[0]:.2f}")
    env = clips_env(net)
    print(f"identical firing order and derived facts on {verify(net, env, inputs)} of {len(cases)} cases")

    run_case = env.find_function("run-case")  # one C call per case, no parsing
    atoms = [atoms_of(net, i) for i in inputs]
    radix = us(per_case(lambda i: chain(net, i), inputs))
    clp = us(per_case(lambda a: run_case(*a), atoms))
    clp_atoms = us(per_case(lambda i: run_case(*atoms_of(net, i)), inputs))
    full = us(per_case(lambda c: engine.infer(c, kb), cases))
    print(f"chaining  Radix {radix:6.1f} us   CLIPS {clp:6.1f} us (atoms given)   "
          f"{clp_atoms:6.1f} us (atoms computed in Python)")
    print(f"ratio Radix/CLIPS {radix / clp:.2f}x (target <= 0.25x)")
    print(f"full infer {full:6.1f} us a case (target <= 80 us)")
    if args.growth:
        print("\nrules   chain median   per 1x")
        base = None
        for k in (1, 2, 4, 8):
            big = cloned(kb, k)
            t = us(per_case(lambda i, big=big: chain(big, i), inputs))
            base = base or t
            print(f"{len(big.rules):5d}   {t:8.1f} us   {t / base:5.2f}x")


if __name__ == "__main__":
    main()
