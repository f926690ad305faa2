"""Teaching mode, the interview: a student asks for findings and the case answers.

Pure and immutable: a ``Session`` is a case plus the questions asked, in order; ``ask``
returns a new session. Each answer is the value the cited case states, or "not recorded"
where the source does not say (never "no": unknown is not absent, as everywhere in Radix).

Sections come from the finding groups in ``content/findings.yaml``; only the grouping of
groups into the three parts of a consultation (history, red-flag screen, examination) is
written here, so a finding added to a group is asked in the right section at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.records import FindingDef, Section
from engine.teaching.cases import TeachingCase

__all__ = [
    "NOT_RECORDED",
    "SECTION_LABELS",
    "Reply",
    "Session",
    "reveal",
    "reveal_many",
    "format_value",
    "section_progress",
    "sections",
]

NOT_RECORDED = "not recorded"
SECTION_LABELS: dict[Section, str] = {"history": "History", "red_flags": "Red-flag screen", "examination": "Examination"}


def sections(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Finding ids by section (history, red_flags, examination), in findings.yaml order."""
    out: dict[str, list[str]] = {s: [] for s in SECTION_LABELS}
    for fid in kb.findings:
        out[kb.section_of(fid)].append(fid)
    return {s: tuple(ids) for s, ids in out.items()}


def format_value(value: Any, f: FindingDef) -> str:
    """A finding's value as a student reads it."""
    if value is None:
        return NOT_RECORDED
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (set, frozenset, list, tuple)):
        return ", ".join(sorted(str(v).replace("_", " ") for v in value)) or "none"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("_", " ")


@dataclass(frozen=True, slots=True)
class Reply:
    finding: str
    label: str
    value: Any  # None when the case does not record it
    text: str

    @property
    def recorded(self) -> bool:
        return self.value is not None


@dataclass(frozen=True, slots=True)
class Session:
    """One student working one case: the questions asked, in order, each once."""

    case: TeachingCase
    asked: tuple[str, ...] = ()

    def answer(self, fid: str, kb: KnowledgeBase) -> Reply:
        f = kb.findings[fid]
        value = self.case.findings.get(fid)
        return Reply(fid, f.label, value, format_value(value, f))

    def answers(self, kb: KnowledgeBase) -> tuple[Reply, ...]:
        return tuple(self.answer(fid, kb) for fid in self.asked)

    @property
    def question_count(self) -> int:
        return len(self.asked)

    def revealed(self) -> dict[str, Any]:
        """The findings the student now knows: asked and recorded (the engine's input)."""
        return {fid: self.case.findings[fid] for fid in self.asked if fid in self.case.findings}

    def not_asked(self, kb: KnowledgeBase) -> tuple[str, ...]:
        return tuple(fid for fid in kb.findings if fid not in self.asked)

    def red_flags_not_asked(self, kb: KnowledgeBase) -> tuple[str, ...]:
        return tuple(fid for fid in kb.red_flag_findings if fid not in self.asked)


def reveal(session: Session, fid: str, kb: KnowledgeBase) -> tuple[Session, Reply]:
    """Reveal what the case records for one question; asking again repeats the answer without counting it twice."""
    if fid not in kb.findings:
        raise KeyError(f"unknown finding {fid!r}")
    if fid not in session.asked:
        session = replace(session, asked=(*session.asked, fid))
    return session, session.answer(fid, kb)


def reveal_many(session: Session, fids: Iterable[str], kb: KnowledgeBase) -> tuple[Session, tuple[Reply, ...]]:
    """Reveal several answers (a whole section); each question counts once."""
    answers = []
    for fid in fids:
        session, a = reveal(session, fid, kb)
        answers.append(a)
    return session, tuple(answers)


def section_progress(session: Session, kb: KnowledgeBase) -> Mapping[str, tuple[int, int]]:
    """Questions asked and available per section."""
    asked = set(session.asked)
    return {s: (len(asked & set(ids)), len(ids)) for s, ids in sections(kb).items()}
