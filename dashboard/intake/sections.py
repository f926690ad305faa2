"""The intake form: sections generated from the knowledge base's finding groups.

``intake_ui`` draws every section in the consultation's order and returns the findings
entered (unknown ones left out). Booleans are laid out in a grid so a clinician can
fill most cases in under two minutes.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.intake.body_map import body_map_ui
from dashboard.intake.widgets import finding_ui
from dashboard.session.state import CASE, seed_widgets
from engine import BodyMap, KnowledgeBase

__all__ = ["DRAWN_TAB", "GRID_CSS", "INTAKE_TAB", "intake_ui", "section_of", "section_ui"]

# One container laid out as a two-column grid by CSS, not a row of st.columns per pair:
# each row of columns is three more blocks to send and, measured in the browser, about
# 2-3 ms more to redraw on every click (a section has up to a dozen rows).
GRID_CSS = """<style>
div[data-testid="stVerticalBlock"][class*="st-key-radix-grid-"] {
  display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1rem; align-items: start; }
@media (max-width: 640px) {
  div[data-testid="stVerticalBlock"][class*="st-key-radix-grid-"] { grid-template-columns: minmax(0, 1fr); } }
</style>"""


def _grid_ui(group: str, fids: list[str], kb: KnowledgeBase) -> dict[str, Any]:
    """Simple findings (bool, enum) two to a row; others full width after them."""
    values: dict[str, Any] = {}
    small = [f for f in fids if kb.findings[f].type in ("bool", "enum")]
    if small:
        with st.container(key=f"radix.grid.{group}"):
            for fid in small:
                values[fid] = finding_ui(kb.findings[fid], kb)
    for fid in (f for f in fids if f not in small):
        values[fid] = finding_ui(kb.findings[fid], kb)
    return values


def _red_flag_shortcuts(kb: KnowledgeBase) -> None:
    """The screen's one-click shortcuts, beside the questions themselves."""
    from dashboard.render.summary import MARKED, mark_red_flags_no, undo_red_flags

    left, right = st.columns(2)
    left.button("Mark the rest as no", key="radix.rf_all_no_intake", on_click=mark_red_flags_no, args=(kb,),
                icon=":material/done_all:", help="After asking them: every red-flag question not yet answered becomes 'no'.")
    if st.session_state.get(MARKED):
        right.button("Undo", key="radix.rf_undo_intake", on_click=undo_red_flags, args=(kb,), icon=":material/undo:")


def section_ui(group: str, kb: KnowledgeBase) -> dict[str, Any]:
    """One finding group, under its title; returns its findings' values."""
    fids = [fid for fid, f in kb.findings.items() if f.group == group]
    st.markdown(f"**{kb.groups[group].title}**")
    if group == "red_flags":
        st.caption("Ask every question: a red flag left *not asked* cannot be raised.")
        _red_flag_shortcuts(kb)
    return _grid_ui(group, fids, kb)


INTAKE_TAB = "radix.intake_tab"
DRAWN_TAB = "radix.intake_tab_drawn"  # the section drawn by the last run (see widgets._live)


def section_of(kb: KnowledgeBase, group: str | None) -> str:
    """The intake tab a finding group is drawn in (None: the first tab, open by default).
    Tabs and their groups are findings.yaml's: a finding in a new group appears on its tab."""
    return kb.groups[group].tab if group in kb.groups else kb.intake_tabs[0][0]


def intake_ui(kb: KnowledgeBase, body: BodyMap) -> dict[str, Any]:
    """Every intake section as a tab; returns finding id -> value for known findings.

    Only the open section's widgets run and are sent (``on_change="rerun"``): a click then
    re-sends a dozen widgets, not a hundred. The findings of the other sections come from
    the case in session state, which every callback keeps in step with the widgets, so
    nothing entered is lost when its section is closed."""
    for fid in kb.findings:
        seed_widgets(kb, fid)
    shown: set[str] = set()
    values: dict[str, Any] = {}
    sections = kb.intake_tabs
    for tab, (_, groups) in zip(st.tabs([t for t, _ in sections], key=INTAKE_TAB, on_change="rerun"), sections, strict=True):
        if not tab.open:
            continue
        with tab:
            for group in groups:
                shown.update(f.id for f in kb.findings.values() if f.group == group)
                values.update(body_map_ui(kb, body) if group == "pain_map" else section_ui(group, kb))
    st.session_state[DRAWN_TAB] = st.session_state.get(INTAKE_TAB) or section_of(kb, None)
    kept = {fid: v for fid, v in st.session_state.get(CASE, {}).items() if fid not in shown}
    return {**kept, **{fid: v for fid, v in values.items() if v is not None}}
