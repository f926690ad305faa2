"""Treatment ladder chart: the stepped-care steps as a staircase, the current one lit.

Pure builder: returns a ``plotly.graph_objects.Figure`` and never calls ``st.*``. Steps
climb from self-management (bottom left) in ``kb.ladder`` order. The current step is
filled; steps below it are marked passed; later steps are faint; the next step carries its
entry criteria beside it. Emergency referral stands apart from the staircase (it is
reached by any emergency red flag, not by climbing) and turns red when it is the answer;
then the ladder is suspended (content/ladder.yaml) and no step is marked passed.

Each step is a filled polygon trace with ``hoveron="fills"``, so hovering anywhere on the
step shows its summary and entry, and ``meta`` names the step and its status for tests.
"""

from __future__ import annotations

import textwrap
from typing import Any, Literal

import plotly.graph_objects as go

from engine import KnowledgeBase, LadderStep, Result

__all__ = ["STATUS_STYLE", "Status", "ladder_figure", "step_status"]

Status = Literal["current", "passed", "later", "suspended", "emergency_current", "emergency_idle"]

# fill, border, text colour, status mark
STATUS_STYLE: dict[str, tuple[str, str, str, str]] = {
    "current": ("#2166ac", "#163f6b", "#ffffff", "▶"),
    "passed": ("#eeeeee", "#bdbdbd", "#6b6b6b", "✓"),
    "later": ("#ffffff", "#d9d9d9", "#a6a6a6", ""),
    "suspended": ("#f7f7f7", "#e0e0e0", "#b5b5b5", ""),
    "emergency_current": ("#b2182b", "#7f0f1e", "#ffffff", "▶"),
    "emergency_idle": ("#ffffff", "#e3a4ac", "#c96b77", ""),
}
_STEP_DX = 0.35  # each rung shifts right by this much: a staircase
_BAR_W = 4.2
_BAR_H = 0.38  # half height
_EMERGENCY_BOX = (0.0, 1.9, 5.85, 7.35)  # x0, x1, y0, y1: the empty corner above the stairs


def _is_emergency(step: LadderStep) -> bool:
    return step.urgency_entry == "emergency"


def step_status(step: LadderStep, current: LadderStep) -> Status:
    """How a step is drawn given the current step."""
    if _is_emergency(step):
        return "emergency_current" if step.id == current.id else "emergency_idle"
    if _is_emergency(current):
        return "suspended"
    if step.workup_of and step.id != current.id:  # a mimic's work-up is never climbed past
        return "later"
    if step.id == current.id:
        return "current"
    return "passed" if step.order < current.order else "later"


def _wrap(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width))


def _hover(step: LadderStep, status: Status, result: Result) -> str:
    lines = [f"<b>{step.order}. {step.label}</b> ({status.replace('_', ' ')})", _wrap(step.summary, 70),
             f"<i>Entry:</i> {_wrap(step.entry, 62)}"]
    if step.id == result.ladder.step:
        lines.append(f"<i>Why here:</i> {_wrap(result.ladder.reason, 60)}")
    return "<br>".join(lines)


def _box(step: LadderStep, rung: int) -> tuple[float, float, float, float]:
    if _is_emergency(step):
        return _EMERGENCY_BOX
    x0 = rung * _STEP_DX
    return x0, x0 + _BAR_W, rung - _BAR_H, rung + _BAR_H


def _step_trace(step: LadderStep, box: tuple[float, float, float, float], status: Status, result: Result) -> go.Scatter:
    fill, border, _, _ = STATUS_STYLE[status]
    x0, x1, y0, y1 = box
    lit = status in ("current", "emergency_current")
    return go.Scatter(
        x=[x0, x1, x1, x0, x0], y=[y0, y0, y1, y1, y0], mode="lines", fill="toself", fillcolor=fill,
        line={"color": border, "width": 3 if lit else 1.2, "dash": "dash" if status == "emergency_idle" else "solid"},
        hoveron="fills", text=_hover(step, status, result), hoverinfo="text", showlegend=False,
        name=step.label, meta={"kind": "step", "step": step.id, "status": status, "order": step.order},
    )


def _step_label(step: LadderStep, box: tuple[float, float, float, float], status: Status) -> dict[str, Any]:
    _, _, colour, mark = STATUS_STYLE[status]
    x0, x1, y0, y1 = box
    lit = status in ("current", "emergency_current")
    # long labels take two lines so the rung still holds them when the chart is drawn narrow (the
    # current step's, bold, larger and marked, sooner)
    text = _wrap(f"{step.order} · {step.label}", 26 if lit else 36) if not _is_emergency(step) else _wrap(step.label, 12)
    text = f"<b>{text}</b>" if lit else text
    return {
        "x": x0 + 0.12 if not _is_emergency(step) else (x0 + x1) / 2, "y": (y0 + y1) / 2,
        "xanchor": "left" if not _is_emergency(step) else "center",
        "align": "left" if not _is_emergency(step) else "center",
        "text": f"{mark}  {text}" if mark else text, "showarrow": False,
        "font": {"color": colour, "size": 14 if lit else 13},
    }


def _next_note(result: Result, box: tuple[float, float, float, float]) -> dict[str, Any]:
    _, x1, y0, y1 = box
    return {
        "x": x1, "y": (y0 + y1) / 2, "ax": 22, "ay": 0, "xanchor": "left", "align": "left",
        "text": f"<b>Entry to the next step</b><br>{_wrap(result.ladder.next_entry or '', 40)}",
        "showarrow": True, "arrowhead": 0, "arrowcolor": "#2166ac", "arrowwidth": 1.5,
        "font": {"size": 12, "color": "#2b2b2b"}, "bgcolor": "#f2f6fb", "bordercolor": "#9ab7d6",
        "borderpad": 5,
    }


def _emergency_note(result: Result, current: LadderStep, rungs: int) -> dict[str, Any]:
    """Beside the top of the stairs: why the ladder is suspended (the reason is critical)."""
    return {
        "x": (rungs - 1) * _STEP_DX + _BAR_W + 0.2, "y": rungs - 1, "xanchor": "left", "yanchor": "top",
        "align": "left", "showarrow": False,
        "text": f"<b>Emergency referral</b><br>{_wrap(result.ladder.reason, 40)}<br>{_wrap(current.summary, 40)}",
        "font": {"size": 12, "color": "#7f0f1e"}, "bgcolor": "#fbeef0",
        "bordercolor": STATUS_STYLE["emergency_current"][0], "borderwidth": 1.5, "borderpad": 6,
    }


def _side_notes(current: LadderStep, rungs: int) -> list[dict[str, Any]]:
    x0, x1, _, y1 = _EMERGENCY_BOX
    note = "any emergency red flag" if not _is_emergency(current) else "ladder suspended"
    return [{
        "x": (x0 + x1) / 2, "y": y1, "yanchor": "bottom", "showarrow": False, "text": f"<i>{note}</i>",
        "font": {"size": 11, "color": STATUS_STYLE["emergency_idle"][2]},
    }, {
        "x": 0, "y": -0.75, "xanchor": "left", "showarrow": False,
        "text": "✓ earlier (tried or skipped)   ▶ current step   faint: not yet reached",
        "font": {"size": 11, "color": "#6b6b6b"},
    }]


def ladder_figure(result: Result, kb: KnowledgeBase) -> go.Figure:
    """The stepped-care ladder with the case's current step highlighted."""
    steps = sorted(kb.ladder.values(), key=lambda s: s.order)
    current = kb.ladder[result.ladder.step]
    regular = [s for s in steps if not _is_emergency(s)]
    traces, notes = [], []
    for step in steps:
        box = _box(step, regular.index(step) if step in regular else 0)
        status = step_status(step, current)
        traces.append(_step_trace(step, box, status, result))
        notes.append(_step_label(step, box, status))
        if step.id == result.ladder.next_step and result.ladder.next_entry:
            notes.append(_next_note(result, box))
    if _is_emergency(current):
        notes.append(_emergency_note(result, current, len(regular)))
    fig = go.Figure(traces)
    fig.update_layout(
        width=900, height=110 + 62 * len(regular),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        plot_bgcolor="white", paper_bgcolor="white", showlegend=False,
        annotations=[*notes, *_side_notes(current, len(regular))],
        hoverlabel={"align": "left", "bgcolor": "white"}, hovermode="closest",
    )
    top = max(len(regular) - 1 + _BAR_H, _EMERGENCY_BOX[3]) + 0.45
    right = (len(regular) - 1) * _STEP_DX + _BAR_W + 3.1  # room for the notes beside the top rungs
    fig.update_xaxes(visible=False, range=[-0.15, right], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-0.95, top], fixedrange=True)
    return fig
