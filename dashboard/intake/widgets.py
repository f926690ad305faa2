"""One three-valued widget per finding, generated from its definition in the knowledge base.

bool -> segmented control (not asked / yes / no); enum -> selectbox starting with "not
asked"; int/number -> a number box that is empty (not asked) until a number is typed, with
a days / weeks choice for the duration; set -> multiselect with a "not asked" box (ticked =
unknown; unticked and empty = asked, none present).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.intake.form_state import BOOL_OPTIONS, NOT_ASKED, UNITS, finding_from_widgets, has_unit, key, number_problem, pretty
from dashboard.session.state import CASE
from engine import FindingDef, KnowledgeBase

__all__ = ["finding_ui", "sync_finding"]


def _live(f: FindingDef) -> bool:
    """True if the finding's intake section is open and was already open in the last run.

    When a section is closed or opened, the browser sends its widgets' last known values
    with that rerun (stale ones for a section drawn again) and Streamlit calls their
    callbacks; those replays must not touch the case. The widgets are then redrawn from it."""
    from dashboard.intake.sections import DRAWN_TAB, INTAKE_TAB, section_of  # late: intake imports this module
    from dashboard.session.state import get_kb

    kb = get_kb()
    default = section_of(kb, None)
    open_now = st.session_state.get(INTAKE_TAB) or default
    return section_of(kb, f.group) == open_now == (st.session_state.get(DRAWN_TAB) or default)


def sync_finding(f: FindingDef) -> None:
    """Callback of every intake widget: write the finding into the case at once.

    The case in session state is then the one truth: each run redraws the widgets from it,
    so a widget whose section was closed (and whose state Streamlit dropped or reverted)
    comes back showing what was entered."""
    if not _live(f):
        return
    if f.type in ("int", "number"):
        parts = (key(f.id), key(f.id, "unit")) if has_unit(f) else (key(f.id),)
        st.session_state[key(f.id, "typed")] = {k: st.session_state.get(k) for k in parts}
    case = dict(st.session_state.get(CASE, {}))
    value = finding_from_widgets(f, st.session_state)
    if value is None:
        case.pop(f.id, None)
    else:
        case[f.id] = value
    st.session_state[CASE] = case


def _set_changed(f: FindingDef) -> None:
    if not _live(f):
        return
    st.session_state[key(f.id, "unknown")] = False
    sync_finding(f)


def _unknown_changed(f: FindingDef) -> None:
    if not _live(f):
        return
    if st.session_state.get(key(f.id, "unknown")):
        st.session_state[key(f.id)] = []
    sync_finding(f)


def _bool_ui(f: FindingDef) -> None:
    st.segmented_control(
        f.label, BOOL_OPTIONS, key=key(f.id), help=f.help,
        format_func=lambda o: "*not asked*" if o == NOT_ASKED else o, on_change=sync_finding, args=(f,),
    )


def _enum_ui(f: FindingDef, kb: KnowledgeBase) -> None:
    words = kb.vocabularies[f.vocabulary or ""]
    st.selectbox(f.label, (NOT_ASKED, *words), key=key(f.id), help=f.help, format_func=pretty,
                 on_change=sync_finding, args=(f,))


def _number_ui(f: FindingDef) -> None:
    """An empty box until a number is typed; no range on the widget itself, so a wrong number
    stays visible beside a message saying why it is not used (nothing typed is lost)."""
    amount = key(f.id)
    if has_unit(f):
        left, right = st.columns([6, 4], vertical_alignment="bottom")
        with left:
            st.number_input(f.label, value=None, step=1.0, format="%g", key=amount, help=f.help,
                            placeholder="not asked", on_change=sync_finding, args=(f,))
        with right:
            st.segmented_control("unit", UNITS, key=key(f.id, "unit"), label_visibility="hidden", required=True,
                                 help="A short history in days, a longer one in weeks.", on_change=sync_finding, args=(f,))
    else:
        st.number_input(f.label, value=None, step=1 if f.type == "int" else 1.0, key=amount, help=f.help,
                        placeholder=f"not asked — type {f.min:g}-{f.max:g}" if f.max is not None else "not asked",
                        on_change=sync_finding, args=(f,))
    problem = number_problem(f, st.session_state.get(amount), st.session_state.get(key(f.id, "unit")))
    if problem:
        st.error(problem, icon=":material/error:")


def _set_ui(f: FindingDef, kb: KnowledgeBase) -> None:
    words = kb.vocabularies[f.vocabulary or ""]
    unknown = key(f.id, "unknown")
    left, right = st.columns([7, 3], vertical_alignment="bottom")
    with left:
        st.multiselect(f.label, words, key=key(f.id), help=f.help, format_func=pretty,
                       placeholder="none selected", on_change=_set_changed, args=(f,))
    with right:
        st.checkbox("not asked", key=unknown, on_change=_unknown_changed, args=(f,),
                    help="Ticked: unknown. Unticked with nothing selected: asked, none present.")


def finding_ui(f: FindingDef, kb: KnowledgeBase) -> Any:
    """Draw the widget(s) of one finding; return its value (``None`` = not asked)."""
    if f.type == "bool":
        _bool_ui(f)
    elif f.type == "enum":
        _enum_ui(f, kb)
    elif f.type in ("int", "number"):
        _number_ui(f)
    else:
        _set_ui(f, kb)
    return finding_from_widgets(f, st.session_state)
