"""The outline of a case after one more answer, continued from the case's own state.

"What would change the picture?" tries about seventy answers per case, and needs of each
only its outline: urgency, red flags, the top of the differential, the leading root and
the ladder step. Re-running the summary path per answer costs about 150 us; here the base
case is chained, observed and weighed once (``base_of``), and each answer (``outline_if``)

1. rescores only the instruments that read the answered finding;
2. takes back the answer's "not asked" atom and what stood on it alone
   (``chaining.retract``: the network is acyclic, so support can be counted down), then
   continues the base's chaining with the atoms the answer makes true
   (``chaining.extend``: the network is monotone, so the new fixed point holds the same
   facts as a run from scratch); if an instrument's band changes, or the network has a
   cycle, it is chained from scratch instead;
3. re-reads only the likelihood rows that read the finding, a new instrument band or a
   fact gained or lost, shifts the base's log-odds by the rows that changed, and finds
   the top (``engine.reasoning.margins``: a clear lead, else the probabilities with a
   check that the shift's rounding error cannot change a rounded one); when it could,
   the log-odds are added again exactly, from the base's partial sums before the first
   counted row that differs (the same additions in the same order as
   ``scoring.log_odds_of``, so the same floats);
4. rescores a root from its rules; where the certainty factors' product could depend on
   the order the rules fired in, that order is taken from a chaining from scratch.

Exact: tests/test_fast_paths.py compares every candidate answer's outline with
``summarize``'s on generated cases. Pure: no I/O, no global.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import add, sub
from typing import Any, NamedTuple

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.premises import evaluate
from engine.knowledge.records import URGENCIES, Rule
from engine.reasoning.chaining import chain, chain_state, extend, retract, true_atoms
from engine.reasoning.infer import inputs_of, ladder_step, pinned_tiers
from engine.reasoning.instruments import InstrumentResult, score_all, score_instrument
from engine.reasoning.margins import lead, ranked_tops, root_is_order_free, top_root
from engine.reasoning.scoring import root_score
from engine.reasoning.summary import Summary

__all__ = ["Base", "Continued", "Outline", "base_of", "continued", "outline_if", "outline_of", "support_of"]


class Outline(NamedTuple):  # made for every candidate answer: a named tuple is made fastest
    """What a counterfactual compares (``Summary`` without the full lists)."""

    urgency: str
    red_flags: tuple[str, ...]  # most urgent first
    top: str | None  # the differential's first (a pinned red-flag cause first)
    root: str | None  # the leading nerve root
    step: str  # the ladder step


def outline_of(s: Summary) -> Outline:
    return Outline(s.urgency, s.red_flags, s.top, s.root, s.step)


@dataclass(frozen=True, slots=True)
class Base:
    """A case chained, observed and weighed once, for ``outline_if``."""

    kb: KnowledgeBase
    findings: Mapping[str, Any]
    inputs: Mapping[str, Any]
    instruments: Mapping[str, InstrumentResult | None]
    since: tuple[int, ...]
    remaining: tuple[int, ...]
    facts: Mapping[str, bool]  # every concluded fact
    by_root: Mapping[str, tuple[Rule, ...]]  # a concluded root -> its rules, in firing order
    root_scores: Mapping[str, float]
    order_free: Mapping[str, bool]  # a concluded root -> its score does not hang on its rules' order
    all_order_free: bool
    support: tuple[int, ...]  # fact index -> how many fired rules conclude it
    pending: Mapping[str, tuple[frozenset[str], ...]]  # an unscored instrument -> what its unknown items read
    known: tuple[bool | None, ...]  # likelihood row position -> present / absent / unknown
    counted: tuple[tuple[int, bool], ...]  # the counted rows, in table order
    counted_pos: tuple[int, ...]  # their positions
    counted_set: frozenset[int]
    partial: tuple[tuple[float, ...], ...]  # log-odds after the first j counted rows
    groups: tuple[str | None, ...]  # row position -> its group
    group_first: tuple[int, ...]  # row position -> the position of its group's first row (its own if none)
    group_rows: Mapping[str, tuple[int, ...]]  # group -> its rows' positions
    shares: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]  # row position -> (absent, present) shares
    outline: Outline
    free: str | None  # the first cause not pinned by a red flag (what the ladder reads)
    orders: dict[tuple[float, ...], bool] = field(default_factory=dict)  # memo of _order_free, within one base
    steps: dict[tuple[tuple[str, ...], str, str | None], str] = field(default_factory=dict)  # memo of _step
    roots_seen: dict[tuple[str, tuple[str, ...]], tuple[bool, float]] = field(default_factory=dict)  # memo of _root_after
    # memo: the red flags -> (the causes they pin, the others), as positions
    splits: dict[tuple[str, ...], tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=dict)


def _counted(groups: tuple[str | None, ...], known: list[bool | None] | tuple[bool | None, ...]) -> list[tuple[int, bool]]:
    """The rows that count, in table order (``scoring.weigh``'s group rule: in a group the
    first present counts, else the first known absent)."""
    picks: dict[str, tuple[int, bool]] = {}
    for i, v in enumerate(known):
        g = groups[i]
        if v is not None and g is not None:
            p = picks.get(g)
            if p is None or (v and not p[1]):
                picks[g] = (i, v)
    return [(i, v) for i, v in enumerate(known) if v is not None and (groups[i] is None or picks[groups[i] or ""][0] == i)]


def _counted_from(base: Base, known: list[bool | None], start: int) -> list[tuple[int, bool]]:
    """``_counted(known)`` from row ``start`` on, when no row before ``start`` changed and no
    group with a row before ``start`` changed (those keep the base's choice)."""
    groups, first = base.groups, base.group_first
    picks: dict[str, tuple[int, bool]] = {}
    for i in range(start, len(known)):
        v, g = known[i], groups[i]
        if v is not None and g is not None and first[i] >= start:
            p = picks.get(g)
            if p is None or (v and not p[1]):
                picks[g] = (i, v)
    out = []
    was = base.counted_set
    for i in range(start, len(known)):
        v = known[i]
        if v is not None:
            g = groups[i]
            if g is None or (picks[g][0] == i if first[i] >= start else i in was):
                out.append((i, v))
    return out


def _flags(kb: KnowledgeBase, facts: Mapping[str, bool]) -> tuple[str, ...]:
    """The fired red flags, most urgent first (``infer.red_flags``' order)."""
    hits = [f for f in kb.red_flags.values() if f.id in facts]
    return tuple(f.id for f in sorted(hits, key=lambda f: -URGENCIES.index(f.urgency)))


def _shifted(base: Base, known: list[bool | None], moved: list[int]) -> list[float]:
    """The log-odds with the moved rows' shares taken out and put in (in a different order
    from ``scoring.log_odds_of``, so equal to it only to about 1e-14)."""
    acc = list(base.partial[-1])
    shares, groups, was = base.shares, base.groups, base.known
    seen: set[str] = set()
    old: tuple[int, bool | None] | None
    new: tuple[int, bool | None] | None
    for pos in moved:
        g = groups[pos]
        if g is None:
            old, new = (pos, was[pos]), (pos, known[pos])
        elif g in seen:
            continue
        else:
            seen.add(g)
            old, new = _pick(base.group_rows[g], was), _pick(base.group_rows[g], known)
        if old != new:
            if old is not None and old[1] is not None:
                acc = list(map(sub, acc, shares[old[0]][old[1]]))
            if new is not None and new[1] is not None:
                acc = list(map(add, acc, shares[new[0]][new[1]]))
    return acc


def _clear_lead(base: Base, lo: list[float], flags: tuple[str, ...]) -> tuple[str | None, str | None] | None:
    """The differential's first and its first unpinned cause, when within the pinned causes
    and within the others one leads by a clear margin (``margins.lead``); else None."""
    split = base.splits.get(flags)
    if split is None:
        kb = base.kb
        lead_named, named = pinned_tiers(kb, flags)
        causes = kb.table.causes
        split = base.splits[flags] = (tuple(i for i, c in enumerate(causes) if c in lead_named),
                                      tuple(i for i, c in enumerate(causes) if c not in named))
    top = max(lo)
    pinned, free = split
    lead_free = lead(lo, free, top)
    if lead_free is None and free:
        return None
    first = lead(lo, pinned, top) if pinned else lead_free
    if first is None:
        return None
    causes = base.kb.table.causes
    return causes[first], None if lead_free is None else causes[lead_free]


def _pick(rows: tuple[int, ...], known: list[bool | None] | tuple[bool | None, ...]) -> tuple[int, bool | None] | None:
    """The row of a group that counts: the first present, else the first known absent."""
    first = None
    for i in rows:
        v = known[i]
        if v:
            return i, v
        if v is not None and first is None:
            first = (i, v)
    return first


def base_of(findings: Mapping[str, Any], kb: KnowledgeBase) -> Base:
    """Chain, observe and weigh a case once (findings as in ``Case.findings``)."""
    instruments = score_all(kb, findings)
    inputs = inputs_of(findings, instruments)
    net, tab = kb.network, kb.table
    run, remaining = chain_state(net, inputs)
    facts = {kb.rules[r].then: True for r in run.fired}
    by_root: dict[str, list[Rule]] = {}
    for r in run.fired:
        if kb.rules[r].then in kb.roots:
            by_root.setdefault(kb.rules[r].then, []).append(kb.rules[r])
    known = tuple(test(inputs, facts) for _, test in tab.tests)
    groups = tuple(row.group for row, _ in tab.tests)
    counted = _counted(groups, known)
    partial = [tab.log_prior]
    for pos, present in counted:
        partial.append(tuple(map(add, partial[-1], tab.shares[tab.tests[pos][0].id][present])))
    flags = _flags(kb, facts)
    urgency = kb.red_flags[flags[0]].urgency if flags else "routine"
    tops = ranked_tops(kb, partial[-1], flags)
    assert tops is not None
    top, free = tops
    scores = {root: root_score(kb, rules) for root, rules in by_root.items()}
    pending = {iid: tuple(reads for item, reads in zip(kb.instruments[iid].items, kb.item_findings[iid], strict=True)
                          if evaluate(item.when, findings) is None)
               for iid, res in instruments.items() if res is None}
    orders: dict[tuple[float, ...], bool] = {}
    order_free = {root: root_is_order_free(kb, rules, orders) for root, rules in by_root.items()}
    outline = Outline(urgency, flags, top, top_root(kb, scores), ladder_step(kb, facts, urgency, free))
    first_of: dict[str, int] = {}
    group_first = tuple(i if g is None else first_of.setdefault(g, i) for i, g in enumerate(groups))
    group_rows: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        if g is not None:
            group_rows.setdefault(g, []).append(i)
    return Base(kb, findings, inputs, instruments, run.since, tuple(remaining), facts,
                {k: tuple(v) for k, v in by_root.items()}, scores, order_free, all(order_free.values()), support_of(kb, run.fired),
                pending, known, tuple(counted),
                tuple(i for i, _ in counted), frozenset(i for i, _ in counted), tuple(partial), groups, group_first,
                {g: tuple(v) for g, v in group_rows.items()},
                tuple(tab.shares[row.id] for row, _ in tab.tests), outline, free, orders)


def outline_if(base: Base, finding: str, value: Any) -> Outline:
    """The outline of the base case with ``finding`` (unknown there) answered ``value``."""
    kb = base.kb
    net = kb.network
    inputs = {**base.inputs, finding: value}
    new_keys = [finding]
    scratch = False  # chain from scratch: something true in the base may no longer hold
    for iid in kb.instruments_by_finding.get(finding, ()):
        old = base.instruments[iid]
        if old is None and any(finding not in reads for reads in base.pending[iid]):
            continue  # an item that does not read the finding is still unknown: still no score
        res = score_instrument(kb.instruments[iid], {**base.findings, finding: value})
        key = f"instrument:{iid}"
        if old is not None and (res is None or res.band != old.band):
            scratch = True  # a band lost or changed
        elif old is not None or res is None:
            continue
        new_keys.append(key)
        if res is None:
            del inputs[key]
        else:
            inputs[key] = frozenset({res.band})
    atoms = [a for key in new_keys for a in true_atoms(net, key, inputs[key])]
    run = None if scratch else continued(kb, base.since, base.remaining, base.support, base.facts, finding, atoms)
    if run is None:
        return _from_scratch(base, inputs, new_keys)
    root = _root_after(base, inputs, run.fired, run.unfired) if run.fired or run.unfired else base.outline.root
    return _weigh(base, inputs, new_keys, run.facts, run.diff, root)


class Continued(NamedTuple):
    fired: list[int]  # rules that fire once the finding is answered, in the order they fire here
    unfired: list[int]  # rules that held on its "not asked" atom alone
    facts: Mapping[str, bool]  # every concluded fact (the base's own mapping when none changed)
    diff: list[str]  # the facts gained, then those lost


def continued(
    kb: KnowledgeBase, since: tuple[int, ...], remaining: tuple[int, ...], support: tuple[int, ...],
    facts: Mapping[str, bool], finding: str, atoms: list[int],
) -> Continued | None:
    """A finished chaining (``chain_state``'s, with ``support`` and its facts; none changed
    here) continued with ``finding`` answered, ``atoms`` being what the answer makes true:
    its "not asked" atom taken back with what stood on it alone, then the new atoms chained
    on. None when something must be taken back from a network with a cycle (chain again)."""
    net = kb.network
    atoms = list(atoms)
    unasked = []  # "not asked" atoms true in the base, false now
    for index, key, negated in net.unknown_tests:
        if key == finding:
            if negated:
                atoms.append(index)  # "asked" is now true
            elif since[index] >= 0:
                unasked.append(index)
    if unasked and not net.acyclic:
        return None
    if not atoms and not unasked:
        return Continued([], [], facts, [])
    now_since, now_remaining = list(since), list(remaining)
    unfired: list[int] = []
    if unasked:
        now_support = list(support)
        for index in unasked:
            retract(net, now_since, now_remaining, now_support, index, unfired)
    fired = extend(net, now_since, now_remaining, atoms) if atoms else []
    rules, index_of = kb.rules, net.index_of
    new_facts = [rules[r].then for r in fired if rules[r].then not in facts]
    lost = [f for f in dict.fromkeys(rules[r].then for r in unfired) if now_since[index_of[f]] < 0] if unfired else []
    if new_facts or lost:
        facts = {**facts, **dict.fromkeys(new_facts, True)}
        for f in lost:
            del facts[f]
    return Continued(fired, unfired, facts, new_facts + lost)


def support_of(kb: KnowledgeBase, fired: tuple[int, ...]) -> tuple[int, ...]:
    """Fact index -> how many fired rules conclude it (what ``continued`` counts down)."""
    support = [0] * len(kb.network.names)
    for r in fired:
        support[kb.network.index_of[kb.rules[r].then]] += 1
    return tuple(support)


def _from_scratch(base: Base, inputs: Mapping[str, Any], new_keys: list[str]) -> Outline:
    """The outline with the network chained again from the new inputs."""
    kb = base.kb
    run = chain(kb.network, inputs)
    facts = {kb.rules[r].then: True for r in run.fired}
    by_root: dict[str, list[Rule]] = {}
    for r in run.fired:
        if kb.rules[r].then in kb.roots:
            by_root.setdefault(kb.rules[r].then, []).append(kb.rules[r])
    scores = {root: root_score(kb, rules) for root, rules in by_root.items()}
    diff = [f for f in facts if f not in base.facts] + [f for f in base.facts if f not in facts]
    return _weigh(base, inputs, new_keys, facts, diff, top_root(kb, scores))


def _weigh(
    base: Base, inputs: Mapping[str, Any], new_keys: list[str], facts: Mapping[str, bool], diff: list[str], root: str | None
) -> Outline:
    """The outline from the new facts (``diff``: those gained or lost) and the rows that read
    what changed."""
    kb, tab = base.kb, base.kb.table
    flags = _flags(kb, facts) if any(f in kb.red_flags for f in diff) else base.outline.red_flags
    urgency = kb.red_flags[flags[0]].urgency if flags else "routine"
    changed: dict[int, bool | None] = {}
    for key in new_keys:
        for pos in tab.rows_by_input.get(key, ()):
            changed[pos] = None
    for fact in diff:
        for pos in tab.rows_by_fact.get(fact, ()):
            changed[pos] = None
    for pos in changed:
        changed[pos] = tab.tests[pos][1](inputs, facts)
    moved = [pos for pos, v in changed.items() if base.known[pos] is not v]
    if not moved:
        if flags == base.outline.red_flags and not diff:
            return Outline(urgency, flags, base.outline.top, root, base.outline.step)
        tops = ranked_tops(kb, base.partial[-1], flags)
    else:
        known = list(base.known)
        for pos in moved:
            known[pos] = changed[pos]
        approx = _shifted(base, known, moved)
        tops = _clear_lead(base, approx, flags) or ranked_tops(kb, approx, flags, careful=True)
        if tops is None:  # a probability within 1e-9 of a rounding midpoint: add up exactly
            start = min(base.group_first[pos] for pos in moved)
            j = bisect_left(base.counted_pos, start)  # the counted rows before start are the base's
            acc = base.partial[j]
            shares = base.shares
            for pos, present in _counted_from(base, known, start):
                acc = tuple(map(add, acc, shares[pos][present]))
            tops = ranked_tops(kb, acc, flags)
    assert tops is not None
    top, free = tops
    if free == base.free and urgency == base.outline.urgency and not diff:
        return Outline(urgency, flags, top, root, base.outline.step)  # the ladder reads nothing else
    return Outline(urgency, flags, top, root, _step(base, facts, urgency, free))


def _step(base: Base, facts: Mapping[str, bool], urgency: str, free: str | None) -> str:
    """``infer.ladder_step``, remembered on what it reads (within one base)."""
    key = (tuple([f for f in base.kb.ladder_reads if f in facts]), urgency, free)
    step = base.steps.get(key)
    if step is None:
        step = base.steps[key] = ladder_step(base.kb, facts, urgency, free)
    return step

def _root_after(base: Base, inputs: Mapping[str, Any], fired: list[int], unfired: list[int]) -> str | None:
    """The leading root once ``unfired`` rules are taken out and ``fired`` ones added."""
    kb = base.kb
    roots = kb.roots
    touched: dict[str, list[Rule]] = {}
    for r in unfired:
        rule = kb.rules[r]
        if rule.then in roots:
            if rule.then not in touched:
                touched[rule.then] = list(base.by_root.get(rule.then, ()))
            touched[rule.then] = [x for x in touched[rule.then] if x is not rule]
    for r in fired:
        rule = kb.rules[r]
        if rule.then in roots:
            if rule.then not in touched:
                touched[rule.then] = list(base.by_root.get(rule.then, ()))
            touched[rule.then].append(rule)
    if not touched and base.all_order_free:
        return base.outline.root
    scores = dict(base.root_scores)
    exact: dict[str, list[Rule]] | None = None
    for root in {**base.by_root, **touched}:
        rules = touched.get(root)
        if rules is None:
            if base.order_free[root]:
                continue  # its rules and score are the base's
        else:
            key = (root, tuple([r.id for r in rules]))
            hit = base.roots_seen.get(key)
            if hit is None:  # (order free, score): many answers give a root the same rules
                free = root_is_order_free(kb, rules, base.orders)
                hit = base.roots_seen[key] = (free, root_score(kb, rules) if free and rules else 0.0)
            if hit[0]:
                if rules:
                    scores[root] = hit[1]
                else:
                    scores.pop(root, None)
                continue
        if exact is None:  # the firing order a run from scratch gives
            exact = {}
            for r in chain(kb.network, inputs).fired:
                exact.setdefault(kb.rules[r].then, []).append(kb.rules[r])
        rules = exact.get(root, [])
        if rules:
            scores[root] = root_score(kb, rules)
        else:
            scores.pop(root, None)
    return top_root(kb, scores)
