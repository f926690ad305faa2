"""Concurrent clinicians: ``python benchmarks/load_test.py [--sessions 20] [--rounds 3]``.

Starts ``streamlit run`` on 127.0.0.1 (loopback only; nothing else is contacted), opens
N browser contexts in one headless Chromium (each context is a separate Streamlit
session), and in each one:

1. imports its own case (a distinct age; even sessions with bladder dysfunction, odd
   without), then
2. for R rounds, clicks "bladder dysfunction" to the opposite answer,

timing each click until its result is on screen (the EMERGENCY banner or "No red flags
raised"). After every result the session checks that it still shows *its own* age
(no cross-talk). Any page error, Streamlit exception box or server traceback fails the
run. Bounded: at most 40 sessions and --timeout seconds overall. Prints click-to-result
median and p95, and the server's CPU seconds per click.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.async_api import Page, async_playwright, expect  # noqa: E402

import engine  # noqa: E402 - after the path fix
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.server import serve_process  # noqa: E402

MAX_SESSIONS = 40
IDLE_SECONDS = 10
BLADDER = engine.load_kb().findings["bladder_dysfunction"].label
EMERGENCY = re.compile("EMERGENCY")


def _server_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its children so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _case_yaml(i: int) -> tuple[str, int, bool]:
    age, bladder = 21 + i, i % 2 == 0
    return f"id: load-{i}\nfindings:\n  age: {age}\n  bladder_dysfunction: {'true' if bladder else 'false'}\n", age, bladder


def _log(msg: str) -> None:
    if os.environ.get("RADIX_LOAD_VERBOSE"):
        print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)


async def _expect_result(page: Page, age: int, bladder: bool, timeout_ms: int) -> None:
    if bladder:
        await expect(page.get_by_role("heading", name=EMERGENCY)).to_be_visible(timeout=timeout_ms)
    else:
        await expect(page.get_by_text("No red flags raised")).to_be_visible(timeout=timeout_ms)
    # cross-talk check: this session still shows its own case
    slider = page.get_by_role("slider", name="Age (years)", include_hidden=True)  # on another intake tab
    await expect(slider).to_have_value(str(age), timeout=timeout_ms)


async def _session(browser: object, url: str, i: int, rounds: int, timings: list[float], errors: list[str],
                   start_gate: asyncio.Event, ready: list[int], timeout_ms: int) -> None:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 1400})  # type: ignore[attr-defined]
    ctx.set_default_timeout(timeout_ms)
    page = await ctx.new_page()
    page.on("pageerror", lambda exc: errors.append(f"session {i}: page error {exc}"))
    try:
        await page.goto(url, timeout=timeout_ms)
        await expect(page.get_by_text("Red-flag screen not done")).to_be_visible(timeout=timeout_ms)
        text, age, bladder = _case_yaml(i)
        await page.get_by_role("button", name="Import case").click()
        await page.get_by_label("…or paste a case").fill(text)
        ready.append(i)
        await start_gate.wait()  # every session imports at the same moment
        t = time.perf_counter()
        await page.get_by_role("button", name="Import pasted case").click()
        await _expect_result(page, age, bladder, timeout_ms)
        timings.append(time.perf_counter() - t)
        _log(f"session {i}: imported in {timings[-1]:.1f} s")
        await page.keyboard.press("Escape")
        await page.get_by_role("tab", name="Red flags").click()
        for _ in range(rounds):
            bladder = not bladder
            group = page.get_by_role("radiogroup", name=BLADDER, exact=True)
            t = time.perf_counter()
            await group.get_by_role("radio", name="yes" if bladder else "no", exact=True).click()
            await _expect_result(page, age, bladder, timeout_ms)
            timings.append(time.perf_counter() - t)
            _log(f"session {i}: click in {timings[-1]:.1f} s")
        if await page.get_by_test_id("stException").count():
            errors.append(f"session {i}: a Streamlit exception box is shown")
    except Exception as exc:  # noqa: BLE001 - any failure of a session is reported, not raised
        errors.append(f"session {i}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        await ctx.close()


async def run(sessions: int, rounds: int, timeout_s: float, launcher: list[str] | None = None,
              env: dict[str, str] | None = None, idle_s: float = IDLE_SECONDS) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        with serve_process(log, env=env, launcher=launcher) as (url, proc):
            pid = proc.pid
            timings: list[float] = []
            errors: list[str] = []
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                gate, ready = asyncio.Event(), []
                tasks = [asyncio.create_task(_session(browser, url, i, rounds, timings, errors, gate, ready, int(timeout_s * 1000)))
                         for i in range(sessions)]
                await _all_waiting(ready, tasks)
                idle0 = _server_cpu(pid)
                await asyncio.sleep(idle_s)  # every session open, nobody clicking
                idle = (_server_cpu(pid) - idle0) / max(idle_s, 1e-9)
                gate.set()
                cpu0, t0 = _server_cpu(pid), time.perf_counter()  # page loads excluded
                try:
                    await asyncio.wait_for(asyncio.gather(*tasks), timeout=timeout_s)
                except TimeoutError:
                    errors.append(f"the run exceeded {timeout_s:.0f} s")
                cpu = _server_cpu(pid) - cpu0
                wall = time.perf_counter() - t0
                await browser.close()
            server_log = log.read_text(errors="replace")
    if "Traceback" in server_log:
        errors.append("the server logged a traceback:\n" + server_log[server_log.index("Traceback"):][:3000])
    clicks = len(timings)
    print(f"{sessions} sessions x {rounds + 1} clicks on 127.0.0.1 ({os.cpu_count()} cores): {clicks} results in {wall:.1f} s")
    if timings:
        q = statistics.quantiles(timings, n=20) if len(timings) > 1 else timings * 19
        print(f"click-to-result  median {statistics.median(timings):.2f} s  p95 {q[18]:.2f} s  max {max(timings):.2f} s")
        print(f"server CPU {cpu:.1f} s for the clicks, {cpu / max(clicks, 1) * 1000:.0f} ms per click; "
              f"{idle * 100:.0f}% of a core while {sessions} sessions sat idle")
    for e in errors:
        print("ERROR", e)
    print("no errors, no cross-talk" if not errors and clicks == sessions * (rounds + 1) else "FAILED")
    return 0 if not errors and clicks == sessions * (rounds + 1) else 1


async def _all_waiting(ready: list[int], tasks: list[asyncio.Task]) -> None:
    """Return once every live session has loaded its page and filled in its case (or after 300 s)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(ready) < sum(1 for t in tasks if not t.done()):
        await asyncio.sleep(0.2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=600, help="seconds for the whole run")
    ap.add_argument("--launcher", nargs="+", help="a command that serves the app on 127.0.0.1 at the port appended "
                                                  "(e.g. a profiling wrapper); default: streamlit run")
    ap.add_argument("--env", nargs="*", default=[], metavar="KEY=VALUE",
                    help="server environment, e.g. STREAMLIT_SERVER_FILE_WATCHER_TYPE=auto to compare")
    args = ap.parse_args()
    if not 1 <= args.sessions <= MAX_SESSIONS:
        ap.error(f"--sessions must be 1..{MAX_SESSIONS}")
    env = dict(kv.split("=", 1) for kv in args.env)
    return asyncio.run(run(args.sessions, args.rounds, args.timeout, args.launcher, env))


if __name__ == "__main__":
    sys.exit(main())
