"""Ask-next's arithmetic for every candidate answer of a case at once, with numpy.

``engine.reasoning.ask`` finds, for each answer, the counted likelihood rows it takes out
and puts in. Here the answers of all the questions are one matrix (answers x causes): the
log-odds shifted by those rows, the posteriors, each answer's weight (the posterior's
mixture of the raw table) and entropy; then per question the expected gain, each answer's
probability and leading cause, and the causes it raises and lowers most.

numpy's exp, log2, sums and matrix products are not the scalar path's to the last bit
(about 1e-13 off here), so a question is decided here only when nothing it shows or is
ordered by lies within 1e-9 of a place where that error could change it: a midpoint of
``round(v, 4)``, a tie for the leading cause or for the causes listed, the 0.01 a listed
cause must exceed. The rest (rare) come back as None, to be weighed one answer at a time
with ``math`` (``exact``), as every question was before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, chain
from math import exp, log, log2
from operator import add, sub
from typing import NamedTuple

import numpy as np

from engine.knowledge.base import KnowledgeBase
from engine.reasoning.scoring import probabilities
from engine.reasoning.vectors import Floats, Mask, near_midpoint, round4, row_probabilities

__all__ = ["Cells", "Change", "Picked", "cells_of", "entropy", "exact", "pick"]

_LN10 = log(10.0)
_TIE = 1e-9  # two values closer than this, or one this close to 0.01, may be ordered otherwise by the scalar path
_LISTED = 0.01  # a cause is listed as raised (lowered) when some answer moves it by more than this


class Change(NamedTuple):  # made for every answer of a case: a named tuple is made fastest
    """The counted rows (row id, present) an answer takes out, then those it puts in, in the
    order the scalar path adds them."""

    old: tuple[tuple[str, bool], ...]
    new: tuple[tuple[str, bool], ...]


class Picked(NamedTuple):  # made for every question of a case: a named tuple is made fastest
    """What a question shows, decided: its rounded gain, and per answer its rounded
    probability, its leading cause (position) and that cause's rounded probability; the
    causes (positions) some answer raises, and lowers, most."""

    gain: float
    probabilities: list[float]
    tops: list[int]
    top_probabilities: list[float]
    raises: tuple[int, ...]
    lowers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Cells:
    """The likelihood table as one matrix (``cells_of``, once per knowledge base)."""

    cell: dict[tuple[str, bool], int]  # (row id, present) -> its row below
    # per (row, present): the capped shares the posterior counts, then the raw table's log10 P(answer | cause)
    table: Floats
    reference: int  # the cause the log-odds are against


def cells_of(kb: KnowledgeBase) -> Cells:
    """The table's cells, one row per (likelihood row, present)."""
    tab = kb.table
    keys = [(row.id, present) for row, _ in tab.tests for present in (False, True)]
    table = np.array([tab.shares[rid][present] + (tab.raw_present if present else tab.raw_absent)[rid] for rid, present in keys])
    return Cells({key: i for i, key in enumerate(keys)}, table, tab.causes.index(kb.scoring.reference))


def pick(cells: Cells, log_odds: Sequence[float], post: Sequence[float], entropy_now: float,
         questions: Sequence[Sequence[Change | None]]) -> list[Picked | None]:
    """Per question (what each of its answers changes; None: no row, which leaves the
    posterior as it is, with weight 1): what it shows, or None where the scalar path must
    decide."""
    sizes = [len(q) for q in questions]
    if not sizes:
        return []
    flat = [change for q in questions for change in q]
    same = [k for k, change in enumerate(flat) if change is None]
    moved = _moved(cells, [Change((), ()) if change is None else change for change in flat])
    causes = cells.table.shape[1] // 2
    delta, raw = moved[:, :causes], moved[:, causes:]
    now = np.asarray(post)
    probs = row_probabilities(np.asarray(log_odds) + delta - delta[:, cells.reference, None])
    weight = np.exp(raw * _LN10) @ now
    probs[same], weight[same] = now, 1.0
    ent = -(probs * np.log2(np.where(probs > 0, probs, 1.0))).sum(axis=1)  # 0 log 0 = 0
    starts = np.array([0, *accumulate(sizes[:-1])])
    share = weight / np.repeat(np.add.reduceat(weight, starts), sizes)
    gain = np.maximum(entropy_now - np.add.reduceat(share * ent, starts), 0.0)
    top = probs.argmax(axis=1)  # the first of the highest, as the scalar path takes
    best_two = np.sort(probs, axis=1)[:, -2:]
    listed, unsettled = _listed(np.concatenate([np.maximum.reduceat(probs, starts) - now, now - np.minimum.reduceat(probs, starts)]))
    n, k = len(sizes), len(flat)
    shown = np.concatenate([share, best_two[:, 1], gain])  # every number shown rounded, checked and rounded at once
    near = near_midpoint(shown)
    unsure = near[:k] | near[k:2 * k] | (best_two[:, 1] - best_two[:, 0] < _TIE)
    unsure_q = (np.logical_or.reduceat(unsure, starts) | near[2 * k:] | unsettled[:n] | unsettled[n:]).tolist()
    rounded = round4(shown).tolist()
    shares, top_ps, gains, tops = rounded[:k], rounded[k:2 * k], rounded[2 * k:], top.tolist()
    out: list[Picked | None] = []
    for q, start in enumerate(starts.tolist()):
        end = start + sizes[q]
        out.append(None if unsure_q[q] else
                   Picked(gains[q], shares[start:end], tops[start:end], top_ps[start:end], listed[q], listed[n + q]))
    return out


def _moved(cells: Cells, changes: list[Change]) -> Floats:
    """Per answer the table's cells it puts in less those it takes out, added up (answers x
    shares then raw cells), over the few cells the case's answers read."""
    k = len(changes)
    rows = [c.old for c in changes] + [c.new for c in changes]
    lengths = np.fromiter(map(len, rows), np.intp, 2 * k)
    at = np.fromiter(map(cells.cell.__getitem__, chain.from_iterable(rows)), np.intp, int(lengths.sum()))
    used, column = np.unique(at, return_inverse=True)
    answer = np.repeat(np.arange(2 * k) % k, lengths)
    sign = np.repeat(np.repeat([-1.0, 1.0], k), lengths)
    counts = np.bincount(answer * len(used) + column, sign, k * len(used)).reshape(k, len(used))
    moved: Floats = counts @ cells.table[used]
    return moved


def _listed(moved: Floats) -> tuple[list[tuple[int, ...]], Mask]:
    """Per row the two causes that move most, if by more than 0.01, in that order (a stable
    sort, as ``sorted``), and whether the last bits could change them: a tie among them or
    with the next, or one at 0.01."""
    order = np.argsort(-moved, axis=1, kind="stable")[:, :3]
    top = moved[np.arange(len(moved))[:, None], order]
    at_cut = (np.abs(top - _LISTED) < _TIE).any(axis=1)
    tied = ((top[:, :-1] - top[:, 1:] < _TIE) & (top[:, 1:] > _LISTED - _TIE)).any(axis=1)
    kept = (top[:, :2] > _LISTED).sum(axis=1).tolist()  # a prefix: the values are in decreasing order
    return [tuple(row[:n]) for row, n in zip(order.tolist(), kept, strict=True)], np.logical_or(at_cut, tied)


def exact(kb: KnowledgeBase, log_odds: Sequence[float], post: Sequence[float], entropy_now: float,
          changes: Sequence[Change | None]) -> Picked:
    """What a question shows, weighed one answer at a time with ``math``: the reference that
    ``pick`` agrees with wherever it decides."""
    outcomes = [_outcome(kb, log_odds, post, c) for c in changes]
    total = sum(w for w, _ in outcomes) or 1.0
    gain = entropy_now - sum(w / total * entropy(p) for w, p in outcomes)
    tops = [p.index(max(p)) for _, p in outcomes]  # the first of the highest, as max(range, key=) gives
    n = range(len(post))
    per_cause = list(zip(*(p for _, p in outcomes), strict=True))  # each cause's posterior under every answer
    shift = [max(c) - q for c, q in zip(per_cause, post, strict=True)]
    drop = [q - min(c) for c, q in zip(per_cause, post, strict=True)]
    return Picked(round(max(gain, 0.0), 4), [round(w / total, 4) for w, _ in outcomes], tops,
                  [round(p[best], 4) for (_, p), best in zip(outcomes, tops, strict=True)],
                  tuple(i for i in sorted(n, key=lambda i: -shift[i])[:2] if shift[i] > _LISTED),
                  tuple(i for i in sorted(n, key=lambda i: -drop[i])[:2] if drop[i] > _LISTED))


def _outcome(kb: KnowledgeBase, log_odds: Sequence[float], post: Sequence[float], change: Change | None) -> tuple[float, list[float]]:
    """(unnormalised P(answer), posterior after it): the log-odds shifted by the rows the
    answer changes, the weight the posterior's mixture of the raw table."""
    if change is None:
        return 1.0, list(post)
    tab = kb.table
    delta, raw = [0.0] * len(tab.causes), [0.0] * len(tab.causes)
    for counted, step in ((change.old, sub), (change.new, add)):
        for rid, p in counted:
            delta = list(map(step, delta, tab.shares[rid][p]))
            raw = list(map(step, raw, tab.raw_present[rid] if p else tab.raw_absent[rid]))
    ref = tab.causes.index(kb.scoring.reference)
    weight = sum(p * exp(d * _LN10) for p, d in zip(post, raw, strict=True))
    lo = [a + d - delta[ref] for a, d in zip(log_odds, delta, strict=True)]
    return weight, probabilities(lo)


def entropy(p: Sequence[float]) -> float:
    """Shannon entropy in bits."""
    return -sum(x * log2(x) for x in p if x > 0)
