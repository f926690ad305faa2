"""Save, list, search, open, duplicate and delete cases; autosave drafts.

Every write is one transaction (``Session.begin``): it lands whole or not at all. A write
that fails raises ``StoreError`` with a reason fit to show the user; the engine is made with
``hide_parameters`` so no finding value reaches an exception message or a log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from .migrate import upgrade
from .models import DraftRow, SavedCaseRow, TeachingRecordRow

__all__ = ["CaseInput", "CaseRecord", "CaseStore", "StoreError", "new_case_id"]

MAX_NOTE = 4000
MAX_LABEL = 120


class StoreError(Exception):
    """A store operation that failed; ``reason`` says why in words a user can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def new_case_id() -> str:
    """A random case id: carries nothing about the patient, safe in a URL."""
    return str(uuid.uuid4())


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every value written was UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def plain_findings(findings: Mapping[str, Any]) -> dict[str, Any]:
    """Findings as JSON values: sets become sorted lists; ``None`` (not asked) is left out."""
    out: dict[str, Any] = {}
    for fid, value in findings.items():
        if value is None:
            continue
        out[fid] = sorted(value) if isinstance(value, (set, frozenset, tuple)) else value
    return out


@dataclass(frozen=True)
class CaseInput:
    """What a save writes; ``summary`` is the result digest (see ``store.summary``)."""

    findings: Mapping[str, Any]
    summary: Mapping[str, Any]
    urgency: str
    top_cause: str | None
    engine_version: str
    content_version: str
    label: str | None = None
    note: str = ""


@dataclass(frozen=True)
class CaseRecord:
    id: str
    label: str | None
    note: str
    findings: dict[str, Any]
    summary: dict[str, Any]
    urgency: str
    top_cause: str | None
    engine_version: str
    content_version: str
    created_at: datetime
    updated_at: datetime
    extra: dict[str, Any] = field(default_factory=dict)


def _record(row: SavedCaseRow) -> CaseRecord:
    return CaseRecord(
        id=row.id, label=row.label, note=row.note or "", findings=dict(row.findings), summary=dict(row.summary),
        urgency=row.urgency, top_cause=row.top_cause, engine_version=row.engine_version,
        content_version=row.content_version, created_at=_utc(row.created_at), updated_at=_utc(row.updated_at),
    )


def _check(data: CaseInput) -> None:
    if len(data.note) > MAX_NOTE:
        raise StoreError(f"the note is {len(data.note)} characters long; the limit is {MAX_NOTE}.")
    if data.label and len(data.label) > MAX_LABEL:
        raise StoreError(f"the case reference is {len(data.label)} characters long; the limit is {MAX_LABEL}.")


class CaseStore:
    """A case store on one database; opening it upgrades the schema to the newest migration."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self._engine = create_engine(url, hide_parameters=True, pool_pre_ping=True)
            upgrade(self._engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the case store ({self.where}): {_why(exc)}") from exc
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    @property
    def where(self) -> str:
        """The database, without a password: for messages and the README's data section."""
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _write(self, what: str) -> Iterator[Session]:
        try:
            with self._sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            raise StoreError(f"could not {what}: {_why(exc)}") from exc

    # ----------------------------------------------------------------- saved cases
    def save(self, data: CaseInput, case_id: str | None = None) -> CaseRecord:
        """Insert or overwrite the case ``case_id`` (new id if ``None``); its draft is dropped."""
        _check(data)
        now = _now()
        with self._write("save the case") as s:
            row = s.get(SavedCaseRow, case_id) if case_id else None
            if row is None:
                row = SavedCaseRow(id=case_id or new_case_id(), created_at=now)
                s.add(row)
            row.label, row.note = (data.label or None), data.note
            row.findings, row.summary = plain_findings(data.findings), dict(data.summary)
            row.urgency, row.top_cause = data.urgency, data.top_cause
            row.engine_version, row.content_version = data.engine_version, data.content_version
            row.updated_at = now
            draft = s.get(DraftRow, row.id)
            if draft is not None:
                s.delete(draft)
            s.flush()
            return _record(row)

    def get(self, case_id: str) -> CaseRecord | None:
        with self._sessions() as s:
            row = s.get(SavedCaseRow, case_id)
            return None if row is None else _record(row)

    def search(
        self,
        text: str | None = None,
        urgency: str | None = None,
        top_cause: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 500,
    ) -> list[CaseRecord]:
        """Saved cases, newest first; ``text`` matches the id, reference, note or top cause."""
        q = select(SavedCaseRow).order_by(SavedCaseRow.updated_at.desc()).limit(limit)
        if text:
            like = f"%{text.strip()}%"
            q = q.where(or_(SavedCaseRow.id.ilike(like), SavedCaseRow.label.ilike(like),
                            SavedCaseRow.note.ilike(like), SavedCaseRow.top_cause.ilike(like)))
        if urgency:
            q = q.where(SavedCaseRow.urgency == urgency)
        if top_cause:
            q = q.where(SavedCaseRow.top_cause == top_cause)
        if since:
            q = q.where(SavedCaseRow.updated_at >= since)
        if until:
            q = q.where(SavedCaseRow.updated_at < until)
        with self._sessions() as s:
            return [_record(r) for r in s.scalars(q)]

    def duplicate(self, case_id: str) -> CaseRecord:
        """A copy under a new id (the note says where it came from)."""
        with self._write("duplicate the case") as s:
            src = s.get(SavedCaseRow, case_id)
            if src is None:
                raise StoreError(f"no saved case {case_id}.")
            now = _now()
            copy = SavedCaseRow(
                id=new_case_id(), label=src.label, note=f"Copy of {src.id}. {src.note}".strip(),
                findings=dict(src.findings), summary=dict(src.summary), urgency=src.urgency, top_cause=src.top_cause,
                engine_version=src.engine_version, content_version=src.content_version, created_at=now, updated_at=now,
            )
            s.add(copy)
            s.flush()
            return _record(copy)

    def delete(self, case_id: str) -> bool:
        """Delete a saved case and its draft; ``False`` if there was none."""
        with self._write("delete the case") as s:
            row, draft = s.get(SavedCaseRow, case_id), s.get(DraftRow, case_id)
            for obj in (row, draft):
                if obj is not None:
                    s.delete(obj)
            return row is not None

    # ----------------------------------------------------------------- drafts
    def save_draft(self, case_id: str, findings: Mapping[str, Any]) -> datetime:
        """Autosave the findings being entered under ``case_id``; returns the time written."""
        now = _now()
        with self._write("autosave the draft") as s:
            row = s.get(DraftRow, case_id)
            if row is None:
                s.add(DraftRow(id=case_id, findings=plain_findings(findings), updated_at=now))
            else:
                row.findings, row.updated_at = plain_findings(findings), now
        return now

    def load_draft(self, case_id: str) -> dict[str, Any] | None:
        with self._sessions() as s:
            row = s.get(DraftRow, case_id)
            return None if row is None else dict(row.findings)

    def delete_draft(self, case_id: str) -> None:
        with self._write("discard the draft") as s:
            row = s.get(DraftRow, case_id)
            if row is not None:
                s.delete(row)

    # ----------------------------------------------------------------- teaching progress
    def add_teaching_record(self, learner: str, record: Mapping[str, Any]) -> None:
        """Keep one finished teaching case for ``learner`` (a random id, never a name)."""
        with self._write("keep the teaching record") as s:
            s.add(TeachingRecordRow(learner=learner, record=dict(record), created_at=_now()))

    def teaching_records(self, learner: str) -> list[dict[str, Any]]:
        """A learner's finished cases, oldest first."""
        with self._sessions() as s:
            rows = s.scalars(select(TeachingRecordRow).where(TeachingRecordRow.learner == learner)
                             .order_by(TeachingRecordRow.id))
            return [dict(r.record) for r in rows]

    def open(self, case_id: str) -> tuple[dict[str, Any], CaseRecord | None] | None:
        """What a URL's case id restores: its draft if there is one, else the saved findings."""
        saved, draft = self.get(case_id), self.load_draft(case_id)
        if draft is not None:
            return draft, saved
        if saved is not None:
            return dict(saved.findings), saved
        return None


def _why(exc: SQLAlchemyError) -> str:
    """The driver's reason, first line only (parameters are hidden by the engine)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {text[0]}" if text else type(orig).__name__
