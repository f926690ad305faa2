"""The batch's fast path: what it needs from a knowledge base, worked out once (``Plan``).

The network's nodes in topological order, the rules concluding each fact, the red flags with
their urgency and the serious causes they pin, each root's rules in agenda rank order with
their certainty factors, the causes' tie-break keys (base rate, id), the likelihood table's
shares as arrays and the work-up step each kind of cause leads to. ``plan_for`` keeps the
plan of the last knowledge base a process summarised (a worker's).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.records import URGENCIES

__all__ = ["Plan", "Root", "compile_plan", "plan_for"]


@dataclass(frozen=True, slots=True)
class Root:
    """One nerve root's rules that carry a certainty factor."""

    id: str
    rules: tuple[tuple[int, int, float, bool], ...]  # (rule index, key index, certainty factor, for?) in agenda rank order
    keys: int


@dataclass(frozen=True, slots=True)
class Plan:
    """What the fast path needs from the knowledge base, worked out once per knowledge base."""

    order: tuple[int, ...]  # network nodes, each after every node concluding one of its premises
    rules_of: Mapping[str, tuple[int, ...]]  # fact -> rules concluding it
    flags: tuple[tuple[str, int, tuple[int, ...]], ...]  # (red flag, urgency index, causes it pins)
    roots: tuple[Root, ...]
    id_rank: NDArray[np.intp]  # per cause, its place among the cause ids sorted
    neg_prior: NDArray[np.float64]  # -priors_rounded, per cause
    shares: tuple[tuple[NDArray[np.float64], NDArray[np.float64]], ...]  # per likelihood row: (absent, present) per cause
    workup: tuple[int, ...]  # per cause, the work-up step replacing the ladder when it leads (-1: none)
    can_cause: tuple[tuple[int, ...], ...]  # per cause, the causes it can produce (conditions.yaml can_cause)


def compile_plan(kb: KnowledgeBase) -> Plan:
    """The fast path's view of ``kb``; raises ValueError if the network has a cycle."""
    net = kb.network
    if not net.acyclic:
        raise ValueError("the rule network has a cycle: use the scalar path")
    rules_of: dict[str, list[int]] = {}
    for i, rule in enumerate(kb.rules):
        rules_of.setdefault(rule.then, []).append(i)
    causes = kb.table.causes
    flags = tuple(
        (f.id, URGENCIES.index(f.urgency), tuple(causes.index(c) for c in f.suggests))
        for f in kb.red_flags.values()
    )
    cfs = kb.scoring.root_certainty_factors
    node_of_rule = {r: n for n, r in enumerate(net.rule_of) if r >= 0}
    roots = []
    for rid in kb.roots:
        ranked = sorted((i for i in rules_of.get(rid, ()) if kb.rules[i].support is not None), key=lambda i: net.rank[node_of_rule[i]])
        keys: dict[tuple[str, str], int] = {}
        entries = []
        for i in ranked:
            r = kb.rules[i]
            k = keys.setdefault((r.group or r.id, r.direction), len(keys))
            entries.append((i, k, cfs[r.support or ""], r.direction == "for"))
        roots.append(Root(rid, tuple(entries), len(keys)))
    by_id = sorted(range(len(causes)), key=lambda i: causes[i])
    id_rank = np.empty(len(causes), dtype=np.intp)
    id_rank[by_id] = np.arange(len(causes))
    steps = {s.id: i for i, s in enumerate(kb.ladder.values())}
    workup = tuple(next((steps[s.id] for s in kb.ladder.values() if s.workup_of == kb.conditions[c].kind), -1) for c in causes)
    return Plan(
        order=_topological(kb), rules_of={k: tuple(v) for k, v in rules_of.items()}, flags=flags, roots=tuple(roots),
        id_rank=id_rank, neg_prior=-np.array(kb.table.priors_rounded),
        shares=tuple((np.array(kb.table.shares[r.id][0]), np.array(kb.table.shares[r.id][1])) for r in kb.likelihoods),
        workup=workup,
        can_cause=tuple(tuple(causes.index(s) for s in kb.conditions[c].can_cause if s in causes) for c in causes),
    )


def _topological(kb: KnowledgeBase) -> tuple[int, ...]:
    """The network's nodes in an order where each comes after the nodes feeding its premises."""
    net = kb.network
    feeding = [0] * len(net.conclusion)
    for node in range(len(net.conclusion)):
        for nxt in net.waiting[net.conclusion[node]]:
            feeding[nxt] += 1
    ready = [n for n, k in enumerate(feeding) if k == 0]
    out = []
    while ready:
        node = ready.pop(0)
        out.append(node)
        for nxt in net.waiting[net.conclusion[node]]:
            feeding[nxt] -= 1
            if feeding[nxt] == 0:
                ready.append(nxt)
    return tuple(out)


_LAST: tuple[KnowledgeBase, Plan] | None = None  # per process: the last knowledge base summarised and its plan


def plan_for(kb: KnowledgeBase) -> Plan:
    """``compile_plan(kb)``, kept for the next block of the same knowledge base (a worker's)."""
    global _LAST  # noqa: PLW0603 - one plan per process, compiled on its first block
    if _LAST is None or _LAST[0] is not kb:
        _LAST = (kb, compile_plan(kb))
    return _LAST[1]
