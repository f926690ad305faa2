"""Teaching mode driven through its widgets with Streamlit's AppTest: pick, ask, commit,
debrief, score and progress; the case library and the knowledge base's links to it."""

from __future__ import annotations

import random

import pytest
from streamlit.testing.v1 import AppTest

from tests.support import kb

APP = "../dashboard/app.py"
CES = "tc06-ces-urinary-retention-without-sciatica"


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    app.switch_page("views/teaching.py").run()
    assert not app.exception
    return app


def _pick(at: AppTest, cause: str = "cauda_equina_syndrome", seed: int = 1) -> str:
    at.session_state["radix.teach.rng"] = random.Random(seed)
    at.selectbox(key="radix.teach.cause").set_value(cause)
    at.button(key="radix.teach.pick").click().run()
    assert not at.exception
    return at.session_state["radix.teach.session"].case.id


def _frame(at: AppTest, column: str):
    """The first table with this column (AppTest does not expose a dataframe's key)."""
    return next(e.value for e in at.dataframe if column in e.value.columns)


def _texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "error", "warning", "success", "subheader")
    return "\n".join(str(e.value) for k in kinds for e in at.get(k))


def _commit(at: AppTest, differential: list[str], urgency: str, roots: list[str], step: str | None) -> None:
    at.multiselect(key="radix.teach.differential").set_value(differential)
    at.radio(key="radix.teach.urgency").set_value(urgency)
    at.multiselect(key="radix.teach.roots").set_value(roots)
    if step:
        at.selectbox(key="radix.teach.step").set_value(step)
    at.button(key="radix.teach.commit").click().run()
    assert not at.exception


def test_a_picked_case_keeps_its_answer_hidden_until_commit(at: AppTest) -> None:
    case_id = _pick(at)
    case = at.session_state["radix.teach.session"].case
    assert cause_in(case, "cauda_equina_syndrome")
    text = _texts(at)
    assert case.title not in text and case.summary not in text
    assert not any(p in text for p in case.teaching_points)
    assert at.session_state["radix.teach.debrief"] is None, case_id


def cause_in(case, cid: str) -> bool:
    return cid in case.causes


def test_asking_one_question_reveals_the_case_value_or_not_recorded(at: AppTest) -> None:
    _pick(at)
    case = at.session_state["radix.teach.session"].case
    recorded = next(f for f in ("bladder_dysfunction", "saddle_anaesthesia") if f in case.findings)
    at.selectbox(key="radix.teach.q.red_flags").set_value(recorded)
    at.button(key="radix.teach.ask.red_flags").click().run()
    at.selectbox(key="radix.teach.q.red_flags").set_value("pulsatile_abdominal_mass")
    at.button(key="radix.teach.ask.red_flags").click().run()
    answers = _frame(at, "answer")
    assert list(answers["question"]) == [kb().findings["pulsatile_abdominal_mass"].label, kb().findings[recorded].label]
    assert list(answers["answer"]) == ["not recorded", "yes"]
    assert at.metric[0].value == "2"


def test_asking_a_whole_section_counts_each_question_once(at: AppTest) -> None:
    _pick(at)
    at.button(key="radix.teach.ask_all.examination").click().run()
    at.button(key="radix.teach.ask_all.examination").run()
    session = at.session_state["radix.teach.session"]
    n = sum(1 for fid in kb().findings if kb().section_of(fid) == "examination")  # exam groups + the numbness map
    assert session.question_count == n
    assert at.metric[0].value == str(n)


def test_commit_needs_a_condition_and_an_urgency(at: AppTest) -> None:
    _pick(at)
    at.button(key="radix.teach.commit").click().run()
    assert "at least one condition and an urgency" in at.warning[0].value
    assert at.session_state["radix.teach.debrief"] is None


def test_the_full_flow_on_an_emergency_scores_a_correct_answer_and_records_it(at: AppTest) -> None:
    _pick(at)
    case = at.session_state["radix.teach.session"].case
    assert case.expected.urgency == "emergency"
    at.button(key="radix.teach.ask_all.red_flags").click().run()
    at.button(key="radix.teach.ask_all.examination").click().run()
    _commit(at, [case.expected.top_condition], "emergency", list(case.expected.roots), "emergency_referral")
    d = at.session_state["radix.teach.debrief"]
    assert not d.score.killer and d.score.percent == 100.0
    assert "100%" in [m.value for m in at.metric]
    text = _texts(at)
    assert case.title in text and case.teaching_points[0] in text and case.source.citation in text
    assert "Page G, Bordage G" in text
    features = _frame(at, "key feature")
    assert list(features["score"]) == [1.0] * len(features)
    at.button(key="radix.teach.next").click().run()
    assert at.session_state["radix.teach.session"] is None
    records = at.session_state["radix.teach.records"]
    assert [r.case_id for r in records] == [case.id] and records[0].score == 100.0


def test_calling_an_emergency_routine_is_shown_as_the_gravest_error_and_scores_zero(at: AppTest) -> None:
    _pick(at)
    case = at.session_state["radix.teach.session"].case
    _commit(at, [case.expected.top_condition], "routine", list(case.expected.roots), "emergency_referral")
    assert "0%" in [m.value for m in at.metric]
    assert "Gravest error" in at.error[0].value and "Urgency" in at.error[0].value
    # the progress tab counts it and the CSV carries it
    assert at.session_state["radix.teach.records"][0].killer
    at.button(key="radix.teach.next").click().run()
    csv = at.get("download_button")[0]
    assert csv.proto.label == "Download the session as CSV"


def test_the_debrief_names_the_red_flags_never_asked_and_the_best_questions_not_asked(at: AppTest) -> None:
    _pick(at)
    case = at.session_state["radix.teach.session"].case
    at.selectbox(key="radix.teach.q.history").set_value("back_pain")
    at.button(key="radix.teach.ask.history").click().run()
    _commit(at, ["lumbar_disc_herniation"], "routine", [], "physiotherapy")
    text = _texts(at)
    present = [f for f in ("bladder_dysfunction", "saddle_anaesthesia") if case.findings.get(f)]
    for fid in present:
        assert f"You never asked about **{kb().findings[fid].label}**" in text
    assert "urgency routine → emergency" in text
    assert "Conditions missed most" in text and kb().label(case.expected.top_condition) in text


def test_progress_csv_has_one_row_per_case(at: AppTest) -> None:
    for seed in (1, 2):
        _pick(at, seed=seed)
        case = at.session_state["radix.teach.session"].case
        _commit(at, [case.expected.top_condition], case.expected.urgency, [], None)
        at.button(key="radix.teach.next").click().run()
    from engine.teaching.progress import to_csv

    csv = to_csv(at.session_state["radix.teach.records"])
    assert len(csv.strip().splitlines()) == 3
    ids = [r.case_id for r in at.session_state["radix.teach.records"]]
    assert len(set(ids)) == 2, "a new pick prefers a case not done yet"


def test_the_case_library_hides_the_expected_answer_behind_a_reveal(at: AppTest) -> None:
    at.switch_page("views/case_library.py").run()
    assert not at.exception
    table = _frame(at, "citation")
    assert len(table) >= 25
    at.selectbox(key="radix.library.case").set_value(CES).run()
    assert "**Diagnosis:**" not in _texts(at)
    at.toggle(key=f"radix.library.reveal.{CES}").set_value(True).run()
    assert f"**Diagnosis:** {kb().label('cauda_equina_syndrome')}" in _texts(at)


def test_the_knowledge_base_links_a_condition_to_its_cases(at: AppTest) -> None:
    at.switch_page("views/knowledge_base.py").run()
    at.selectbox(key="radix.kb.condition").set_value("cauda_equina_syndrome").run()
    links = [e.proto for e in at.get("page_link")]
    ces = next(p for p in links if p.label.startswith("Incomplete cauda equina syndrome"))
    assert ces.page.endswith("case_library") and "case=" + CES in ces.query_string
    assert all(p.label.endswith(("(answer)", "(to tell apart)")) for p in links)


def test_a_case_link_opens_that_case_in_the_library_even_with_a_filter_on(at: AppTest) -> None:
    at.switch_page("views/case_library.py").run()
    at.selectbox(key="radix.library.setting").set_value("obstetric").run()
    at.query_params["case"] = CES
    at.run()
    assert at.session_state["radix.library.case"] == CES
    assert at.selectbox(key="radix.library.setting").value == "any"


def test_practise_from_the_library_starts_that_case(at: AppTest) -> None:
    at.switch_page("views/case_library.py").run()
    at.selectbox(key="radix.library.case").set_value(CES).run()
    at.button(key="radix.library.practise").click().run()
    assert not at.exception
    assert at.session_state["radix.teach.session"].case.id == CES


def _pick_ces(at: AppTest):
    at.switch_page("views/case_library.py").run()
    at.selectbox(key="radix.library.case").set_value(CES).run()
    at.button(key="radix.library.practise").click().run()
    at.switch_page("views/teaching.py").run()  # AppTest does not follow st.switch_page
    return at.session_state["radix.teach.session"].case


def test_nothing_asked_and_the_right_answer_loses_only_the_red_flag_screen(at: AppTest) -> None:
    case = _pick_ces(at)
    _commit(at, [case.expected.top_condition], "emergency", list(case.expected.roots), "emergency_referral")
    assert "80%" in [m.value for m in at.metric]
    features = _frame(at, "key feature")
    assert dict(zip(features["key feature"], features["score"], strict=True))["Red-flag screen"] == 0.0
    assert "Questions asked:** 0" in _texts(at)
    assert not any("Gravest error" in e.value for e in at.error), "no gravest error when the urgency is right"
    assert sum("You never asked about" in e.value for e in at.error) == 2, "retention and saddle numbness"


def test_everything_asked_and_right_scores_full_with_nothing_left_to_ask(at: AppTest) -> None:
    case = _pick_ces(at)
    for section in ("history", "red_flags", "examination"):
        at.button(key=f"radix.teach.ask_all.{section}").click().run()
    assert at.session_state["radix.teach.session"].question_count == len(kb().findings)
    assert at.button(key="radix.teach.ask_all.history").disabled
    _commit(at, [case.expected.top_condition], "emergency", list(case.expected.roots), "emergency_referral")
    assert "100%" in [m.value for m in at.metric]
    text = _texts(at)
    assert "none — a complete screen" in text
    assert "None: you asked everything that changes the picture." in text


def test_a_bad_case_file_is_reported_on_the_page_not_raised(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.session import teaching as teaching_state
    from engine.errors import CaseError, Problem

    def broken() -> tuple:
        raise CaseError(Problem("99-bad.yaml: difficulty", "Input should be 'introductory', 'intermediate' or 'advanced'"))

    monkeypatch.setattr(teaching_state, "teaching_cases", broken)
    at.switch_page("views/case_library.py").run()
    assert not at.exception
    assert "99-bad.yaml" in at.error[0].value


def test_finished_cases_are_kept_in_the_case_store_and_come_back_with_the_learner_link(at: AppTest) -> None:
    from dashboard.session.persist import _open_store
    from store import database_url

    _pick(at)
    case = at.session_state["radix.teach.session"].case
    _commit(at, [case.expected.top_condition], case.expected.urgency, [], None)
    learner = at.query_params["learner"][0] if isinstance(at.query_params["learner"], list) else at.query_params["learner"]
    kept = _open_store(database_url()).teaching_records(learner)
    assert [r["case_id"] for r in kept] == [case.id]
    # a new session opened on the same link shows the same progress
    again = AppTest.from_file(APP, default_timeout=30)
    again.query_params["learner"] = learner
    again.run()
    again.switch_page("views/teaching.py").run()
    assert [r.case_id for r in again.session_state["radix.teach.records"]] == [case.id]
