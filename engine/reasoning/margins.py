"""Who leads, decided without ranking everything: the differential's first cause and first
unpinned cause, and the leading nerve root (``engine.reasoning.delta`` asks this about
seventy times a case).

The differential's order is ``infer.rank_key``'s: pinned first, then the probability
rounded to 4 places, the base rate, the id. ``ranked_tops`` computes the probabilities and
takes the first of that order; given log-odds that are off by rounding error (added in
another order than ``scoring.log_odds_of``) it gives up, returning None, when a probability
lies within 1e-9 of a midpoint of ``round(p, 4)``, the only place the error could change
a rounded value. ``lead`` skips the probabilities when one cause clearly leads. A root's
score multiplies certainty factors in the order its rules fired; ``order_free`` says when
that order cannot change the float.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import permutations

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.records import Rule
from engine.knowledge.table import LikelihoodTable
from engine.reasoning.infer import pinned_tiers
from engine.reasoning.scoring import probabilities

__all__ = ["lead", "order_free", "ranked_tops", "root_is_order_free", "top_root"]


def order_free(values: list[float]) -> bool:
    """Whether ``combine_cf`` gives the same float in every order of these factors."""
    if len(values) < 3:
        return True  # two factors commute exactly
    if len(values) > 6:
        return False
    products = set()
    for order in permutations(values):
        rest = 1.0
        for v in order:
            rest *= 1.0 - v
        products.add(rest)
    return len(products) == 1


def root_is_order_free(kb: KnowledgeBase, rules: tuple[Rule, ...] | list[Rule], memo: dict[tuple[float, ...], bool]) -> bool:
    """Whether this root's score is the same whatever order its rules fired in."""
    cfs = kb.scoring.root_certainty_factors
    best: dict[tuple[str, str], float] = {}
    for rule in rules:
        if rule.support is not None:
            key = (rule.group or rule.id, rule.direction)
            best[key] = max(best.get(key, 0.0), cfs[rule.support])
    for side in ("for", "against"):
        values = tuple(sorted(v for (_, d), v in best.items() if d == side))
        if len(values) >= 3:
            if values not in memo:
                memo[values] = order_free(list(values))
            if not memo[values]:
                return False
    return True


def top_root(kb: KnowledgeBase, scores: Mapping[str, float]) -> str | None:
    """``infer._roots``' first: the best positive score, content order on a tie."""
    best: tuple[float, int, str] | None = None
    for i, root in enumerate(kb.roots):
        s = scores.get(root, 0.0)
        if s > 0 and (best is None or (-s, i) < best[:2]):
            best = (-s, i, root)
    return best[2] if best else None


def lead(lo: list[float], among: tuple[int, ...], top: float) -> int | None:
    """The cause of ``among`` whose probability, rounded to 4 places, is the highest, when it
    clearly is: its probability is at least 10^(lo - top) / 17 (17 causes, none above
    ``top``) and the runner-up's at most 10^-gap of it, so when that bound on their
    difference exceeds 2e-4 rounding cannot tie them (the log-odds' rounding error, about
    1e-14, is far below every margin here)."""
    if len(among) == 1:
        return among[0]
    first = second = -1e300
    lead = -1
    for i in among:
        v = lo[i]
        if v > first:
            first, second, lead = v, first, i
        elif v > second:
            second = v
    gap = first - second
    if gap <= 0.01 or 10 ** (first - top) / len(lo) * (1 - 10 ** -gap) <= 2e-4:
        return None
    return lead


def ranked_tops(
    kb: KnowledgeBase, lo: Sequence[float], flags: tuple[str, ...], careful: bool = False
) -> tuple[str | None, str | None] | None:
    """The differential's first, and its first cause not pinned by a red flag. ``careful``:
    the log-odds are off by rounding error, so give None if a probability lies within 1e-9 of
    a midpoint of ``round(p, 4)`` (elsewhere the error cannot change any rounded value)."""
    tab = kb.table
    causes = tab.causes
    lead, pinned = pinned_tiers(kb, flags)
    probs = probabilities(lo)
    try:
        free = _best(tab, probs, [i for i, c in enumerate(causes) if c not in pinned] if pinned else range(len(causes)), careful)
        first = _best(tab, probs, [i for i, c in enumerate(causes) if c in lead], careful) if pinned else free
    except _NearMidpoint:
        return None
    return first, free


class _NearMidpoint(Exception):
    """A probability that decides the order lies too near a midpoint of ``round(p, 4)``."""


def _best(tab: LikelihoodTable, probs: list[float], among: Sequence[int], careful: bool) -> str | None:
    """The first of ``among`` in ``infer.rank_key``'s order: highest probability rounded to 4
    places, then highest base rate (rounded to 5), then smallest id."""
    if not among:
        return None
    m = max(probs[i] for i in among)
    near = [i for i in among if probs[i] > m - 1e-3]  # round is monotone: only these can round as m does
    if careful and any(abs((probs[i] * 1e4) % 1.0 - 0.5) < 1e-5 for i in near):
        raise _NearMidpoint
    r = round(m, 4)
    ties = [i for i in near if round(probs[i], 4) == r]
    if len(ties) == 1:
        return tab.causes[ties[0]]
    priors, causes = tab.priors_rounded, tab.causes
    return causes[min(ties, key=lambda i: (-priors[i], causes[i]))]
