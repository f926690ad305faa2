"""Can a rule ever fire? A small backtracking search over the values of its findings.

Each finding (and instrument) a rule reads gets a finite set of representative values
(every vocabulary word, the numbers around each threshold, unknown). Findings are
assigned one at a time; after each assignment a sound over-approximation ("could this
premise still be true / still be false?") prunes the branch, so contradictory
conjunctions are refuted at once however many findings they read, and the final check
at a full assignment is the evaluator itself. Derived facts are assumed concluded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from engine.knowledge.premises import AllOf, AnyOf, AtLeast, FactIs, InstrumentIs, Not, Premise, evaluate, is_leaf, leaf_input, leaves
from engine.knowledge.records import Content, Rule

__all__ = ["can_fire", "SEARCH_BUDGET"]

SEARCH_BUDGET = 50_000  # partial assignments tried before giving up (then: "cannot tell")


def _numbers(lo: float, hi: float, cuts: list[float], whole: bool) -> list[object]:
    points = sorted({lo, hi, *cuts})
    out = set(points)
    out.update((a + b) / 2 for a, b in zip(points, points[1:], strict=False))
    out.update(c + d for c in cuts for d in (-0.5, 0.5))
    if whole:
        out = {f(x) for x in out for f in (math.floor, math.ceil)}
    return [x for x in sorted(out) if lo <= x <= hi]


def _domain(kb: Content, key: str, tests: list[Premise]) -> list[object]:
    """Representative values for one input, unknown (``None``) last."""
    if key.startswith("instrument:"):
        inst = kb.instruments.get(key.split(":", 1)[1])
        return [*(frozenset({b.id}) for b in (inst.bands if inst else ())), None]
    f = kb.findings[key]
    if f.type == "bool":
        return [True, False, None]
    words = kb.vocabularies.get(f.vocabulary or "", ())
    if f.type == "enum":
        return [*words, None]
    if f.type == "set":
        named = [[v for v in (getattr(t, "values", None) or [getattr(t, "value", None)]) if v] for t in tests]
        wanted = sorted({v for vs in named for v in vs})
        others = [w for w in words if w not in wanted]
        # one witness per test left out: a set meeting every other test's first word ("the dorsum and
        # the sole, but none of these") is reached without trying every subset
        firsts = [vs[0] for vs in named if vs]
        witnesses = [frozenset(firsts[:i] + firsts[i + 1:]) for i in range(len(firsts))]
        return [frozenset(wanted), frozenset(), *(frozenset({w}) for w in wanted),
                *(frozenset(wanted) - {w} for w in wanted), *witnesses, frozenset(others[:1]), None]
    cuts = [float(t.value) for t in tests if hasattr(t, "value")]
    return [*_numbers(float(f.min or 0), float(f.max or 0), cuts, f.type == "int"), None]


def _could(p: Premise, assigned: Mapping[str, object]) -> tuple[bool, bool]:
    """(could be true, could be false) over every completion of a partial assignment."""
    if isinstance(p, FactIs):
        return True, False  # facts are monotone: concluded or not established, never false
    if isinstance(p, Not):
        t, f = _could(p.of, assigned)
        return f, t
    if isinstance(p, AllOf | AnyOf | AtLeast):
        pairs = [_could(c, assigned) for c in p.of]
        need = len(pairs) if isinstance(p, AllOf) else 1 if isinstance(p, AnyOf) else p.n
        can_true = sum(t for t, _ in pairs)
        can_false = sum(f for _, f in pairs)
        return can_true >= need, can_false > len(pairs) - need
    key = leaf_input(p)
    if key not in assigned:
        return True, True
    value = evaluate(p, {key: assigned[key]} if assigned[key] is not None else {})
    return value is True, value is False


def can_fire(kb: Content, rule: Rule) -> bool | None:
    """True if some assignment makes the rule fire, False if none can, None if the
    search ran out of budget (the rule is then not reported)."""
    if not rule.when:
        return True
    whole = AllOf(op="all", of=rule.when)
    tests = [q for q in leaves(whole) if is_leaf(q)]
    keys = sorted({leaf_input(q) for q in tests}, key=lambda k: -sum(leaf_input(q) == k for q in tests))
    domains = {k: _domain(kb, k, [q for q in tests if leaf_input(q) == k and not isinstance(q, InstrumentIs)]) for k in keys}
    budget = [SEARCH_BUDGET]

    def search(i: int, assigned: dict[str, object]) -> bool | None:
        budget[0] -= 1
        if budget[0] < 0:
            return None
        if not _could(whole, assigned)[0]:
            return False
        if i == len(keys):
            return True
        gave_up = False
        for value in domains[keys[i]]:
            found = search(i + 1, {**assigned, keys[i]: value})
            if found:
                return True
            gave_up |= found is None
        return None if gave_up else False

    return search(0, {})
