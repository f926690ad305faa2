"""The trace of an inference, built on first use (``Result.trace``): every rule firing in
order, then each known likelihood row, with the premises each matched as text and as data
(finding or fact, test, value and the observed value), so no view parses premise strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.network import Network
from engine.knowledge.premises import (
    LEAF_TYPES,
    AllOf,
    AnyOf,
    AtLeast,
    FactIs,
    HasAny,
    Is,
    IsEmpty,
    Not,
    Premise,
    Unknown,
    describe,
    evaluate,
    findings_of,
    reads_finding,
)
from engine.knowledge.records import Rule
from engine.reasoning.chaining import Chaining
from engine.reasoning.result import Firing
from engine.reasoning.scoring import Observation

__all__ = ["trace_of"]

_PREMISE_TYPES = (AllOf, AnyOf, AtLeast, FactIs, Not, *LEAF_TYPES)


def _weight(rule: Rule, kb: KnowledgeBase) -> str | None:
    if rule.support is None:
        return None
    sign = "+" if rule.direction == "for" else "-"
    return f"CF {sign}{kb.scoring.root_certainty_factors[rule.support]:g} ({rule.support})"


def _matched(p: Premise, inputs: Mapping[str, Any], facts: Mapping[str, bool]) -> str:
    """A premise as matched: for a group, only the members that were true."""
    if isinstance(p, AnyOf | AtLeast | AllOf):
        true = [_matched(c, inputs, facts) for c in p.of if evaluate(c, inputs, facts)]
        if isinstance(p, AllOf):
            return "; ".join(true)
        return ("any of: " if isinstance(p, AnyOf) else f"{len(true)} (of {p.n} needed): ") + "; ".join(true)
    return describe(p)


def _matched_leaves(kb: KnowledgeBase, p: Premise, inputs: Mapping[str, Any], facts: Mapping[str, bool]) -> list[dict[str, Any]]:
    """The matched premises as data: each true leaf (finding or fact, test, value, and the
    observed value), with a label-based text, so no view parses premise strings back."""
    if isinstance(p, AnyOf | AtLeast | AllOf):
        return [leaf for c in p.of if evaluate(c, inputs, facts) for leaf in _matched_leaves(kb, c, inputs, facts)]
    data = _as_data(p)
    if "finding" in data:
        value = inputs.get(data["finding"])
        data["observed"] = sorted(value) if isinstance(value, frozenset | set) else value
    data["text"] = _leaf_text(kb, p, data.get("observed"))
    return [data]


def _as_data(p: Premise) -> dict[str, Any]:
    """A premise's fields as plain data, in field order, None left out: what pydantic's
    ``model_dump(exclude_none=True)`` gives, without building a serializer for each premise
    class on a CLI run's first trace."""
    return {k: _plain(v) for k, v in vars(p).items() if v is not None}


def _plain(v: Any) -> Any:
    if isinstance(v, _PREMISE_TYPES):
        return _as_data(v)
    return tuple([_plain(x) for x in v]) if isinstance(v, tuple) else v


def _observed(kb: KnowledgeBase, p: Premise, inputs: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """For a row known absent: the recorded findings that make it so, as data."""
    out = []
    for fid in sorted(findings_of(p)):
        value = inputs.get(fid)
        if value is None:
            continue
        shown = ", ".join(sorted(value)) if isinstance(value, frozenset | set) else str(value)
        label = kb.findings[fid].label if fid in kb.findings else fid
        out.append({"op": "observed", "finding": fid, "observed": sorted(value) if isinstance(value, frozenset | set) else value,
                    "text": f"{label}: {shown or 'none'}".replace("_", " ")})
    return tuple(out)


def _leaf_text(kb: KnowledgeBase, p: Premise, observed: Any) -> str:
    if isinstance(p, FactIs):
        return kb.label(p.fact)
    if isinstance(p, Not):
        return f"not {describe(p.of)}"
    if not reads_finding(p):
        return describe(p)
    label = kb.findings[p.finding].label if p.finding in kb.findings else p.finding
    if isinstance(p, Is):
        return label if p.value else f"{label}: no"
    if isinstance(p, HasAny):
        return f"{label}: {', '.join(v for v in p.values if v in (observed or ()))}".replace("_", " ")
    if isinstance(p, Unknown):
        return f"{label}: not asked"
    if isinstance(p, IsEmpty):
        return f"{label}: none"
    return f"{label}: {describe(p).removeprefix(p.finding).strip(' =')}".replace("_", " ")


def trace_of(
    kb: KnowledgeBase, net: Network, run: Chaining, inputs: Mapping[str, Any], observations: tuple[Observation, ...]
) -> tuple[Firing, ...]:
    """Every firing in order (the rules, then the likelihood rows in table order), with the
    premises each matched, as text and as data."""
    out = []
    derived = [(net.names[i], s) for i, s in enumerate(run.since) if s >= 1]
    for order, r in enumerate(run.fired, start=1):
        rule = kb.rules[r]
        facts = {name: True for name, s in derived if s < order}
        premises = tuple(_matched(p, inputs, facts) for p in rule.when) or ("(always)",)
        matched = tuple(leaf for p in rule.when for leaf in _matched_leaves(kb, p, inputs, facts))
        matched = matched or ({"op": "always", "text": "(always)"},)
        out.append(Firing(order, rule.id, rule.layer, rule.description, premises, rule.then, rule.sources, _weight(rule, kb), matched))
    # then the likelihood table, in table order: each known row is one weighing of the differential
    facts = {name: True for name, _ in derived}
    for ob in observations:
        status = "present" if ob.present else "known absent"
        premise = describe(ob.row.when) if ob.present else f"not ({describe(ob.row.when)})"
        weight = status if ob.counted else f"{status}; not counted (a correlated row of group {ob.row.group} counts)"
        matched = tuple(_matched_leaves(kb, ob.row.when, inputs, facts)) if ob.present else _observed(kb, ob.row.when, inputs)
        out.append(Firing(len(out) + 1, ob.row.id, "differential", ob.row.label, (premise,), "differential",
                          ob.row.sources, weight, matched))
    return tuple(out)
