"""Forward chaining over the compiled network: a case's inputs in, the firing order out.

Agenda strategy (documented, deterministic): among activated rules, fire the one of the
earliest layer, then the highest priority, then the smallest rule id. Each rule fires at
most once; chaining stops at the fixed point (empty agenda) or at the step cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from heapq import heappop, heappush
from typing import NamedTuple

from engine.errors import InferenceError
from engine.knowledge.network import Network

__all__ = ["Chaining", "chain", "chain_state", "extend", "retract", "true_atoms"]

STEP_CAP = 10_000  # far above the rule count; reaching it means a defect, not a case
MEMO_CAP = 4096  # values remembered per input (the atoms each makes true); bounded for long-lived processes
_MEMO_TYPES = (bool, str, int, float, frozenset)  # hashable values whose tests depend only on the value


class Chaining(NamedTuple):
    fired: tuple[int, ...]  # rule indices in firing order
    since: tuple[int, ...]  # fact index -> step at which it became true (0 = input), -1 = never


def chain(net: Network, inputs: Mapping[str, object]) -> Chaining:
    """Run the network on known inputs (finding id or ``instrument:<id>`` -> value)."""
    fired, since, _ = _run(net, inputs)
    return _chaining(Chaining, (tuple(fired), tuple(since)))


_chaining = tuple.__new__  # Chaining's fields in order, without the named tuple's Python-level __new__


def true_atoms(net: Network, key: str, value: object) -> tuple[int, ...]:
    """The atoms a known input value makes true (memoised as ``chain`` does)."""
    values = net.true_atoms.get(key)
    if values is None:
        return ()
    kind = type(value)
    hit = values.get(value) if kind in _MEMO_TYPES else None
    if hit is None:
        hit = tuple(index for index, test, negated in net.tests_by_input.get(key, ()) if test(value) is not negated)
        if kind in _MEMO_TYPES and len(values) < MEMO_CAP:
            values[value] = hit
    return hit


def extend(net: Network, since: list[int], remaining: list[int], atoms: Iterable[int]) -> list[int]:
    """Continue a finished chaining (its ``since`` and ``remaining``, changed in place) with
    more true atoms, to the new fixed point; returns the rules that fire, in the order they
    fire here. The set of facts is the one a run from scratch reaches (the network is
    monotone); the firing order of a run from scratch may interleave differently. New facts
    get step 1 (derived), not the step a run from scratch would give."""
    waiting, conclusion, rule_of, rank, node_of_rank = net.waiting, net.conclusion, net.rule_of, net.rank, net.node_of_rank
    stack = [a for a in atoms if since[a] < 0]
    for a in stack:
        since[a] = 0
    agenda: list[int] = []
    fired: list[int] = []
    while True:
        while stack:
            for node in waiting[stack.pop()]:
                remaining[node] -= 1
                if remaining[node] == 0:
                    if rule_of[node] < 0:
                        c = conclusion[node]
                        if since[c] < 0:
                            since[c] = 1
                            stack.append(c)
                    else:
                        heappush(agenda, rank[node])
        if not agenda:
            return fired
        node = node_of_rank[heappop(agenda)]
        fired.append(rule_of[node])
        if len(fired) > STEP_CAP:
            raise InferenceError(f"more than {STEP_CAP} firings: the rule base loops")
        c = conclusion[node]
        if since[c] < 0:
            since[c] = 1
            stack.append(c)


def retract(net: Network, since: list[int], remaining: list[int], support: list[int], index: int, unfired: list[int]) -> None:
    """Take a true atom back, and what stood on it alone (the network is acyclic, so a fact
    with no rule or group left holding it is no longer derived): ``support`` counts the
    fired rules concluding each fact; un-fired rules are appended to ``unfired``."""
    waiting, conclusion, rule_of = net.waiting, net.conclusion, net.rule_of
    since[index] = -1
    stack = [index]
    while stack:
        for node in waiting[stack.pop()]:
            remaining[node] += 1
            if remaining[node] == 1:  # it held with exactly what it needed, and no longer does
                c = conclusion[node]
                if rule_of[node] >= 0:
                    unfired.append(rule_of[node])
                    support[c] -= 1
                    if support[c] > 0:
                        continue
                since[c] = -1
                stack.append(c)


def chain_state(net: Network, inputs: Mapping[str, object]) -> tuple[Chaining, list[int]]:
    """``chain``, with each node's count of premises still missing at the fixed point (what
    ``extend`` continues from; at most 0 for a node that holds)."""
    fired, since, remaining = _run(net, inputs)
    return Chaining(tuple(fired), tuple(since)), remaining


def _run(net: Network, inputs: Mapping[str, object]) -> tuple[list[int], list[int], list[int]]:
    """The chaining itself: (rules fired in order, ``since``, ``remaining``)."""
    since = [-1] * len(net.names)
    remaining = list(net.required)
    waiting, conclusion, rule_of, rank = net.waiting, net.conclusion, net.rule_of, net.rank
    # the agenda holds each activated rule's rank (a unique int ordering the agenda keys)
    agenda: list[int] = []
    stack: list[int] = []
    table = net.true_atoms
    for key, value in inputs.items():
        values = table.get(key)
        if values is None:
            continue  # no rule reads this input
        try:
            hit = values.get(value)  # only values of _MEMO_TYPES are ever stored
        except TypeError:  # unhashable: tested below, never kept
            hit = None
        if hit is None:
            hit = true_atoms(net, key, value)
        for index in hit:
            since[index] = 0
        stack += hit
    for index, key, negated in net.unknown_tests:  # "not asked" is a known fact about the case
        if (key not in inputs) is not negated:
            since[index] = 0
            stack.append(index)
    step = 0
    fired: list[int] = []
    rule_at, conclusion_at = net.rule_at, net.conclusion_at
    for node in net.always:
        heappush(agenda, rank[node])
    while True:
        while stack:
            for node in waiting[stack.pop()]:
                left = remaining[node] - 1
                remaining[node] = left
                if left == 0:
                    if rule_of[node] < 0:  # an all/any/at-least group: true at once
                        c = conclusion[node]
                        if since[c] < 0:
                            since[c] = step
                            stack.append(c)
                    else:
                        heappush(agenda, rank[node])
        if not agenda:
            break
        r = heappop(agenda)
        fired.append(rule_at[r])
        step += 1
        if step > STEP_CAP:
            raise InferenceError(f"more than {STEP_CAP} firings: the rule base loops")
        c = conclusion_at[r]
        if since[c] < 0:
            since[c] = step
            if waiting[c]:  # most conclusions (causes, steps, red flags) are read by no rule
                stack.append(c)
    return fired, since, remaining
