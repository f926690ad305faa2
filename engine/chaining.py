"""Forward chaining over the compiled network: a case's inputs in, the firing order out.

Agenda strategy (documented, deterministic): among activated rules, fire the one of the
earliest layer, then the highest priority, then the smallest rule id. Each rule fires at
most once; chaining stops at the fixed point (empty agenda) or at the step cap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from heapq import heappop, heappush

from .compiler import Network
from .errors import InferenceError

__all__ = ["Chaining", "chain"]

STEP_CAP = 10_000  # far above the rule count; reaching it means a defect, not a case


@dataclass(frozen=True, slots=True)
class Chaining:
    fired: tuple[int, ...]  # rule indices in firing order
    since: tuple[int, ...]  # fact index -> step at which it became true (0 = input), -1 = never


def chain(net: Network, inputs: Mapping[str, object]) -> Chaining:
    """Run the network on known inputs (finding id or ``instrument:<id>`` -> value)."""
    since = [-1] * len(net.names)
    remaining = list(net.required)
    waiting, conclusion, rule_of, salience = net.waiting, net.conclusion, net.rule_of, net.salience
    agenda: list[tuple[tuple[int, int, str], int]] = []
    stack: list[int] = []
    for key, value in inputs.items():
        for atom in net.atoms_by_input.get(key, ()):
            if atom.test(value) is not atom.negated:
                since[atom.index] = 0
                stack.append(atom.index)
    for atom in net.unknown_atoms:  # "not asked" is a known fact about the case
        if (atom.input not in inputs) is not atom.negated:
            since[atom.index] = 0
            stack.append(atom.index)

    def propagate(step: int) -> None:
        while stack:
            for node in waiting[stack.pop()]:
                remaining[node] -= 1
                if remaining[node] == 0:
                    if rule_of[node] < 0:  # an all/any/at-least group: true at once
                        c = conclusion[node]
                        if since[c] < 0:
                            since[c] = step
                            stack.append(c)
                    else:
                        heappush(agenda, (salience[node], node))

    propagate(0)
    for node in net.always:
        heappush(agenda, (salience[node], node))
    fired: list[int] = []
    while agenda:
        node = heappop(agenda)[1]
        fired.append(rule_of[node])
        if len(fired) > STEP_CAP:
            raise InferenceError(f"more than {STEP_CAP} firings: the rule base loops")
        c = conclusion[node]
        if since[c] < 0:
            since[c] = len(fired)
            stack.append(c)
            propagate(len(fired))
    return Chaining(tuple(fired), tuple(since))
