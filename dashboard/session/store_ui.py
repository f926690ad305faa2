"""The case-store row of the consultation: save, new consultation, downloads, draft status.

Saving runs in a callback on the findings already in ``st.session_state``; a failed save
shows its reason and touches no widget, so the form stays exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import streamlit as st

import engine
from dashboard.session.persist import LABEL, NOTE, STORE_ID, case_store, draft_status, forget_case, mark_saved
from dashboard.session.state import CASE_ID, body_map, current_case, replace_case
from engine import KnowledgeBase
from exports.build import MIME, build, file_name
from store import StoreError, case_input
from store.repository import new_case_id

__all__ = ["store_bar_ui"]

SAVE_MSG = "radix.save.message"


def _save(kb: KnowledgeBase) -> None:
    findings = current_case()
    store = case_store()
    if store is None:
        st.session_state[SAVE_MSG] = ("error", "Not saved: the case store cannot be opened. The form is unchanged.")
        return
    try:
        result = engine.infer(engine.parse_findings(findings, kb), kb)
    except engine.CaseError:
        st.session_state[SAVE_MSG] = ("error", "Not saved: the case has a problem (see above). The form is unchanged.")
        return
    cid = st.session_state.get(STORE_ID) or new_case_id()
    label = (st.session_state.get(LABEL) or "").strip() or None
    try:
        rec = store.save(case_input(findings, result, label=label, note=st.session_state.get(NOTE) or ""), case_id=cid)
    except StoreError as err:
        st.session_state[SAVE_MSG] = ("error", f"Not saved: {err.reason} The form is unchanged.")
        return
    mark_saved(rec.id, findings)
    st.session_state[SAVE_MSG] = ("success", f"Saved {rec.label or 'case'} ({rec.id[:8]}) at {rec.updated_at:%H:%M:%S} UTC.")


def _new(kb: KnowledgeBase) -> None:
    replace_case(kb, {})
    forget_case()
    st.session_state[SAVE_MSG] = ("info", "New consultation: every finding is *not asked*.")


def _downloads(kb: KnowledgeBase, findings: Mapping[str, Any], result: engine.Result) -> None:
    ref = st.session_state.get(LABEL) or st.session_state.get(CASE_ID)
    made = datetime.now(UTC)

    def maker(kind: str, fmt: str) -> Callable[[], bytes]:
        # Deferred: the file is built only when its button is clicked (the report draws figures),
        # from the case as it is then (the consultation's clicks rerun only its own fragment).
        def make() -> bytes:
            now = current_case()
            return build(kind, fmt, now, engine.infer(engine.parse_findings(now, kb), kb), kb, ref,  # type: ignore[arg-type]
                         body=body_map())
        return make

    for label, kind, fmt, icon in (
        ("Report (PDF)", "report", "pdf", ":material/picture_as_pdf:"),
        ("Report (Markdown)", "report", "md", ":material/description:"),
        ("Patient handout (PDF)", "handout", "pdf", ":material/picture_as_pdf:"),
        ("Patient handout (Markdown)", "handout", "md", ":material/description:"),
        ("FHIR R4 Bundle (JSON)", "fhir", "json", ":material/data_object:"),
    ):
        st.download_button(label, maker(kind, fmt), file_name=file_name(kind, fmt, made), mime=MIME[fmt],
                           key=f"radix.download.{kind}.{fmt}", on_click="ignore", icon=icon, width="stretch")


def store_bar_ui(kb: KnowledgeBase, findings: Mapping[str, Any], result: engine.Result | None) -> None:
    """Save (with an optional reference and a note), new consultation, downloads, autosave status."""
    save, new, down, status = st.columns([2, 2, 2, 4], vertical_alignment="center")
    with save.popover("Save case", icon=":material/save:", width="stretch"):
        st.text_input("Case reference (optional; no names or record numbers)", key=LABEL)
        st.text_area("Note", key=NOTE, height=100)
        st.button("Save", key="radix.save", on_click=_save, args=(kb,), type="primary")
    new.button("New consultation", key="radix.new", on_click=_new, args=(kb,), width="stretch",
               icon=":material/note_add:")
    # lazy: the five download buttons are drawn only while the menu is open
    menu = down.popover("Download", icon=":material/download:", width="stretch", disabled=result is None,
                        key="radix.download_menu", on_change="rerun")
    if result is not None and menu.open:
        with menu:
            _downloads(kb, findings, result)
    with status:
        draft_status()
    msg = st.session_state.get(SAVE_MSG)
    if msg:
        {"error": st.error, "success": st.success, "info": st.info}[msg[0]](msg[1])
        st.session_state[SAVE_MSG] = None
