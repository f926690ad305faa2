"""Turn the case into scores that can be taken apart finding by finding.

Differential (content/scoring.yaml): one posterior over mutually exclusive causes plus the
non-specific catch-all, summing to 1 (de Dombal's Leeds model).
1. Each cause starts from its prior: its base rate (conditions.yaml) keeping the share
   ``scoring.prior_weight`` of its log-odds against the catch-all (the table holds it).
2. Each row of the likelihood table (likelihoods.yaml) whose premise is known multiplies
   each cause by P(present | cause) or, when known absent, 1 - P(present | cause); an
   unknown row does nothing (three-valued). Rows of one group are correlated: one counts.
3. Contributions are log10 ratios against the catch-all, so a cause's log-odds against it
   is exactly its prior log-odds plus its contributions; stated estimates are capped.
Roots have no base rates: a root's score is a certainty factor (MYCIN, Shortliffe &
Buchanan 1975), the parallel combination of its rules for minus against, floored at 0.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from math import exp, log
from operator import add
from typing import Any

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.records import LikelihoodRow, Rule
from engine.knowledge.table import Evidence, LikelihoodTable, Observation, prior_of

__all__ = [
    "Evidence",
    "Observation",
    "RootScored",
    "combine_cf",
    "group_pick",
    "leaf_hits",
    "log_odds_of",
    "moved_by",
    "probabilities",
    "round4",
    "prior_of",
    "root_score",
    "score_root",
    "weigh",
]

_LN10 = log(10.0)
MEMO_TYPES = (bool, str, int, float, frozenset)  # hashable values whose tests depend only on the value (as chaining's)
MEMO_CAP = 4096  # values remembered per input; bounded for long-lived processes


def leaf_hits(tab: LikelihoodTable, key: str, value: Any) -> tuple[int, ...]:
    """The rows that are one test of input ``key``, known from its (known) value alone: 2 *
    position + present each, remembered per value (the same value always gives the same rows)."""
    values = tab.leaf_memo.get(key)
    if values is None:
        return ()
    try:
        hit = values.get(value)  # only values of MEMO_TYPES are ever stored
    except TypeError:  # unhashable: tested, never kept
        hit = None
    if hit is None:
        hit = tuple([2 * i + (1 if test(value) else 0) for i, test in tab.leaf_rows[key]])
        if type(value) in MEMO_TYPES and len(values) < MEMO_CAP:
            values[value] = hit
    return hit


def weigh(kb: KnowledgeBase, inputs: Mapping[str, Any], facts: Mapping[str, bool]) -> tuple[tuple[Observation, ...], list[int]]:
    """The rows whose premise is known, in table order (in a group the first present counts,
    else the first known absent), and the counted ones as hits (2 * position + present, in
    table order): what ``log_odds_of`` adds."""
    tab = kb.table
    hits: list[int] = []  # 2 * row position + (1 if present else 0)
    for key, value in inputs.items():
        if value is not None:  # an unknown input is read by no row
            hits += leaf_hits(tab, key, value)
    fact_hits = tab.fact_hits
    for fact, concluded in facts.items():
        hit = fact_hits.get(fact)
        if hit and concluded:
            hits += hit
    # the other rows: only those that read a known input or a concluded fact, or test "not
    # asked", can be known (with every leaf unknown a premise is unknown, groups included)
    read = set(tab.asked_rows)
    other_by_input, other_by_fact = tab.other_by_input, tab.other_by_fact
    for key in inputs:  # a loop, not update(*map(...)): few inputs and facts have such rows
        rows = other_by_input.get(key)
        if rows:
            read.update(rows)
    for fact in facts:
        rows = other_by_fact.get(fact)
        if rows:
            read.update(rows)
    tests = tab.tests
    for i in read:
        value = tests[i][1](inputs, facts)
        if value is not None:
            hits.append(2 * i + (1 if value else 0))
    hits.sort()
    # the table's shared observations, (counted, not counted) per hit: none is made per case
    observed, groups = tab.observed, tab.row_groups
    out: list[Observation] = []
    grouped: list[tuple[int, int, str]] = []  # (place in out, hit, group): counted or not, decided below
    chosen: dict[str, int] = {}  # group -> the hit that counts so far (group_pick, in one pass)
    for h in hits:
        group = groups[h >> 1]
        if group is not None:
            held = chosen.get(group)
            if held is None or (h & 1 and not held & 1):
                chosen[group] = h
            grouped.append((len(out), h, group))
        out.append(observed[h][0])
    counted = hits
    if grouped:
        for place, h, group in grouped:
            if chosen[group] != h:
                out[place] = observed[h][1]
        counted = [h for h in hits if (g := groups[h >> 1]) is None or chosen[g] == h]
    return tuple(out), counted


def group_pick(known: Sequence[tuple[LikelihoodRow, bool]]) -> tuple[LikelihoodRow, bool] | None:
    """The row of one correlated group that counts, from its known rows in table order:
    the first present, else the first known absent."""
    return next((k for k in known if k[1]), known[0] if known else None)


def log_odds_of(kb: KnowledgeBase, counted: Sequence[int]) -> tuple[float, ...]:
    """Each cause's log10 odds against the catch-all (kb.conditions order) from ``weigh``'s
    counted hits: its prior log-odds, then the counted rows' shares in table order, added left
    to right (what ``engine.reasoning.delta`` and the batch repeat to the bit)."""
    tab = kb.table
    return tuple(map(add_up, zip(tab.log_prior, *map(tab.share_rows.__getitem__, counted), strict=True)))


def _reduce_add(column: Iterable[float]) -> float:
    return reduce(add, column)


# Before Python 3.12, sum() of floats is plain left-to-right addition in C: the same floats as
# reduce(add), about 5x faster. From 3.12 it compensates (Neumaier) and would give other floats
# than the running additions of engine.reasoning.delta, so reduce is used there.
add_up: Callable[[Iterable[float]], float] = sum if sys.version_info < (3, 12) else _reduce_add


def moved_by(kb: KnowledgeBase, observations: Sequence[Observation]) -> list[tuple[list[str], list[str], list[str]]]:
    """Per cause (kb.conditions order): the counted rows that moved it, those for, those
    against, in observation order (what ``Ranked`` lists), read from the table."""
    tab = kb.table
    out: list[tuple[list[str], list[str], list[str]]] = [([], [], []) for _ in tab.causes]
    sides = tab.sides
    for ob in observations:
        if not ob.counted:
            continue
        rid = ob.row.id
        pro, con = sides[rid][ob.present]
        for i in pro:
            out[i][0].append(rid)
            out[i][1].append(rid)
        for i in con:
            out[i][0].append(rid)
            out[i][2].append(rid)
    return out


def round4(x: float) -> float:
    """``round(x, 4)`` for a probability or certainty factor, the same float without the
    decimal conversion ``round`` makes (rounding 18 probabilities was a twentieth of ``infer``).
    For 0 < x <= 1, y = x * 10**4 is within 2**-40 of the exact product and its fraction is
    exact, so unless that fraction is within 1e-9 of a half, y's nearest integer n is the exact
    product's, and n / 10**4 (one correctly rounded division) is the double nearest the
    decimal n * 10**-4: what ``round`` returns. Near or on a half, and outside (0, 1], ``round``."""
    if not 0.0 < x <= 1.0:  # zero too: round keeps its sign
        return round(x, 4)
    y = x * 10000.0
    n = int(y)
    frac = y - n
    if -1e-9 < frac - 0.5 < 1e-9:
        return round(x, 4)
    return (n + 1 if frac > 0.5 else n) / 10000


def probabilities(log_odds_: Sequence[float]) -> list[float]:
    """Normalise log10 odds into probabilities summing to 1."""
    top = max(log_odds_)
    weights = [exp((v - top) * _LN10) for v in log_odds_]
    norm = sum(weights)
    return [w / norm for w in weights]


# ------------------------------------------------------------------------------- roots


@dataclass(frozen=True, slots=True)
class RootScored:
    id: str
    score: float
    rules: tuple[str, ...]


def combine_cf(values: Iterable[float]) -> float:
    """MYCIN's parallel combination of certainty factors of one sign: 1 - prod(1 - cf)."""
    rest = 1.0
    for v in values:
        rest *= 1.0 - v
    return 1.0 - rest


def score_root(kb: KnowledgeBase, root: str, rules: Sequence[Rule]) -> RootScored:
    """Score one nerve root: combined certainty factor of its rules, floored at 0.
    Rules of one group are correlated: only the strongest for and against count."""
    return RootScored(root, root_score(kb, rules), tuple([r.id for r in rules]))


def root_score(kb: KnowledgeBase, rules: Sequence[Rule]) -> float:
    """``score_root``'s score alone."""
    cfs = kb.scoring.root_certainty_factors
    best: dict[tuple[str, str], float] = {}
    for rule in rules:
        support = rule.support
        if support is None:
            continue
        key = (rule.group or rule.id, rule.direction)
        cf = cfs[support]
        held = best.get(key)
        if held is None or cf > held:
            best[key] = cf
    # combine_cf of each side, inlined: the same products in the same order
    rest_for = rest_against = 1.0
    for (_, way), v in best.items():
        if way == "for":
            rest_for *= 1.0 - v
        else:
            rest_against *= 1.0 - v
    b, d = 1.0 - rest_for, 1.0 - rest_against
    cf = 0.0 if b == d else (b - d) / (1.0 - min(b, d))
    return round4(max(cf, 0.0))
