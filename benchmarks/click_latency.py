"""Click-to-updated-result latency in headless Chromium: python benchmarks/click_latency.py [--clicks 10]

Starts ``streamlit run dashboard/app.py`` on a free loopback port, loads the first
teaching case (the "Load example" button), then times N clicks of each kind from the
click until the summary strip shows the new result (its text changes) and Streamlit has
finished the rerun (no element still marked stale):

* an intake answer (yes, then no, on each aggravating and relieving factor in turn, so
  every click makes a case not seen before and nothing is served from a cache);
* a one-click answer in the summary strip (then undone through the intake control).

Prints each kind's median, min and max. A benchmark, not a timed test: the figure depends
on the machine (2 shared cores here).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.dashboard_timing import _free_port, _healthy  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

STRIP = ".st-key-radix-summary"
_WATCH = """() => {
    window.__radixRan = false;
    const busy = '[data-testid="stStatusWidgetRunningIcon"], [data-stale="true"]';
    const seen = () => { if (document.querySelector(busy)) window.__radixRan = true; };
    window.__radixObserver && window.__radixObserver.disconnect();
    window.__radixObserver = new MutationObserver(seen);
    window.__radixObserver.observe(document.body, {subtree: true, childList: true, attributes: true});
}"""
_DONE = """prev => {
    const s = document.querySelector('.st-key-radix-summary');
    const changed = s && s.innerText !== prev;
    return (changed || window.__radixRan) && !document.querySelector('[data-stale="true"]')
        && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]');
}"""


def _timed(page, action) -> float:  # noqa: ANN001 - playwright page
    """Seconds from the click until the rerun's result is drawn: the strip's text changed (or a
    rerun was seen) and no element is stale or running any more."""
    before = page.locator(STRIP).inner_text()
    page.evaluate(_WATCH)
    t = time.perf_counter()
    action()
    page.wait_for_function(_DONE, arg=before, polling="raf", timeout=30_000)
    return time.perf_counter() - t


def measure(url: str, clicks: int, width: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {"intake answer": [], "strip one-click answer": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 1000})
        page.goto(url)
        page.locator(STRIP).wait_for(state="visible", timeout=60_000)
        page.get_by_test_id("stSelectbox").filter(has_text="Teaching case").click()  # nothing is preselected
        page.get_by_role("option").first.click()
        page.get_by_role("button", name="Load example").click()
        page.wait_for_timeout(3000)
        page.get_by_role("tab", name="Factors").click()
        labels = ["Worse sitting", "Worse bending forward", "Worse on cough, sneeze or strain", "Worse walking or standing",
                  "Worse leaning backward (extension)", "Eased by rest"]
        for i in range(clicks):
            group = page.get_by_role("radiogroup", name=labels[i % len(labels)], exact=True)
            option = group.get_by_role("radio", name="yes" if (i // len(labels)) % 2 == 0 else "no", exact=True)
            out["intake answer"].append(_timed(page, option.click))
            page.wait_for_timeout(300)
        for _ in range(clicks):
            button = page.locator(f"{STRIP} [class*='st-key-radix-ask-0-'] button").first
            out["strip one-click answer"].append(_timed(page, button.click))
            page.wait_for_timeout(300)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=10)
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        t0 = time.perf_counter()
        while not _healthy(url):
            if proc.poll() is not None or time.perf_counter() - t0 > 60:
                raise RuntimeError("streamlit did not start")
            time.sleep(0.05)
        results = measure(url, args.clicks, args.width)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    for kind, times in results.items():
        ms = [t * 1000 for t in times]
        print(f"{kind:24} n={len(ms):3}  median {statistics.median(ms):5.0f} ms  min {min(ms):5.0f} ms  max {max(ms):5.0f} ms")


if __name__ == "__main__":
    main()
