"""Case management above the intake: load a teaching case, reset, import and export.

Every action runs in a widget callback, so it can refill the intake widgets before they
are drawn. A bad import stores its problems for display and keeps the current case.
"""

from __future__ import annotations

import streamlit as st

from dashboard.intake.case_files import (
    export_json,
    findings_for_widgets,
    md_escape,
    parse_case_text,
    problem_line,
)
from dashboard.session import teaching as ts
from dashboard.session.state import CASE_ID, IMPORT_ERRORS, NOTICE, current_case, replace_case
from engine import MAX_BYTES, Case, CaseError, KnowledgeBase, TeachingCase, clean

__all__ = ["case_toolbar_ui", "render_case_messages", "teaching_cases"]

EXAMPLE = "radix.example"
UPLOAD = "radix.upload"
PASTE = "radix.paste"


def teaching_cases() -> dict[str, TeachingCase]:
    """The teaching library by id: the same typed cases the Teaching pages use, read once per
    process through the case-file reader. Empty when a case file is broken (the Case library
    page lists why); the consultation still works."""
    try:
        return {c.id: c for c in ts.teaching_cases()}
    except CaseError:
        return {}


def _import(text: str | bytes, name: str, kb: KnowledgeBase) -> None:
    try:
        case = parse_case_text(text, kb, name)
    except CaseError as err:
        st.session_state[IMPORT_ERRORS] = (clean(name), [problem_line(p) for p in err.problems])
        return
    replace_case(kb, findings_for_widgets(case, kb), case.id)
    st.session_state[IMPORT_ERRORS] = None
    st.session_state[NOTICE] = f"Imported {md_escape(clean(name))} ({len(case.findings)} findings)."


def _load_example(kb: KnowledgeBase) -> None:
    chosen = st.session_state.get(EXAMPLE)
    if chosen is None:  # the button is disabled until a case is chosen; a stale click does nothing
        return
    case = teaching_cases()[chosen]  # parsed and typed already: straight into the intake
    replace_case(kb, findings_for_widgets(Case(case.findings, case.id), kb), case.id)
    st.session_state[IMPORT_ERRORS] = None
    st.session_state[NOTICE] = f"Loaded teaching case: {md_escape(case.title)}"


def _on_upload(kb: KnowledgeBase) -> None:
    file = st.session_state.get(UPLOAD)
    if file is not None:
        _import(file.getvalue(), file.name, kb)  # bytes: the safe reader checks size and encoding


def _reset(kb: KnowledgeBase) -> None:
    replace_case(kb, {})
    st.session_state[IMPORT_ERRORS] = None
    st.session_state[NOTICE] = "Case reset: every finding is *not asked*."


def case_toolbar_ui(kb: KnowledgeBase) -> None:
    """One row of controls acting on the whole case: example, reset, import, export."""
    cases = teaching_cases()
    pick, load, reset, imp, exp = st.columns([5, 2, 2, 2, 2], vertical_alignment="bottom")
    # nothing is preselected: a case name on screen must mean a case that is loaded
    pick.selectbox("Teaching case", list(cases), key=EXAMPLE, index=None, placeholder="Choose a teaching case…",
                   format_func=lambda cid: cases[cid].title)
    load.button("Load example", key="radix.load_example", on_click=_load_example, args=(kb,),
                type="primary", width="stretch", disabled=st.session_state.get(EXAMPLE) is None)
    reset.button("Reset case", key="radix.reset", on_click=_reset, args=(kb,), width="stretch")
    with imp.popover("Import case", width="stretch"):
        st.file_uploader("Case file (JSON or YAML, contract format)", type=["json", "yaml", "yml"],
                         key=UPLOAD, on_change=_on_upload, args=(kb,))
        st.text_area("…or paste a case", key=PASTE, height=140, max_chars=MAX_BYTES,
                     placeholder="findings:\n  age: 46\n  slr: positive")
        st.button("Import pasted case", key="radix.import_paste",
                  on_click=lambda: _import(st.session_state.get(PASTE) or "", "pasted case", kb))
    # deferred: the file is made from the case as it is when clicked (the consultation's clicks
    # rerun only its own fragment, not this toolbar)
    exp.download_button("Export JSON", lambda: export_json(current_case(), st.session_state.get(CASE_ID)),
                        file_name="radix-case.json", mime="application/json", key="radix.export",
                        width="stretch", on_click="ignore")


def render_case_messages() -> None:
    """The last import's problems (the case was kept) or a one-line notice."""
    errors = st.session_state.get(IMPORT_ERRORS)
    if errors:
        name, lines = errors
        # user data (file name, ids, values) goes in a code block, never through Markdown
        st.error("**Could not import the case file** — the current case was kept.", icon=None)
        st.code(f"{name}\n" + "\n".join(f"- {line}" for line in lines), language=None, wrap_lines=True)
    elif st.session_state.get(NOTICE):
        st.info(st.session_state[NOTICE])
    st.session_state[NOTICE] = None
