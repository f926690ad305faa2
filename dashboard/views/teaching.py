"""Teaching mode: pick a case, take the history and examine, commit, debrief, progress.

The answer stays hidden until the student commits: before that the page shows only
the case's setting and difficulty and the answers to the questions asked.
"""

from __future__ import annotations

import streamlit as st

from dashboard.render.teaching import render_answers, render_debrief, render_progress
from dashboard.session import teaching as ts
from dashboard.session.state import get_kb
from engine import DIFFICULTIES, SECTION_LABELS, SETTINGS, URGENCIES, KnowledgeBase, Session, section_progress, sections

# the patient's opening complaint: the same stem for every case, so it gives nothing away
STEM = ("A patient comes to you with low back pain, leg symptoms or both. Take the history, screen for red "
        "flags and examine; each answer is what the published case reports, or *not recorded*.")


def _words(v: str | None) -> str:
    return (v or "unknown").replace("_", " ")


def pick_ui(kb: KnowledgeBase) -> None:
    st.markdown("**Pick a case** — at random among those that match; the answer stays hidden.")
    cols = st.columns(3)
    cols[0].selectbox("Cause", [ts.ANY, *kb.conditions], key="radix.teach.cause",
                      format_func=lambda c: "any cause" if c == ts.ANY else kb.label(c))
    cols[1].selectbox("Difficulty", [ts.ANY, *DIFFICULTIES], key="radix.teach.difficulty", format_func=_words)
    cols[2].selectbox("Setting", [ts.ANY, *SETTINGS], key="radix.teach.setting", format_func=_words)
    st.button("Pick a case", key="radix.teach.pick", on_click=ts.pick_case, type="primary")


def ask_ui(session: Session, kb: KnowledgeBase) -> None:
    by_section, progress = sections(kb), section_progress(session, kb)
    for tab, (sid, label) in zip(st.tabs(list(SECTION_LABELS.values())), SECTION_LABELS.items(), strict=True):
        with tab:
            left = [f for f in by_section[sid] if f not in session.asked]
            st.caption("{} of {} asked".format(*progress[sid]))
            cols = st.columns([5, 1, 2], vertical_alignment="bottom")
            cols[0].selectbox(f"Ask about ({label.lower()})", left, key=f"radix.teach.q.{sid}", format_func=kb.label,
                              index=None, placeholder="Choose a question…")
            cols[1].button("Ask", key=f"radix.teach.ask.{sid}", on_click=ts.ask_one, args=(sid,))
            cols[2].button(f"Ask the whole {label.lower()}", key=f"radix.teach.ask_all.{sid}",
                           on_click=ts.ask_section, args=(sid,), disabled=not left)


def commit_ui(kb: KnowledgeBase) -> None:
    st.markdown("**Commit** — your answer before the reveal.")
    st.multiselect("Differential: up to three conditions, most likely first", list(kb.conditions),
                   key="radix.teach.differential", max_selections=3, format_func=kb.label)
    cols = st.columns(3)
    cols[0].radio("Urgency", URGENCIES, key="radix.teach.urgency", index=None, horizontal=True)
    cols[1].multiselect("Root level(s)", list(kb.roots), key="radix.teach.roots")
    steps = sorted(kb.ladder.values(), key=lambda s: s.order)
    cols[2].selectbox("Next step", [s.id for s in steps], key="radix.teach.step", index=None,
                      format_func=kb.label, placeholder="Choose a step…")
    st.button("Commit and reveal", key="radix.teach.commit", on_click=ts.commit, type="primary")


def case_tab(kb: KnowledgeBase) -> None:
    session, done = ts.current_session(), ts.current_debrief()
    if ts.notice():
        st.warning(ts.notice())
    if session is None:
        if ts.library_or_error() is not None:
            pick_ui(kb)
        return
    case = session.case
    if done is not None:
        render_debrief(done, kb, case.title, case.summary)
        st.button("Next case", key="radix.teach.next", on_click=ts.finish, type="primary")
        return
    st.markdown(f"**Case** · setting: {_words(case.setting)} · difficulty: {_words(case.difficulty)}")
    st.info(STEM)
    m = st.columns(2)
    m[0].metric("Questions asked", session.question_count)
    m[1].metric("Red-flag questions still to ask", len(session.red_flags_not_asked(kb)))
    ask_ui(session, kb)
    render_answers(session, kb)
    st.divider()
    commit_ui(kb)


def main() -> None:
    kb = get_kb()
    st.title("Teaching mode")
    st.caption("A differential-diagnosis trainer on cited cases. Decision support, not a diagnosis.")
    case, progress = st.tabs(["Case", "Progress"])
    with case:
        case_tab(kb)
    with progress:
        render_progress(ts.records(), kb)


main()
