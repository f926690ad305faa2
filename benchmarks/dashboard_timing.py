"""Dashboard timings: server spawn to first render in a browser, and one rerun's server time.

Run from the repository root::

    /work/venv/bin/python benchmarks/dashboard_timing.py [--reruns 20]

1. Spawn ``python -m streamlit run dashboard/app.py`` on a free loopback port; report the
   time until ``/_stcore/health`` says ok, and until the consultation page's first content
   (the red-flag line) is visible in headless Chromium (launched beforehand, not counted).
2. With Streamlit's AppTest, load a teaching case, then change one widget (the pain intensity box)
   and time ``at.run()``: the median of N reruns, each after a real change.
"""

from __future__ import annotations

import argparse
import logging
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - after the path fix


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


def spawn_to_first_render() -> tuple[float, float]:
    """Seconds from spawn to health ok, and to first content visible in the browser."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not _healthy(url):
                if proc.poll() is not None or time.perf_counter() - t0 > 60:
                    raise RuntimeError("streamlit did not start")
                time.sleep(0.02)
            health = time.perf_counter() - t0
            page.goto(url)
            page.get_by_text("Red-flag screen not done").wait_for(state="visible", timeout=60_000)
            rendered = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            browser.close()
    return health, rendered


def rerun_times(n: int) -> list[float]:
    """Server time of ``at.run()`` after changing one widget, ``n`` times (seconds)."""
    from streamlit.testing.v1 import AppTest

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=30)
    at.run()
    at.selectbox(key="radix.example").set_value("tc01-s1-disc-herniation").run()
    at.button(key="radix.load_example").click().run()
    times = []
    for i in range(n):
        at.number_input(key="f.pain_intensity").set_value(i % 10 + 1)
        t = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=20)
    args = parser.parse_args()
    health, rendered = spawn_to_first_render()
    print(f"spawn -> /_stcore/health ok:        {health:.2f} s")
    print(f"spawn -> first content in browser:  {rendered:.2f} s")
    times = rerun_times(args.reruns)
    print(f"rerun after a widget change (AppTest, n={len(times)}): median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
