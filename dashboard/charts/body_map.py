"""Body map chart: dermatomes shaded by root likelihood, pain and numbness overlaid.

Pure builders: they return a ``plotly.graph_objects.Figure`` and never call ``st.*``.
The same figure serves the intake (the clinician clicks regions) and the result (root
scores drawn on the dermatomes).

Clicking: Streamlit's plotly selection reports *points*, not filled areas, so each region
is backed by a grid of almost invisible points whose ``customdata`` is the region id.
Use it with a callback, so a click toggles once and not again on every rerun::

    def _on_click() -> None:
        clicked = regions_from_selection(st.session_state["body_map"], kb.vocabularies["region"])
        st.session_state["pain_regions"] = toggle_regions(st.session_state["pain_regions"], clicked)

    st.plotly_chart(fig, key="body_map", on_select=_on_click, selection_mode=("points",))
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache

import plotly.graph_objects as go
from plotly.colors import sample_colorscale, unlabel_rgb

from engine import BodyMap, Polygon

__all__ = [
    "SIDES",
    "body_map_figure",
    "click_grid",
    "clicked_from_selection",
    "point_in_polygon",
    "regions_from_selection",
    "sided",
    "split_sided",
    "toggle_regions",
]

Point = tuple[float, float]

# One sequential scale for root likelihood. Green keeps clear of the red (pain) and
# blue (numbness) overlays; it starts above white so a score of 0 still shows the band.
_SCALE: list[list[float | str]] = [
    [i / 8, c]
    for i, c in enumerate(sample_colorscale("Greens", [0.06 + 0.82 * i / 8 for i in range(9)]))
]
_BODY_FILL = "#f3efea"
_INK = "#5b5750"
_PAIN = "#c8102e"
_NUMB = "#1f4fbf"
SIDES = ("left", "right")
_GRID_SPACING = 0.034  # data units; about 14 px at 700 px wide, inside hover reach (20 px); a lighter click layer


def point_in_polygon(point: Point, polygon: Sequence[Point]) -> bool:
    """True if ``point`` lies inside ``polygon`` (even-odd ray casting)."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def click_grid(polygon: Sequence[Point], spacing: float = _GRID_SPACING) -> list[Point]:
    """Points on a regular lattice inside ``polygon``; finer for small polygons.

    The lattice is anchored at the origin, so neighbouring regions interleave evenly.
    """
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    for _ in range(4):  # a thin strip (lateral foot) may miss the coarse lattice
        i0, i1 = int(min(xs) / spacing) - 1, int(max(xs) / spacing) + 1
        j0, j1 = int(min(ys) / spacing) - 1, int(max(ys) / spacing) + 1
        grid = [
            (round((i + 0.5) * spacing, 4), round((j + 0.5) * spacing, 4))
            for i in range(i0, i1 + 1)
            for j in range(j0, j1 + 1)
        ]
        inside = [p for p in grid if point_in_polygon(p, polygon)]
        if len(inside) >= 6:
            return inside
        spacing /= 2
    return inside


@lru_cache(maxsize=4)
def _click_points(body: BodyMap) -> tuple[tuple[str, float, float, tuple[str, ...], str], ...]:
    """(region, x, y, roots under the point, patient side) for every click point; cached per map."""
    derm = [
        (d.root, poly, _bbox(poly.points)) for d in body.dermatomes for poly in d.polygons
    ]
    out = []
    for region in body.regions:
        for poly in region.polygons:
            for x, y in click_grid(poly.points):
                roots = tuple(
                    root
                    for root, dp, (x0, y0, x1, y1) in derm
                    if dp.view == poly.view
                    and x0 <= x <= x1
                    and y0 <= y <= y1
                    and point_in_polygon((x, y), dp.points)
                )
                out.append((region.id, x, y, roots, poly.side))
    return tuple(out)


def _bbox(points: Sequence[Point]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _rings(polygons: Sequence[Polygon] | Sequence[Sequence[Point]]) -> tuple[list, list]:
    """x and y lists drawing each polygon closed, separated by None gaps."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for poly in polygons:
        points = poly.points if isinstance(poly, Polygon) else poly
        xs += [p[0] for p in points] + [points[0][0], None]
        ys += [p[1] for p in points] + [points[0][1], None]
    return xs, ys


def _fill(score: float) -> str:
    return sample_colorscale(_SCALE, [min(max(score, 0.0), 1.0)])[0]


def _is_dark(colour: str) -> bool:
    r, g, b = unlabel_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


def _root_text(root: str, scores: Mapping[str, float], info: Mapping[str, str]) -> str:
    score = f"{scores[root]:.2f}" if root in scores else "not scored"
    extra = info.get(root, "").replace("\n", "<br>")
    return f"<b>{root}</b> · root likelihood {score}" + (f"<br>{extra}" if extra else "")


def _body_traces(body: BodyMap, with_fill: bool) -> list[go.Scatter]:
    """Silhouette (filled, drawn first) or its contour and detail lines (drawn on top)."""
    traces = []
    for view in body.views:
        xs, ys = _rings([view.outline])
        if with_fill:
            traces.append(go.Scatter(x=xs, y=ys, fill="toself", fillcolor=_BODY_FILL, mode="none",
                                     hoverinfo="skip", showlegend=False, meta={"kind": "body"}))
            continue
        dx: list[float | None] = []
        dy: list[float | None] = []
        for d in view.details:
            pts = [*d.points, d.points[0]] if d.closed else list(d.points)
            dx += [p[0] for p in pts] + [None]
            dy += [p[1] for p in pts] + [None]
        traces.append(go.Scatter(x=dx, y=dy, mode="lines", line={"color": _INK, "width": 0.8},
                                 hoverinfo="skip", showlegend=False, meta={"kind": "detail"}))
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", line={"color": _INK, "width": 1.6},
                                 hoverinfo="skip", showlegend=False, meta={"kind": "outline"}))
    return traces


def _dermatome_traces(
    body: BodyMap, scores: Mapping[str, float], info: Mapping[str, str]
) -> tuple[list[go.Scatter], list[dict]]:
    """One filled trace per root per view, and a root label annotation per polygon."""
    traces, labels = [], []
    for derm in body.dermatomes:
        colour = _fill(scores.get(derm.root, 0.0))
        for view in body.views:
            polys = [p for p in derm.polygons if p.view == view.id]
            if not polys:
                continue
            xs, ys = _rings(polys)
            traces.append(go.Scatter(
                x=xs, y=ys, fill="toself", fillcolor=colour, mode="lines",
                line={"color": "rgba(60,60,60,0.35)", "width": 0.6}, hoveron="fills",
                text=_root_text(derm.root, scores, info), hoverinfo="text",
                name=f"{derm.root} ({view.id})", showlegend=False,
                meta={"kind": "dermatome", "root": derm.root, "view": view.id},
            ))
            labels += [
                {"x": p.label_at[0], "y": p.label_at[1], "text": derm.root, "showarrow": False,
                 "font": {"size": 10, "color": "white" if _is_dark(colour) else "#33302b"}}
                for p in polys if p.label_at is not None
            ]
    return traces, labels


_OVERLAYS = {
    "pain": ("Pain", _PAIN, "/", "rgba(200,16,46,0.22)", "solid"),
    "numbness": ("Numbness", _NUMB, ".", "rgba(31,79,191,0.12)", "dot"),
}


def sided(side: str, region: str) -> str:
    """The word for one leg region on one side of the patient: ``left_lateral_shin``."""
    return f"{side}_{region}"


def split_sided(word: str) -> tuple[str | None, str]:
    """``left_lateral_shin`` -> ("left", "lateral_shin"); a plain region id has no side."""
    side, _, region = word.partition("_")
    return (side, region) if side in SIDES and region else (None, word)


def _polygons_drawn(region: str, polygons: Sequence[Polygon], sides: Collection[str]) -> list[Polygon]:
    """The polygons of a marked region: on the sides marked, or everywhere if no side was given."""
    chosen = {s for s in SIDES if sided(s, region) in sides}
    return [p for p in polygons if not chosen or p.side in chosen or p.side == "midline"]


def _overlay_traces(body: BodyMap, kind: str, regions: Collection[str], sides: Collection[str] = ()) -> list[go.Scatter]:
    """Hatched red (pain) or dotted blue (numbness) over the given regions, on the marked side
    only when a side was given (``sides``: words like ``left_lateral_shin``); one per region."""
    name, colour, shape, background, dash = _OVERLAYS[kind]
    traces = []
    for region in (r for r in body.regions if r.id in set(regions)):
        polygons = _polygons_drawn(region.id, region.polygons, set(sides))
        xs, ys = _rings(polygons)
        traces.append(go.Scatter(
            x=xs, y=ys, fill="toself", mode="lines", name=name, legendgroup=kind,
            showlegend=not traces, line={"color": colour, "width": 1.8, "dash": dash},
            fillpattern={"shape": shape, "fgcolor": colour, "bgcolor": background,
                         "size": 8, "solidity": 0.4},
            hoverinfo="skip",
            meta={"kind": kind, "region": region.id, "sides": sorted({p.side for p in polygons})},
        ))
    return traces


def _click_traces(body: BodyMap) -> list[go.Scatter]:
    """Faint region borders, and near-invisible points filling each region: what a click
    actually selects. A point's customdata is its sided region (``left_lateral_shin``), or
    the region id on the midline; its hover is short (region, side, dermatomes) to keep the
    click layer light."""
    points = _click_points(body)
    xs, ys = _rings([p for r in body.regions for p in r.polygons])
    traces = [go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                         line={"color": "rgba(90,85,80,0.55)", "width": 0.8, "dash": "dot"},
                         meta={"kind": "region_border"})]
    for region in body.regions:
        mine = [p for p in points if p[0] == region.id]
        data = [region.id if side == "midline" else sided(side, region.id) for *_, side in mine]
        text = [
            f"<b>{region.label}</b>" + ("" if side == "midline" else f", {side}") + (f"<br>{', '.join(roots)}" if roots else "")
            for _, _, _, roots, side in mine
        ]
        traces.append(go.Scatter(
            x=[p[1] for p in mine], y=[p[2] for p in mine], mode="markers",
            marker={"size": 9, "color": "rgba(0,0,0,0)"},
            selected={"marker": {"color": "rgba(0,0,0,0.35)"}},
            unselected={"marker": {"opacity": 1}},
            customdata=data, text=text,
            hovertemplate="%{text}<br><i>click to mark or unmark</i><extra></extra>",
            name=region.label, showlegend=False, meta={"kind": "click", "region": region.id},
        ))
    return traces


def _scale_trace() -> go.Scatter:
    """An empty trace that only carries the colour bar."""
    return go.Scatter(
        x=[None], y=[None], mode="markers", hoverinfo="skip", showlegend=False,
        marker={"colorscale": _SCALE, "cmin": 0, "cmax": 1, "color": [0], "showscale": True,
                "colorbar": {"title": {"text": "root likelihood", "side": "right"}, "thickness": 12,
                             "len": 0.5, "tickvals": [0, 0.5, 1], "outlinewidth": 0}},
        meta={"kind": "scale"},
    )


def body_map_figure(
    body: BodyMap,
    root_scores: Mapping[str, float],
    pain_regions: Collection[str],
    numbness_regions: Collection[str],
    root_info: Mapping[str, str] | None = None,
    selectable: bool = True,
    pain_sides: Collection[str] = (),
    numbness_sides: Collection[str] = (),
) -> go.Figure:
    """Front and back body with dermatomes shaded by root score and symptom overlays.

    ``root_info`` maps a root id to hover text (key muscle, reflex, test); with
    ``selectable`` each region gets click points (see the module docstring) and there is no
    colour bar (nothing is scored at intake). ``pain_sides`` / ``numbness_sides`` (words like
    ``left_lateral_shin``) put a marked region on that leg only.
    """
    derm, labels = _dermatome_traces(body, root_scores, root_info or {})
    fig = go.Figure([
        *_body_traces(body, with_fill=True), *derm, *_body_traces(body, with_fill=False),
        *_overlay_traces(body, "pain", pain_regions, pain_sides),
        *_overlay_traces(body, "numbness", numbness_regions, numbness_sides),
        *(_click_traces(body) if selectable else [_scale_trace()]),
    ])
    x0, y0, x1, y1 = _bbox([p for v in body.views for p in v.outline])
    heads = [
        {"x": sum(_bbox(v.outline)[::2]) / 2, "y": y1 + 0.05, "text": f"<b>{v.label}</b>",
         "showarrow": False, "font": {"size": 14}}
        for v in body.views
    ]
    heads += [  # the patient's sides: right on the viewer's left from the front, the other way from behind
        {"x": sum(_bbox(v.outline)[::2]) / 2 + dx * (1 if v.id == "front" else -1), "y": y1 + 0.05, "text": side,
         "showarrow": False, "font": {"size": 11, "color": "#6b6b6b"}, "name": f"side {side}"}
        for v in body.views for dx, side in ((-0.13, "R"), (0.13, "L"))
    ]
    fig.update_layout(
        annotations=labels + heads, height=720, margin={"l": 10, "r": 10, "t": 10, "b": 10},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", hovermode="closest",
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0.0, "yanchor": "top"},
        xaxis={"visible": False, "fixedrange": True, "range": [x0 - 0.04, x1 + 0.04]},
        yaxis={"visible": False, "fixedrange": True, "range": [y0 - 0.03, y1 + 0.09],
               "scaleanchor": "x", "scaleratio": 1},
    )
    return fig


def clicked_from_selection(selection: Mapping | None, regions: Collection[str]) -> set[str]:
    """What the clicked points name: sided regions (``left_lateral_shin``) or midline region ids.

    Only ids in ``regions`` (the content's region vocabulary) count.
    Accepts the whole event (``{"selection": {"points": [...]}}``) or its ``selection``.
    ``customdata`` is a plain string here, but a list when a figure carries several
    values per point, so both are read.
    """
    if not selection:
        return set()
    inner = selection.get("selection", selection)
    found = set()
    for point in (inner or {}).get("points", []) or []:
        data = point.get("customdata")
        if isinstance(data, (list, tuple)):
            data = data[0] if data else None
        if isinstance(data, str) and split_sided(data)[1] in regions:
            found.add(data)
    return found


def regions_from_selection(selection: Mapping | None, regions: Collection[str]) -> set[str]:
    """Region ids of the clicked points (the side dropped) in a Streamlit plotly selection state."""
    return {split_sided(word)[1] for word in clicked_from_selection(selection, regions)}


def toggle_regions(current: Collection[str], clicked: Collection[str]) -> set[str]:
    """Clicking a marked region unmarks it; clicking an unmarked one marks it."""
    return set(current) ^ set(clicked)
