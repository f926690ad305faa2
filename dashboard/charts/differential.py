"""Differential chart: the ranked conditions as horizontal bars, with their evidence.

Pure builders: they return an HTML string or plain rows and never call ``st.*``. The
bars keep the engine's order (must-not-miss conditions first, then score), so a serious
condition named by a red flag is never pushed down by a likelier benign one. Each bar
shows the posterior score, with its value written beside it; a tick on the bar marks the
prior it started from; hovering a row lists the findings for and against.

Plain HTML and CSS, not a plotly figure: the chart changes on almost every click, and
plotly's redraw in the browser (margins, axes, text measurement) was the largest single
cost of a click (about 100-170 ms of the browser's time on this machine); these bars are
one ``innerHTML``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from engine import Evidence, KnowledgeBase, Ranked, Result

__all__ = [
    "BAR_COLOUR",
    "MUST_NOT_MISS_COLOUR",
    "PRIOR_COLOUR",
    "differential_html",
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

# The track keeps a right margin for the value text, so a bar near 100% still shows its
# value (and a must-not-miss one its tag) inside the chart.
_CSS = f"""<style>
.radix-diff {{ color: {_INK}; font-size: 0.85rem; line-height: 1.2; }}
.radix-diff .legend {{ display: flex; flex-wrap: wrap; gap: 0.3rem 1.1rem; font-size: 0.8rem; margin: 0 0 0.4rem 0; }}
.radix-diff .key {{ display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: -0.1rem; }}
.radix-diff .key.tick {{ width: 0; height: 1rem; border-left: 2.5px solid {PRIOR_COLOUR}; margin: 0 0.4rem 0 0.35rem;
  vertical-align: -0.2rem; }}
.radix-diff .row {{ display: grid; grid-template-columns: minmax(7rem, 34%) 1fr; align-items: center;
  column-gap: 0.6rem; min-height: 2.15rem; }}
.radix-diff .row[data-condition]:hover {{ background: #f3f5f8; }}
.radix-diff .name {{ text-align: right; overflow-wrap: anywhere; }}
.radix-diff .row.mnm .name {{ color: {MUST_NOT_MISS_COLOUR}; font-weight: 700; }}
.radix-diff .track {{ position: relative; height: 1.5rem; margin-right: 9.5rem; border-left: 1px solid #999999;
  border-right: 1px solid {_GRID}; background: repeating-linear-gradient(to right, {_GRID} 0 1px, transparent 1px 25%); }}
.radix-diff .bar {{ position: absolute; left: 0; top: 0.2rem; bottom: 0.2rem; background: {BAR_COLOUR}; }}
.radix-diff .row.mnm .bar {{ background: {MUST_NOT_MISS_COLOUR}; }}
.radix-diff .prior {{ position: absolute; top: -0.15rem; bottom: -0.15rem; margin-left: -1px; border-left: 2.5px solid {PRIOR_COLOUR}; }}
.radix-diff .value {{ position: absolute; top: 50%; transform: translateY(-50%); margin-left: 0.45rem; white-space: nowrap;
  color: {BAR_COLOUR}; font-size: 0.8rem; }}
.radix-diff .row.mnm .value {{ color: {MUST_NOT_MISS_COLOUR}; font-weight: 700; }}
.radix-diff .axis {{ position: relative; height: 1.1rem; margin-right: 9.5rem; font-size: 0.75rem; color: #666666; }}
.radix-diff .axis span {{ position: absolute; transform: translateX(-50%); }}
.radix-diff .axis-title {{ text-align: center; font-size: 0.78rem; color: #555555; margin-right: 9.5rem; }}
</style>"""


def _evidence_list(items: Sequence[Evidence]) -> str:
    if not items:
        return "  none"
    return "\n".join(f"  • {e.label} ({'present' if e.observed == 'present' else 'absent'}, ×{10 ** e.contribution:.2g})" for e in items)


def hover_text(d: Ranked) -> str:
    """A row's tooltip: probability, prior, and the strongest findings for and against."""
    tag = f" [{_TAG}]" if d.must_not_miss else ""
    counted = sorted((e for e in d.evidence if e.counted), key=lambda e: -abs(e.contribution))
    return (
        f"{d.label}{tag}\n"
        f"probability {d.score:.1%} (prior {d.prior:.1%}) · {d.kind.replace('_', '-')}\n"
        f"for\n{_evidence_list([e for e in counted if e.direction == 'for'][:6])}\n"
        f"against\n{_evidence_list([e for e in counted if e.direction == 'against'][:6])}"
    )


def _percent(p: float) -> str:
    return f"{p:.0%}" if p >= 0.1 else f"{p:.1%}"


def _at(p: float) -> str:
    return f"{min(max(p, 0.0), 1.0) * 100:.2f}%"


def _row(d: Ranked) -> str:
    value = f"{_percent(d.score)}  {_TAG.upper()}" if d.must_not_miss else _percent(d.score)
    kind = "must_not_miss" if d.must_not_miss else "condition"
    return (
        f'<div class="row{" mnm" if d.must_not_miss else ""}" data-condition="{escape(d.id)}" data-kind="{kind}" '
        f'data-score="{d.score:.4f}" data-prior="{d.prior:.4f}" title="{escape(hover_text(d))}">'
        f'<div class="name">{escape(d.label)}</div><div class="track">'
        f'<div class="bar" style="width: {_at(d.score)}"></div>'
        f'<div class="prior" style="left: {_at(d.prior)}"></div>'
        f'<span class="value" style="left: {_at(max(d.score, d.prior))}">{escape(value)}</span></div></div>'
    )


def differential_html(result: Result, top_n: int = 10) -> str:
    """Horizontal bars of the differential in the engine's order, must-not-miss in red and
    tagged in words, each with its value and a tick at its prior; an axis from 0 to 100%."""
    rows = list(result.differential[: max(top_n, 0)])
    legend = (f'<div class="legend"><span><span class="key" style="background: {BAR_COLOUR}"></span>score (posterior)</span>'
              + (f'<span><span class="key" style="background: {MUST_NOT_MISS_COLOUR}"></span>{_TAG}</span>'
                 if any(d.must_not_miss for d in rows) else "")
              + '<span><span class="key tick"></span>prior</span></div>')
    ticks = "".join(f'<span style="left: {p}%">{p}%</span>' for p in (0, 25, 50, 75, 100))
    axis = (f'<div class="row"><div></div><div class="axis">{ticks}</div></div>'
            '<div class="row"><div></div><div class="axis-title">probability (score) · tick = prior</div></div>')
    return f'{_CSS}<div class="radix-diff">{legend}{"".join(_row(d) for d in rows)}{axis}</div>'


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
