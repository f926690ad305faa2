"""One three-valued widget per finding, generated from its definition in the knowledge base.

bool -> segmented control (not asked / yes / no); enum -> selectbox starting with "not
asked"; int/number -> slider or number input with a "recorded" box; set -> multiselect
with a "not asked" box (ticked = unknown; unticked and empty = asked, none present).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from engine import FindingDef, KnowledgeBase

from .form_state import BOOL_OPTIONS, NOT_ASKED, finding_from_widgets, key, pretty

__all__ = ["finding_ui"]


def _mark(state_key: str, value: bool) -> None:
    st.session_state[state_key] = value


def _clear_if_unknown(fid: str) -> None:
    if st.session_state.get(key(fid, "unknown")):
        st.session_state[key(fid)] = []


def _bool_ui(f: FindingDef) -> None:
    st.segmented_control(
        f.label, BOOL_OPTIONS, key=key(f.id), help=f.help,
        format_func=lambda o: "*not asked*" if o == NOT_ASKED else o,
    )


def _enum_ui(f: FindingDef, kb: KnowledgeBase) -> None:
    words = kb.vocabularies[f.vocabulary or ""]
    st.selectbox(f.label, (NOT_ASKED, *words), key=key(f.id), help=f.help, format_func=pretty)


def _days_to_weeks(fid: str) -> None:
    """A short history is given in days: store it as weeks (the finding's unit)."""
    days = st.session_state.get(key(fid, "days"))
    if days is not None:
        st.session_state[key(fid)] = round(days / 7, 2)
        st.session_state[key(fid, "recorded")] = True


def _number_ui(f: FindingDef) -> None:
    recorded = key(f.id, "recorded")
    left, right = st.columns([7, 3], vertical_alignment="bottom")
    with left:
        if f.type == "int" and (f.max or 0) - (f.min or 0) <= 120:
            st.slider(f.label, int(f.min or 0), int(f.max or 0), key=key(f.id), help=f.help,
                      on_change=_mark, args=(recorded, True))
        else:
            st.number_input(f.label, float(f.min or 0), float(f.max or 0), step=1.0, key=key(f.id),
                            help=f.help, on_change=_mark, args=(recorded, True))
    with right:
        st.checkbox("recorded", key=recorded, help="Untick: not asked (unknown).")
    if f.id == "duration_weeks":
        st.number_input("…or in days", min_value=0, max_value=120, value=None, step=1, key=key(f.id, "days"),
                        placeholder="days (for a short history)", on_change=_days_to_weeks, args=(f.id,))
    if not st.session_state.get(recorded):
        st.caption(f"· {f.label}: not asked — move the control or tick *recorded*.")


def _set_ui(f: FindingDef, kb: KnowledgeBase) -> None:
    words = kb.vocabularies[f.vocabulary or ""]
    unknown = key(f.id, "unknown")
    left, right = st.columns([7, 3], vertical_alignment="bottom")
    with left:
        st.multiselect(f.label, words, key=key(f.id), help=f.help, format_func=pretty,
                       placeholder="none selected", on_change=_mark, args=(unknown, False))
    with right:
        st.checkbox("not asked", key=unknown, on_change=_clear_if_unknown, args=(f.id,),
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
