"""Shared fixtures: pytest-playwright driven through Debian's Chromium, offline.

See /work/shared/reference/tooling.md: ``--browser-channel`` does not work on these
machines, so the launch arguments are overridden here instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # stop Chromium's own DNS look-ups of outside hosts
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def pytest_configure(config: pytest.Config) -> None:
    # a Streamlit rerun on a busy 2-core machine can take seconds: wait up to 15 s for what
    # a browser test expects to see (Playwright's default is 5 s)
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    # AppTest runs the script outside a server, so Streamlit logs a harmless "missing
    # ScriptRunContext" warning through its own handler; keep it out of test output.
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit.runtime.caching.cache_data_api"):
        logging.getLogger(name).setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Streamlit scrolls inside its own container, so full-page screenshots miss the
    # lower part: a tall viewport shows it.
    return {**browser_context_args, "viewport": {"width": 1280, "height": 1600}}


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str | None:
    # pytest-playwright 0.10's fallback `base_url` is a method on a plugin class, which
    # pytest 9 deprecates (an error under -W error); this plain fixture replaces it.
    return pytestconfig.getoption("--base-url", None) or None


# ---------------------------------------------------------------- the case store
# Every store test runs on SQLite and on a real PostgreSQL (tests/postgres.py).
def pytest_sessionstart(session: pytest.Session) -> None:
    # The dashboard and CLI write to the data folder: never the repository's during tests.
    import os
    import tempfile

    os.environ.setdefault("RADIX_DATA_DIR", tempfile.mkdtemp(prefix="radix-data-"))


@pytest.fixture(scope="session")
def postgres_base_url() -> Iterator[str]:
    from tests.postgres import postgres_server, why_no_postgres

    reason = why_no_postgres()
    if reason:
        pytest.skip(reason)
    with postgres_server() as url:
        yield url


_DB_COUNTER = iter(range(1_000_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'radix.sqlite3'}"
        return
    import psycopg

    base = request.getfixturevalue("postgres_base_url")
    name = f"radix_test_{next(_DB_COUNTER)}"
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain + "/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield f"{base}/{name}"
    with psycopg.connect(plain + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
