"""Premises: typed conditions over findings and derived facts, and their three-valued truth.

A premise is a record discriminated on ``op`` (never an eval string). Leaf tests read one
finding (or one instrument band); ``fact`` reads a derived fact; ``all`` / ``any`` /
``at_least`` / ``not`` combine. Truth is three-valued: ``True``, ``False`` or ``None``
(unknown), because a finding that was not asked is not absent (case-format contract).

``not`` may only wrap finding and instrument tests (it is pushed down to the leaves by De
Morgan at compile time): derived facts are monotone, so "this fact was not concluded"
means "not established", never "false".
"""

import operator  # no ``from __future__ import annotations``: see ``records``
from collections.abc import Callable, Iterator, Mapping
from typing import Annotated, Any, Literal, Self, TypeGuard, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "AllOf",
    "AnyOf",
    "AtLeast",
    "Compare",
    "Eq",
    "FactIs",
    "Has",
    "HasAny",
    "InSet",
    "InstrumentIs",
    "Is",
    "Unknown",
    "IsEmpty",
    "Not",
    "Premise",
    "describe",
    "evaluate",
    "findings_of",
    "leaves",
    "facts_of",
    "Leaf",
    "FindingLeaf",
    "is_leaf",
    "leaf_input",
    "leaf_test",
    "reads_finding",
]

Value = object


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)  # as records.Frozen


class Is(_Frozen):
    """A yes/no finding has this value."""

    op: Literal["is"]
    finding: str
    value: bool


class Eq(_Frozen):
    """A categorical finding equals this value."""

    op: Literal["eq"]
    finding: str
    value: str


class InSet(_Frozen):
    """A categorical finding is one of these values."""

    op: Literal["in"]
    finding: str
    values: tuple[str, ...] = Field(min_length=1)


class Compare(_Frozen):
    """A numeric finding compared with a threshold."""

    op: Literal["ge", "gt", "le", "lt"]
    finding: str
    value: float


class Has(_Frozen):
    """A set-valued finding contains this item."""

    op: Literal["has"]
    finding: str
    value: str


class HasAny(_Frozen):
    """A set-valued finding contains at least one of these items."""

    op: Literal["has_any"]
    finding: str
    values: tuple[str, ...] = Field(min_length=1)


class IsEmpty(_Frozen):
    """A set-valued finding was asked and is empty (e.g. no weakness on testing)."""

    op: Literal["empty"]
    finding: str


class Unknown(_Frozen):
    """A finding was not asked. Lets a safety rule act on a gap ("onset not established")
    instead of reading the gap as absent; inputs are never derived, so this stays monotone
    within one inference."""

    op: Literal["unknown"]
    finding: str


class InstrumentIs(_Frozen):
    """A published instrument's result falls in this band (unknown if the instrument is null)."""

    op: Literal["instrument"]
    instrument: str
    band: str


class FactIs(_Frozen):
    """A derived fact has been concluded by some rule."""

    op: Literal["fact"]
    fact: str


class AllOf(_Frozen):
    op: Literal["all"]
    of: tuple["Premise", ...] = Field(min_length=1)


class AnyOf(_Frozen):
    op: Literal["any"]
    of: tuple["Premise", ...] = Field(min_length=1)


class AtLeast(_Frozen):
    op: Literal["at_least"]
    n: int = Field(ge=1)
    of: tuple["Premise", ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _reachable(self) -> Self:
        # n above the number of children can never hold; a repeated child would be
        # counted twice by the evaluator but once by the compiled network
        if self.n > len(self.of):
            raise ValueError(f"at_least {self.n} of only {len(self.of)} premises can never hold")
        repeated = sorted({describe(c) for i, c in enumerate(self.of) if c in self.of[:i]})
        if repeated:
            raise ValueError(f"at_least lists the same premise twice: {'; '.join(repeated)}")
        return self


class Not(_Frozen):
    op: Literal["not"]
    of: "Premise"


Leaf = Union[Is, Eq, InSet, Compare, Has, HasAny, IsEmpty, InstrumentIs, Unknown]
Premise = Annotated[
    Union[Is, Eq, InSet, Compare, Has, HasAny, IsEmpty, InstrumentIs, Unknown, FactIs, AllOf, AnyOf, AtLeast, Not],
    Field(discriminator="op"),
]
# AllOf, AnyOf, AtLeast and Not name ``Premise`` before it exists: pydantic resolves it from
# this module when a premise is first validated (``defer_build``), not at import, so a run
# that loads cached content never builds their validators (about 40 ms of the CLI's start)

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {"ge": operator.ge, "gt": operator.gt, "le": operator.le, "lt": operator.lt}
LEAF_TYPES = (Is, Eq, InSet, Compare, Has, HasAny, IsEmpty, InstrumentIs, Unknown)
FINDING_LEAF_TYPES = (Is, Eq, InSet, Compare, Has, HasAny, IsEmpty, Unknown)
FindingLeaf = Union[Is, Eq, InSet, Compare, Has, HasAny, IsEmpty, Unknown]


def is_leaf(p: Premise) -> TypeGuard[Leaf]:
    return isinstance(p, LEAF_TYPES)


def reads_finding(p: Premise) -> TypeGuard[FindingLeaf]:
    """A leaf that tests a finding (not an instrument band, a fact or a group)."""
    return isinstance(p, FINDING_LEAF_TYPES)
_SYMBOL = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


def leaf_test(p: Leaf) -> Callable[[Any], bool]:
    """Return a one-argument predicate for a leaf over a *known* value (the compiler's closure)."""
    if isinstance(p, Is | Eq):
        wanted: object = p.value
        return lambda v: bool(v == wanted)
    if isinstance(p, InSet | HasAny):
        among = frozenset(p.values)
        if isinstance(p, InSet):
            return lambda v: v in among
        return lambda v: not among.isdisjoint(v)
    if isinstance(p, Compare):
        cmp, bound = _COMPARE[p.op], p.value
        return lambda v: cmp(v, bound)
    if isinstance(p, Has):
        member = p.value
        return lambda v: member in v
    if isinstance(p, IsEmpty):
        return lambda v: len(v) == 0
    if isinstance(p, InstrumentIs):
        band = p.band
        return lambda v: band in v  # an instrument's value is its set of bands
    if isinstance(p, Unknown):
        return lambda v: False  # called only on a known value
    raise TypeError(f"not a leaf: {p!r}")


def leaf_input(p: Leaf) -> str:
    """The input a leaf reads: a finding id, or ``instrument:<id>``."""
    return f"instrument:{p.instrument}" if isinstance(p, InstrumentIs) else p.finding


def evaluate(p: Premise, inputs: Mapping[str, Value], facts: Mapping[str, bool] | None = None) -> bool | None:
    """Three-valued truth of a premise: ``None`` when it hangs on something unknown."""
    if isinstance(p, FactIs):
        return True if facts and facts.get(p.fact) else None
    if isinstance(p, Not):
        inner = evaluate(p.of, inputs, facts)
        return None if inner is None else not inner
    if isinstance(p, AllOf | AnyOf | AtLeast):
        values = [evaluate(c, inputs, facts) for c in p.of]
        need = len(values) if isinstance(p, AllOf) else 1 if isinstance(p, AnyOf) else p.n
        trues, falses = values.count(True), values.count(False)
        if trues >= need:
            return True
        return False if len(values) - falses < need else None
    value = inputs.get(leaf_input(p))
    if isinstance(p, Unknown):
        return value is None
    return None if value is None else bool(leaf_test(p)(value))


def describe(p: Premise) -> str:
    """A short human reading of a premise, used in traces and explanations."""
    if isinstance(p, Is):
        return p.finding if p.value else f"no {p.finding}"
    if isinstance(p, Eq):
        return f"{p.finding} = {p.value}"
    if isinstance(p, InSet):
        return f"{p.finding} in {{{', '.join(p.values)}}}"
    if isinstance(p, Compare):
        return f"{p.finding} {_SYMBOL[p.op]} {p.value:g}"
    if isinstance(p, Has):
        return f"{p.value} in {p.finding}"
    if isinstance(p, HasAny):
        return f"{p.finding} includes any of {{{', '.join(p.values)}}}"
    if isinstance(p, IsEmpty):
        return f"{p.finding} = none"
    if isinstance(p, InstrumentIs):
        return f"{p.instrument} {p.band}"
    if isinstance(p, Unknown):
        return f"{p.finding} not asked"
    if isinstance(p, FactIs):
        return p.fact
    if isinstance(p, Not):
        return f"not ({describe(p.of)})"
    joined = "; ".join(describe(c) for c in p.of)
    if isinstance(p, AllOf):
        return f"all of ({joined})"
    if isinstance(p, AnyOf):
        return f"any of ({joined})"
    return f"at least {p.n} of ({joined})"


def _walk(p: Premise) -> Iterator[Premise]:
    yield p
    if isinstance(p, AllOf | AnyOf | AtLeast):
        for c in p.of:
            yield from _walk(c)
    elif isinstance(p, Not):
        yield from _walk(p.of)


def leaves(p: Premise) -> Iterator[Premise]:
    """The leaf tests and fact reads of a premise, through every group and ``not``."""
    return (q for q in _walk(p) if not isinstance(q, AllOf | AnyOf | AtLeast | Not))


def findings_of(p: Premise) -> set[str]:
    """Finding ids a premise reads (for cross-reference checks and "what to ask next")."""
    return {q.finding for q in _walk(p) if hasattr(q, "finding")}


def facts_of(p: Premise) -> set[str]:
    """Derived fact ids a premise reads."""
    return {q.fact for q in _walk(p) if isinstance(q, FactIs)}
