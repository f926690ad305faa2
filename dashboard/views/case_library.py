"""Case library: every teaching case with its summary, metadata, learning points and citation.

The expected answer of a case is behind a reveal, so a student can browse the library
without spoiling a case they have not practised yet.
"""

from __future__ import annotations

import streamlit as st

from dashboard.session import teaching as ts
from dashboard.session.state import get_kb
from engine import DIFFICULTIES, SETTINGS, KnowledgeBase, TeachingCase, filter_cases, infer


def _words(v: str | None) -> str:
    return (v or "unknown").replace("_", " ")


def practise(case_id: str) -> None:
    """Button callback: open this case in teaching mode."""
    case = next(c for c in ts.teaching_cases() if c.id == case_id)
    ts.finish()
    ts.start_case(case)


def render_expected(case: TeachingCase, kb: KnowledgeBase) -> None:
    e = case.expected
    st.markdown(
        f"- **Diagnosis:** {kb.label(e.top_condition)}\n"
        f"- **Tell apart from:** {', '.join(kb.label(c) for c in e.differential_includes) or 'none listed'}\n"
        f"- **Urgency:** {e.urgency}\n- **Root level(s):** {', '.join(e.roots) or 'none'}\n"
        f"- **Red flags:** {', '.join(kb.label(f) for f in e.red_flags) or 'none'}"
    )
    res = infer(case.findings, kb)
    st.caption(f"Radix on this case: {res.urgency}; {', '.join(kb.label(d.id) for d in res.differential[:3])}; "
               f"root {res.roots[0].root if res.roots else 'none'}; {res.ladder.label}.")
    for key, why in case.known_limitations.items():
        st.caption(f"Known limitation ({key.replace('_', ' ')}): {why}")


def render_case(case: TeachingCase, kb: KnowledgeBase) -> None:
    st.subheader(case.title)
    st.caption(f"{case.id} · difficulty: {_words(case.difficulty)} · setting: {_words(case.setting)} · "
               f"presentation: {_words(case.presentation)}")
    st.markdown(case.summary)
    st.markdown("**Learning points**\n" + "\n".join(f"- {p}" for p in case.teaching_points))
    link = f" [{case.source.url}]({case.source.url})" if case.source.url else ""
    st.markdown(f"**Source** ({_words(case.source.kind)}): {case.source.citation}{link}")
    if st.toggle("Show the expected answer", key=f"radix.library.reveal.{case.id}"):
        render_expected(case, kb)
    if st.button("Practise this case in teaching mode", key="radix.library.practise", on_click=practise, args=(case.id,)):
        st.switch_page("views/teaching.py")


def _follow_link(ids: list[str]) -> None:
    """Open the case a link names (``?case=id``) once, clearing the filters that could hide it."""
    linked = st.query_params.get("case")
    if linked in ids and st.session_state.get("radix.library.linked") != linked:
        st.session_state["radix.library.linked"] = linked
        st.session_state[ts.LIBRARY_CASE] = linked
        for k in ("radix.library.cause", "radix.library.difficulty", "radix.library.setting"):
            st.session_state[k] = ts.ANY


def main() -> None:
    st.title("Case library")
    kb, cases = get_kb(), ts.library_or_error()
    if cases is None:
        return
    st.caption(f"{len(cases)} cited teaching cases. Decision support, not a diagnosis.")
    _follow_link([c.id for c in cases])
    cols = st.columns(3)
    cause = cols[0].selectbox("Cause", [ts.ANY, *kb.conditions], key="radix.library.cause",
                              format_func=lambda c: "any cause" if c == ts.ANY else kb.label(c))
    difficulty = cols[1].selectbox("Difficulty", [ts.ANY, *DIFFICULTIES], key="radix.library.difficulty", format_func=_words)
    setting = cols[2].selectbox("Setting", [ts.ANY, *SETTINGS], key="radix.library.setting", format_func=_words)
    shown = filter_cases(cases, cause=None if cause == ts.ANY else cause,
                         difficulty=None if difficulty == ts.ANY else difficulty,
                         setting=None if setting == ts.ANY else setting)
    # title and metadata first: on a narrow screen the long columns scroll out of sight
    st.dataframe([{"title": c.title, "difficulty": _words(c.difficulty), "setting": _words(c.setting),
                   "presentation": _words(c.presentation), "summary": c.summary, "citation": c.source.citation,
                   "case": c.id} for c in shown],
                 hide_index=True, column_config={"title": st.column_config.TextColumn("title", width="large")})
    if not shown:
        st.info("No case matches these filters.")
        return
    ids = [c.id for c in shown]
    if st.session_state.get(ts.LIBRARY_CASE) not in ids:
        st.session_state[ts.LIBRARY_CASE] = ids[0]
    chosen = st.selectbox("Case", ids, key=ts.LIBRARY_CASE,
                          format_func=lambda i: next(c.title for c in shown if c.id == i))
    render_case(next(c for c in shown if c.id == chosen), kb)


main()
