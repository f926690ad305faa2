"""The result of an inference, shaped like CDS Hooks cards, and its contract JSON.

Every record names the rules that produced it, so the dashboard and the CLI only render.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from engine.knowledge.records import ConditionKind, FactKind, Urgency
from engine.knowledge.table import Evidence
from engine.reasoning.instruments import InstrumentResult

__all__ = [
    "Firing",
    "LadderResult",
    "Evidence",
    "Ranked",
    "RedFlagHit",
    "RedFlagScreen",
    "Result",
    "RootScore",
    "Syndrome",
]


PainType = Literal["neurological", "mechanical", "mixed", "undetermined"]
ScreenStatus = Literal["not_done", "incomplete", "complete"]

@dataclass(frozen=True, slots=True)
class Firing:
    order: int
    rule: str
    layer: str
    description: str
    premises: tuple[str, ...]
    concludes: str
    sources: tuple[str, ...]
    weight: str | None  # "CF +0.4 (moderate)", "present", "known absent" or None
    matched: tuple[Mapping[str, Any], ...] = ()  # the matched premises as data (finding/fact, op, value)

    def to_dict(self) -> dict[str, Any]:
        return {
            "order": self.order,
            "rule": self.rule,
            "premises": list(self.premises),
            "concludes": self.concludes,
            "source": ", ".join(self.sources),
            "sources": list(self.sources),
            "layer": self.layer,
            "description": self.description,
            "weight": self.weight,
            "matched": [dict(m) for m in self.matched],
        }


@dataclass(frozen=True, slots=True)
class RedFlagHit:
    id: str
    label: str
    urgency: Urgency
    action: str
    suggests: tuple[str, ...]
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Syndrome:
    id: str
    label: str
    kind: FactKind
    description: str
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ranked:
    id: str
    label: str
    kind: ConditionKind
    score: float
    prior: float
    must_not_miss: bool  # suggested by an urgent or emergency red flag: listed first
    rules: tuple[str, ...]  # the likelihood rows that moved it, in table order
    for_rules: tuple[str, ...]
    against_rules: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()  # every known row's effect: log10 ratio against the catch-all
    log_prior_odds: float = 0.0  # log10 prior odds against the catch-all; plus the evidence = posterior log-odds


@dataclass(frozen=True, slots=True)
class RedFlagScreen:
    status: ScreenStatus
    asked: tuple[str, ...]
    unasked: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RootScore:
    root: str
    score: float
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LadderResult:
    step: str
    label: str
    order: int
    reason: str
    rules: tuple[str, ...]
    next_step: str | None
    next_entry: str | None
    do_not_offer: tuple[Mapping[str, str], ...]
    disputed: tuple[Mapping[str, Any], ...]
    workup: tuple[str, ...] = ()  # the leading non-spinal cause's work-up, when it replaces the ladder


@dataclass(frozen=True)
class Result:
    case_id: str | None
    urgency: Urgency
    red_flags: tuple[RedFlagHit, ...]
    syndromes: tuple[Syndrome, ...]
    signs: tuple[Syndrome, ...]
    differential: tuple[Ranked, ...]
    roots: tuple[RootScore, ...]
    pain_type: PainType
    instruments: Mapping[str, InstrumentResult | None]
    ladder: LadderResult
    warnings: tuple[str, ...]
    facts: frozenset[str]
    findings: Mapping[str, Any] = field(default_factory=dict)
    red_flag_screen: RedFlagScreen = RedFlagScreen("not_done", (), ())
    pain_type_facts: tuple[str, ...] = ()  # the derived facts that set the pain type
    # the trace is built on first use: "what if" re-runs never read it
    build_trace: Callable[[], tuple[Firing, ...]] = field(default=tuple, repr=False, compare=False)

    @cached_property
    def trace(self) -> tuple[Firing, ...]:
        """Every firing in order: rule, the facts it matched, what it concluded, its sources."""
        return self.build_trace()

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object (case-format.md), plus extra keys."""
        return {
            "id": self.case_id,
            "urgency": self.urgency,
            "red_flags": [
                {"id": f.id, "label": f.label, "urgency": f.urgency, "action": f.action,
                 "suggests": list(f.suggests), "rules": list(f.rules)}
                for f in self.red_flags
            ],
            "syndromes": [{"id": s.id, "label": s.label, "kind": s.kind, "rules": list(s.rules)} for s in self.syndromes],
            "signs": [{"id": s.id, "label": s.label, "rules": list(s.rules)} for s in self.signs],
            "differential": [
                {"id": d.id, "label": d.label, "kind": d.kind, "score": d.score, "prior": d.prior,
                 "must_not_miss": d.must_not_miss,
                 "rules": list(d.rules), "for": list(d.for_rules), "against": list(d.against_rules),
                 "log_prior_odds": d.log_prior_odds, "evidence": [e.to_dict() for e in d.evidence if e.counted]}
                for d in self.differential
            ],
            "roots": [{"root": r.root, "score": r.score, "rules": list(r.rules)} for r in self.roots],
            "pain_type": self.pain_type,
            "instruments": {iid: None if r is None else dict(r.output) for iid, r in self.instruments.items()},
            "ladder": {
                "step": self.ladder.step, "label": self.ladder.label, "order": self.ladder.order,
                "reason": self.ladder.reason, "rules": list(self.ladder.rules),
                "next_step": self.ladder.next_step, "next_entry": self.ladder.next_entry,
                "do_not_offer": [dict(d) for d in self.ladder.do_not_offer],
                "disputed": [dict(d) for d in self.ladder.disputed],
                "workup": list(self.ladder.workup),
            },
            "red_flag_screen": {"status": self.red_flag_screen.status, "unasked": list(self.red_flag_screen.unasked)},
            "warnings": list(self.warnings),
            "trace": [f.to_dict() for f in self.trace],
        }
