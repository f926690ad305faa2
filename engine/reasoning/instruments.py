"""Published instruments scored exactly as published, from their definitions in content/.

An item's points count when its premise is true; if any item's premise is unknown the
instrument is ``None`` (not a guess), per the case-format contract. Bands are checked in
the order the content lists them; the first whose bounds all hold applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.premises import evaluate, findings_of
from engine.knowledge.records import Instrument

__all__ = ["InstrumentResult", "score_instrument", "score_all"]


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


def _output(inst: Instrument, res: InstrumentResult) -> dict[str, Any]:
    """The contract's fields, as the instrument's content record names them."""
    out: dict[str, Any] = {}
    for name, spec in inst.output.items():
        kind, _, arg = spec.partition(":")
        out[name] = res.total if spec == "total" else res.band if spec == "band" else \
            res.subscales[arg] if kind == "subscale" else res.band == arg
    return out


def score_instrument(inst: Instrument, findings: Mapping[str, object]) -> InstrumentResult | None:
    """Score one instrument, or ``None`` when any item is unknown."""
    scored: list[tuple[str, int]] = []
    sub = {name: 0 for name in inst.subscales}
    for item in inst.items:
        truth = evaluate(item.when, findings)
        if truth is None:
            return None
        points = item.points if truth else 0
        scored.append((item.id, points))
        for name in item.subscales:
            sub[name] += points
    total = sum(p for _, p in scored)
    partial = InstrumentResult(inst.id, total, sub, "", tuple(scored))
    for band in inst.bands:
        if all(partial.score(k) >= v for k, v in band.min.items()) and all(
            partial.score(k) <= v for k, v in band.max.items()
        ):
            res = InstrumentResult(inst.id, total, sub, band.id, tuple(scored))
            return replace(res, output=_output(inst, res))
    raise ValueError(f"{inst.id}: no band covers total {total}")  # lint guarantees coverage


def score_all(kb: KnowledgeBase, findings: Mapping[str, object]) -> dict[str, InstrumentResult | None]:
    """Every instrument of the knowledge base on one case."""
    return {iid: score_instrument(inst, findings) for iid, inst in kb.instruments.items()}


def missing_items(inst: Instrument, findings: Mapping[str, object]) -> list[str]:
    """Finding ids still unknown that stop the instrument from being scored."""
    needed = set().union(*(findings_of(item.when) for item in inst.items))
    return sorted(f for f in needed if f not in findings)
