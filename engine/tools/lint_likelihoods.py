"""Lint for the likelihood table and for reachability of every cause.

Reachability (issue: "some conditions can never win"): each cause's textbook presentation,
written in its own content record (``typical`` in conditions.yaml), must rank it first;
and every cause must be able to beat the catch-all's no-evidence score, which the same
check shows. The table's cells must name known causes, and every cause needs cells.
"""

from __future__ import annotations

from engine.errors import Problem
from engine.knowledge.base import KnowledgeBase
from engine.knowledge.records import Content

__all__ = ["MIN_CELLS", "likelihood_problems", "reachability_problems"]

MIN_CELLS = 3  # a cause with fewer characteristic rows cannot be told from the catch-all


def likelihood_problems(kb: Content) -> list[Problem]:
    """Cross-references of likelihoods.yaml and the scoring parameters it relies on."""
    from engine.tools.lint import _premise_problems  # local: lint imports this module

    out: list[Problem] = []
    if kb.scoring.reference not in kb.conditions:
        out.append(Problem("scoring.yaml", f"reference {kb.scoring.reference!r} is not a condition"))
    bands = {c.prior.band for c in kb.conditions.values() if c.prior.band}
    out += [Problem("scoring.yaml", f"prior band {b!r} has no value") for b in sorted(bands - set(kb.scoring.prior_bands))]
    cells: dict[str, int] = {c: 0 for c in kb.conditions}
    for row in kb.likelihoods:
        where = f"likelihoods.yaml: {row.id}"
        out += _premise_problems(kb, where, row.when)
        for cause in row.p:
            if cause not in kb.conditions:
                out.append(Problem(where, f"unknown cause {cause!r}"))
            elif cause == kb.scoring.reference:
                out.append(Problem(where, "the reference cause takes the row's default, not a cell"))
            else:
                cells[cause] += 1
        out += [Problem(where, f"unknown source {s!r}") for s in row.sources if s not in kb.sources]
    out += [Problem(f"rules: {r.id}", f"concludes the cause {r.then!r}: causes are weighed by likelihoods.yaml, not concluded by rules")
            for r in kb.rules if r.then in kb.conditions]
    for cause, n in cells.items():
        if cause != kb.scoring.reference and n < MIN_CELLS:
            out.append(Problem(f"conditions.yaml: {cause}", f"only {n} likelihood rows describe it (at least {MIN_CELLS})"))
    return out


def reachability_problems(kb: KnowledgeBase) -> list[Problem]:
    """Each cause's typical presentation must put it first (pinned serious causes count)."""
    from engine.errors import CaseError
    from engine.reasoning.case import parse_case
    from engine.reasoning.infer import infer

    out: list[Problem] = []
    for cid, cond in kb.conditions.items():
        where = f"conditions.yaml: {cid}.typical"
        if not cond.typical:
            out.append(Problem(where, "no typical presentation: reachability cannot be checked"))
            continue
        try:
            case = parse_case({"findings": cond.typical}, kb)
        except CaseError as exc:
            out += [Problem(where, p.message, p.value, p.expected) for p in exc.problems]
            continue
        top = infer(case, kb).differential[0]
        if top.id != cid:
            out.append(Problem(where, f"its typical presentation ranks {top.id} first ({top.score:.0%})"))
    return out
