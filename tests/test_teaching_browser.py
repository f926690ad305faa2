"""One full teaching case in a real headless Chromium against ``streamlit run`` (marked ``browser``).

From the case library to teaching mode, asking by section and one question at a time,
committing through the widgets, and reading the debrief and the progress record.
Screenshots at 1400 and 800 px wide go to tests/artifacts/ (reviewed copies in docs/).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.server import serve_dashboard
from tests.support import kb
from tests.test_browser import SHOTS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_dashboard(tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


def _choose(page: Page, label: str, option: str, multi: bool = False) -> None:
    """Pick one option of a select box (or a multiselect, whose list then needs closing)."""
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    if multi:
        page.keyboard.press("Escape")
    page.wait_for_timeout(300)  # let the widget's rerun reach the server before the next click


def _shot(page: Page, name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 1600})
    page.wait_for_timeout(800)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}_{width}.png"))


def test_a_student_works_one_case_from_the_library_to_the_debrief(page: Page, app_url: str) -> None:
    page.goto(app_url)
    expect(page.get_by_role("link", name="Case library")).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Case library").click()
    expect(page.get_by_role("heading", name="Case library")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Show the expected answer")).to_be_visible()
    for width in (1400, 800):
        _shot(page, "teaching_library", width)
    page.get_by_role("button", name="Practise this case in teaching mode").click()

    expect(page.get_by_role("heading", name="Teaching mode")).to_be_visible(timeout=15_000)
    case_title = "Right S1 radiculopathy from an L5-S1 disc in a young woman"
    expect(page.get_by_text(case_title)).to_have_count(0)  # the answer stays hidden
    page.get_by_role("tab", name="Red-flag screen").click()
    page.get_by_role("button", name="Ask the whole red-flag screen").click()
    expect(page.get_by_text("15 of 15 asked")).to_be_visible(timeout=15_000)
    page.get_by_role("tab", name="Examination").click()
    page.get_by_role("button", name="Ask the whole examination").click()
    page.get_by_role("tab", name="History").click()
    _choose(page, "Ask about (history)", kb().findings["pain_regions"].label)
    page.get_by_role("button", name="Ask", exact=True).click()
    metric = page.get_by_test_id("stMetric").filter(has_text="Questions asked")
    n = 15 + sum(1 for f in kb().findings.values() if f.group in ("neuro_exam", "tests")) + 2
    expect(metric).to_contain_text(str(n), timeout=15_000)
    # glide-grid cells are drawn on a canvas; their accessible twins are in the DOM, hidden
    expect(page.get_by_text("buttock, lateral foot little toe, posterior calf, posterior thigh")).to_be_attached()
    for width in (1400, 800):
        _shot(page, "teaching_interview", width)

    _choose(page, "Differential: up to three conditions, most likely first", kb().label("lumbar_disc_herniation"), multi=True)
    page.get_by_role("radiogroup", name="Urgency").get_by_text("routine", exact=True).click()
    _choose(page, "Root level(s)", "S1", multi=True)
    _choose(page, "Next step", kb().label("physiotherapy"))
    page.get_by_role("button", name="Commit and reveal").click()

    expect(page.get_by_role("heading", name=re.compile("Debrief"))).to_be_visible(timeout=15_000)
    expect(page.get_by_text(case_title).first).to_be_visible()
    score = page.get_by_test_id("stMetric").filter(has_text="Case score")
    expect(score).to_contain_text("100%")
    expect(page.get_by_text("Learning points")).to_be_visible()
    for width in (1400, 800):
        _shot(page, "teaching_debrief", width)

    page.get_by_role("button", name="Next case").click()
    page.get_by_role("tab", name="Progress").click()
    expect(page.get_by_role("button", name="Download the session as CSV")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("stMetric").filter(has_text="Mean score")).to_contain_text("100%")
    for width in (1400, 800):
        _shot(page, "teaching_progress", width)


def test_calling_a_cauda_equina_case_routine_shows_the_gravest_error(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/case_library")
    expect(page.get_by_role("heading", name="Case library")).to_be_visible(timeout=30_000)
    _choose(page, "Case", "Incomplete cauda equina syndrome presenting as urinary retention, no sciatica")
    page.get_by_role("button", name="Practise this case in teaching mode").click()
    expect(page.get_by_role("heading", name="Teaching mode")).to_be_visible(timeout=15_000)
    page.get_by_role("tab", name="History").click()
    _choose(page, "Ask about (history)", kb().findings["back_pain"].label)
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_test_id("stMetric").filter(has_text="Questions asked")).to_contain_text("1", timeout=15_000)
    _choose(page, "Differential: up to three conditions, most likely first", kb().label("lumbar_disc_herniation"), multi=True)
    page.get_by_role("radiogroup", name="Urgency").get_by_text("routine", exact=True).click()
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Commit and reveal").click()
    expect(page.get_by_text(re.compile("Gravest error — Urgency"))).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("stMetric").filter(has_text="Case score")).to_contain_text("0%")
    expect(page.get_by_text(re.compile("You never asked about")).first).to_be_visible()
    for width in (1400, 800):
        _shot(page, "teaching_gravest_error", width)


def test_the_knowledge_base_opens_a_conditions_case_in_the_library(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/knowledge_base")
    expect(page.get_by_role("heading", name="Knowledge base")).to_be_visible(timeout=30_000)
    _choose(page, "Details of", kb().label("cauda_equina_syndrome"))
    title = "Incomplete cauda equina syndrome presenting as urinary retention, no sciatica"
    link = page.get_by_role("link", name=f"{title} (answer)")
    link.scroll_into_view_if_needed()
    expect(link).to_be_visible(timeout=15_000)
    for width in (1400, 800):
        _shot(page, "teaching_kb_links", width)
    link.click()
    expect(page.get_by_role("heading", name="Case library")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", name=title)).to_be_visible()
