"""Answers to "why this?", "why not that?" and "what would change the picture?".

``why`` walks the trace backward from a conclusion to the findings (for a cause: the
likelihood rows that moved it, and the chains behind its syndrome). ``why_not`` looks at
the rules that could conclude something and did not fire, naming for each premise whether
it failed or was unknown (and which unknown findings would let it fire); for a cause, the
rows characteristic of it that are unknown or absent. ``evidence_for`` reads a cause's
evidence from the result (never re-scored). ``what_if`` tries each candidate value of each
unknown finding the rules read, continuing from the case's own chaining and weighing
(``engine.reasoning.delta``: no cards, no trace; the same answers as re-running ``infer``),
and reports the answers that change the urgency, the top of the differential, the root or
the step.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.premises import (
    Premise,
    describe,
    evaluate,
    facts_of,
    findings_of,
)
from engine.reasoning.case import Case
from engine.reasoning.delta import Outline, base_of, outline_if
from engine.reasoning.infer import inputs_of
from engine.reasoning.result import Evidence, Firing, Result

__all__ = [
    "Counterfactual",
    "Evidence",
    "PremiseStatus",
    "RuleGap",
    "candidate_answers",
    "evidence_for",
    "ranked_counterfactuals",
    "what_if",
    "why",
    "why_not",
]


@dataclass(frozen=True, slots=True)
class PremiseStatus:
    text: str
    status: str  # "true" | "false" | "unknown"
    unknown_findings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleGap:
    rule: str
    description: str
    premises: tuple[PremiseStatus, ...]
    sources: tuple[str, ...]

    @property
    def blocked_by_unknown(self) -> bool:
        """No premise is false: asking the unknown findings could make it fire."""
        return all(p.status != "false" for p in self.premises)


@dataclass(frozen=True, slots=True)
class Counterfactual:
    finding: str
    value: Any
    changes: tuple[str, ...]  # human-readable differences from the current result


def why(result: Result, kb: KnowledgeBase, fact_id: str) -> list[Firing]:
    """The firings that led to ``fact_id``, in firing order: its derivation back to findings."""
    premises = kb.premises_by_id
    by_concl: dict[str, list[Firing]] = {}
    for f in result.trace:
        by_concl.setdefault(f.concludes, []).append(f)
    ranked = next((d for d in result.differential if d.id == fact_id), None)
    if ranked is not None:  # a cause: the rows that moved it stand in for rules that concluded it
        by_concl[fact_id] = [f for f in by_concl.get("differential", []) if f.rule in ranked.rules]
    wanted: list[Firing] = []
    seen: set[int] = set()
    todo = [fact_id]
    while todo:
        for firing in by_concl.get(todo.pop(), []):
            if firing.order in seen:
                continue
            seen.add(firing.order)
            wanted.append(firing)
            todo.extend(f for p in premises[firing.rule] for f in facts_of(p))
    return sorted(wanted, key=lambda f: f.order)


def _status(p: Premise, inputs: Mapping[str, Any], facts: Mapping[str, bool]) -> PremiseStatus:
    truth = evaluate(p, inputs, facts)
    unknown = tuple(sorted(f for f in findings_of(p) if f not in inputs)) if truth is None else ()
    status = "true" if truth else "unknown" if truth is None else "false"
    return PremiseStatus(describe(p), status, unknown)


def why_not(result: Result, kb: KnowledgeBase, target: str) -> list[RuleGap]:
    """Rules that conclude ``target`` but did not fire, with each premise's status."""
    fired = {f.rule for f in result.trace}
    inputs = inputs_of(result.findings, result.instruments)
    facts = {fid: True for fid in result.facts}
    gaps = []
    if target in kb.conditions:
        return _cause_gaps(result, kb, target, inputs, facts)
    for rule in kb.rules:
        if rule.then != target or rule.id in fired:
            continue
        statuses = tuple(_status(p, inputs, facts) for p in rule.when)
        gaps.append(RuleGap(rule.id, rule.description, statuses, rule.sources))
    return sorted(gaps, key=lambda g: (not g.blocked_by_unknown, g.rule))


def _cause_gaps(result: Result, kb: KnowledgeBase, target: str, inputs: Mapping[str, Any], facts: Mapping[str, bool]) -> list[RuleGap]:
    """For a cause: the rows that would raise it if present (their cell exceeds the catch-all)
    and are unknown or known absent; the unknown ones first (asking could change it)."""
    gaps = []
    for row in kb.likelihoods:
        p = row.p.get(target, row.default)
        if p <= row.default or evaluate(row.when, inputs, facts):
            continue
        gaps.append(RuleGap(row.id, f"{row.label} (in {p:.0%} of {kb.label(target)}, {row.default:.0%} otherwise)",
                            (_status(row.when, inputs, facts),), row.sources))
    return sorted(gaps, key=lambda g: (not g.blocked_by_unknown, g.rule))


def evidence_for(result: Result, kb: KnowledgeBase, condition: str) -> list[Evidence]:
    """What moved a cause, for and against, as the result recorded it (never re-scored)."""
    ranked = next((d for d in result.differential if d.id == condition), None)
    if ranked is None:
        raise KeyError(condition)
    return [e for e in ranked.evidence if e.counted]


def _summary(result: Result) -> dict[str, Any]:
    top = result.differential[0] if result.differential else None
    return {
        "urgency": result.urgency,
        "top": top.id if top else None,
        "step": result.ladder.step,
        "root": result.roots[0].root if result.roots else None,
        "flags": {f.id for f in result.red_flags},
    }


def _diff(kb: KnowledgeBase, before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    out = []
    if before["urgency"] != after["urgency"]:
        out.append(f"urgency {before['urgency']} -> {after['urgency']}")
    for flag in sorted(after["flags"] - before["flags"]):
        out.append(f"red flag: {kb.red_flags[flag].label}")
    if before["top"] != after["top"]:
        out.append(f"top of differential -> {kb.label(after['top'])}")
    if before["root"] != after["root"]:
        out.append(f"most likely root -> {after['root'] or 'none'}")
    if before["step"] != after["step"]:
        out.append(f"ladder step -> {kb.label(after['step'])}")
    return tuple(out)


def candidate_answers(case: Case, kb: KnowledgeBase) -> Iterator[tuple[str, Any]]:
    """Each unknown finding a rule or likelihood row reads, with each value that would make
    one of its tests true (what asking could reveal), in a stable order."""
    findings = case.findings
    for finding, values in kb.answers_by_finding:  # built once per knowledge base
        if finding not in findings:
            for value in values:
                yield finding, value


def ranked_counterfactuals(out: list[Counterfactual]) -> list[Counterfactual]:
    """Most consequential first: a change of urgency, then the most changes."""
    return sorted(out, key=lambda c: (not c.changes[0].startswith("urgency"), -len(c.changes), c.finding))


def what_if(case: Case, kb: KnowledgeBase, result: Result | None = None) -> list[Counterfactual]:
    """For each unknown finding a rule reads: the answers that would change the picture."""
    base = base_of(case.findings, kb)
    now = base.outline
    before = _summary(result) if result is not None else _outline_summary(now)
    unchanged = _diff(kb, before, _outline_summary(now))  # most answers leave the outline as it is
    out: list[Counterfactual] = []
    for finding, value in candidate_answers(case, kb):
        after = outline_if(base, finding, value)  # continued from the case's state: no cards, no trace
        changes = unchanged if after == now else _diff(kb, before, _outline_summary(after))
        if changes:
            out.append(Counterfactual(finding, value, changes))
    return ranked_counterfactuals(out)


def _outline_summary(o: Outline) -> dict[str, Any]:
    """``_summary``'s dict from an outline."""
    return {"urgency": o.urgency, "top": o.top, "step": o.step, "root": o.root, "flags": set(o.red_flags)}
