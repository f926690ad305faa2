"""The body map: one schematic lower body (front and back) as validated data.

``content/body_map.yaml`` holds the drawing: a body outline per view, dermatome
polygons per nerve root (after source ``lee2008_dermatomes``) and click regions for the
body regions of the case format (both id sets are content's, checked here). This module only loads and checks it; drawing is the
dashboard's job (``dashboard/charts/body_map.py``), so nothing here imports Streamlit or
plotly.

Every problem in the file is collected and raised together as one ``BodyMapError``
(a ``ContentError`` and a ``ValueError``), so one edit-and-load cycle shows them all.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.errors import ContentError, Problem
from engine.knowledge.load import read_yaml
from engine.knowledge.records import Content

__all__ = [
    "BodyMap",
    "BodyMapError",
    "Dermatome",
    "Detail",
    "Polygon",
    "Region",
    "Source",
    "View",
    "load_body_map",
]

# Region and root ids are content's vocabularies (findings.yaml's ``region``, roots.yaml):
# the drawing is checked against them at load, so a region added there must be drawn.
ViewId = Literal["front", "back"]
Side = Literal["left", "right", "midline"]  # the patient's side, not the viewer's

Point = tuple[float, float]
# A polygon needs three corners to enclose any skin at all.
Ring = Annotated[tuple[Point, ...], Field(min_length=3)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """Which dermatome map the drawing follows, and how faithfully."""

    id: str
    citation: str
    also_consulted: tuple[str, ...] = ()
    schematic: bool
    note: str = ""


class Detail(_Frozen):
    """A drawing line (crease, kneecap, toe cleft): shape cue only, never clickable."""

    closed: bool = False
    points: Annotated[tuple[Point, ...], Field(min_length=2)]


class View(_Frozen):
    """One side of the body: its outline and drawing lines."""

    id: ViewId
    label: str
    outline: Ring
    details: tuple[Detail, ...] = ()


class Polygon(_Frozen):
    """One closed area in one view, on one side of the patient."""

    view: ViewId
    side: Side
    points: Ring
    label_at: Point | None = None  # where a root label fits; None means not labelled


class Dermatome(_Frozen):
    """The skin supplied by one root, as drawn."""

    root: str
    area: str = ""
    polygons: tuple[Polygon, ...]


class Region(_Frozen):
    """A body region the clinician can click (a case-format vocabulary entry)."""

    id: str
    label: str
    polygons: tuple[Polygon, ...]


class BodyMap(_Frozen):
    """The whole drawing, validated."""

    version: int
    source: Source
    views: tuple[View, ...]
    dermatomes: tuple[Dermatome, ...]
    regions: tuple[Region, ...]

    def view(self, view_id: str) -> View:
        """The view with this id (``front`` or ``back``)."""
        return next(v for v in self.views if v.id == view_id)

    def region(self, region_id: str) -> Region:
        """The region with this id."""
        return next(r for r in self.regions if r.id == region_id)

    def dermatome(self, root: str) -> Dermatome:
        """The dermatome of this root."""
        return next(d for d in self.dermatomes if d.root == root)


class BodyMapError(ContentError, ValueError):
    """``content/body_map.yaml`` is invalid; lists every problem found."""

    kind = "body map"


def load_body_map(path: Path, content: Content) -> BodyMap:
    """Read and validate a body map file against the content's region and root ids; raise
    ``BodyMapError`` listing all problems."""
    where = Path(path).name
    vocab = _vocabularies(content)
    try:
        raw = read_yaml(Path(path))  # the content reader: safe, C-speed, duplicate keys refused
    except ContentError as exc:
        raise BodyMapError(list(exc.problems)) from exc
    try:
        body = BodyMap.model_validate(raw)
    except ValidationError as exc:
        problems = [_problem_from_pydantic(where, err, vocab) for err in exc.errors()]
        problems += _unknown_ids(where, raw, vocab) + _coverage_problems(where, raw, vocab)  # still useful
        raise BodyMapError(problems) from None
    problems = _unknown_ids(where, raw, vocab) + _coverage_problems(where, raw, vocab)
    if problems:
        raise BodyMapError(problems)
    return body


def _vocabularies(content: Content) -> dict[str, tuple[str, ...]]:
    """Field name -> its vocabulary (for checks and "did you mean" suggestions)."""
    regions = tuple(content.vocabularies.get("region", ()))
    views: tuple[str, ...] = get_args(ViewId)
    return {"id": regions + views, "region": regions, "root": tuple(content.roots), "view": views, "side": get_args(Side)}


def _unknown_ids(where: str, raw: Any, vocab: dict[str, tuple[str, ...]]) -> list[Problem]:
    """Region and root ids the content does not know (read raw: runs when fields fail too)."""
    out: list[Problem] = []
    if not isinstance(raw, dict):
        return out
    for key, field, words in (("regions", "id", vocab["region"]), ("dermatomes", "root", vocab["root"])):
        for i, entry in enumerate(raw.get(key) or []):
            value = entry.get(field) if isinstance(entry, dict) else None
            if isinstance(value, str) and value not in words:
                out.append(_unknown(f"{where}: {key}[{i}].{field}", value, words))
    return out


def _unknown(where: str, value: str, words: tuple[str, ...]) -> Problem:
    close = difflib.get_close_matches(value, words, n=1)
    return Problem(where=where, message="unknown id (not in content's vocabulary)", value=value,
                   expected=", ".join(words), suggestion=close[0] if close else None)


def _problem_from_pydantic(where: str, err: Any, vocab: dict[str, tuple[str, ...]]) -> Problem:
    """Turn one pydantic error into a located, readable problem with a suggestion."""
    loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]).lstrip(".")
    value = err.get("input")
    suggestion = None
    if err["type"] == "literal_error" and isinstance(value, str):
        vocabulary = vocab.get(str(err["loc"][-1]), ())
        close = difflib.get_close_matches(value, vocabulary, n=1)
        suggestion = close[0] if close else None
    if err["type"] == "too_short":
        value = f"{len(value)} point(s)" if isinstance(value, (list, tuple)) else value
    return Problem(where=f"{where}: {loc}", message=err["msg"], value=value, suggestion=suggestion)


def _coverage_problems(where: str, raw: Any, vocab: dict[str, tuple[str, ...]]) -> list[Problem]:
    """Every region and root drawn at least once, none twice, each view defined once.

    Works on the raw mapping so it can run even when field validation failed.
    """
    if not isinstance(raw, dict):
        return [Problem(where=where, message="top level must be a mapping")]
    problems: list[Problem] = []
    for key, ids, words in (
        ("dermatomes", "root", vocab["root"]),
        ("regions", "id", vocab["region"]),
        ("views", "id", get_args(ViewId)),
    ):
        entries = [e for e in raw.get(key) or [] if isinstance(e, dict)]
        seen = [e.get(ids) for e in entries]
        for dup in sorted({str(s) for s in seen if seen.count(s) > 1}):
            problems.append(Problem(where=f"{where}: {key}", message=f"{dup} is listed twice"))
        drawn = {e.get(ids) for e in entries if key == "views" or e.get("polygons")}
        for missing in (v for v in words if v not in drawn):
            problems.append(
                Problem(where=f"{where}: {key}", message=f"{missing} has no polygon")
                if key != "views"
                else Problem(where=f"{where}: views", message=f"view {missing} is missing")
            )
    return problems
