"""From an empty page to a result through the summary strip and ask-next, in headless Chromium.

Screenshots at 1400 and 800 px go to tests/artifacts/ (RADIX_SHOTS to choose); the
reviewed ones are kept in docs/screenshots/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

import engine
from tests.support import kb
from tests.test_browser import SHOTS, app_url, idle  # noqa: F401 - app_url: the server fixture

pytestmark = pytest.mark.browser
_KEY = re.compile(r"st-key-radix-ask-0-([a-z0-9_]+)-([a-z0-9_]+)")




def _strip_question(page: Page) -> str:
    idle(page)
    question = page.locator(".st-key-radix-summary").get_by_text(re.compile(r"^(Ask|Examine): ")).first
    expect(question).to_be_visible(timeout=60_000)
    return question.inner_text()


def _click_answer(page: Page) -> tuple[str, str]:
    """Click "yes" (else the first answer) of the strip's question; returns (finding, answer)."""
    idle(page)
    classes = page.locator(".st-key-radix-summary [class*='st-key-radix-ask-0-'] button").evaluate_all(
        "bs => bs.map(b => b.closest(\"[class*='st-key-radix-ask-0-']\").className)")
    keys = [m.group(0) for m in (_KEY.search(c) for c in classes) if m]
    pick = next((k for k in keys if k.endswith("-yes")), keys[0])
    finding, answer = _KEY.search(pick).groups()
    if answer == "number":  # a number question (age, duration) is typed, not clicked
        page.locator(f".{pick} input").fill("50")
        page.locator(f".{pick} input").press("Enter")
        return finding, "50"
    page.locator(f".{pick} button").first.click()
    return finding, answer


def test_a_case_goes_from_an_empty_page_to_a_result_through_the_strip_and_ask_next(page: Page, app_url: str) -> None:  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(app_url)
    strip = page.locator(".st-key-radix-summary")
    expect(strip.get_by_text("Start here")).to_be_visible(timeout=30_000)
    expect(strip.get_by_text("Urgency not known yet", exact=False)).to_be_visible()
    page.wait_for_timeout(400)
    page.screenshot(path=str(SHOTS / "consult_empty_1400.png"))

    strip.get_by_role("button", name=re.compile("Mark the 15 remaining red flags as no")).click()
    expect(strip.get_by_text("Routine", exact=False)).to_be_visible(timeout=15_000)
    expect(strip.get_by_role("button", name=re.compile("Undo"))).to_be_visible()

    answered: dict[str, object] = {fid: False for fid in kb().red_flag_findings}
    for _ in range(4):
        before = _strip_question(page)
        finding, answer = _click_answer(page)
        answered[finding] = _value(finding, answer)
        expect(strip.get_by_text(before, exact=True)).to_have_count(0, timeout=60_000)
    result = engine.infer(engine.parse_findings(answered, kb()), kb())
    top = max(result.differential, key=lambda d: d.score)
    expect(strip.get_by_text(top.label, exact=True).first).to_be_visible(timeout=15_000)
    expect(strip.get_by_text(f"{top.score:.0%}", exact=False).first).to_be_visible()
    page.wait_for_timeout(400)
    page.screenshot(path=str(SHOTS / "consult_strip_1400.png"))

    page.set_viewport_size({"width": 800, "height": 1000})
    page.wait_for_timeout(800)
    expect(strip.get_by_text(top.label, exact=True).first).to_be_visible()
    page.screenshot(path=str(SHOTS / "consult_strip_800.png"))
    page.get_by_role("tab", name="Ask next").click()
    page.wait_for_timeout(400)
    page.get_by_role("tab", name="Ask next").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SHOTS / "consult_ask_next_800.png"))


_OUT_OF_VIEW = """w => [...document.querySelectorAll('[role=radio], [data-testid=stButtonGroup] button')]
    .filter(b => { const r = b.getBoundingClientRect(); return r.width > 0 && (r.right > w + 1 || r.left < -1); })
    .map(b => b.innerText)"""
_CUT = """() => [...document.querySelectorAll('label p, button p, [role=tab] p, button [data-testid=stMarkdownContainer]')]
    .filter(e => e.offsetWidth > 0 && e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"""


def test_at_800_px_no_yes_no_option_is_out_of_view_and_no_label_is_cut(page: Page, app_url: str) -> None:  # noqa: F811
    page.set_viewport_size({"width": 800, "height": 1000})
    page.goto(app_url)
    expect(page.get_by_text("Start here")).to_be_visible(timeout=30_000)
    for section in ("History", "Factors", "Exam", "Red flags", "Risks & Rx"):
        page.get_by_role("tab", name=section, exact=True).click()
        idle(page)
        expect(page.get_by_role("radiogroup").first).to_be_visible()
        assert page.evaluate(_OUT_OF_VIEW, 800) == [], section
        assert page.evaluate(_CUT) == [], section
    # the intake and the results stack at this width instead of squeezing two columns
    columns = page.locator(".st-key-radix-main > [data-testid=stLayoutWrapper] > [data-testid=stHorizontalBlock] > [data-testid=stColumn]")
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert first and second and abs(first["x"] - second["x"]) < 2 and second["y"] > first["y"]
    page.get_by_role("tab", name="Red flags", exact=True).evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "consult_red_flags_800.png"))


def _value(finding: str, answer: str) -> object:
    f = kb().findings[finding]
    if f.type == "bool":
        return answer == "yes"
    if f.type == "set":
        return [] if answer == "none" else [answer]
    if f.type in ("int", "number"):
        return float(answer) if f.type == "number" else int(answer)
    return answer
