"""The dashboard in a real headless Chromium against ``streamlit run`` (marked ``browser``).

Checks what AppTest cannot see: that clicks reach the widgets, the banner is visible and
the plots render. Screenshots go to tests/artifacts/ (git-ignored; set RADIX_SHOTS to choose)
for a human to look at; the reviewed ones are kept in docs/screenshots/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.server import ROOT, serve_dashboard

SHOTS = Path(os.environ.get("RADIX_SHOTS", ROOT / "tests" / "artifacts"))
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_dashboard(tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


def _open(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_text("Red-flag screen not done")).to_be_visible(timeout=30_000)


def _answer(page: Page, label: str, option: str) -> None:
    """Click one option of a yes / no / not asked control, found by its label."""
    group = page.get_by_role("radiogroup", name=label, exact=True)
    group.get_by_role("radio", name=option, exact=True).click()
    expect(group.get_by_role("radio", name=option, exact=True)).to_have_attribute("aria-checked", "true")


def _plot(page: Page, key: str) -> Locator:
    """The drawn SVG of the plotly chart with this Streamlit key."""
    css = "st-key-" + key.replace(".", "-")
    return page.locator(f".{css} [data-testid=stPlotlyChart] .js-plotly-plot svg.main-svg").first


_IDLE = """() => !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')"""


def idle(page: Page) -> None:
    """Wait until Streamlit has finished the rerun (nothing stale, nothing running)."""
    page.wait_for_timeout(200)
    page.wait_for_function(_IDLE, polling=100, timeout=60_000)


def _switch_on(page: Page, name: str) -> None:
    """Turn a toggle on and see it stay on. A click that lands while Streamlit is redrawing the
    toggle can be lost, so a toggle still off after the rerun is clicked again (at most thrice);
    one that never turns on fails the test."""
    switch = page.get_by_role("switch", name=name)  # its input sits under its label: the label is clicked
    for _ in range(3):
        page.get_by_text(name, exact=True).click()
        idle(page)
        if switch.is_checked():
            return
    expect(switch).to_be_checked()


def _open_folded(page: Page, title: str) -> Locator:
    """Open a folded section below the results (the ladder, the trace) by its title; its body,
    once the rerun that draws it has finished (a click inside it before then can be lost)."""
    box = page.get_by_test_id("stExpander").filter(has=page.locator("summary", has_text=title))
    box.locator("summary").click()
    idle(page)
    box.evaluate("e => e.scrollIntoView({block: 'start'})")
    return box


def test_a_case_entered_by_clicking_shows_the_emergency_banner_and_renders_the_plots(page: Page, app_url: str) -> None:
    _open(page, app_url)
    age = page.get_by_role("spinbutton", name="Age (years)")
    expect(age).to_have_value("")  # empty until typed: no plausible-looking default
    age.fill("45")
    age.press("Enter")
    expect(page.get_by_text("Age 40-59", exact=False).first).to_be_attached(timeout=15_000)
    page.get_by_role("tab", name="Red flags").click()
    _answer(page, kb_label("bladder_dysfunction"), "yes")
    banner = page.get_by_role("heading", name=re.compile("EMERGENCY"))
    expect(banner).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Suspected cauda equina syndrome").first).to_be_visible()
    page.wait_for_timeout(500)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "browser_emergency.png"))
    bars = page.locator(".st-key-radix-chart-differential .radix-diff [data-condition]")
    expect(bars.first).to_be_visible()
    assert bars.count() >= 2, "the differential bars are drawn"
    expect(bars.first).to_contain_text("MUST-NOT-MISS")
    expect(bars.first).to_have_attribute("title", re.compile(r"probability .*\nfor\n.*\nagainst\n", re.S))  # the hover

    page.get_by_role("tab", name="Syndromes & roots").click()
    expect(_plot(page, "radix.chart.dermatomes")).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "browser_roots.png"))

    _open_folded(page, "Reasoning trace")
    _switch_on(page, "Show the whole trace (every firing)")
    expect(page.locator(".radix-tree").get_by_text("Suspected cauda equina", exact=False).first).to_be_visible(timeout=15_000)
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "browser_trace_tree.png"))
    _switch_on(page, "…as a layered graph, and every firing as a table")
    expect(_plot(page, "radix.chart.trace")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "browser_trace.png"))

    ladder = _open_folded(page, "Treatment ladder")
    expect(ladder.get_by_text("The ladder does not apply until the emergency is dealt with.")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "browser_ladder.png"))


_POINT_JS = """(gd, [region, place]) => {
    const t = gd.data.find(d => d.meta && d.meta.kind === "click" && d.meta.region === region);
    const mine = t.customdata.map((c, i) => [c, i]).filter(([c]) => c === place).map(([, i]) => i);
    const k = mine[Math.floor(mine.length / 2)], fl = gd._fullLayout, box = gd.getBoundingClientRect();
    return [box.left + fl._size.l + fl.xaxis.l2p(t.x[k]), box.top + fl._size.t + fl.yaxis.l2p(t.y[k])];
}"""
_PAIN_SIDES_JS = """gd => gd.data.filter(d => d.meta && d.meta.kind === "pain").map(d => [d.meta.region, d.meta.sides])"""


def _intake_map(page: Page) -> Locator:
    """The intake body map (its chart key changes with every click), once drawn."""
    plot = page.locator("[class*='st-key-radix-map-'] .js-plotly-plot").first
    expect(plot).to_be_visible(timeout=15_000)
    return plot


def _click_region(page: Page, region: str, side: str = "left") -> None:
    """Click the middle click-point of a region, on one leg, on the intake body map."""
    plot = _intake_map(page)
    page.wait_for_timeout(300)  # a rerun after the last click may still redraw it
    x, y = plot.evaluate(_POINT_JS, [region, f"{side}_{region}"])
    height = page.viewport_size["height"] if page.viewport_size else 1000
    if not 0 < y < height:  # the point is off screen: a mouse click there would hit nothing
        page.mouse.wheel(0, y - height / 2)
        page.wait_for_timeout(300)
        x, y = plot.evaluate(_POINT_JS, [region, f"{side}_{region}"])
    page.mouse.move(x, y)
    page.wait_for_timeout(200)  # let plotly register the hover before the click
    page.mouse.click(x, y)


def test_clicking_the_body_map_marks_and_unmarks_a_region(page: Page, app_url: str) -> None:
    _open(page, app_url)
    page.get_by_role("tab", name="Map").click()
    pain = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text(kb_label("pain_regions")))
    _click_region(page, "lateral_shin")
    expect(pain.get_by_text("lateral shin")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "browser_map.png"))
    _click_region(page, "lateral_shin")
    expect(pain.get_by_text("lateral shin")).to_have_count(0, timeout=15_000)
    expect(page.get_by_text("from the map")).to_have_count(0)
    option = page.get_by_role("option", name="posterior thigh")
    for _ in range(3):  # a rerun still redrawing after the last click can close the list again
        pain.click()
        try:
            expect(option).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    option.click()
    page.keyboard.press("Escape")
    expect(pain.get_by_text("posterior thigh")).to_be_visible()


def test_a_click_on_one_leg_is_drawn_on_that_leg_and_gives_the_side(page: Page, app_url: str) -> None:
    _open(page, app_url)
    page.get_by_role("tab", name="Map").click()
    _click_region(page, "lateral_shin", "left")
    expect(page.get_by_text("Side of leg symptoms: left (from the map", exact=False)).to_be_visible(timeout=15_000)
    page.wait_for_timeout(500)
    plot = _intake_map(page)
    assert plot.evaluate(_PAIN_SIDES_JS) == [["lateral_shin", ["left"]]], "hatched on the left leg only"
    page.screenshot(path=str(SHOTS / "browser_map_left.png"))
    _click_region(page, "posterior_calf", "right")
    expect(page.get_by_text("Side of leg symptoms: bilateral (from the map", exact=False)).to_be_visible(timeout=15_000)
    page.wait_for_timeout(500)
    # the first click is not replayed by the second (a retired chart's selection is ignored)
    assert _intake_map(page).evaluate(_PAIN_SIDES_JS) == [["lateral_shin", ["left"]], ["posterior_calf", ["right"]]]
    # closing the History section did not answer its questions (no replayed callbacks)
    page.get_by_role("tab", name="History").click()
    character = page.get_by_test_id("stCheckbox").filter(has_text="not asked").first
    expect(character.get_by_role("checkbox")).to_be_checked(timeout=15_000)


def test_the_knowledge_base_page_lists_conditions_and_rules(page: Page, app_url: str) -> None:
    _open(page, app_url)
    page.get_by_role("link", name="Knowledge base").click()
    expect(page.get_by_role("heading", name="Knowledge base")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    page.get_by_role("tab", name="Rules").click()
    expect(page.get_by_text(re.compile(r"\d+ of \d+ rules"))).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "browser_knowledge_base.png"))


def load_first_example(page: Page) -> None:
    """Choose the first teaching case in the toolbar (nothing is preselected) and load it."""
    page.get_by_test_id("stSelectbox").filter(has_text="Teaching case").click()
    page.get_by_role("option").first.click()
    page.get_by_role("button", name="Load example").click()
    expect(page.get_by_text(re.compile("Loaded teaching case")).first).to_be_visible(timeout=30_000)


def kb_label(finding_id: str) -> str:
    from tests.support import kb

    return kb().findings[finding_id].label


def test_the_about_page_shows_every_measured_set_without_scrolling_inside_the_table(page: Page, app_url: str) -> None:
    # a dataframe's default height hides its last rows (the teaching cases) behind a scroll bar inside the grid
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(app_url.rstrip("/") + "/about")
    expect(page.get_by_text("How well it does on published cases")).to_be_visible(timeout=30_000)
    idle(page)
    grid = page.get_by_test_id("stDataFrame").filter(has=page.locator("[role=columnheader]", has_text="right cause first")).first
    scroller = grid.locator(".dvn-scroller").first
    expect(scroller).to_be_visible()
    hidden = scroller.evaluate("e => e.scrollHeight - e.clientHeight")
    assert hidden <= 1, f"{hidden} px of the validity table scroll inside it"
