"""Teaching mode, the debrief: the engine's reasoning beside the student's.

Everything is measured with the engine itself, on what the student revealed:
* a finding asked "changed nothing" when removing it from the revealed case leaves the
  urgency, the top three, the leading root and the ladder step as they were and moves
  the differential by less than ``NEGLIGIBLE`` (total variation distance);
* the most informative questions not asked are the findings the case states that the
  student never revealed, ranked by how much adding each one to the revealed case moves
  the urgency first (a missed emergency outweighs any reshuffle), then the top of the
  differential, then the whole differential.

The differential is normalised here before it is compared, so the comparison holds
whether the engine reports independent probabilities or one posterior with an "other"
entry: extra entries are just more mass in the distribution.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.records import URGENCIES
from engine.reasoning.infer import infer
from engine.reasoning.result import Result
from engine.teaching.score import CaseScore, Commitment, score_case
from engine.teaching.session import Session, format_value

__all__ = ["NEGLIGIBLE", "Debrief", "Impact", "Snapshot", "debrief", "impact", "snapshot"]

NEGLIGIBLE = 0.005  # half a percentage point of probability mass moved


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The decisions a result supports, in the shape a student commits to."""

    urgency: str
    top3: tuple[str, ...]
    root: str | None
    step: str
    posterior: Mapping[str, float]  # normalised differential


def snapshot(result: Result) -> Snapshot:
    total = sum(max(d.score, 0.0) for d in result.differential)
    posterior = {d.id: (max(d.score, 0.0) / total if total else 0.0) for d in result.differential}
    return Snapshot(
        result.urgency,
        tuple(d.id for d in result.differential[:3]),
        result.roots[0].root if result.roots else None,
        result.ladder.step,
        posterior,
    )


@dataclass(frozen=True, slots=True)
class Impact:
    finding: str
    text: str  # the case's value, as the student would have read it
    urgency_delta: int  # levels of urgency gained (+) or lost (-)
    top_changed: bool
    shift: float  # total variation distance between the two normalised differentials
    changes: tuple[str, ...]

    @property
    def changed_nothing(self) -> bool:
        return not self.changes and self.shift < NEGLIGIBLE

    @property
    def rank_key(self) -> tuple[float, ...]:
        return (-abs(self.urgency_delta), -float(self.top_changed), -len(self.changes), -self.shift)


def impact(before: Snapshot, after: Snapshot, kb: KnowledgeBase, finding: str, text: str) -> Impact:
    """What learning ``finding`` changed between two snapshots."""
    changes = []
    delta = URGENCIES.index(after.urgency) - URGENCIES.index(before.urgency)
    if delta:
        changes.append(f"urgency {before.urgency} → {after.urgency}")
    top_changed = before.top3[:1] != after.top3[:1]
    if top_changed:
        changes.append(f"top condition {_label(kb, before.top3)} → {_label(kb, after.top3)}")
    elif before.top3 != after.top3:
        changes.append("order of the top three")
    if before.root != after.root:
        changes.append(f"leading root {before.root or 'none'} → {after.root or 'none'}")
    if before.step != after.step:
        changes.append(f"next step {kb.label(before.step)} → {kb.label(after.step)}")
    ids = set(before.posterior) | set(after.posterior)
    shift = 0.5 * sum(abs(before.posterior.get(i, 0.0) - after.posterior.get(i, 0.0)) for i in ids)
    return Impact(finding, text, delta, top_changed, shift, tuple(changes))


def _label(kb: KnowledgeBase, top: tuple[str, ...]) -> str:
    return kb.label(top[0]) if top else "none"


def _snap(findings: Mapping[str, Any], kb: KnowledgeBase) -> Snapshot:
    return snapshot(infer(findings, kb))


def _text(session: Session, fid: str, kb: KnowledgeBase) -> str:
    return format_value(session.case.findings.get(fid), kb.findings[fid])


def asked_that_changed_nothing(session: Session, kb: KnowledgeBase) -> tuple[str, ...]:
    """Findings asked, answered by the case, whose answer moved nothing."""
    revealed = session.revealed()
    now = _snap(revealed, kb)
    out = []
    for fid in revealed:
        without = _snap({k: v for k, v in revealed.items() if k != fid}, kb)
        if impact(without, now, kb, fid, _text(session, fid, kb)).changed_nothing:
            out.append(fid)
    return tuple(out)


def informative_not_asked(session: Session, kb: KnowledgeBase, limit: int = 5) -> tuple[Impact, ...]:
    """The case's findings never revealed, most decision-changing first."""
    revealed = session.revealed()
    now = _snap(revealed, kb)
    impacts = [
        impact(now, _snap({**revealed, fid: value}, kb), kb, fid, _text(session, fid, kb))
        for fid, value in session.case.findings.items()
        if fid not in session.asked
    ]
    ranked = sorted((i for i in impacts if not i.changed_nothing), key=lambda i: (i.rank_key, i.finding))
    return tuple(ranked[:limit])


@dataclass(frozen=True, slots=True)
class Debrief:
    score: CaseScore
    commitment: Commitment
    engine: Snapshot  # the engine on the full case
    on_revealed: Snapshot  # the engine on what the student revealed
    questions: int
    red_flags_not_asked: tuple[tuple[str, str], ...]  # (finding, the case's answer)
    changed_nothing: tuple[str, ...]
    informative: tuple[Impact, ...]
    learning_points: tuple[str, ...]
    citation: str
    url: str | None
    known_limitations: Mapping[str, str]

    @property
    def right(self) -> tuple[str, ...]:
        return tuple(f.label for f in self.score.features if f.score >= 1.0)

    @property
    def missed(self) -> tuple[str, ...]:
        return tuple(f.label for f in self.score.features if f.score < 1.0)


def debrief(session: Session, commitment: Commitment, kb: KnowledgeBase) -> Debrief:
    """Score the commitment and explain it, with the engine's answer beside it."""
    case = session.case
    full = _snap(case.findings, kb)
    flags = kb.red_flag_findings
    score = score_case(case, commitment, session.asked, flags, full.step)
    return Debrief(
        score=score,
        commitment=commitment,
        engine=full,
        on_revealed=_snap(session.revealed(), kb),
        questions=session.question_count,
        red_flags_not_asked=tuple((fid, _text(session, fid, kb)) for fid in session.red_flags_not_asked(kb)),
        changed_nothing=asked_that_changed_nothing(session, kb),
        informative=informative_not_asked(session, kb),
        learning_points=case.teaching_points,
        citation=case.source.citation,
        url=case.source.url,
        known_limitations=dict(case.known_limitations),
    )
