"""Published instruments scored exactly as published, from their definitions in content/.

An item's points count when its premise is true; if any item's premise is unknown the
instrument is ``None`` (not a guess), per the case-format contract. Bands are checked in
the order the content lists them; the first whose bounds all hold applies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.premises import evaluate, findings_of
from engine.knowledge.records import Instrument

__all__ = ["InstrumentResult", "score_instrument", "score_all"]

ItemTest = Callable[[Mapping[str, object], Mapping[str, bool]], "bool | None"]
_NO_FACTS: Mapping[str, bool] = {}  # items read findings only


@dataclass(frozen=True, slots=True)
class InstrumentResult:
    id: str
    total: int
    subscales: Mapping[str, int]
    band: str
    items: tuple[tuple[str, int], ...]  # (item id, points scored) for the explanation
    output: Mapping[str, Any] = field(default_factory=dict)  # the contract's JSON object

    def score(self, name: str) -> int:
        return self.total if name == "total" else self.subscales[name]


def _output(inst: Instrument, total: int, sub: Mapping[str, int], band: str) -> dict[str, Any]:
    """The contract's fields, as the instrument's content record names them."""
    out: dict[str, Any] = {}
    for name, spec in inst.output.items():
        kind, _, arg = spec.partition(":")
        out[name] = total if spec == "total" else band if spec == "band" else \
            sub[arg] if kind == "subscale" else band == arg
    return out


def score_instrument(inst: Instrument, findings: Mapping[str, object], tests: Sequence[ItemTest] | None = None) -> InstrumentResult | None:
    """Score one instrument, or ``None`` when any item is unknown. ``tests``: the items'
    premises compiled (``network.three_valued``, as ``KnowledgeBase.instrument_tests``), else
    each is evaluated from its record."""
    scored: list[tuple[str, int]] = []
    sub = {name: 0 for name in inst.subscales}
    for i, item in enumerate(inst.items):
        truth = evaluate(item.when, findings) if tests is None else tests[i](findings, _NO_FACTS)
        if truth is None:
            return None
        points = item.points if truth else 0
        scored.append((item.id, points))
        for name in item.subscales:
            sub[name] += points
    total = sum(p for _, p in scored)

    def score(name: str) -> int:
        return total if name == "total" else sub[name]

    for band in inst.bands:
        if all(score(k) >= v for k, v in band.min.items()) and all(score(k) <= v for k, v in band.max.items()):
            return InstrumentResult(inst.id, total, sub, band.id, tuple(scored), _output(inst, total, sub, band.id))
    raise ValueError(f"{inst.id}: no band covers total {total}")  # lint guarantees coverage


def score_all(kb: KnowledgeBase, findings: Mapping[str, object]) -> dict[str, InstrumentResult | None]:
    """Every instrument of the knowledge base on one case."""
    tests = kb.instrument_tests
    return {iid: score_instrument(inst, findings, tests[iid]) for iid, inst in kb.instruments.items()}


def missing_items(inst: Instrument, findings: Mapping[str, object]) -> list[str]:
    """Finding ids still unknown that stop the instrument from being scored."""
    needed = set().union(*(findings_of(item.when) for item in inst.items))
    return sorted(f for f in needed if f not in findings)
