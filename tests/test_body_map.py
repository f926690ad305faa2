"""Body map: the data file, its validation, the chart and click selection."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from plotly.colors import unlabel_rgb

from dashboard.charts.body_map import (
    body_map_figure,
    click_grid,
    clicked_from_selection,
    point_in_polygon,
    regions_from_selection,
    toggle_regions,
)
from engine.knowledge.body_map import BodyMap, BodyMapError, load_body_map
from tests.support import kb

REGION_IDS = kb().vocabularies["region"]
ROOT_IDS = tuple(kb().roots)

ROOT = Path(__file__).resolve().parents[1]
BODY_MAP = ROOT / "content" / "body_map.yaml"


@pytest.fixture(scope="module")
def body() -> BodyMap:
    return load_body_map(BODY_MAP, kb())


def _traces(fig, kind: str) -> list:
    return [t for t in fig.data if (t.meta or {}).get("kind") == kind]


def _brightness(colour: str) -> float:
    r, g, b = unlabel_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


# ---------------------------------------------------------------- the data file


def test_the_real_body_map_loads_with_both_views(body: BodyMap) -> None:
    assert {v.id for v in body.views} == {"front", "back"}
    assert all(len(v.outline) >= 3 for v in body.views)


def test_every_contract_region_has_a_polygon_in_some_view(body: BodyMap) -> None:
    assert {r.id for r in body.regions} == set(REGION_IDS)
    assert all(r.polygons for r in body.regions)


def test_every_root_has_a_dermatome_polygon(body: BodyMap) -> None:
    assert {d.root for d in body.dermatomes} == set(ROOT_IDS)
    assert all(d.polygons for d in body.dermatomes)


def test_dermatomes_of_the_leg_roots_are_drawn_on_both_legs(body: BodyMap) -> None:
    for derm in body.dermatomes:
        if derm.root != "S3-S5":  # midline saddle, one polygon around the anus
            assert {p.side for p in derm.polygons} == {"left", "right"}, derm.root


def test_the_source_is_lee_2008_and_marked_schematic(body: BodyMap) -> None:
    assert body.source.id == "lee2008_dermatomes"
    assert "Clin Anat" in body.source.citation
    assert body.source.schematic is True


# ---------------------------------------------------------------- validation

_BROKEN = """
version: 1
source: {id: lee2008_dermatomes, citation: x, schematic: true}
views:
  - {id: front, label: Front, outline: [[0, 0], [1, 0], [1, 1]]}
  - {id: back, label: Back, outline: [[2, 0], [3, 0], [3, 1]]}
dermatomes:
  - root: L7
    polygons: [{view: front, side: left, points: [[0, 0], [1, 0], [1, 1]]}]
regions:
  - id: lower_bak
    label: Lower back
    polygons: [{view: back, side: midline, points: [[0, 0], [1, 0]]}]
"""


def _load_text(tmp_path: Path, text: str) -> BodyMap:
    path = tmp_path / "body_map.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_body_map(path, kb())


def test_validation_reports_bad_region_bad_root_and_short_polygon_at_once(tmp_path: Path) -> None:
    with pytest.raises(BodyMapError) as caught:
        _load_text(tmp_path, _BROKEN)
    message = str(caught.value)
    assert "'L7'" in message
    assert "'lower_bak'" in message and "did you mean 'lower_back'" in message
    assert "regions[0].polygons[0].points" in message and "2 point(s)" in message
    # coverage is reported in the same error: roots and regions never drawn
    assert "S1 has no polygon" in message and "heel_sole has no polygon" in message


def test_a_body_map_error_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="problems"):
        _load_text(tmp_path, _BROKEN)


def test_an_unknown_field_is_rejected(tmp_path: Path) -> None:
    text = BODY_MAP.read_text(encoding="utf-8").replace("version: 1", "version: 1\ncolour: red")
    with pytest.raises(BodyMapError, match="colour"):
        _load_text(tmp_path, text)


def test_a_region_listed_without_polygons_is_reported(tmp_path: Path) -> None:
    text = BODY_MAP.read_text(encoding="utf-8")
    head, tail = text.split("  - id: groin\n", 1)
    tail = tail.split("  - id: anterior_thigh\n", 1)[1]
    empty = '  - id: groin\n    label: "Groin"\n    polygons: []\n  - id: anterior_thigh\n'
    text = head + empty + tail
    with pytest.raises(BodyMapError, match="groin has no polygon"):
        _load_text(tmp_path, text)


# ---------------------------------------------------------------- the figure

SCORES = {"L4": 0.2, "L5": 0.9, "S1": 0.5}
INFO = {"L5": "Key muscle: great-toe extension\nReflex: medial hamstring\nTest: SLR"}


@pytest.fixture(scope="module")
def figure(body: BodyMap):
    return body_map_figure(body, SCORES, ["buttock", "lateral_shin"], ["dorsum_foot_big_toe"], INFO)


def test_the_figure_has_one_dermatome_trace_per_root_per_view(body: BodyMap, figure) -> None:
    expected = {(d.root, p.view) for d in body.dermatomes for p in d.polygons}
    got = [(t.meta["root"], t.meta["view"]) for t in _traces(figure, "dermatome")]
    assert sorted(got) == sorted(expected)


def test_a_higher_root_score_gives_a_darker_fill(figure) -> None:
    fill = {t.meta["root"]: t.fillcolor for t in _traces(figure, "dermatome")}
    assert _brightness(fill["L5"]) < _brightness(fill["S1"]) < _brightness(fill["L4"])
    assert _brightness(fill["L4"]) < _brightness(fill["L1"])  # unscored draws as 0


def test_dermatome_hover_shows_root_score_and_root_info(figure) -> None:
    l5 = next(t for t in _traces(figure, "dermatome") if t.meta["root"] == "L5")
    assert "L5" in l5.text and "0.90" in l5.text
    assert "great-toe extension<br>Reflex: medial hamstring" in l5.text
    l1 = next(t for t in _traces(figure, "dermatome") if t.meta["root"] == "L1")
    assert "not scored" in l1.text


def test_pain_and_numbness_overlays_cover_only_the_given_regions(figure) -> None:
    assert {t.meta["region"] for t in _traces(figure, "pain")} == {"buttock", "lateral_shin"}
    assert {t.meta["region"] for t in _traces(figure, "numbness")} == {"dorsum_foot_big_toe"}
    assert [t.showlegend for t in _traces(figure, "pain")].count(True) == 1


def test_no_overlays_without_symptom_regions(body: BodyMap) -> None:
    fig = body_map_figure(body, {}, [], [])
    assert not _traces(fig, "pain") and not _traces(fig, "numbness")


def test_the_figure_keeps_equal_aspect_and_hides_the_axes(figure) -> None:
    assert figure.layout.yaxis.scaleanchor == "x"
    assert figure.layout.xaxis.visible is False and figure.layout.yaxis.visible is False
    assert {a.text for a in figure.layout.annotations} >= {"<b>Front</b>", "<b>Back</b>"}


def test_every_region_has_click_points_carrying_its_id_and_side(figure) -> None:
    clicks = _traces(figure, "click")
    assert {t.meta["region"] for t in clicks} == set(REGION_IDS)
    for trace in clicks:
        region = trace.meta["region"]
        assert len(trace.x) >= 6
        if region in ("lower_back", "saddle_perineum"):  # midline: no side
            assert set(trace.customdata) == {region}
        else:
            assert set(trace.customdata) == {f"left_{region}", f"right_{region}"}


def test_a_leg_region_clicked_on_the_left_is_drawn_on_the_left_leg_only(body: BodyMap) -> None:
    fig = body_map_figure(body, {}, ["lateral_shin", "lower_back"], [], pain_sides=["left_lateral_shin"])
    pain = {t.meta["region"]: t.meta["sides"] for t in _traces(fig, "pain")}
    assert pain == {"lateral_shin": ["left"], "lower_back": ["midline"]}
    both = body_map_figure(body, {}, ["lateral_shin"], [], pain_sides=["left_lateral_shin", "right_lateral_shin"])
    assert [t.meta["sides"] for t in _traces(both, "pain")] == [["left", "right"]]
    unsided = body_map_figure(body, {}, ["lateral_shin"], [])  # chosen in the list: no side given
    assert [t.meta["sides"] for t in _traces(unsided, "pain")] == [["left", "right"]]


def test_every_sided_polygon_lies_on_its_own_leg_in_both_views(body: BodyMap) -> None:
    # front view centred on x = 0.35 (the patient's left on the viewer's right); back view
    # centred on x = 1.15 (the patient's left on the viewer's left): content/body_map.yaml
    centre = {"front": 0.35, "back": 1.15}
    for region in body.regions:
        for p in region.polygons:
            if p.side == "midline":
                continue
            mean_x = sum(x for x, _ in p.points) / len(p.points)
            viewer_right = mean_x > centre[p.view]
            assert viewer_right is ((p.side == "left") == (p.view == "front")), (region.id, p.view, p.side)


def test_each_view_names_the_patients_sides_right_on_the_viewers_left_from_the_front(body: BodyMap) -> None:
    fig = body_map_figure(body, {}, [], [])
    marks = {(a.text, a.x < 0.35 if a.x < 0.8 else a.x < 1.15, "front" if a.x < 0.8 else "back")
             for a in fig.layout.annotations if a.text in ("R", "L")}
    assert marks == {("R", True, "front"), ("L", False, "front"), ("L", True, "back"), ("R", False, "back")}


def test_the_intake_map_has_no_colour_bar_and_the_result_map_has_one(body: BodyMap) -> None:
    intake = body_map_figure(body, {}, [], [], selectable=True)
    assert not _traces(intake, "scale")
    assert _traces(body_map_figure(body, SCORES, [], [], selectable=False), "scale")


def test_a_figure_for_display_only_has_no_click_points(body: BodyMap) -> None:
    fig = body_map_figure(body, SCORES, [], [], selectable=False)
    assert not _traces(fig, "click")


# ---------------------------------------------------------------- clicking


def test_every_point_of_a_region_click_grid_lies_inside_its_polygon(body: BodyMap) -> None:
    for region in body.regions:
        for poly in region.polygons:
            grid = click_grid(poly.points)
            assert grid, region.id
            assert all(point_in_polygon(p, poly.points) for p in grid), region.id


def test_point_in_polygon_handles_a_concave_shape() -> None:
    l_shape = [(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)]
    assert point_in_polygon((0.5, 1.5), l_shape)
    assert point_in_polygon((1.5, 0.5), l_shape)
    assert not point_in_polygon((1.5, 1.5), l_shape)
    assert not point_in_polygon((3, 0.5), l_shape)


def test_regions_from_selection_reads_a_streamlit_selection_event() -> None:
    from streamlit.elements.plotly_chart import PlotlyState

    event = PlotlyState({"selection": {
        "points": [
            {"curve_number": 31, "point_number": 4, "point_index": 4, "x": 0.21, "y": 0.4,
             "customdata": "lateral_shin"},
            {"curve_number": 30, "point_index": 2, "x": 1.1, "y": 1.2,
             "customdata": ["buttock"]},
            {"curve_number": 3, "point_index": 0, "x": 0.3, "y": 0.9},  # not a region point
        ],
        "point_indices": [4, 2, 0], "box": [], "lasso": [],
    }})
    assert regions_from_selection(event, REGION_IDS) == {"lateral_shin", "buttock"}
    assert regions_from_selection(event["selection"], REGION_IDS) == {"lateral_shin", "buttock"}


def test_a_click_reads_the_side_and_the_region_from_the_point() -> None:
    event = {"selection": {"points": [{"customdata": "left_lateral_shin"}, {"customdata": "lower_back"},
                                      {"customdata": "left_elbow"}]}}
    assert clicked_from_selection(event, REGION_IDS) == {"left_lateral_shin", "lower_back"}
    assert regions_from_selection(event, REGION_IDS) == {"lateral_shin", "lower_back"}


def test_an_empty_or_missing_selection_selects_nothing() -> None:
    assert regions_from_selection(None, REGION_IDS) == set()
    assert regions_from_selection({"selection": {"points": []}}, REGION_IDS) == set()
    assert regions_from_selection({"selection": {"points": [{"customdata": "elbow"}]}}, REGION_IDS) == set()


def test_a_click_marks_an_unmarked_region_and_unmarks_a_marked_one() -> None:
    marked = {"buttock", "posterior_thigh"}
    added = toggle_regions(marked, {"lateral_shin"})
    assert added == {"buttock", "posterior_thigh", "lateral_shin"}
    assert toggle_regions(marked, {"buttock"}) == {"posterior_thigh"}
    assert toggle_regions(marked, set()) == marked
    assert marked == {"buttock", "posterior_thigh"}  # the input is not changed


def test_the_engine_module_imports_neither_streamlit_nor_plotly() -> None:
    code = (
        "import sys, engine.knowledge.body_map; "
        "assert 'streamlit' not in sys.modules and 'plotly' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_the_chart_module_does_not_import_streamlit() -> None:
    code = "import sys, dashboard.charts.body_map; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
