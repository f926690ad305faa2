"""The consultation's state in ``st.session_state``, under namespaced ``radix.*`` keys.

``radix.case`` holds the current findings (contract JSON values; unknown findings left
out) and survives reruns and page switches. Widgets (``f.*`` keys) are seeded from it
whenever Streamlit has dropped their state, so nothing entered is lost.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import streamlit as st

import engine
from dashboard.intake.form_state import key, widget_state_for
from engine import BodyMap, KnowledgeBase, load_body_map

__all__ = [
    "CASE",
    "CASE_ID",
    "IMPORT_ERRORS",
    "body_map",
    "content_dir",
    "current_case",
    "get_kb",
    "replace_case",
    "seed_widgets",
    "set_findings",
    "vocabulary_of",
]

ROOT = Path(__file__).resolve().parents[2]
CASE = "radix.case"
CASE_ID = "radix.case_id"
IMPORT_ERRORS = "radix.import_errors"
NOTICE = "radix.notice"


def content_dir() -> Path:
    """The knowledge base folder: ``RADIX_CONTENT`` if set (a deployment's own copy), else content/."""
    return Path(os.environ.get("RADIX_CONTENT") or ROOT / "content")


@st.cache_resource(show_spinner=False)
def _load_kb(folder: str) -> KnowledgeBase:
    return engine.check_content(Path(folder))  # linted once per server process: a broken base never serves


def get_kb() -> KnowledgeBase:
    """The knowledge base, loaded once per server process (frozen, shared by every
    session). A broken one raises ``ContentError`` and is not cached, so a fixed
    knowledge base is picked up on the next page load."""
    return _load_kb(str(content_dir()))


@st.cache_resource(show_spinner=False)
def _load_body_map(path: str) -> BodyMap:
    return load_body_map(Path(path), get_kb())


def body_map() -> BodyMap:
    """The body-map drawing, loaded once per server process."""
    return _load_body_map(str(content_dir() / "body_map.yaml"))


def current_case() -> dict[str, Any]:
    """The findings entered so far (a copy)."""
    return dict(st.session_state.get(CASE, {}))


def vocabulary_of(kb: KnowledgeBase, fid: str) -> tuple[str, ...]:
    """A finding's vocabulary words, in content order (empty for non-vocabulary findings)."""
    return _vocab(kb, fid)


def _vocab(kb: KnowledgeBase, fid: str) -> tuple[str, ...]:
    voc = kb.findings[fid].vocabulary
    return tuple(kb.vocabularies[voc]) if voc else ()


def seed_widgets(kb: KnowledgeBase, fid: str) -> None:
    """Show the case's value of a finding in its widgets, before they are drawn.

    Every widget writes its finding into the case from its callback, so the case is the
    truth: the widgets are set from it on every run. (Left alone, a widget whose section
    was closed can come back showing a stale value: Streamlit drops its state and an older
    value set through session state resurfaces.) A number typed but not usable yet (out of
    range) is not in the case; its boxes show what was typed."""
    case = st.session_state.get(CASE, {})
    wanted = widget_state_for(kb.findings[fid], case.get(fid), _vocab(kb, fid))
    typed = wanted.pop(key(fid, "typed"), None) and st.session_state.get(key(fid, "typed"))
    if typed and fid not in case:
        wanted.update(typed)
    for k, v in wanted.items():  # always set: the browser may hold a stale value even where ours is right
        st.session_state[k] = v


def set_findings(kb: KnowledgeBase, changes: dict[str, Any]) -> None:
    """Change some findings (None: not asked) in the case and only their widgets; the
    other widgets keep their state untouched."""
    case = dict(st.session_state.get(CASE, {}))
    for fid, value in changes.items():
        if value is None:
            case.pop(fid, None)
        else:
            case[fid] = value
        st.session_state.update(widget_state_for(kb.findings[fid], value, vocabulary_of(kb, fid)))
    st.session_state[CASE] = case


def replace_case(kb: KnowledgeBase, findings: dict[str, Any], case_id: str | None = None) -> None:
    """Make ``findings`` the case and show it in every widget (call from a callback)."""
    st.session_state[CASE] = dict(findings)
    st.session_state[CASE_ID] = case_id
    for fid, f in kb.findings.items():
        for k, v in widget_state_for(f, findings.get(fid), _vocab(kb, fid)).items():
            st.session_state[k] = v
