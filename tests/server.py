"""``streamlit run`` on a free loopback port, for the browser tests and the load test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["ROOT", "free_port", "serve_dashboard", "serve_process", "wait_healthy"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited early")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("streamlit did not become healthy")


@contextmanager
def serve_process(log_path: Path, env: dict[str, str] | None = None,
                  launcher: list[str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run the dashboard on 127.0.0.1 (never another interface); yield its URL and process.
    ``launcher`` replaces ``python -m streamlit run ...`` (it gets the port as last argument)."""
    port = free_port()
    cmd = [*launcher, str(port)] if launcher else [
        sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless", "true",
        "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, proc)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def serve_dashboard(log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run the dashboard on 127.0.0.1; yield its URL."""
    with serve_process(log_path, env) as (url, _):
        yield url
