"""Radix's case store: saved consultations, autosaved drafts and teaching progress in a SQL database.

Outside the pure engine: this package does I/O (a database, the clock). SQLite by default
(``data/radix.sqlite3``), any SQLAlchemy URL through ``RADIX_DATABASE_URL``. The schema is
owned by Alembic migrations, applied by ``CaseStore`` when it opens the database.

Errors: ``StoreError`` (a save or load that failed, with a reason fit to show a user).
"""

from .repository import CaseInput, CaseRecord, CaseStore, StoreError, new_case_id
from .settings import data_dir, database_url
from .summary import case_input, versions

__all__ = [
    "CaseInput",
    "CaseRecord",
    "CaseStore",
    "StoreError",
    "case_input",
    "data_dir",
    "database_url",
    "new_case_id",
    "versions",
]
