"""Pure conversions between a finding's value and the widgets that edit it.

No Streamlit here, so the three-valued mapping can be tested alone. Widget keys are
``f.<finding_id>`` (plus ``f.<id>.recorded`` for numbers and ``f.<id>.unknown`` for
sets); values are what the widgets hold. ``None`` always means "not asked".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import FindingDef

__all__ = [
    "NOT_ASKED",
    "BOOL_OPTIONS",
    "default_number",
    "finding_from_widgets",
    "key",
    "widget_state_for",
    "pretty",
]

NOT_ASKED = "not asked"
BOOL_OPTIONS: tuple[str, str, str] = (NOT_ASKED, "yes", "no")
# Where a number widget rests before anything is recorded: a neutral place to start
# dragging from, never read by the engine (the "recorded" box is off).
_REST: dict[str, float] = {"age": 40, "pain_intensity": 5}


def key(finding_id: str, part: str = "") -> str:
    """The session-state key of a finding's widget (``part``: recorded, unknown)."""
    return f"f.{finding_id}" + (f".{part}" if part else "")


def pretty(word: str | None) -> str:
    """A vocabulary word for display: ``great_toe_extension`` -> ``great toe extension``."""
    return NOT_ASKED if word is None else str(word).replace("_", " ")


def default_number(f: FindingDef) -> int | float:
    value = _REST.get(f.id, f.min or 0)
    return int(value) if f.type == "int" else float(value)


def widget_state_for(f: FindingDef, value: Any, vocabulary: tuple[str, ...] = ()) -> dict[str, Any]:
    """Session-state entries that show ``value`` (``None`` = not asked) in the widgets."""
    if f.type == "bool":
        return {key(f.id): BOOL_OPTIONS[0] if value is None else "yes" if value else "no"}
    if f.type == "enum":
        return {key(f.id): NOT_ASKED if value is None else value}
    if f.type in ("int", "number"):
        shown = default_number(f) if value is None else value
        shown = int(shown) if f.type == "int" else float(shown)
        return {key(f.id): shown, key(f.id, "recorded"): value is not None}
    items = [] if value is None else list(value)
    order = {w: i for i, w in enumerate(vocabulary)}
    return {key(f.id): sorted(items, key=lambda w: order.get(w, len(order))), key(f.id, "unknown"): value is None}


def finding_from_widgets(f: FindingDef, state: Mapping[str, Any]) -> Any:
    """The finding value the widgets show, or ``None`` when it was not asked."""
    value = state.get(key(f.id))
    if f.type == "bool":
        return None if value in (None, NOT_ASKED) else value == "yes"
    if f.type == "enum":
        return None if value in (None, NOT_ASKED) else value
    if f.type in ("int", "number"):
        if not state.get(key(f.id, "recorded")) or value is None:
            return None
        return int(value) if f.type == "int" else float(value)
    if state.get(key(f.id, "unknown"), True):
        return None
    return list(value or [])
