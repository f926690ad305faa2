"""The pure teaching-mode core: loading cases, picking, asking, scoring, debrief, progress."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import yaml

from engine.errors import CaseError
from engine.knowledge.load import DEFAULT_CONTENT
from engine.teaching.cases import filter_cases, load_teaching_cases, pick
from engine.teaching.debrief import debrief, informative_not_asked
from engine.teaching.progress import most_missed, record, to_csv
from engine.teaching.score import Commitment
from engine.teaching.session import NOT_RECORDED, Session, reveal, reveal_many, section_progress, sections
from tests.support import kb

CASES = DEFAULT_CONTENT / "cases"


@pytest.fixture(scope="module")
def cases():
    return load_teaching_cases(CASES, kb())


def _case(cases, prefix: str):
    return next(c for c in cases if c.id.startswith(prefix))


def _right(case, engine_step: str) -> Commitment:
    e = case.expected
    return Commitment((e.top_condition,), e.urgency, e.roots, engine_step)


def _tagged_copy(tmp_path: Path, tags: dict[str, dict[str, str]]) -> Path:
    """A copy of the case folder with the difficulty / setting / presentation keys added."""
    folder = tmp_path / "cases"
    shutil.copytree(CASES, folder)
    for path in folder.glob("*.yaml"):
        raw = yaml.safe_load(path.read_text())
        for key in ("difficulty", "setting", "presentation"):
            raw.pop(key, None)  # as before the case files were tagged
        raw.update(tags.get(raw["id"], {}))
        path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return folder


# --- loading and picking

def test_every_case_in_the_library_loads_and_a_missing_difficulty_reads_as_unknown(cases) -> None:
    assert len(cases) >= 25
    assert all(c.source.citation and c.summary for c in cases)
    untagged = [c for c in cases if c.difficulty is None]
    assert all(c.setting is None or c.setting for c in untagged)


def test_the_new_metadata_keys_are_read_and_filtered_on(tmp_path: Path) -> None:
    folder = _tagged_copy(tmp_path, {
        "tc06-ces-urinary-retention-without-sciatica": {"difficulty": "introductory", "setting": "emergency", "presentation": "typical"},
        "tc01-s1-disc-herniation": {"difficulty": "advanced", "setting": "primary_care", "presentation": "atypical"},
    })
    loaded = load_teaching_cases(folder, kb())
    assert sum(c.difficulty is None for c in loaded) == len(loaded) - 2, "an untagged case loads, its tags unknown"
    ces = next(c for c in loaded if c.id.startswith("tc06"))
    assert (ces.difficulty, ces.setting, ces.presentation) == ("introductory", "emergency", "typical")
    assert [c.id for c in filter_cases(loaded, setting="emergency")] == [ces.id]
    assert [c.id for c in filter_cases(loaded, difficulty="advanced", cause="lumbar_disc_herniation")] == ["tc01-s1-disc-herniation"]


def test_a_bad_metadata_value_is_an_error_naming_the_file(tmp_path: Path) -> None:
    folder = _tagged_copy(tmp_path, {"tc01-s1-disc-herniation": {"difficulty": "easy"}})
    with pytest.raises(CaseError) as err:
        load_teaching_cases(folder, kb())
    assert any("01-s1-disc-herniation" in p.where and "difficulty" in p.message for p in err.value.problems)


def test_a_seeded_pick_is_repeatable_and_respects_the_cause(cases) -> None:
    a = pick(cases, random.Random(7), cause="cauda_equina_syndrome")
    b = pick(cases, random.Random(7), cause="cauda_equina_syndrome")
    assert a is not None and a.id == b.id and "cauda_equina_syndrome" in a.causes


def test_pick_prefers_cases_not_done_and_returns_none_when_nothing_matches(cases) -> None:
    pool = filter_cases(cases, cause="cauda_equina_syndrome")
    done = [c.id for c in pool[:-1]]
    assert pick(cases, random.Random(0), cause="cauda_equina_syndrome", exclude=done).id == pool[-1].id
    assert pick(cases, random.Random(0), cause="cauda_equina_syndrome", exclude=[c.id for c in pool]) is not None
    assert pick(cases, random.Random(0), cause="no_such_condition") is None
    assert pick((), random.Random(0)) is None


# --- asking

def test_sections_cover_every_finding_once_and_come_from_the_groups() -> None:
    by = sections(kb())
    every = [f for ids in by.values() for f in ids]
    assert sorted(every) == sorted(kb().findings)
    assert set(by["red_flags"]) == set(kb().red_flag_findings) == {f for f, d in kb().findings.items() if d.group == "red_flags"}
    assert "slr" in by["examination"] and "age" in by["history"]


def test_section_progress_counts_what_was_asked_in_each_section(cases) -> None:
    by = sections(kb())
    s, _ = reveal_many(Session(_case(cases, "tc01")), [*by["examination"], "age"], kb())
    progress = section_progress(s, kb())
    assert progress["examination"] == (len(by["examination"]),) * 2
    assert progress["history"] == (1, len(by["history"])) and progress["red_flags"] == (0, len(by["red_flags"]))


def test_an_answer_is_the_case_value_or_not_recorded_and_a_repeat_is_not_counted(cases) -> None:
    s = Session(_case(cases, "tc01"))
    s, a = reveal(s, "slr", kb())
    assert (a.text, a.recorded) == ("positive", True)
    s, a = reveal(s, "fever", kb())
    assert (a.text, a.recorded) == (NOT_RECORDED, False)
    s, a = reveal(s, "smoker", kb())
    assert a.text == "no", "absent is 'no', never 'not recorded'"
    s, _ = reveal(s, "slr", kb())
    assert s.question_count == 3
    assert s.revealed() == {"slr": "positive", "smoker": False}
    assert "fever" not in s.red_flags_not_asked(kb()) and "weight_loss" in s.red_flags_not_asked(kb())


def test_an_unknown_question_is_refused(cases) -> None:
    with pytest.raises(KeyError):
        reveal(Session(_case(cases, "tc01")), "sciatic_pain", kb())


# --- scoring edge cases

def test_nothing_asked_and_a_right_answer_still_loses_the_red_flag_screen(cases) -> None:
    case = _case(cases, "tc06")
    d = debrief(Session(case), _right(case, "emergency_referral"), kb())
    screen = next(f for f in d.score.features if f.id == "red_flag_screen")
    assert screen.score == 0.0 and not d.score.killer
    assert d.score.percent == 80.0
    assert d.questions == 0 and len(d.red_flags_not_asked) == len(kb().red_flag_findings)
    assert d.changed_nothing == ()
    assert d.informative and d.informative[0].urgency_delta == 2, "the CES questions come first: they make it an emergency"
    assert d.informative[0].finding in ("bladder_dysfunction", "saddle_anaesthesia")


def test_everything_asked_and_right_scores_full_and_leaves_nothing_informative(cases) -> None:
    case = _case(cases, "tc06")
    s, _ = reveal_many(Session(case), kb().findings, kb())
    d = debrief(s, _right(case, "emergency_referral"), kb())
    assert d.score.percent == 100.0 and not d.score.killer
    assert d.informative == () and d.red_flags_not_asked == ()
    assert d.on_revealed == d.engine


def test_wrong_urgency_on_an_emergency_is_the_gravest_error_and_scores_zero(cases) -> None:
    case = _case(cases, "tc06")
    s, _ = reveal_many(Session(case), kb().findings, kb())
    for urgency in ("routine", "urgent"):
        d = debrief(s, Commitment((case.expected.top_condition,), urgency, case.expected.roots, "emergency_referral"), kb())
        assert d.score.killer and d.score.percent == 0.0
        assert d.score.gravest_error.id == "urgency" and d.score.gravest_error.error == "killer"


def test_under_triage_of_an_urgent_case_is_a_serious_error_not_a_killer(cases) -> None:
    case = next(c for c in cases if c.expected.urgency == "urgent")
    d = debrief(Session(case), Commitment((case.expected.top_condition,), "routine", case.expected.roots, None), kb())
    assert not d.score.killer and d.score.gravest_error.error == "serious" and d.score.percent > 0


def test_over_triage_costs_the_urgency_point_but_is_no_error(cases) -> None:
    case = _case(cases, "tc01")
    d = debrief(Session(case), Commitment(("lumbar_disc_herniation",), "emergency", ("S1",), None), kb())
    urgency = d.score.features[0]
    assert urgency.score == 0.0 and urgency.error is None and not d.score.killer


def test_the_diagnosis_earns_full_credit_first_half_lower_and_none_outside_the_three(cases) -> None:
    case = _case(cases, "tc01")
    def dx(differential):
        d = debrief(Session(case), Commitment(differential, "routine", ("S1",), None), kb())
        return next(f.score for f in d.score.features if f.id == "diagnosis")
    assert dx(("lumbar_disc_herniation",)) == 1.0
    assert dx(("piriformis_syndrome", "lumbar_disc_herniation")) == 0.5
    assert dx(("piriformis_syndrome",)) == 0.0


def test_naming_every_root_buys_no_credit(cases) -> None:
    case = _case(cases, "tc01")
    d = debrief(Session(case), Commitment(("lumbar_disc_herniation",), "routine", tuple(kb().roots), None), kb())
    roots = next(f for f in d.score.features if f.id == "roots")
    assert roots.score == pytest.approx(1 / len(kb().roots))


def test_more_than_three_conditions_cannot_be_committed() -> None:
    with pytest.raises(ValueError):
        Commitment(("a", "b", "c", "d"), "routine")


# --- debrief analysis

def test_a_finding_that_moves_nothing_is_reported_and_a_decisive_one_is_not(cases) -> None:
    # one STarT Back item alone scores no instrument, so no rule can read it
    base = _case(cases, "tc06")
    case = base.model_copy(update={"findings": {**base.findings, "start_back_2": True}})
    s, _ = reveal_many(Session(case), ["bladder_dysfunction", "start_back_2"], kb())
    d = debrief(s, _right(case, "emergency_referral"), kb())
    assert d.changed_nothing == ("start_back_2",)


def test_the_most_informative_question_is_ranked_by_urgency_first(cases) -> None:
    case = _case(cases, "tc06")
    s, _ = reveal(Session(case), "back_pain", kb())
    ranked = informative_not_asked(s, kb())
    deltas = [abs(i.urgency_delta) for i in ranked]
    assert deltas == sorted(deltas, reverse=True) and deltas[0] == 2


# --- progress

def test_progress_counts_missed_conditions_and_exports_csv(cases) -> None:
    ces, disc = _case(cases, "tc06"), _case(cases, "tc01")
    rows = [
        record(ces, debrief(Session(ces), Commitment(("lumbar_disc_herniation",), "routine"), kb())),
        record(disc, debrief(Session(disc), _right(disc, "physiotherapy"), kb())),
        record(ces, debrief(Session(ces), Commitment(("spinal_malignancy",), "emergency"), kb())),
    ]
    assert most_missed(rows) == [("cauda_equina_syndrome", 2)]
    lines = to_csv(rows).splitlines()
    assert lines[0].startswith("case_id,title,difficulty")
    assert len(lines) == 4 and ",True," in lines[1]


def test_when_the_case_records_no_red_flag_answer_the_whole_screen_is_the_key(cases) -> None:
    case = _case(cases, "tc01")
    assert not set(case.findings) & set(kb().red_flag_findings)
    half = kb().red_flag_findings[:5]
    s, _ = reveal_many(Session(case), half, kb())
    d = debrief(s, _right(case, "physiotherapy"), kb())
    screen = next(f for f in d.score.features if f.id == "red_flag_screen")
    assert screen.score == pytest.approx(5 / len(kb().red_flag_findings))


def test_the_teaching_core_loads_no_streamlit() -> None:
    import subprocess
    import sys

    from tests.support import ROOT

    code = (
        "import sys, engine\n"
        "from engine.knowledge.load import DEFAULT_CONTENT\n"
        "from engine.teaching.session import Session\n"
        "from engine.teaching.cases import load_teaching_cases\n"
        "from engine.teaching.debrief import debrief\n"
        "from engine.teaching.score import Commitment\n"
        "kb = engine.load_kb(); c = load_teaching_cases(DEFAULT_CONTENT / 'cases', kb)[0]\n"
        "debrief(Session(c), Commitment(('lumbar_disc_herniation',), 'routine'), kb)\n"
        "print(','.join(m for m in ('streamlit', 'plotly', 'pandas') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
