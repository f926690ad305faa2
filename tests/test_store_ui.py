"""The case store in the dashboard (AppTest): autosaved drafts, the URL id, save, reopen, list."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import store
from tests.support import run

APP = "../dashboard/app.py"


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch, tmp_path) -> store.CaseStore:
    url = f"sqlite:///{tmp_path / 'ui.sqlite3'}"
    monkeypatch.setenv("RADIX_DATABASE_URL", url)
    s = store.CaseStore(url)
    yield s
    s.close()


def _app(case_id: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if case_id:
        at.query_params["case"] = case_id
    at.run()
    assert not at.exception
    return at


def _section(at: AppTest, name: str) -> AppTest:
    """Open one intake section (only the open one's widgets run)."""
    at.session_state["radix.intake_tab"] = name
    return at.run()


def _texts(at: AppTest, kind: str) -> str:
    return "\n".join(str(e.value) for e in at.get(kind))


def test_the_first_finding_gives_the_case_a_url_id_and_autosaves_a_draft(db: store.CaseStore) -> None:
    at = _app()
    assert "case" not in at.query_params  # an empty form makes no draft
    _section(at, "Exam").selectbox(key="f.slr").set_value("positive")
    at.run()
    cid = at.session_state["radix.store_id"]
    assert cid and at.query_params["case"] in (cid, [cid])
    assert db.load_draft(cid) == {"slr": "positive"}


def test_a_new_session_with_the_case_id_in_the_url_restores_the_draft(db: store.CaseStore) -> None:
    db.save_draft("draft-1", {"age": 61, "slr": "positive", "weakness": ["great_toe_extension"], "fever": False})
    at = _app("draft-1")
    assert at.session_state["radix.case"] == {"age": 61, "slr": "positive", "weakness": ["great_toe_extension"],
                                              "fever": False}
    assert at.number_input(key="f.age").value == 61
    assert _section(at, "Exam").selectbox(key="f.slr").value == "positive"
    assert _section(at, "Red flags").button_group(key="f.fever").value == "no"


def test_saving_keeps_reference_and_note_and_a_link_reopens_the_saved_case(db: store.CaseStore) -> None:
    at = _app()
    at.number_input(key="f.age").set_value(45).run()
    _section(at, "Exam").selectbox(key="f.slr").set_value("positive")
    at.run()
    at.text_input(key="radix.save.label").set_value("teaching 7")
    at.text_area(key="radix.save.note").set_value("L5 pattern")
    at.button(key="radix.save").click().run()
    assert "Saved teaching 7" in _texts(at, "success")
    rec = db.search("teaching")[0]
    assert rec.findings == {"slr": "positive", "age": 45} and rec.note == "L5 pattern"
    assert rec.id == at.session_state["radix.store_id"] and db.load_draft(rec.id) is None
    again = _app(rec.id)
    assert again.session_state["radix.case"] == {"slr": "positive", "age": 45}
    assert again.text_area(key="radix.save.note").value == "L5 pattern"


def test_a_failed_save_says_why_and_keeps_the_form(db: store.CaseStore) -> None:
    at = _app()
    _section(at, "Exam").selectbox(key="f.slr").set_value("positive")
    at.run()
    at.text_area(key="radix.save.note").set_value("x" * 5000)
    at.button(key="radix.save").click().run()
    assert "Not saved: the note is 5000 characters long" in _texts(at, "error")
    assert at.session_state["radix.case"] == {"slr": "positive"}
    assert _section(at, "Exam").selectbox(key="f.slr").value == "positive"
    assert db.search() == []


def test_new_consultation_clears_the_case_and_the_url(db: store.CaseStore) -> None:
    at = _app()
    _section(at, "Exam").selectbox(key="f.slr").set_value("positive")
    at.run()
    at.button(key="radix.new").click().run()
    assert at.session_state["radix.case"] == {} and not at.session_state["radix.store_id"]
    assert "case" not in at.query_params


def test_the_saved_cases_page_lists_searches_duplicates_and_deletes(db: store.CaseStore) -> None:
    disc = db.save(store.case_input({"slr": "positive", "age": 45}, run(slr="positive", age=45), label="bed 4"))
    ces = db.save(store.case_input({"bladder_dysfunction": True}, run(bladder_dysfunction=True), note="to A&E"))
    at = _app()
    at.switch_page("views/cases.py").run()
    assert not at.exception
    assert "2 saved cases" in _texts(at, "caption")
    at.selectbox(key="radix.cases.urgency").set_value("emergency").run()
    assert "1 saved case " in _texts(at, "caption") and "to A&E" in _texts(at, "caption")
    at.selectbox(key="radix.cases.urgency").set_value(None).run()
    at.button(key=f"radix.cases.dup.{disc.id}").click().run()
    assert len(db.search("bed 4")) == 2
    at.button(key=f"radix.cases.del.{ces.id}").click().run()
    assert db.get(ces.id) is None and "Deleted" in _texts(at, "success")


def test_a_burst_of_changes_is_written_once_the_debounce_window_closes(db: store.CaseStore) -> None:
    import time

    from dashboard.session.persist import DEBOUNCE

    at = _app()
    _section(at, "Exam").selectbox(key="f.slr").set_value("positive")
    at.run()
    cid = at.session_state["radix.store_id"]
    at.selectbox(key="f.crossed_slr").set_value("positive")
    at.run()  # inside the window: left pending
    assert db.load_draft(cid) == {"slr": "positive"}
    assert at.session_state["radix.draft.pending"] == {"slr": "positive", "crossed_slr": "positive"}
    time.sleep(DEBOUNCE + 0.1)
    at.run()
    assert db.load_draft(cid) == {"slr": "positive", "crossed_slr": "positive"}


def test_a_fhir_bundle_imports_as_a_draft_that_opens_in_the_consultation(db: store.CaseStore) -> None:
    from datetime import UTC, datetime

    from dashboard.session.persist import import_fhir_draft
    from exports.fhir import bundle_from_case, bundle_json
    from tests.support import kb

    findings = {"age": 70, "walking_distance_limited": True, "weakness": []}
    text = bundle_json(bundle_from_case(findings, run(**findings), kb(), datetime.now(UTC)))
    cid = import_fhir_draft(db, text, kb())
    at = _app(cid)
    assert at.session_state["radix.case"] == findings


def test_a_fhir_import_with_a_bad_value_stores_nothing(db: store.CaseStore) -> None:
    import json

    import engine
    from dashboard.session.persist import import_fhir_draft
    from tests.support import kb

    qr = {"resourceType": "QuestionnaireResponse", "status": "completed",
          "item": [{"linkId": "age", "answer": [{"valueInteger": 300}]}]}
    with pytest.raises(engine.CaseError):
        import_fhir_draft(db, json.dumps(qr), kb())
