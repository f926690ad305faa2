"""The case store on SQLite and on a real PostgreSQL (every test runs on both)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import store
from store.models import Base
from store.repository import MAX_NOTE
from tests.support import run

DISC = {"age": 45, "slr": "positive", "weakness": ["great_toe_extension"], "progressive_weakness": False,
        "pain_regions": ["buttock", "posterior_thigh", "lateral_shin", "dorsum_foot_big_toe"]}
CES = {"age": 52, "bladder_dysfunction": True, "saddle_anaesthesia": True}


@pytest.fixture
def cases(store_url: str) -> store.CaseStore:
    s = store.CaseStore(store_url)
    yield s
    s.close()


def _save(s: store.CaseStore, findings: dict, note: str = "", label: str | None = None) -> store.CaseRecord:
    return s.save(store.case_input(findings, run(**findings), label=label, note=note))


def test_opening_a_store_creates_the_schema_and_it_matches_the_models(store_url: str) -> None:
    store.CaseStore(store_url).close()
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert {"cases", "drafts", "alembic_version"} <= set(inspect(conn).get_table_names())
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == [], "the migrations and the models disagree"


def test_opening_twice_is_harmless(store_url: str) -> None:
    store.CaseStore(store_url).close()
    s = store.CaseStore(store_url)
    assert s.search() == []
    s.close()


def test_a_saved_case_keeps_findings_summary_versions_timestamps_and_note(cases: store.CaseStore) -> None:
    rec = _save(cases, DISC, note="first visit")
    back = cases.get(rec.id)
    assert back is not None
    assert back.findings == DISC
    assert back.note == "first visit" and back.label is None
    assert back.top_cause == "lumbar_disc_herniation" and back.urgency == "routine"
    assert back.summary["differential"][0]["id"] == "lumbar_disc_herniation"
    assert back.engine_version == store.versions()["engine"]
    assert back.content_version.startswith("sha256:")
    assert back.created_at.tzinfo is not None and back.created_at <= back.updated_at


def test_saving_again_under_the_same_id_updates_it_and_keeps_the_creation_time(cases: store.CaseStore) -> None:
    rec = _save(cases, DISC)
    again = cases.save(store.case_input(CES, run(**CES), note="changed"), case_id=rec.id)
    assert again.id == rec.id and again.created_at == rec.created_at and again.updated_at >= rec.updated_at
    assert cases.get(rec.id).urgency == "emergency"
    assert len(cases.search()) == 1


def test_search_by_id_note_top_cause_urgency_and_date(cases: store.CaseStore) -> None:
    disc = _save(cases, DISC, note="L5 pattern, teaching", label="ward 3 bed 2")
    ces = _save(cases, CES, note="sent to A&E")
    assert [r.id for r in cases.search()] == [ces.id, disc.id]  # newest first
    assert [r.id for r in cases.search(disc.id[:8])] == [disc.id]
    assert [r.id for r in cases.search("TEACHING")] == [disc.id]  # case-insensitive
    assert [r.id for r in cases.search("ward 3")] == [disc.id]
    assert [r.id for r in cases.search("disc_hern")] == [disc.id]
    assert [r.id for r in cases.search(urgency="emergency")] == [ces.id]
    assert [r.id for r in cases.search(top_cause="lumbar_disc_herniation")] == [disc.id]
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert cases.search(since=tomorrow) == []
    assert len(cases.search(until=tomorrow)) == 2


def test_duplicate_makes_an_independent_copy(cases: store.CaseStore) -> None:
    rec = _save(cases, DISC, note="original")
    copy = cases.duplicate(rec.id)
    assert copy.id != rec.id and copy.findings == rec.findings and rec.id in copy.note
    cases.delete(rec.id)
    assert cases.get(copy.id) is not None


def test_delete_removes_the_case_and_its_draft(cases: store.CaseStore) -> None:
    rec = _save(cases, DISC)
    cases.save_draft(rec.id, {"age": 50})
    assert cases.delete(rec.id) is True
    assert cases.get(rec.id) is None and cases.load_draft(rec.id) is None
    assert cases.delete(rec.id) is False


def test_a_draft_round_trips_and_wins_over_the_saved_case_until_saved(cases: store.CaseStore) -> None:
    rec = _save(cases, DISC)
    cases.save_draft(rec.id, {**DISC, "age": 60, "pain_character": {"sharp", "burning"}})
    findings, saved = cases.open(rec.id)
    assert findings["age"] == 60 and findings["pain_character"] == ["burning", "sharp"] and saved.id == rec.id
    cases.save(store.case_input(findings, run(**findings)), case_id=rec.id)
    assert cases.load_draft(rec.id) is None  # a save supersedes the draft
    assert cases.open(rec.id)[0]["age"] == 60
    assert cases.open("no-such-id") is None


def test_a_draft_keeps_not_asked_as_absent(cases: store.CaseStore) -> None:
    cases.save_draft("abc", {"age": 40, "slr": None, "weakness": []})
    assert cases.load_draft("abc") == {"age": 40, "weakness": []}


def test_a_failed_save_says_why_and_writes_nothing(cases: store.CaseStore) -> None:
    with pytest.raises(store.StoreError, match="note is .* characters long"):
        _save(cases, DISC, note="x" * (MAX_NOTE + 1))
    assert cases.search() == []


def test_a_database_error_rolls_back_and_hides_the_findings(cases: store.CaseStore) -> None:
    data = store.case_input(DISC, run(**DISC), note="secret-note-text")
    bad = store.CaseInput(**{**data.__dict__, "urgency": "u" * 400})  # too long for the column on PostgreSQL
    if cases.url.startswith("sqlite"):
        pytest.skip("SQLite does not enforce VARCHAR lengths")
    with pytest.raises(store.StoreError) as err:
        cases.save(bad)
    assert "could not save the case" in err.value.reason
    assert "secret-note-text" not in err.value.reason and "uuuu" not in err.value.reason
    assert cases.search() == []


def test_the_default_url_is_sqlite_in_the_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("RADIX_DATABASE_URL", raising=False)
    monkeypatch.setenv("RADIX_DATA_DIR", str(tmp_path / "new"))
    assert store.database_url() == f"sqlite:///{tmp_path / 'new' / 'radix.sqlite3'}"
    assert (tmp_path / "new").is_dir()
    monkeypatch.setenv("RADIX_DATABASE_URL", "postgresql+psycopg://u:pw@host/db")
    assert store.database_url() == "postgresql+psycopg://u:pw@host/db"


def test_an_unreachable_database_is_a_store_error_without_the_password() -> None:
    with pytest.raises(store.StoreError) as err:
        store.CaseStore("postgresql+psycopg://radix:hunter2@127.0.0.1:1/radix?connect_timeout=2")
    assert "cannot open the case store" in err.value.reason and "hunter2" not in err.value.reason


def test_the_migrations_downgrade_to_nothing_and_upgrade_again(store_url: str) -> None:
    from store.migrate import downgrade, upgrade

    store.CaseStore(store_url).close()
    engine = create_engine(store_url)
    downgrade(engine, "base")
    with engine.connect() as conn:
        assert not {"cases", "drafts"} & set(inspect(conn).get_table_names())
    upgrade(engine)
    with engine.connect() as conn:
        assert {"cases", "drafts"} <= set(inspect(conn).get_table_names())
    engine.dispose()


def test_teaching_records_are_kept_per_learner_in_order(cases: store.CaseStore) -> None:
    cases.add_teaching_record("learner-a", {"case_id": "tc01", "score": 80.0})
    cases.add_teaching_record("learner-b", {"case_id": "tc02", "score": 0.0})
    cases.add_teaching_record("learner-a", {"case_id": "tc03", "score": 100.0})
    assert [r["case_id"] for r in cases.teaching_records("learner-a")] == ["tc01", "tc03"]
    assert cases.teaching_records("nobody") == []
