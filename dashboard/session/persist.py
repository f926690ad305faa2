"""Nothing lost: the case being entered is autosaved under an id in the URL and restored.

The URL's ``?case=<id>`` names the consultation. On a fresh session (a reload, a reopened
browser, a shared link) ``restore_from_url`` refills the intake from the store: the draft
if there is one, else the saved case. ``autosave`` writes the findings at most once per
``DEBOUNCE`` seconds; a change inside that window is left pending and written by a small
fragment that reruns on its own, so the last edit always lands.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import streamlit as st

from dashboard.session.state import CASE_ID, replace_case
from engine import KnowledgeBase, parse_findings
from exports.fhir import findings_from_fhir_json
from store import CaseStore, StoreError, database_url
from store.repository import new_case_id, plain_findings

__all__ = ["DEBOUNCE", "LABEL", "NOTE", "STORE_ID", "autosave", "case_store", "draft_status", "forget_case",
           "import_fhir_draft", "restore_from_url", "url_case_id"]

DEBOUNCE = 1.5  # seconds between draft writes: one write per burst of clicks
STORE_ID = "radix.store_id"  # the id in the URL (a random uuid, nothing about the patient)
LOADED = "radix.loaded_id"  # the URL id this session has already restored
LAST = "radix.draft.last"  # findings last written
WRITTEN_AT = "radix.draft.written_at"  # time.monotonic() of the last write
PENDING = "radix.draft.pending"  # findings waiting for the debounce window to close
SAVED_AT = "radix.draft.saved_at"  # wall-clock time of the last write, for the status line
STORE_ERROR = "radix.store_error"
LABEL = "radix.save.label"  # the save form's widgets, refilled when a saved case opens
NOTE = "radix.save.note"


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> CaseStore:
    return CaseStore(url)  # upgrades the schema on start (Alembic)


def case_store() -> CaseStore | None:
    """The case store of this process, or ``None`` (the reason shown once) if it cannot open."""
    try:
        return _open_store(database_url())
    except StoreError as err:
        st.session_state[STORE_ERROR] = err.reason
        return None


def url_case_id() -> str | None:
    value = st.query_params.get("case")
    return value or None


def restore_from_url(kb: KnowledgeBase) -> None:
    """Refill the intake from the store when the URL names a case this session has not loaded.

    Call before the intake widgets are drawn: it sets their state.
    """
    store = case_store()  # opened (and its schema upgraded) when the app starts, not at the first save
    cid = url_case_id()
    if not cid or st.session_state.get(LOADED) == cid:
        return
    st.session_state[LOADED] = cid
    st.session_state[STORE_ID] = cid
    opened = store.open(cid) if store else None
    if opened is None:
        return
    findings, saved = opened
    replace_case(kb, findings, saved.label if saved and saved.label else st.session_state.get(CASE_ID))
    st.session_state[LABEL] = (saved.label or "") if saved else ""
    st.session_state[NOTE] = saved.note if saved else ""
    st.session_state[LAST] = plain_findings(findings)
    st.session_state[WRITTEN_AT] = time.monotonic()


def import_fhir_draft(store: CaseStore, text: str, kb: KnowledgeBase, name: str = "FHIR file") -> str:
    """A FHIR Bundle or QuestionnaireResponse, validated, as a new draft; returns its case id.

    ``CaseError`` (bad FHIR or a bad finding value) leaves the store untouched.
    """
    findings = findings_from_fhir_json(text, kb, name)
    parse_findings(findings, kb)  # the case model's checks: range, vocabulary
    cid = new_case_id()
    store.save_draft(cid, findings)
    return cid


def forget_case() -> None:
    """Start a new consultation: no URL id until the first finding (call from a callback)."""
    for k in (STORE_ID, LOADED, PENDING, SAVED_AT):
        st.session_state[k] = None
    st.session_state[LAST] = {}
    st.session_state[LABEL] = st.session_state[NOTE] = ""
    st.query_params.clear()


def mark_saved(cid: str, findings: Mapping[str, Any]) -> None:
    """A save wrote these findings under ``cid``: no draft is needed for them."""
    st.session_state[STORE_ID] = st.session_state[LOADED] = cid
    st.session_state[LAST] = plain_findings(findings)
    st.session_state[PENDING] = None
    st.query_params["case"] = cid


def _write(cid: str, findings: Mapping[str, Any]) -> None:
    store = case_store()
    if store is None:
        return
    try:
        saved_at = store.save_draft(cid, findings)
    except StoreError as err:
        st.session_state[STORE_ERROR] = err.reason
        return
    st.session_state[LAST] = dict(findings)
    st.session_state[WRITTEN_AT] = time.monotonic()
    st.session_state[SAVED_AT] = saved_at
    st.session_state[PENDING] = None


def autosave(findings: Mapping[str, Any]) -> None:
    """Write the draft if it changed (debounced); the first finding gives the case its URL id."""
    plain = plain_findings(findings)
    if plain == st.session_state.get(LAST, {}):
        st.session_state[PENDING] = None
        return
    cid = st.session_state.get(STORE_ID)
    if not cid:
        cid = st.session_state[STORE_ID] = st.session_state[LOADED] = new_case_id()
    if st.query_params.get("case") != cid:
        st.query_params["case"] = cid
    if time.monotonic() - st.session_state.get(WRITTEN_AT, 0.0) >= DEBOUNCE:
        _write(cid, plain)
    else:
        st.session_state[PENDING] = plain


@st.fragment(run_every=timedelta(seconds=DEBOUNCE))
def draft_status() -> None:
    """Flush a pending draft once the window has closed; say when the draft was last saved.
    Always on, so a draft left pending by the last click is flushed without another click."""
    pending, cid = st.session_state.get(PENDING), st.session_state.get(STORE_ID)
    if pending is not None and cid and time.monotonic() - st.session_state.get(WRITTEN_AT, 0.0) >= DEBOUNCE:
        _write(cid, pending)
    _status_caption()


def _status_caption() -> None:
    if st.session_state.get(STORE_ERROR):
        st.caption(f":red[Case store unavailable: {st.session_state[STORE_ERROR]}]")
    elif st.session_state.get(SAVED_AT):
        st.caption(f"Draft autosaved {st.session_state[SAVED_AT]:%H:%M:%S} UTC", help=_HELP)
    elif st.session_state.get(STORE_ID):
        st.caption(f"Case `{st.session_state[STORE_ID][:8]}` opened from the case store; autosave is on.", help=_HELP)
    else:
        st.caption("Draft autosave starts with the first finding.", help=_HELP)


_HELP = "The case is kept under the id in this page's address: reload or reopen the link to continue."
