"""The validated content, kept between processes: a pickle keyed by what it was made from.

Reading and validating ``content/`` (YAML, then pydantic) is most of a CLI run's load
time; compiling it (network, case model, table) is cheap and is always redone, so no
closure is ever pickled. The key is a SHA-256 over every content file the loader reads
(names and bytes), the source of the modules that define and read the records, and the
Python and pydantic versions: any change to any of them is a different key, so a stale
entry is never read. Only content that loaded without a problem is kept.

Where: ``$RADIX_CACHE`` if set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/radix`` or ``~/.cache/radix``. A pickle runs code when read, so a
directory that is not the user's own, or that others may write to, is neither read nor
written. Writes go to a temporary file renamed into place (concurrent runs are safe); the
newest few entries are kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from pydantic import VERSION as PYDANTIC_VERSION

from engine.knowledge.records import Content

__all__ = ["cache_dir", "content_key", "read_cached", "write_cached"]

KEEP = 8  # entries kept (one per content version met)
_HERE = Path(__file__).resolve().parent
_SOURCES = ("records.py", "premises.py", "load.py", "cache.py")  # what defines and reads the records


def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is off."""
    chosen = os.environ.get("RADIX_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "radix"


def content_key(root: Path) -> str:
    """SHA-256 of the content files the loader reads and of what reads them."""
    h = hashlib.sha256()
    h.update(f"{sys.version}|{PYDANTIC_VERSION}|".encode())
    for name in _SOURCES:
        h.update(name.encode() + b"\0" + (_HERE / name).read_bytes() + b"\0")
    for path in sorted([*root.glob("*.yaml"), *root.glob("rules/*.yaml")]):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _private(directory: Path) -> bool:
    """The directory is the user's own and no one else may write to it."""
    try:
        st = directory.stat()
    except OSError:
        return False
    owner = getattr(os, "getuid", lambda: st.st_uid)()
    return st.st_uid == owner and not st.st_mode & 0o022


def read_cached(root: Path) -> tuple[str, Content | None]:
    """The key of ``root``'s content, and its cached records if there are any."""
    key = content_key(root)
    directory = cache_dir()
    if directory is None or not _private(directory):
        return key, None
    path = directory / f"content-{key}.pickle"
    try:
        with path.open("rb") as fh:
            content = pickle.load(fh)  # noqa: S301 - our own file, in a directory only we can write
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return key, None
    return key, content if isinstance(content, Content) else None


def write_cached(key: str, content: Content) -> None:
    """Keep validated records under ``key`` (best effort: a cache that cannot be written is skipped)."""
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(directory):
            return
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".content-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(content, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, directory / f"content-{key}.pickle")
        except (OSError, pickle.PicklingError):
            Path(tmp).unlink(missing_ok=True)
            return
        entries = sorted(directory.glob("content-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        return
