"""Teaching mode, progress: one record per case done, summaries and a CSV export.

Records are plain frozen rows so the dashboard can keep them in its session and a case
store can persist them later without knowing about debriefs.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields

from engine.teaching.cases import TeachingCase
from engine.teaching.debrief import Debrief

__all__ = ["CaseRecord", "mean_score", "most_missed", "record", "to_csv"]


@dataclass(frozen=True, slots=True)
class CaseRecord:
    case_id: str
    title: str
    difficulty: str  # "unknown" when the case file does not say
    setting: str
    expected_condition: str
    student_top: str
    score: float
    killer: bool
    urgency_expected: str
    urgency_given: str
    questions: int
    red_flags_not_asked: int
    missed: str  # key features not fully scored, "; "-separated


def record(case: TeachingCase, d: Debrief) -> CaseRecord:
    return CaseRecord(
        case_id=case.id,
        title=case.title,
        difficulty=case.difficulty or "unknown",
        setting=case.setting or "unknown",
        expected_condition=case.expected.top_condition,
        student_top=d.commitment.differential[0] if d.commitment.differential else "",
        score=d.score.percent,
        killer=d.score.killer,
        urgency_expected=case.expected.urgency,
        urgency_given=d.commitment.urgency,
        questions=d.questions,
        red_flags_not_asked=len(d.red_flags_not_asked),
        missed="; ".join(d.missed),
    )


def mean_score(records: Sequence[CaseRecord]) -> float | None:
    return round(sum(r.score for r in records) / len(records), 1) if records else None


def most_missed(records: Iterable[CaseRecord]) -> list[tuple[str, int]]:
    """Conditions the student did not name first, most often missed first."""
    counts = Counter(r.expected_condition for r in records if r.student_top != r.expected_condition)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def to_csv(records: Iterable[CaseRecord]) -> str:
    """The session record as CSV text, one row per case, a header row first."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f.name for f in fields(CaseRecord)], lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow(asdict(r))
    return out.getvalue()
