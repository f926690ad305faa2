"""The batch's fast path: the summary of every case of a cohort at once, with numpy.

Same output as ``batch.summary_row`` on every row (tests/test_batch_vector.py). What is
worked out once per knowledge base is in ``batch_plan``; the output rows are made in
``batch_rows``. Steps, each over all rows at once:

1. Columns (``batch_columns``): each distinct cell converted and checked once; rows with a
   refused cell go to the scalar path whole, for the same summary or the same message.
2. Leaf tests: the engine's own closures (``leaf_test``, the network's atom tests) run once
   per distinct value and are gathered per row; truth is three-valued (a pair of masks,
   true and false; neither is unknown), so a finding not asked is never absent.
3. Instruments: item premises, points, subscales, the first band that holds; their bands
   become ``instrument:<id>`` columns, as ``inputs_of`` adds them.
4. The rule network in topological order (the compiler checks it is acyclic): a node holds
   when at least ``required`` of its premises do. Which rules fire does not depend on the
   agenda's order (the network is monotone), only the order does.
5. Likelihood rows three-valued, the group picks, and each cause's log-odds: the counted
   rows' shares added to the cases they count for, in table order, so each sum is
   ``scoring.log_odds_of``'s to the bit. Probabilities with numpy's ``exp`` and ``sum``, which
   may differ from ``math.exp`` and ``sum`` in the last bits: a row with a probability
   within 1e-9 of a rounding midpoint of ``round(p, 4)`` is redone by
   ``scoring.probabilities`` itself. Rounding exactly as ``round(p, 4)`` (``round4``); the
   order by ``rank_key``'s keys.
6. Roots: each key's strongest certainty factor, combined in the order of its first fired
   rule by agenda rank. Firing order can differ from rank order (a rule waiting on a derived
   fact), which changes a product of three or more factors in its last bits: a row whose
   root score lies within 1e-9 of a rounding midpoint then takes the scalar path.
7. Red flags, urgency, pinned causes and the ladder step as ``infer`` picks them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.premises import AllOf, AnyOf, AtLeast, FactIs, Not, Premise, Unknown, leaf_input, leaf_test
from engine.knowledge.records import URGENCIES
from engine.reasoning.scoring import probabilities
from engine.reasoning.vectors import near_midpoint, round4, row_probabilities
from engine.tools.batch_columns import Cohort, Column, columns
from engine.tools.batch_plan import Plan, plan_for
from engine.tools.batch_rows import Summaries, summary_rows

__all__ = ["summarize_cohort", "work"]

Mask = NDArray[np.bool_]
Floats = NDArray[np.float64]
Ints = NDArray[np.intp]


class _Cases:
    """The cohort's columns, three-valued leaf truth (memoised per leaf) and derived facts."""

    def __init__(self, n: int, cols: dict[str, Column]) -> None:
        self.n, self.cols = n, cols
        self.none: Mask = np.zeros(n, dtype=bool)
        self.derived: dict[str, Mask] | None = None  # fact -> concluded; None while instruments are scored
        self._memo: dict[int, tuple[Mask, Mask]] = {}

    def forget(self) -> None:
        self._memo.clear()

    def known(self, key: str) -> Mask:
        col = self.cols.get(key)
        if col is None:
            return self.none
        return np.array([v is not None for v in col.values], dtype=bool)[col.codes]

    def gather(self, key: str, test: Callable[[Any], bool]) -> tuple[Mask, Mask]:
        """(true, false) of a test over a known value, unknown where the input is."""
        col = self.cols.get(key)
        if col is None:
            return self.none, self.none
        truth = [None if v is None else bool(test(v)) for v in col.values]
        return np.array([t is True for t in truth], dtype=bool)[col.codes], np.array([t is False for t in truth], dtype=bool)[col.codes]

    def truth(self, p: Premise) -> tuple[Mask, Mask]:
        """``premises.evaluate`` over every row: (true, false) masks."""
        if isinstance(p, FactIs):
            return (self.derived.get(p.fact, self.none) if self.derived is not None else self.none), self.none
        if isinstance(p, Not):
            t, f = self.truth(p.of)
            return f, t
        if isinstance(p, AllOf | AnyOf | AtLeast):
            parts = [self.truth(c) for c in p.of]
            k = len(parts)
            need = k if isinstance(p, AllOf) else 1 if isinstance(p, AnyOf) else p.n
            trues = np.sum([t for t, _ in parts], axis=0)
            falses = np.sum([f for _, f in parts], axis=0)
            holds = trues >= need
            return holds, ~holds & (k - falses < need)
        hit = self._memo.get(id(p))
        if hit is None:
            if isinstance(p, Unknown):
                known = self.known(p.finding)
                hit = ~known, known
            else:
                hit = self.gather(leaf_input(p), leaf_test(p))
            self._memo[id(p)] = hit
        return hit


def _instruments(kb: KnowledgeBase, cases: _Cases) -> Mask:
    """Add each instrument's band as a column (``inputs_of``); returns rows no band covers."""
    uncovered = cases.none.copy()
    bands: dict[str, Column] = {}
    for iid, inst in kb.instruments.items():
        scored = ~cases.none
        subs = {name: np.zeros(cases.n, dtype=np.int64) for name in ("total", *inst.subscales)}
        for item in inst.items:
            t, f = cases.truth(item.when)
            scored &= t | f
            for name in ("total", *item.subscales):
                subs[name] += np.where(t, item.points, 0)
        code = np.full(cases.n, len(inst.bands), dtype=np.intp)  # no band yet (the last value: None)
        for b, band in enumerate(inst.bands):
            holds = np.logical_and.reduce([subs[k] >= v for k, v in band.min.items()] + [subs[k] <= v for k, v in band.max.items()]
                                          + [scored & (code == len(inst.bands))])
            code[holds] = b
        uncovered |= scored & (code == len(inst.bands))  # the scalar path raises for these
        bands[f"instrument:{iid}"] = Column([*(frozenset({band.id}) for band in inst.bands), None], code)
    cases.cols.update(bands)
    return uncovered


def _chain(kb: KnowledgeBase, plan: Plan, cases: _Cases) -> Mask:
    """Every rule's firing over every row (rules x rows), by the network in topological order."""
    net = kb.network
    facts = np.zeros((len(net.names), cases.n), dtype=bool)
    for key, tests in net.tests_by_input.items():
        col = cases.cols.get(key)
        if col is None:
            continue
        for index, test, negated in tests:
            facts[index] |= np.array([v is not None and (test(v) is not negated) for v in col.values], dtype=bool)[col.codes]
    for index, key, negated in net.unknown_tests:  # "not asked" is a known fact about the case
        facts[index] |= cases.known(key) if negated else ~cases.known(key)
    fired = np.zeros((len(kb.rules), cases.n), dtype=bool)
    for node in plan.order:
        kids, need = list(net.premises[node]), net.required[node]
        if need <= 0:
            holds = ~cases.none
        elif need == len(kids):
            holds = np.logical_and.reduce(facts[kids])
        elif need == 1:
            holds = np.logical_or.reduce(facts[kids])
        else:
            holds = facts[kids].sum(axis=0) >= need
        facts[net.conclusion[node]] |= holds
        if net.rule_of[node] >= 0:
            fired[net.rule_of[node]] = holds
    return fired


def _differential(kb: KnowledgeBase, plan: Plan, cases: _Cases, tier: NDArray[np.intp]) -> tuple[NDArray[np.intp], Floats]:
    """Per row the causes in ``rank_key`` order (``tier`` per row and cause: 0 leading pinned,
    1 other pinned, 2 the rest) and their rounded probabilities (rows x causes)."""
    tab = kb.table
    lo = np.tile(np.array(tab.log_prior), (cases.n, 1))
    truths = [cases.truth(row.when) for row, _ in tab.tests]
    present_in: dict[str, Mask] = {}  # group -> some row of it is present
    for (row, _), (t, _) in zip(tab.tests, truths, strict=True):
        if row.group:
            present_in[row.group] = present_in.get(row.group, cases.none) | t
    before: dict[str, tuple[Mask, Mask]] = {}  # group -> (an earlier row present, an earlier row known)
    for (row, _), (t, f), (absent, present) in zip(tab.tests, truths, plan.shares, strict=True):
        if row.group:  # scoring.group_pick: the first present row counts, else the first known absent one
            was_t, was_known = before.get(row.group, (cases.none, cases.none))
            before[row.group] = (was_t | t, was_known | t | f)
            t, f = t & ~was_t, f & ~present_in[row.group] & ~was_known
        for mask, share in ((t, present), (f, absent)):
            rows = np.flatnonzero(mask)
            if rows.size:
                lo[rows] += share
    probs = _probabilities(lo)
    score = round4(probs)
    order = np.lexsort((np.broadcast_to(plan.id_rank, score.shape), np.broadcast_to(plan.neg_prior, score.shape), -score, tier),
                       axis=-1)
    return order, np.take_along_axis(score, order, axis=-1)


def _tiers(plan: Plan, flag_rows: Mask, pinned: Mask) -> NDArray[np.intp]:
    """``infer.pinned_tiers`` per row and cause: a pinned cause leads (0) when a fired flag of
    its own, not naming that syndrome, pins it and it can produce another pinned cause; with
    none leading in a row every pinned cause does; the other pinned are 1, the rest 2."""
    lead = np.zeros_like(pinned)
    for j, (_, _, pins) in enumerate(plan.flags):
        for c in pins:
            for s in plan.can_cause[c]:
                if s not in pins:
                    lead[:, c] |= flag_rows[j] & pinned[:, s]
    lead = np.where(lead.any(axis=1, keepdims=True), lead, pinned)
    return (2 - pinned.astype(np.intp) - lead.astype(np.intp)).astype(np.intp)


def _probabilities(lo: Floats) -> Floats:
    """``scoring.probabilities`` per row (rows x causes). numpy's exp and sum may differ from
    ``math.exp`` and ``sum`` in the last bits, which moves ``round(p, 4)`` only for a p within
    about 1e-12 of a rounding midpoint: rows with a p within 1e-9 of one are redone by
    ``scoring.probabilities`` itself."""
    probs = row_probabilities(lo)
    for i in np.flatnonzero(near_midpoint(probs).any(axis=1)).tolist():
        probs[i] = probabilities(lo[i].tolist())
    return probs


def _roots(plan: Plan, fired: Mask, n: int) -> tuple[Floats, Mask]:
    """Per row each root's score (rows x roots), and the rows where it hangs on the firing order."""
    scores = np.zeros((n, len(plan.roots)))
    unsure = np.zeros(n, dtype=bool)
    for j, root in enumerate(plan.roots):
        best = np.zeros((root.keys, n))
        for i, k, weight, _ in root.rules:
            best[k] = np.where(fired[i], np.maximum(best[k], weight), best[k])
        seen = np.zeros((root.keys, n), dtype=bool)
        rest = {True: np.ones(n), False: np.ones(n)}
        count = {True: np.zeros(n, dtype=np.intp), False: np.zeros(n, dtype=np.intp)}
        for i, k, _, side in root.rules:  # each key's factor enters where its first rule fires (combine_cf's order)
            first = fired[i] & ~seen[k]
            seen[k] |= fired[i]
            rest[side] = np.where(first, rest[side] * (1.0 - best[k]), rest[side])
            count[side] += first
        b, d = 1.0 - rest[True], 1.0 - rest[False]
        with np.errstate(divide="ignore", invalid="ignore"):
            cf = np.maximum(np.where(b == d, 0.0, (b - d) / (1.0 - np.minimum(b, d))), 0.0)
        unsure |= ((count[True] >= 3) | (count[False] >= 3)) & near_midpoint(cf)
        scores[:, j] = round4(cf)
    return scores, unsure


def _ladder(kb: KnowledgeBase, plan: Plan, derived: Mapping[str, Mask], urgency: Ints, top: Ints) -> Ints:
    """Per row the ladder step's index in ``kb.ladder`` (``infer.ladder_step``); -1 where none is reached."""
    steps = list(kb.ladder)
    step = np.full(len(top), -1, dtype=np.intp)
    best = np.full(len(top), -1, dtype=np.int64)
    none = np.zeros(len(top), dtype=bool)
    causes = kb.table.causes
    for pass_ in ("reached", "urgency"):  # max() over reached + by-urgency steps: the first of the highest order
        for s in kb.ladder_steps:
            if pass_ == "reached":
                barred = none.copy()
                for x in s.not_for:
                    barred |= (top == causes.index(x.condition)) & derived.get(x.fact, none)
                cand = derived.get(s.id, none) & ~barred
            else:
                cand = urgency == (URGENCIES.index(s.urgency_entry) if s.urgency_entry else -2)
            better = cand & (s.order > best)
            step[better], best[better] = steps.index(s.id), s.order
    workup = np.array([*plan.workup, -1])[top]  # top -1: no leading cause, no work-up
    use = (workup >= 0) & (urgency != URGENCIES.index("emergency"))
    return np.where(use, workup, step)


def summarize_cohort(kb: KnowledgeBase, plan: Plan, cohort: Cohort) -> Summaries:
    """Every row's summary (``batch.summary_row``'s dict) in order, and (row, reason) for each bad row."""
    n = len(cohort.numbers)
    if not n:
        return [], []
    cols, scalar = columns(kb, cohort)
    cases = _Cases(n, cols)
    scalar |= _instruments(kb, cases)
    cases.forget()  # leaf truth read before the bands were columns
    fired = _chain(kb, plan, cases)
    derived = {fact: np.logical_or.reduce(fired[list(rules)]) for fact, rules in plan.rules_of.items()}
    cases.derived = derived
    urgency = np.full(n, URGENCIES.index("routine"), dtype=np.intp)  # no red flag: routine
    pinned = np.zeros((n, len(kb.table.causes)), dtype=bool)
    flag_rows = np.zeros((len(plan.flags), n), dtype=bool)
    for j, (fid, level, pins) in enumerate(plan.flags):
        flag_rows[j] = derived.get(fid, cases.none)
        urgency = np.where(flag_rows[j], np.maximum(urgency, level), urgency)
        for c in pins:
            pinned[:, c] |= flag_rows[j]
    order, score = _differential(kb, plan, cases, _tiers(plan, flag_rows, pinned))
    n_pinned = pinned.sum(axis=1)
    first_free = np.take_along_axis(order, np.minimum(n_pinned, pinned.shape[1] - 1)[:, None], axis=1)[:, 0]
    top = np.where(n_pinned < pinned.shape[1], first_free, -1)  # the leading cause: the first not pinned
    step = _ladder(kb, plan, derived, urgency, top)
    scalar |= step < 0
    roots, unsure = _roots(plan, fired, n)
    scalar |= unsure
    return summary_rows(kb, plan, cohort, scalar, (urgency, flag_rows, order, score, roots, step))


def work(kb: KnowledgeBase, cohort: Cohort) -> tuple[list[dict[str, Any]], list[str]]:
    """A block of rows to (summary rows, ``row N: reason`` messages), as ``batch._chunk`` reports them."""
    rows, bad = summarize_cohort(kb, plan_for(kb), cohort)
    return rows, [f"row {number}: {reason}" for number, reason in bad]
