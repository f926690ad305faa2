"""Differential chart: the ranked conditions as horizontal bars, with their evidence.

Pure builders: they return a ``plotly.graph_objects.Figure`` or plain rows and never call
``st.*``. The bars keep the engine's order (must-not-miss conditions first, then score),
so a serious condition named by a red flag is never pushed down by a likelier benign one.
Each bar shows the posterior score; a tick on the bar marks the prior it started from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from engine import Evidence, KnowledgeBase, Ranked, Result

__all__ = [
    "BAR_COLOUR",
    "MUST_NOT_MISS_COLOUR",
    "PRIOR_COLOUR",
    "differential_figure",
    "evidence_table",
]

# ColorBrewer RdBu ends: blue and red stay apart for the common colour-vision deficiencies,
# and the must-not-miss tag in the text carries the meaning without colour.
BAR_COLOUR = "#2166ac"
MUST_NOT_MISS_COLOUR = "#b2182b"
PRIOR_COLOUR = "#1a1a1a"
_INK = "#333333"
_GRID = "#e5e5e5"
_TAG = "must-not-miss"


def _evidence_list(items: Sequence[Evidence]) -> str:
    if not items:
        return "  none"
    return "<br>".join(f"  • {e.label} ({'present' if e.observed == 'present' else 'absent'}, ×{10 ** e.contribution:.2g})" for e in items)


def _hover(d: Ranked) -> str:
    tag = f" <b>[{_TAG}]</b>" if d.must_not_miss else ""
    counted = sorted((e for e in d.evidence if e.counted), key=lambda e: -abs(e.contribution))
    return (
        f"<b>{d.label}</b>{tag}<br>"
        f"probability {d.score:.1%} (base rate {d.prior:.1%}) · {d.kind.replace('_', '-')}<br>"
        f"<b>for</b><br>{_evidence_list([e for e in counted if e.direction == 'for'][:6])}<br>"
        f"<b>against</b><br>{_evidence_list([e for e in counted if e.direction == 'against'][:6])}"
    )


def _tick(d: Ranked) -> str:
    if not d.must_not_miss:
        return d.label
    return f"<span style='color:{MUST_NOT_MISS_COLOUR}'><b>{d.label}</b></span>"


def _bars(rows: Sequence[Ranked], must_not_miss: bool) -> go.Bar:
    picked = [d for d in rows if d.must_not_miss == must_not_miss]
    colour = MUST_NOT_MISS_COLOUR if must_not_miss else BAR_COLOUR
    return go.Bar(
        name=_TAG if must_not_miss else "score (posterior)",
        orientation="h",
        x=[d.score for d in picked],
        y=[d.id for d in picked],
        marker={"color": colour, "line": {"width": 0}},
        hovertext=[_hover(d) for d in picked],
        hoverinfo="text",
        customdata=[d.id for d in picked],
        meta={"kind": "must_not_miss" if must_not_miss else "condition"},
        showlegend=bool(picked),
    )


def _percent(p: float) -> str:
    return f"{p:.0%}" if p >= 0.1 else f"{p:.1%}"


def _values(rows: Sequence[Ranked]) -> go.Scatter:
    """Score text just right of the bar or its prior tick, whichever ends later; kept
    inside the axis (the margin holds it) so a bar near 100% still shows its value."""
    return go.Scatter(
        mode="text",
        x=[min(max(d.score, d.prior) + 0.012, 1.0) for d in rows],
        y=[d.id for d in rows],
        text=[f"<b>{_percent(d.score)}  {_TAG.upper()}</b>" if d.must_not_miss else _percent(d.score) for d in rows],
        textposition="middle right",
        textfont={"color": [MUST_NOT_MISS_COLOUR if d.must_not_miss else BAR_COLOUR for d in rows], "size": 12},
        cliponaxis=False,
        hoverinfo="skip",
        showlegend=False,
        meta={"kind": "values"},
    )


def _priors(rows: Sequence[Ranked]) -> go.Scatter:
    return go.Scatter(
        name="prior",
        mode="markers",
        x=[d.prior for d in rows],
        y=[d.id for d in rows],
        marker={"symbol": "line-ns-open", "size": 22, "color": PRIOR_COLOUR, "line": {"width": 2.5}},
        hovertemplate="prior %{x:.1%}<extra></extra>",
        cliponaxis=False,
        meta={"kind": "prior"},
    )


def differential_figure(result: Result, top_n: int = 10) -> go.Figure:
    """Horizontal bars of the differential, best at the top, must-not-miss in red."""
    rows = list(result.differential[: max(top_n, 0)])
    fig = go.Figure([_bars(rows, False), _bars(rows, True), _priors(rows), _values(rows)])
    fig.update_layout(
        barmode="overlay",
        bargap=0.35,
        height=110 + 38 * max(len(rows), 1),
        margin={"l": 10, "r": 150, "t": 40, "b": 40},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"color": _INK, "size": 13},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
        hoverlabel={"align": "left", "bgcolor": "white"},
    )
    fig.update_xaxes(
        range=[0, 1], tickformat=".0%", dtick=0.25, gridcolor=_GRID, zeroline=True,
        zerolinecolor="#999999", title={"text": "probability (score) · tick = prior"}, fixedrange=True,
    )
    fig.update_yaxes(
        type="category", categoryorder="array", categoryarray=[d.id for d in rows],
        tickvals=[d.id for d in rows], ticktext=[_tick(d) for d in rows],
        autorange="reversed", ticklabelstandoff=8, fixedrange=True,
    )
    return fig


def _citations(kb: KnowledgeBase, ids: Sequence[str]) -> str:
    return "; ".join(kb.sources[s].citation if s in kb.sources else s for s in ids)


def evidence_table(result: Result, kb: KnowledgeBase, condition_id: str) -> list[dict[str, Any]]:
    """One row per finding that moved ``condition_id``, strongest first, as the engine
    recorded it (never re-scored): the ratio is against the non-specific catch-all."""
    ranked = next(d for d in result.differential if d.id == condition_id)
    moved = sorted((e for e in ranked.evidence if e.counted and e.direction != "neutral"), key=lambda e: -abs(e.contribution))
    return [
        {
            "direction": e.direction,
            "finding": e.label,
            "observed": e.observed,
            "ratio": round(10 ** e.contribution, 2),
            "basis": "published" if e.published else "stated estimate" + (" (capped)" if e.capped else ""),
            "sources": _citations(kb, e.sources),
            "row": e.row,
        }
        for e in moved
    ]
