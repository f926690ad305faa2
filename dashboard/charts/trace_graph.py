"""Trace graph: the firings of one inference drawn as a layered, left-to-right graph.

Pure builders: they return a ``plotly.graph_objects.Figure`` or plain rows and never call
``st.*``. Column 0 holds the findings the fired rules matched (each premise string as the
engine matched it, split into its leaves, so "slr = positive" is one node however many
rules read it); then one column per layer that fired, in the engine's layer order. A node
is a concluded fact; an edge runs from each premise to the fact a rule concluded, and the
marker at its middle names the rule, its description and its sources on hover.

A rule may read a fact of its own layer (a syndrome built on another syndrome): such a
fact is drawn half a column right of what it reads (its column widens to fit), so the
edge never runs vertically through its neighbours. Rows are ordered by a few barycentre sweeps to cut crossings.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from engine import LAYERS, Firing, KnowledgeBase, Result

__all__ = ["LAYER_COLOURS", "LAYER_NAMES", "trace_figure", "trace_table"]

FINDING = "finding"
LAYER_NAMES: dict[str, str] = {
    FINDING: "Findings", "check": "Checks", "sign": "Signs", "syndrome": "Syndromes",
    "root": "Roots", "red_flag": "Red flags", "cause": "Causes", "ladder": "Ladder",
    "differential": "Differential",
}
# Okabe-Ito colours (safe for the common colour-vision deficiencies); red flags get the
# vermillion, findings a neutral grey.
LAYER_COLOURS: dict[str, str] = {
    FINDING: "#8a8a8a", "check": "#cc79a7", "sign": "#56b4e9", "syndrome": "#0072b2",
    "root": "#009e73", "red_flag": "#d55e00", "cause": "#e69f00", "ladder": "#332288",
    "differential": "#e69f00",
}
# the likelihood table weighs the differential after chaining: its column comes last
_COLUMNS = (*LAYERS, "differential")
_ROW_PX = 34
_COL_PX = 185
_DEPTH_STEP = 0.5  # a same-layer fact sits half a column right of what it reads
_SPREAD = 3.0
_FACT_ROWS = 1.5
_LABEL_CHARS = 26


@dataclass
class _Graph:
    column: dict[str, int] = field(default_factory=dict)  # node key -> column
    layer: dict[str, str] = field(default_factory=dict)
    depth: dict[str, int] = field(default_factory=dict)
    edges: dict[tuple[str, str], list[Firing]] = field(default_factory=dict)
    xs: dict[int, float] = field(default_factory=dict)  # column -> x


def _short(text: str, n: int = _LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _two_lines(text: str, n: int = _LABEL_CHARS) -> str:
    lines = textwrap.wrap(text, n)
    return lines[0] if len(lines) == 1 else f"{lines[0]}<br>{_short(' '.join(lines[1:]), n)}"


def _build(result: Result, with_differential: bool = True) -> _Graph:
    g = _Graph()
    firings = [f for f in result.trace if with_differential or f.layer != "differential"]
    concluded = {f.concludes for f in firings}
    columns = [FINDING, *[layer for layer in _COLUMNS if any(f.layer == layer for f in firings)]]
    for f in firings:
        g.layer.setdefault(f.concludes, f.layer)
        g.column.setdefault(f.concludes, columns.index(f.layer))
        for leaf in f.matched:  # the engine's matched premises as data: no premise text is parsed
            src = leaf["fact"] if leaf.get("fact") in concluded else f"{FINDING}:{leaf['text']}"
            g.layer.setdefault(src, FINDING)
            g.column.setdefault(src, 0)
            g.edges.setdefault((src, f.concludes), []).append(f)
    g.depth = _depths(g)
    g.xs = _col_x(g)
    return g


def _depths(g: _Graph, cap: int = 3) -> dict[str, int]:
    """How many facts of its own layer stand between a fact and the previous layers."""
    inner = [(s, d) for s, d in g.edges if g.column[s] == g.column[d] and s != d]
    depth = dict.fromkeys(g.column, 0)
    for _ in range(cap):  # longest path by relaxation; the cap also ends any cycle
        for src, dst in inner:
            depth[dst] = min(cap, max(depth[dst], depth[src] + 1))
    return depth


def _spread(columns: Mapping[int, list[str]]) -> dict[str, float]:
    """Rows centred in each column; a short column is spread out, at most _SPREAD rows apart."""
    # a fact label takes two lines above its node, so fact columns need 1.5 rows a node
    half = max((len(keys) - 1) * (1.0 if c == 0 else _FACT_ROWS) for c, keys in columns.items()) / 2
    ys = {}
    for keys in columns.values():
        gap = min(_SPREAD, 2 * half / (len(keys) - 1)) if len(keys) > 1 else 0.0
        ys.update({k: (len(keys) - 1) * gap / 2 - i * gap for i, k in enumerate(keys)})
    return ys


def _order(g: _Graph, sweeps: int = 8) -> dict[str, float]:
    """Row of each node: first-seen order, then barycentre sweeps right and left."""
    columns: dict[int, list[str]] = {}
    for key in g.column:
        columns.setdefault(g.column[key], []).append(key)
    ys = _spread(columns)
    links = [(s, d) for s, d in g.edges if g.column[s] != g.column[d]]
    for _ in range(sweeps):
        for c in [*sorted(columns)[1:], 0]:
            near = {k: [ys[s] for s, d in links if d == k] + [ys[d] for s, d in links if s == k] for k in columns[c]}
            columns[c].sort(key=lambda k: -sum(near[k]) / len(near[k]) if near[k] else 0.0)
            ys = _spread(columns)
    return ys


def _col_x(g: _Graph) -> dict[int, float]:
    """x of each column: a column whose facts read each other is widened by its depth."""
    width = {c: 1.0 for c in g.column.values()}
    for key, depth in g.depth.items():
        width[g.column[key]] = max(width[g.column[key]], 1 + _DEPTH_STEP * depth)
    xs, x = {}, 0.0
    for c in sorted(width):
        xs[c], x = x, x + width[c]
    return xs


def _x(g: _Graph, key: str) -> float:
    return g.xs[g.column[key]] + _DEPTH_STEP * g.depth.get(key, 0)


def _cite(kb: KnowledgeBase, sid: str) -> str:
    return _short(kb.sources[sid].citation, 90) if sid in kb.sources else sid


def _edge_hover(firings: Sequence[Firing], kb: KnowledgeBase) -> str:
    blocks = []
    for f in firings:
        desc = "<br>".join(textwrap.wrap(f.description, 70))
        cites = "<br>".join(f"  • {_cite(kb, s)}" for s in f.sources)
        weight = f" · {f.weight}" if f.weight else ""
        blocks.append(f"<b>{f.rule}</b> ({LAYER_NAMES[f.layer]}{weight})<br>{desc}<br><i>sources</i><br>{cites}")
    return "<br><br>".join(blocks)


def _edge_traces(g: _Graph, ys: Mapping[str, float], kb: KnowledgeBase) -> list[go.Scatter]:
    lines: dict[str, tuple[list[float | None], list[float | None]]] = {}
    mids: tuple[list[float], list[float], list[str], list[str]] = ([], [], [], [])
    for (src, dst), firings in g.edges.items():
        x0, y0, x1, y1 = _x(g, src), ys[src], _x(g, dst), ys[dst]
        xs, yv = lines.setdefault(g.layer[dst], ([], []))
        xs += [x0, x1, None]
        yv += [y0, y1, None]
        for seq, value in zip(mids, (x0 + 0.55 * (x1 - x0), y0 + 0.55 * (y1 - y0),
                                     " ".join(f.rule for f in firings), _edge_hover(firings, kb)), strict=True):
            seq.append(value)
    out = [
        go.Scatter(x=xs, y=yv, mode="lines", line={"color": LAYER_COLOURS[layer], "width": 1.2}, opacity=0.45,
                   hoverinfo="skip", showlegend=False, meta={"kind": "edges", "layer": layer})
        for layer, (xs, yv) in lines.items()
    ]
    out.append(go.Scatter(
        x=mids[0], y=mids[1], customdata=mids[2], hovertext=mids[3], hoverinfo="text", mode="markers",
        marker={"symbol": "diamond", "size": 6, "color": "#555555", "opacity": 0.55},
        name="rule (hover for details)", meta={"kind": "edge_hover"},
    ))
    return out


def _node_hover(key: str, g: _Graph, kb: KnowledgeBase) -> str:
    rules = sorted({f.rule for (s, d), fs in g.edges.items() if key in (s, d) for f in fs})
    verb = "read by" if g.layer[key] == FINDING else "concluded / read by"
    if g.layer[key] == FINDING:
        head = f"<b>{key.removeprefix(FINDING + ':')}</b>"
    else:
        head = f"<b>{kb.label(key)}</b><br>{key} · {LAYER_NAMES[g.layer[key]]}"
    return f"{head}<br>{verb}: " + "<br>".join(textwrap.wrap(", ".join(rules), 70))


def _label(key: str, kb: KnowledgeBase) -> str:
    if key.startswith(FINDING + ":"):
        return _short(key.removeprefix(FINDING + ":"), 44)
    return _two_lines(kb.label(key))


def _node_traces(g: _Graph, ys: Mapping[str, float], kb: KnowledgeBase) -> list[go.Scatter]:
    out = []
    for layer in (FINDING, *_COLUMNS):
        keys = [k for k in g.column if g.layer[k] == layer]
        if keys:
            out.append(go.Scatter(
                x=[_x(g, k) for k in keys], y=[ys[k] for k in keys], mode="markers",
                marker={"size": 13 if layer != FINDING else 10, "color": LAYER_COLOURS[layer],
                        "line": {"color": "white", "width": 1.5}},
                customdata=[k.removeprefix(FINDING + ":") for k in keys],
                hovertext=[_node_hover(k, g, kb) for k in keys], hoverinfo="text",
                name=LAYER_NAMES[layer], meta={"kind": "nodes", "layer": layer},
            ))
    return out


def _annotations(g: _Graph, ys: Mapping[str, float], kb: KnowledgeBase, top: float) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = []
    for key in g.column:
        finding = g.layer[key] == FINDING
        notes.append({
            "x": _x(g, key), "y": ys[key], "text": _label(key, kb), "showarrow": False,
            "xanchor": "right" if finding else "center", "yanchor": "middle" if finding else "bottom",
            "xshift": -9 if finding else 0, "yshift": 0 if finding else 7,
            "font": {"size": 11, "color": "#222222"}, "bgcolor": "rgba(255,255,255,0.8)", "borderpad": 1,
        })
    for layer, col in {g.layer[k]: g.column[k] for k in g.column}.items():
        deepest = max((g.depth.get(k, 0) for k in g.column if g.column[k] == col), default=0)
        notes.append({
            "x": g.xs[col] + _DEPTH_STEP * deepest / 2, "y": top, "text": f"<b>{LAYER_NAMES[layer]}</b>",
            "showarrow": False, "yanchor": "bottom",
            "xanchor": "right" if col == 0 else "center", "font": {"size": 13, "color": LAYER_COLOURS[layer]},
        })
    return notes


def trace_figure(result: Result, kb: KnowledgeBase, with_differential: bool = True) -> go.Figure:
    """Findings -> signs -> syndromes -> roots -> red flags -> causes -> ladder, as fired.
    Without the differential, the likelihood rows (one fan of edges into a single node, read
    better as each cause's evidence) are left out and the chained layers keep their room."""
    g = _build(result, with_differential)
    ys = _order(g)
    top = max(ys.values(), default=0.0) + 1.6  # room for a two-line label above the top node
    right = max((_x(g, k) for k in g.column), default=0.0)
    fig = go.Figure([*_edge_traces(g, ys, kb), *_node_traces(g, ys, kb)])
    fig.update_layout(
        width=int(300 + _COL_PX * right + 110),
        height=150 + _ROW_PX * (int(2 * top) + 1),
        margin={"l": 300, "r": 110, "t": 20, "b": 60},
        plot_bgcolor="white", paper_bgcolor="white",
        font={"color": "#222222", "size": 12},
        annotations=_annotations(g, ys, kb, top),
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top", "itemclick": False, "itemdoubleclick": False},
        hoverlabel={"align": "left", "bgcolor": "white"}, hovermode="closest", dragmode="pan",
    )
    fig.update_xaxes(visible=False, range=[-0.05, right + 0.5])
    fig.update_yaxes(visible=False, range=[-top + 0.3, top + 0.6])
    return fig


def trace_table(result: Result, kb: KnowledgeBase | None = None) -> list[dict[str, Any]]:
    """One row per firing, in firing order, for a dataframe: labels first (with ``kb``), the
    rule id last, and no "None" for a rule that carries no weight."""
    def label(fact: str) -> str:
        if fact == "differential":
            return "the differential (likelihood table)"
        return kb.label(fact) if kb is not None else fact

    return [
        {
            "order": f.order,
            "conclusion": label(f.concludes),
            "because": " AND ".join(f.premises),
            "weight": f.weight or "",
            "layer": LAYER_NAMES.get(f.layer, f.layer),
            "rule": f.rule,
            "sources": ", ".join(f.sources),
        }
        for f in sorted(result.trace, key=lambda f: f.order)
    ]
