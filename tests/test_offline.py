"""Offline: every request the dashboard makes in a real browser goes to the loopback server
(marked ``browser``). An offline clinic must get the whole page, icons included."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, Request, expect

from tests.server import serve_dashboard
from tests.test_browser import load_first_example

pytestmark = pytest.mark.browser
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_dashboard(tmp_path_factory.mktemp("offline") / "server.log") as url:
        yield url


def _external(url: str) -> bool:
    parts = urlparse(url)
    return parts.scheme not in ("data", "blob", "about") and parts.hostname not in LOOPBACK


def test_no_request_leaves_the_machine_on_any_page(page: Page, served: str) -> None:
    seen: list[str] = []

    def record(request: Request) -> None:
        seen.append(request.url)

    page.on("request", record)
    page.goto(served)
    expect(page.get_by_text("Red-flag screen not done")).to_be_visible(timeout=60_000)
    load_first_example(page)
    for tab in ("Differential", "Syndromes & roots", "Instruments", "Explain"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(300)
    for folded in ("Treatment ladder", "Reasoning trace"):  # drawn only when opened
        page.get_by_test_id("stExpander").locator("summary", has_text=folded).click()
        page.wait_for_timeout(1000)
    for link in ("Knowledge base", "About"):
        page.get_by_role("link", name=link).click()
        page.wait_for_timeout(1500)
    page.wait_for_load_state("networkidle")
    assert len(seen) > 20  # the recorder saw the page's own traffic
    assert [u for u in seen if _external(u)] == []


def test_the_page_icon_is_bundled_not_fetched(page: Page, served: str) -> None:
    page.goto(served)
    expect(page.get_by_text("Red-flag screen not done")).to_be_visible(timeout=60_000)
    icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
    assert not _external(icon if "://" in icon else served + icon), icon
