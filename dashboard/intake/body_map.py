"""The clickable body map (front and back) for marking pain and numbness, on the side clicked.

A click toggles the region under it, on that leg, for the current marking mode: the
contract's region set (``pain_regions``) holds the region, and the Radix finding
``pain_sides`` holds which leg (``left_lateral_shin``), so the map draws the marked leg
only. The side of the leg symptoms (``laterality``) is derived from the sides marked,
unless the clinician chose it; the strip and the engine then read it like any finding.
The chart's key changes after each click, so the next click is a fresh selection (a
second click on the same place unmarks it) and a selection never toggles twice. The
multiselects below the map are the fallback and stay in sync (a region chosen there has
no side and is drawn on both legs).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from dashboard.charts.body_map import SIDES, body_map_figure, clicked_from_selection, split_sided
from dashboard.intake.widgets import finding_ui
from dashboard.session.cache import memo
from dashboard.session.state import CASE, set_findings, vocabulary_of
from engine import BodyMap, KnowledgeBase

__all__ = ["LATERALITY_AUTO", "MAP_CLICKS", "MAP_MODE", "body_map_ui", "chart_key", "derived_laterality", "toggle_click"]

MAP_MODE = "radix.map_mode"
MAP_CLICKS = "radix.map_clicks"
LATERALITY_AUTO = "radix.laterality_auto"  # the side last derived from the map (None: not derived)
_TARGET = {"pain": ("pain_regions", "pain_sides"), "numbness": ("numbness_regions", "numbness_sides")}


def chart_key() -> str:
    """The clickable chart's current key (changes after every click)."""
    return f"radix.map.{st.session_state.get(MAP_CLICKS, 0)}"


def toggle_click(regions: set[str], sides: set[str], clicked: set[str]) -> tuple[set[str], set[str]]:
    """Toggle each clicked place: a sided word on its leg (the region stays marked while any
    side of it is), a midline region as a whole. Pure; returns new sets."""
    regions, sides = set(regions), set(sides)
    for word in clicked:
        side, region = split_sided(word)
        if side is None:
            regions ^= {region}
            continue
        sides ^= {word}
        if word in sides:
            regions.add(region)
        elif not any(f"{s}_{region}" in sides for s in SIDES):
            regions.discard(region)
    return regions, sides


def derived_laterality(*side_sets: set[str]) -> str | None:
    """left / right / bilateral from the legs marked on the map; None if no side is marked."""
    legs = {split_sided(w)[0] for words in side_sets for w in words} - {None}
    return "bilateral" if legs == set(SIDES) else next(iter(legs), None)


def _ordered(kb: KnowledgeBase, fid: str, words: set[str]) -> list[str]:
    return [w for w in vocabulary_of(kb, fid) if w in words]


def _reconcile(kb: KnowledgeBase) -> None:
    """Keep sides only for regions still marked (a region removed in the multiselect loses
    its sides), and derive laterality from the sides unless the clinician set another."""
    case = st.session_state.get(CASE, {})
    changes: dict[str, Any] = {}
    sides: list[set[str]] = []
    for regions_fid, sides_fid in _TARGET.values():
        regions = set(case.get(regions_fid) or ())
        kept = {w for w in case.get(sides_fid) or () if split_sided(w)[1] in regions}
        if kept != set(case.get(sides_fid) or ()):
            changes[sides_fid] = _ordered(kb, sides_fid, kept) or None
        sides.append(kept)
    derived, auto = derived_laterality(*sides), st.session_state.get(LATERALITY_AUTO)
    current = case.get("laterality")
    if derived != auto and (current is None or current == auto):
        changes["laterality"] = derived
        st.session_state[LATERALITY_AUTO] = derived
    if changes:
        set_findings(kb, changes)


def _consume_click(kb: KnowledgeBase, chart: str) -> None:
    """Toggle the clicked places in the current mode's findings, then retire the chart key.
    A retired chart's selection can come back with a later rerun (the browser still holds
    it); it is ignored, or the old click would toggle its region a second time."""
    clicked = clicked_from_selection(st.session_state.get(chart), kb.vocabularies["region"])
    if not clicked or chart != chart_key():
        return
    regions_fid, sides_fid = _TARGET[st.session_state.get(MAP_MODE) or "pain"]
    case = st.session_state.get(CASE, {})
    regions, sides = toggle_click(set(case.get(regions_fid) or ()), set(case.get(sides_fid) or ()), clicked)
    set_findings(kb, {regions_fid: _ordered(kb, regions_fid, regions), sides_fid: _ordered(kb, sides_fid, sides) or None})
    st.session_state[MAP_CLICKS] = st.session_state.get(MAP_CLICKS, 0) + 1
    _reconcile(kb)


def body_map_ui(kb: KnowledgeBase, body: BodyMap) -> dict[str, Any]:
    """Mode switch, clickable map and the synced multiselects; returns the map's findings."""
    st.session_state.setdefault(MAP_CLICKS, 0)
    # A selection written straight into session state (tests, scripts) has had no
    # callback; take it here, before the multiselects are drawn.
    _consume_click(kb, chart_key())
    _reconcile(kb)  # a region removed in a multiselect since the last run
    st.radio("Marking", ("pain", "numbness"), key=MAP_MODE, horizontal=True,
             help="Choose what a click on the body marks; click again to unmark.")
    case = st.session_state.get(CASE, {})
    drawn = tuple(tuple(case.get(f) or ()) for f in ("pain_regions", "numbness_regions", "pain_sides", "numbness_sides"))
    fig = memo("intake_map", drawn, lambda: body_map_figure(
        body, {}, drawn[0], drawn[1], selectable=True, pain_sides=drawn[2], numbness_sides=drawn[3]).update_layout(height=560))
    current = chart_key()
    st.plotly_chart(fig, key=current, on_select=partial(_consume_click, kb, current),
                    selection_mode=("points",), config={"displayModeBar": False})
    st.caption("Red hatching: pain · blue dots: numbness, on the leg clicked (front view: the patient's right "
               "is on your left). Hover a region for its name, side and roots.")
    side = case.get("laterality")
    if side and st.session_state.get(LATERALITY_AUTO) == side:
        st.caption(f"Side of leg symptoms: **{side}** (from the map; change it under History).")
    elif side and derived_laterality(set(case.get("pain_sides") or ()), set(case.get("numbness_sides") or ())) not in (None, side):
        st.caption(f":orange[The map shows a different side from the one recorded ({side}).]")
    values = {fid: finding_ui(kb.findings[fid], kb) for fid in ("pain_regions", "numbness_regions")}
    case = st.session_state.get(CASE, {})
    return {**values, **{fid: case.get(fid) for fid in ("pain_sides", "numbness_sides")}}
