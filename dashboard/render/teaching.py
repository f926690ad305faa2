"""Renderers for teaching mode: the interview so far, the debrief and the progress record."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from engine import CaseRecord, Debrief, KnowledgeBase, Session, mean_score, most_missed, to_csv

__all__ = ["render_answers", "render_debrief", "render_progress"]


def render_answers(session: Session, kb: KnowledgeBase) -> None:
    """Every question asked so far with the case's answer, most recent first."""
    answers = session.answers(kb)
    if not answers:
        st.caption("No questions asked yet.")
        return
    st.dataframe(
        [{"#": i, "question": a.label, "answer": a.text} for i, a in reversed(list(enumerate(answers, 1)))],
        hide_index=True, height=min(38 + 35 * len(answers), 420),
        column_config={"#": st.column_config.NumberColumn("#", width=40),
                       "question": st.column_config.TextColumn("question", width="medium"),
                       "answer": st.column_config.TextColumn("answer", width="large")},
    )


def _ids(kb: KnowledgeBase, ids: Sequence[str]) -> str:
    return ", ".join(kb.label(i) for i in ids) or "none"


def _side_by_side(d: Debrief, kb: KnowledgeBase) -> None:
    you, engine = st.columns(2)
    c = d.commitment
    you.markdown(
        "**Your answer**\n\n"
        f"- Differential: {_ids(kb, c.differential)}\n- Urgency: {c.urgency}\n"
        f"- Root level(s): {', '.join(c.roots) or 'none'}\n- Next step: {kb.label(c.next_step) if c.next_step else 'none'}"
    )
    e = d.engine
    engine.markdown(
        "**Radix on the full case**\n\n"
        f"- Differential: {_ids(kb, e.top3)}\n- Urgency: {e.urgency}\n"
        f"- Leading root: {e.root or 'none'}\n- Next step: {kb.label(e.step)}\n\n"
        f"*On only what you asked, Radix would say:* {d.on_revealed.urgency} urgency, "
        f"{kb.label(d.on_revealed.top3[0]) if d.on_revealed.top3 else 'nothing'} first."
    )


def _score(d: Debrief, kb: KnowledgeBase) -> None:
    s = d.score
    left, right = st.columns([1, 3], vertical_alignment="center")
    left.metric("Case score (key features)", f"{s.percent:.0f}%", border=True)
    with right:
        if d.right:
            st.success("**Right:** " + ", ".join(d.right))
        if d.missed:
            st.info("**To work on:** " + ", ".join(d.missed))
    worst = s.gravest_error
    if s.killer and worst is not None:
        st.error(f"**Gravest error — {worst.label}:** {worst.note} (expected {worst.expected}, you said {worst.given}).")
    elif worst is not None:
        st.warning(f"**Serious error — {worst.label}:** {worst.note} (expected {worst.expected}, you said {worst.given}).")
    # score first: on a narrow screen the last columns scroll out of sight
    st.dataframe(
        [{"key feature": f.label, "score": f.score, "you": _pretty(kb, f.given), "expected": _pretty(kb, f.expected),
          "note": f.note} for f in s.features],
        hide_index=True,
        column_config={"score": st.column_config.ProgressColumn("score", min_value=0.0, max_value=1.0, format="%.2f",
                                                                width="small")},
    )


def _pretty(kb: KnowledgeBase, text: str) -> str:
    return ", ".join(kb.label(part.strip()) for part in text.split(","))


def _questions(d: Debrief, kb: KnowledgeBase) -> None:
    st.markdown(f"**Questions asked:** {d.questions}")
    present = [(f, t) for f, t in d.red_flags_not_asked if t not in ("not recorded", "no")]
    st.markdown(f"**Red-flag questions never asked ({len(d.red_flags_not_asked)}):** "
                + (", ".join(kb.label(f) for f, _ in d.red_flags_not_asked) or "none — a complete screen"))
    for fid, text in present:
        st.error(f"You never asked about **{kb.label(fid)}** — the case says: **{text}**.")
    st.markdown("**Asked, but changed nothing:** " + (_ids(kb, d.changed_nothing) if d.changed_nothing else "none"))
    st.markdown("**Most informative questions not asked** (what Radix would have learnt from each):")
    if not d.informative:
        st.caption("None: you asked everything that changes the picture.")
    for i in d.informative:
        st.markdown(f"- **{kb.label(i.finding)}** = {i.text}: {'; '.join(i.changes) or 'the differential moves'}"
                    f" (probability moved {100 * i.shift:.1f} points)")


def render_debrief(d: Debrief, kb: KnowledgeBase, case_title: str, summary: str) -> None:
    st.subheader(f"Debrief — {case_title}")
    st.markdown(summary)
    _score(d, kb)
    _side_by_side(d, kb)
    _questions(d, kb)
    st.markdown("**Learning points**\n" + "\n".join(f"- {p}" for p in d.learning_points))
    if d.known_limitations:
        st.caption("Where Radix differs from the published answer: "
                   + " ".join(f"{k.replace('_', ' ')}: {v}" for k, v in d.known_limitations.items()))
    link = f" [{d.url}]({d.url})" if d.url else ""
    st.markdown(f"**Case source:** {d.citation}{link}")
    st.caption("Scored with the key-features approach: " + " ".join(d.score.sources))


def render_progress(rows: list[CaseRecord], kb: KnowledgeBase) -> None:
    if not rows:
        st.caption("No case finished yet. Finished cases are kept in the case store under the link of this page (?learner=...).")
        return
    cols = st.columns(3)
    cols[0].metric("Cases", len(rows))
    cols[1].metric("Mean score", f"{mean_score(rows):.0f}%")
    cols[2].metric("Gravest errors", sum(r.killer for r in rows))
    st.dataframe([{"case": r.case_id, "difficulty": r.difficulty, "setting": r.setting, "score": r.score,
                   "gravest error": "yes" if r.killer else "", "questions": r.questions,
                   "missed": r.missed} for r in rows], hide_index=True)
    missed = most_missed(rows)
    st.markdown("**Conditions missed most:** "
                + (", ".join(f"{kb.label(c)} ({n})" for c, n in missed) if missed else "none"))
    st.download_button("Download the session as CSV", to_csv(rows), file_name="radix-teaching-session.csv",
                       mime="text/csv", key="radix.teach.csv")
