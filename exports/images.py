"""The dermatome map and the treatment ladder as PNG, from the dashboard's own plotly figures.

Plotly's static export (kaleido 1.x) drives a headless Chrome; on Debian that is
``/usr/bin/chromium`` (pointed to with ``BROWSER_PATH``). Where no browser can start, the
report is still made, with a line saying the images are missing instead of failing.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from dashboard.charts.body_map import body_map_figure
from dashboard.charts.ladder import ladder_figure
from engine import BodyMap, KnowledgeBase, Result

__all__ = ["ChartImages", "chart_images", "figure_png"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChartImages:
    dermatomes: bytes | None
    ladder: bytes | None
    problem: str | None = None  # why images are missing, for the report


def _browser() -> str | None:
    found = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        os.environ.setdefault("BROWSER_PATH", found)  # where kaleido's choreographer looks first
    return found


def figure_png(fig: go.Figure, width: int, height: int, scale: float = 2) -> bytes:
    """One figure as PNG bytes on a white page (the dashboard draws on transparent).

    Kaleido is called directly rather than through ``fig.to_image`` so that MathJax can be
    switched off: its default page loads MathJax from a CDN, and Radix makes no network call.
    plotly.js comes from the plotly package on disk.
    """
    import kaleido

    fig = go.Figure(fig).update_layout(paper_bgcolor="white", plot_bgcolor="white")
    opts = {"format": "png", "width": width, "height": height, "scale": scale}
    return kaleido.calc_fig_sync(fig.to_dict(), opts=opts, kopts={"mathjax": False})


def _root_info(kb: KnowledgeBase) -> dict[str, str]:
    return {rid: r.dermatome for rid, r in kb.roots.items()}


def chart_images(result: Result, kb: KnowledgeBase, body: BodyMap, findings: Mapping[str, Any]) -> ChartImages:
    """Both report figures, or ``None`` for each with the reason when no browser can draw them."""
    if _browser() is None:
        return ChartImages(None, None, "no Chromium found to draw the figures (apt-get install chromium)")
    scores = {r.root: r.score for r in result.roots}
    derm = body_map_figure(body, scores, findings.get("pain_regions", ()), findings.get("numbness_regions", ()),
                           root_info=_root_info(kb), selectable=False,  # each leg as marked, as on screen
                           pain_sides=findings.get("pain_sides", ()), numbness_sides=findings.get("numbness_sides", ()))
    try:
        return ChartImages(figure_png(derm, 900, 760), figure_png(ladder_figure(result, kb), 900, 560))
    except Exception as exc:  # noqa: BLE001 - any browser failure only costs the images
        log.warning("report figures not drawn: %s", type(exc).__name__)
        return ChartImages(None, None, f"the figures could not be drawn ({type(exc).__name__})")
