"""A real browser: findings entered, the page reloaded, the findings back (marked ``browser``).

The server gets its own SQLite store, so the draft it restores can only come from the
autosave of this test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.server import serve_dashboard
from tests.test_browser import SHOTS, _answer, _open, kb_label, load_first_example

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("drafts")
    with serve_dashboard(folder / "server.log", {"RADIX_DATABASE_URL": f"sqlite:///{folder / 'radix.sqlite3'}"}) as url:
        yield url, folder


def _flag(flag_id: str) -> str:
    from tests.support import kb

    return kb().red_flags[flag_id].label


def _checked(page: Page, label: str, option: str) -> None:
    group = page.get_by_role("radiogroup", name=label, exact=True)
    expect(group.get_by_role("radio", name=option, exact=True)).to_have_attribute("aria-checked", "true", timeout=15_000)


def test_findings_entered_survive_a_page_reload(page: Page, store_app: tuple[str, Path]) -> None:
    url, folder = store_app
    _open(page, url)
    assert "case=" not in page.url
    page.get_by_role("tab", name="Red flags").click()
    _answer(page, kb_label("fever"), "no")
    _answer(page, kb_label("saddle_anaesthesia"), "no")
    _answer(page, kb_label("weight_loss"), "yes")
    expect(page.get_by_text(re.compile(r"Draft autosaved \d\d:\d\d:\d\d"))).to_be_visible(timeout=15_000)
    page.wait_for_timeout(2 * 1500)  # let a pending write (debounce window) land
    assert re.search(r"[?&]case=[0-9a-f-]{36}", page.url), page.url
    link = page.url

    page.reload()
    # the restored "weight loss: yes" raises its red flag again
    expect(page.get_by_text(_flag("malignancy")).first).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Red flags").click()
    _checked(page, kb_label("fever"), "no")
    _checked(page, kb_label("saddle_anaesthesia"), "no")
    _checked(page, kb_label("weight_loss"), "yes")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "browser_draft_restored.png"))

    fresh = page.context.browser.new_page()  # a reopened browser: a new session, same link
    fresh.goto(link)
    expect(fresh.get_by_text(_flag("malignancy")).first).to_be_visible(timeout=30_000)
    fresh.get_by_role("tab", name="Red flags").click()
    _checked(fresh, kb_label("fever"), "no")
    fresh.close()


def test_a_saved_case_is_listed_reopened_by_its_link_and_downloads_work(page: Page, store_app: tuple[str, Path]) -> None:
    url, _ = store_app
    _open(page, url)
    load_first_example(page)
    page.get_by_role("button", name="Save case").click()
    page.get_by_label("Case reference (optional; no names or record numbers)").fill("browser bed 9")
    page.get_by_label("Note").fill("saved from the browser test")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile(r"Saved browser bed 9 \("))).to_be_visible(timeout=15_000)

    page.get_by_role("button", name="Download", exact=True).click()
    with page.expect_download(timeout=60_000) as handout:
        page.get_by_role("button", name="Patient handout (PDF)").click()
    assert handout.value.suggested_filename.startswith("radix-handout-")
    assert Path(handout.value.path()).read_bytes().startswith(b"%PDF")
    page.keyboard.press("Escape")

    page.get_by_role("link", name="Saved cases").click()
    expect(page.get_by_text("browser bed 9")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "browser_saved_cases.png"))
    href = page.get_by_role("link", name="Open").first.get_attribute("href")
    assert href and re.search(r"case=[0-9a-f-]{36}", href)
    other = page.context.browser.new_page()  # the link, in a new session, opens the saved case
    other.goto(url + "/" + href.lstrip("/") if not href.startswith("http") else href)
    expect(other.get_by_text(re.compile("opened from the case store"))).to_be_visible(timeout=30_000)
    other.get_by_role("button", name="Save case").click()
    other.wait_for_timeout(800)
    other.screenshot(path=str(SHOTS / "browser_reopened.png"))
    expect(other.get_by_label("Note")).to_have_value("saved from the browser test", timeout=15_000)
    other.close()
