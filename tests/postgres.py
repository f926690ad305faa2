"""A throw-away PostgreSQL server from Debian's binaries, for the store tests.

``initdb`` and ``pg_ctl`` run on a temporary folder and a free port. PostgreSQL refuses to
run as root, so as root they run as the ``postgres`` user (created by the Debian package).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["bindir", "postgres_server", "why_no_postgres"]


def bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def why_no_postgres() -> str | None:
    """Why PostgreSQL tests cannot run here, or ``None`` when they can."""
    if bindir() is None:
        return "PostgreSQL binaries not found (apt-get install postgresql; `make test` does this)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yield its base URL (``postgresql+psycopg://postgres@127.0.0.1:PORT``)."""
    bins = bindir()
    assert bins is not None
    # Under /tmp itself: pytest's tmp folders are 0700 root and the server user could not enter.
    root = Path(tempfile.mkdtemp(prefix="radix-pg-"))
    data, port = root / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    run = {"check": True, "capture_output": True}
    subprocess.run(_as_server_user([str(bins / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                    "-E", "UTF8", "--no-sync"]), **run)
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run(_as_server_user([str(bins / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "log"),
                                    "-w", "-t", "60", "start"]), **run)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_server_user([str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
