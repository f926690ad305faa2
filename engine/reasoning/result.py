"""The result of an inference, shaped like CDS Hooks cards, and its contract JSON.

Every record names the rules that produced it, so the dashboard and the CLI only render.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import FrozenInstanceError, dataclass, field
from functools import cached_property
from typing import Any, Literal, Protocol

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
    "Weighing",
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


Lists = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[Evidence, ...]]


class Weighing(Protocol):
    """What a lazily built ``Ranked`` reads its lists from (the case's observations)."""

    def lists(self, cause: int) -> Lists:
        """A cause's (rules, for_rules, against_rules, evidence)."""
        ...


_FIELDS = ("id", "label", "kind", "score", "prior", "must_not_miss", "rules", "for_rules", "against_rules", "evidence",
           "log_prior_odds")
# what a Ranked is made of: the cause's own (id, label, kind, prior, log_prior_odds, index in
# the table), then the case's (score, must_not_miss, weighing)
_Head = tuple[str, str, ConditionKind, float, float, int, float, bool, "Weighing | None"]


class Ranked:
    """One cause of the differential: its probability, prior, and what moved it.

    ``rules`` (the counted likelihood rows that moved it, in table order), ``for_rules``,
    ``against_rules`` and ``evidence`` (every known row's effect: log10 ratio against the
    catch-all) are read from the case's observations on first use, as the trace is: most
    readers look at the first few causes only. Immutable, compared and hashed by value,
    with the fields (and constructor) of the frozen record it replaces; the fields are
    read from one tuple so that the 17 causes of every inference are made cheaply."""

    __slots__ = ("_head", "_lists")
    _head: _Head
    _lists: Lists | None

    def __init__(
        self, id: str, label: str, kind: ConditionKind, score: float, prior: float, must_not_miss: bool,  # noqa: A002 - the field's name
        rules: tuple[str, ...], for_rules: tuple[str, ...], against_rules: tuple[str, ...],
        evidence: tuple[Evidence, ...] = (), log_prior_odds: float = 0.0,
    ) -> None:
        _set_head(self, (id, label, kind, prior, log_prior_odds, 0, score, must_not_miss, None))
        _set_lists(self, (tuple(rules), tuple(for_rules), tuple(against_rules), tuple(evidence)))

    @classmethod
    def weighed(cls, head: _Head) -> Ranked:
        """A cause whose lists are read from ``weighing.lists(index)`` on first use."""
        self = _new(cls)
        _set_head(self, head)
        _set_lists(self, None)
        return self

    @property
    def id(self) -> str:
        return self._head[0]

    @property
    def label(self) -> str:
        return self._head[1]

    @property
    def kind(self) -> ConditionKind:
        return self._head[2]

    @property
    def score(self) -> float:
        return self._head[6]

    @property
    def prior(self) -> float:
        return self._head[3]

    @property
    def must_not_miss(self) -> bool:
        """Suggested by an urgent or emergency red flag: listed first."""
        return self._head[7]

    @property
    def log_prior_odds(self) -> float:
        """log10 prior odds against the catch-all; plus the evidence = posterior log-odds."""
        return self._head[4]

    def _all(self) -> Lists:
        lists: Lists | None = self._lists
        if lists is None:
            weighing = self._head[8]
            assert weighing is not None  # noqa: S101 - set whenever the lists are not
            lists = weighing.lists(self._head[5])
            _set_lists(self, lists)
        return lists

    @property
    def rules(self) -> tuple[str, ...]:
        return self._all()[0]

    @property
    def for_rules(self) -> tuple[str, ...]:
        return self._all()[1]

    @property
    def against_rules(self) -> tuple[str, ...]:
        return self._all()[2]

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return self._all()[3]

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _FIELDS)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        return self._values() == other._values() if isinstance(other, Ranked) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return f"Ranked({', '.join(f'{n}={v!r}' for n, v in zip(_FIELDS, self._values(), strict=True))})"

    def __reduce__(self) -> tuple[type[Ranked], tuple[Any, ...]]:
        return Ranked, self._values()  # plain data: the weighing is not pickled


_new = object.__new__
# the slots' descriptors: setting through them skips the refusing __setattr__
_set_head: Callable[[Ranked, _Head], None] = vars(Ranked)["_head"].__set__
_set_lists: Callable[[Ranked, Lists | None], None] = vars(Ranked)["_lists"].__set__


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
