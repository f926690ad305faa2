"""Where the case store lives: one setting, ``RADIX_DATABASE_URL``, else SQLite in a data folder.

``RADIX_DATA_DIR`` moves the data folder (default ``data/`` at the repository root, created
on first use). Both are read on each call, so tests and deployments can set them per process.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DATA_DIR_ENV", "DATABASE_URL_ENV", "ROOT", "data_dir", "database_url"]

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR_ENV = "RADIX_DATA_DIR"
DATABASE_URL_ENV = "RADIX_DATABASE_URL"


def data_dir() -> Path:
    """The data folder (created if missing)."""
    folder = Path(os.environ.get(DATA_DIR_ENV) or ROOT / "data")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database_url() -> str:
    """The SQLAlchemy URL of the case store: the setting, else SQLite in the data folder."""
    return os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{data_dir() / 'radix.sqlite3'}"
