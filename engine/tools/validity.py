"""Validity of the differential on a folder of cited case files: each case's outcome, and the
figures over a set (how often the expected cause is first or in the top three, emergencies
called, under-triage, Brier score).

One measurement for its two readers: ``benchmarks/validity.py`` prints it in full, the About
page shows the figures of the held-out sets. Case files go through the one safe reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from engine.errors import CaseError
from engine.knowledge.base import KnowledgeBase
from engine.knowledge.records import URGENCIES
from engine.reasoning.case import Case
from engine.reasoning.infer import infer
from engine.tools.case_file import read_case_file

__all__ = ["Outcome", "ValidityFigures", "evaluate", "evaluate_cases", "read_cases", "validity_figures"]


@dataclass(frozen=True)
class Outcome:
    case: str
    expected: str
    presentation: str
    rank: int  # 1-based rank of the expected cause in the displayed order (must-not-miss first)
    top: str  # the most probable cause
    top_p: float
    brier: float
    urgency: str
    expected_urgency: str
    leaders: tuple[tuple[str, float], ...]  # the first three causes in display order, with probabilities

    @property
    def under_triaged(self) -> bool:
        return URGENCIES.index(self.urgency) < URGENCIES.index(self.expected_urgency)


@dataclass(frozen=True)
class ValidityFigures:
    cases: int
    first: int  # expected cause first in display order
    top_three: int
    most_probable: int  # expected cause the most probable one
    urgency_agrees: int
    under_triaged: int
    emergencies: int  # cases whose source called an emergency
    emergencies_called: int
    brier: float  # mean over cases of sum_k (p_k - y_k)^2


def read_cases(folder: Path, kb: KnowledgeBase) -> list[tuple[Path, Case]]:
    """Every ``*.yaml`` case file of ``folder``, in name order; a ``CaseError`` names the file it came from."""
    out = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            out.append((path, read_case_file(path, kb)))
        except CaseError as err:
            raise CaseError([replace(p, where=f"{path.name}: {p.where}") for p in err.problems]) from None
    return out


def evaluate_cases(folder: Path, kb: KnowledgeBase) -> list[Outcome]:
    """Every ``*.yaml`` case file of ``folder``, in name order, against its ``expected``."""
    return evaluate(read_cases(folder, kb), kb)


def evaluate(cases: Sequence[tuple[Path, Case]], kb: KnowledgeBase) -> list[Outcome]:
    """Cases already read (``read_cases``) against their ``expected``, in the order given."""
    out = []
    for path, case in cases:
        raw = case.meta
        res = infer(case, kb)
        exp = raw["expected"]["top_condition"]
        order = [d.id for d in res.differential]
        brier = sum((d.score - (d.id == exp)) ** 2 for d in res.differential)
        # calibration reads the most probable cause, not the must-not-miss display order
        top = max(res.differential, key=lambda d: d.score)
        out.append(Outcome(path.stem, exp, raw.get("presentation", "unknown"), order.index(exp) + 1, top.id, top.score,
                           brier, res.urgency, raw["expected"]["urgency"],
                           tuple((d.id, d.score) for d in res.differential[:3])))
    return out


def validity_figures(outcomes: Sequence[Outcome]) -> ValidityFigures:
    """The figures of a set of outcomes (an empty set: all zero)."""
    n = len(outcomes)
    emergencies = [o for o in outcomes if o.expected_urgency == "emergency"]
    return ValidityFigures(
        cases=n,
        first=sum(o.rank == 1 for o in outcomes),
        top_three=sum(o.rank <= 3 for o in outcomes),
        most_probable=sum(o.top == o.expected for o in outcomes),
        urgency_agrees=sum(o.urgency == o.expected_urgency for o in outcomes),
        under_triaged=sum(o.under_triaged for o in outcomes),
        emergencies=len(emergencies),
        emergencies_called=sum(o.urgency == "emergency" for o in emergencies),
        brier=sum(o.brier for o in outcomes) / n if n else 0.0,
    )
