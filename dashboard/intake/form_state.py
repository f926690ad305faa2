"""Pure conversions between a finding's value and the widgets that edit it.

No Streamlit here, so the three-valued mapping can be tested alone. Widget keys are
``f.<finding_id>`` (plus ``f.<id>.unit`` for a duration and ``f.<id>.unknown`` for
sets); values are what the widgets hold. ``None`` always means "not asked": a number box
is empty until a number is typed, so nothing rests at a plausible-looking default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import FindingDef

__all__ = [
    "NOT_ASKED",
    "BOOL_OPTIONS",
    "DAYS",
    "has_unit",
    "UNITS",
    "WEEKS",
    "number_problem",
    "finding_from_widgets",
    "key",
    "widget_state_for",
    "pretty",
]

NOT_ASKED = "not asked"
BOOL_OPTIONS: tuple[str, str, str] = (NOT_ASKED, "yes", "no")
DAYS, WEEKS = "days", "weeks"
UNITS: tuple[str, str] = (DAYS, WEEKS)
# Findings in weeks whose entry offers a unit choice (a 4-day history is typed as 4 days).
_UNIT_FINDINGS = frozenset({"duration_weeks"})


def key(finding_id: str, part: str = "") -> str:
    """The session-state key of a finding's widget (``part``: recorded, unknown)."""
    return f"f.{finding_id}" + (f".{part}" if part else "")


def pretty(word: str | None) -> str:
    """A vocabulary word for display: ``great_toe_extension`` -> ``great toe extension``."""
    return NOT_ASKED if word is None else str(word).replace("_", " ")


def has_unit(f: FindingDef) -> bool:
    return f.id in _UNIT_FINDINGS


def _shown_duration(weeks: float) -> tuple[float | int, str]:
    """A stored duration as it reads best: whole days for a part-week history, else weeks."""
    days = weeks * 7
    if weeks != int(weeks) and abs(days - round(days)) < 0.01:
        return int(round(days)), DAYS
    return (int(weeks) if weeks == int(weeks) else weeks), WEEKS


def _to_finding(f: FindingDef, amount: float, unit: str | None) -> float:
    return round(amount / 7, 4) if has_unit(f) and unit == DAYS else amount


def number_problem(f: FindingDef, amount: float | None, unit: str | None = None) -> str | None:
    """Why a typed number cannot be used (out of range, not whole), or None if it can."""
    if amount is None:
        return None
    value = _to_finding(f, amount, unit)
    lo, hi = f.min if f.min is not None else float("-inf"), f.max if f.max is not None else float("inf")
    unit_word = f" {unit}" if has_unit(f) and unit else ""
    if f.type == "int" and amount != int(amount):
        return f"{f.label}: {amount:g} is not a whole number."
    if not lo <= value <= hi:
        limit = f"{lo:g}-{hi:g}" + (" weeks" if has_unit(f) else "")
        return f"{f.label}: {amount:g}{unit_word} is outside {limit}; it is not used until corrected."
    return None


def widget_state_for(f: FindingDef, value: Any, vocabulary: tuple[str, ...] = ()) -> dict[str, Any]:
    """Session-state entries that show ``value`` (``None`` = not asked) in the widgets."""
    if f.type == "bool":
        return {key(f.id): BOOL_OPTIONS[0] if value is None else "yes" if value else "no"}
    if f.type == "enum":
        return {key(f.id): NOT_ASKED if value is None else value}
    if f.type in ("int", "number"):
        if has_unit(f):
            amount, unit = (None, WEEKS) if value is None else _shown_duration(float(value))
            shown = {key(f.id): amount, key(f.id, "unit"): unit}
        else:
            shown = {key(f.id): None if value is None else int(value) if f.type == "int" else float(value)}
        # "typed": what the boxes last showed, kept outside the widgets so a number that is
        # not usable yet (out of range) survives its section being closed
        return {**shown, key(f.id, "typed"): dict(shown)}
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
        unit = state.get(key(f.id, "unit")) or WEEKS
        if value is None or number_problem(f, value, unit):
            return None  # empty = not asked; a bad number is shown with its message, never used
        value = _to_finding(f, value, unit)
        return int(value) if f.type == "int" else float(value)
    if state.get(key(f.id, "unknown"), True):
        return None
    return list(value or [])
