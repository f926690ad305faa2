"""SQLAlchemy 2 models of the case store. The schema itself is made by the migrations.

A saved case keeps what is needed to reopen and to audit it: the findings (contract JSON,
unknown findings left out), a summary of the result, the engine and content versions that
produced it, timestamps and a note. No name, date of birth or record number is asked for:
``label`` is a free-text reference the clinician may leave empty.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "DraftRow", "SavedCaseRow", "TeachingRecordRow"]


class Base(DeclarativeBase):
    pass


class SavedCaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    label: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    top_cause: Mapped[str | None] = mapped_column(String(64), index=True)
    urgency: Mapped[str] = mapped_column(String(16), index=True)
    engine_version: Mapped[str] = mapped_column(String(40))
    content_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class DraftRow(Base):
    """The case being entered, autosaved under the id in the page's URL."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    findings: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TeachingRecordRow(Base):
    """One teaching case a student finished: the record teaching mode keeps (score, key
    features missed...), under a random learner id from the page's URL, never a name."""

    __tablename__ = "teaching_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner: Mapped[str] = mapped_column(String(36), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
