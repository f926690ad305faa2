"""The clickable body map (front and back) for marking pain and numbness.

A click toggles the region under it for the current marking mode. The chart's key
changes after each click, so the next click is a fresh selection (a second click on the
same region unmarks it) and a selection never toggles twice. The multiselects below the
map are the fallback and stay in sync, because both edit the same ``f.*`` keys.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from dashboard.cache import memo
from dashboard.charts.body_map import body_map_figure, regions_from_selection, toggle_regions
from engine import BodyMap, KnowledgeBase

from .form_state import key
from .widgets import finding_ui

__all__ = ["MAP_CLICKS", "MAP_MODE", "body_map_ui", "chart_key"]

MAP_MODE = "radix.map_mode"
MAP_CLICKS = "radix.map_clicks"
_TARGET = {"pain": "pain_regions", "numbness": "numbness_regions"}


def chart_key() -> str:
    """The clickable chart's current key (changes after every click)."""
    return f"radix.map.{st.session_state.get(MAP_CLICKS, 0)}"


def _consume_click(kb: KnowledgeBase, chart: str) -> None:
    """Toggle the clicked regions in the current mode's finding, then retire the chart key."""
    clicked = regions_from_selection(st.session_state.get(chart), kb.vocabularies["region"])
    if not clicked:
        return
    fid = _TARGET[st.session_state.get(MAP_MODE) or "pain"]
    order = kb.vocabularies[kb.findings[fid].vocabulary or ""]
    marked = toggle_regions(st.session_state.get(key(fid)) or [], clicked)
    st.session_state[key(fid)] = [r for r in order if r in marked]
    st.session_state[key(fid, "unknown")] = False
    st.session_state[MAP_CLICKS] = st.session_state.get(MAP_CLICKS, 0) + 1


def body_map_ui(kb: KnowledgeBase, body: BodyMap) -> dict[str, Any]:
    """Mode switch, clickable map and the synced multiselects; returns both findings."""
    st.session_state.setdefault(MAP_CLICKS, 0)
    # A selection written straight into session state (tests, scripts) has had no
    # callback; take it here, before the multiselects are drawn.
    _consume_click(kb, chart_key())
    st.radio("Marking", ("pain", "numbness"), key=MAP_MODE, horizontal=True,
             help="Choose what a click on the body marks; click again to unmark.")
    pain = st.session_state.get(key("pain_regions")) or []
    numb = st.session_state.get(key("numbness_regions")) or []
    fig = memo("intake_map", (tuple(pain), tuple(numb)),
               lambda: body_map_figure(body, {}, pain, numb, selectable=True).update_layout(height=560))
    current = chart_key()
    st.plotly_chart(fig, key=current, on_select=partial(_consume_click, kb, current),
                    selection_mode=("points",), config={"displayModeBar": False})
    st.caption("Red hatching: pain · blue dots: numbness. Hover a region for its name and roots.")
    return {fid: finding_ui(kb.findings[fid], kb) for fid in ("pain_regions", "numbness_regions")}
