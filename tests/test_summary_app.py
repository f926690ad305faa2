"""The summary strip, ask-next and the red-flag shortcuts, driven with Streamlit's AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import engine
from tests.support import kb, open_below, results_tab, section

APP = "../dashboard/app.py"
HIP_LIKE = {"age": 67, "worse_walking_standing": True, "pain_regions": ["groin", "anterior_thigh", "buttock"]}


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    return app


def _texts(at: AppTest, kind: str = "markdown") -> str:
    return "\n".join(str(e.value) for e in at.get(kind))


def _strip_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.key.startswith("radix.ask.0.")]


def test_the_empty_page_says_start_here_and_never_shows_an_all_clear(at: AppTest) -> None:
    assert "Start here" in _texts(at)
    assert "Urgency not known yet" in _texts(at, "info")
    assert not at.success
    assert "None yet" in _texts(at), "no cause is presented as likely before any finding"


def test_the_strip_offers_a_red_flag_question_first_with_one_click_answers(at: AppTest) -> None:
    buttons = _strip_buttons(at)
    finding = buttons[0].key.split(".")[3]
    assert finding in kb().red_flag_findings
    assert sorted(b.label for b in buttons) == ["no", "yes"]
    next(b for b in buttons if b.label == "no").click().run()
    assert at.session_state["radix.case"] == {finding: False}
    assert section(at, "Red flags").button_group(key=f"f.{finding}").value == "no", "the intake widget shows the answer"


def test_marking_the_remaining_red_flags_as_no_completes_the_screen_and_undo_restores_it(at: AppTest) -> None:
    section(at, "Red flags").button_group(key="f.fever").set_value("yes").run()
    at.button(key="radix.rf_all_no").click().run()
    case = at.session_state["radix.case"]
    assert case["fever"] is True, "an answered red flag is left as it was"
    assert all(case[f] is False for f in kb().red_flag_findings if f != "fever")
    at.button(key="radix.rf_undo").click().run()
    assert at.session_state["radix.case"] == {"fever": True}


def test_with_the_screen_complete_and_a_hip_like_case_the_strip_asks_hip_internal_rotation(at: AppTest) -> None:
    at.button(key="radix.rf_all_no").click().run()
    at.number_input(key="f.age").set_value(67)
    section(at, "Factors").button_group(key="f.worse_walking_standing").set_value("yes")
    section(at, "Map").multiselect(key="f.pain_regions").set_value(HIP_LIKE["pain_regions"])
    at.run()
    assert "Routine" in _texts(at, "success")
    assert "Examine: Hip internal rotation reproduces groin pain" in _texts(at)
    yes = next(b for b in _strip_buttons(at) if b.label == "yes")
    yes.click().run()
    case = at.session_state["radix.case"]
    assert case["hip_rotation_groin_pain"] is True
    result = engine.infer(engine.parse_findings(case, kb()), kb())
    top = max(result.differential, key=lambda d: d.score)
    strip = _texts(at)
    assert f"**{top.label}** {top.score:.0%}" in strip, "the strip shows the engine's leader and its probability"
    assert "Work-up first" in strip, "a mimic's work-up replaces the ladder step"


def test_the_ask_next_panel_lists_several_questions_each_answerable_in_place(at: AppTest) -> None:
    results_tab(at, "Ask next")
    panel = [b for b in at.button if b.key.startswith("radix.ask_panel.")]
    assert len({b.key.split(".")[2] for b in panel}) >= 5
    third = next(b for b in panel if b.key.startswith("radix.ask_panel.2.") and b.label == "yes")
    finding = third.key.split(".")[3]
    third.click().run()
    assert at.session_state["radix.case"][finding] is True


def test_a_numeric_question_is_answered_by_typing_the_number_in_the_strip(at: AppTest) -> None:
    at.button(key="radix.rf_all_no").click().run()
    for _ in range(6):  # answer the strip until it asks for a number
        numbers = [n for n in at.number_input if n.key.startswith("radix.ask.0.")]
        if numbers:
            break
        next(b for b in at.button if b.key.startswith("radix.ask.0.")).click().run()
    assert numbers, "a number (age or duration) is asked within a few answers"
    finding = numbers[0].key.split(".")[3]
    numbers[0].set_value(31).run()
    assert at.session_state["radix.case"][finding] == 31


DISC = {"age": 45, "leg_pain_worse_than_back": True, "slr": "positive",
        "pain_regions": ["buttock", "posterior_thigh", "lateral_shin", "dorsum_foot_big_toe"]}


def _enter_disc(at: AppTest) -> None:
    at.number_input(key="f.age").set_value(45)
    at.button_group(key="f.leg_pain_worse_than_back").set_value("yes")
    section(at, "Map").multiselect(key="f.pain_regions").set_value(DISC["pain_regions"])
    section(at, "Exam").selectbox(key="f.slr").set_value("positive")
    open_below(at)


def test_the_readable_trace_shows_one_conclusions_chain_with_signed_weights_in_words(at: AppTest) -> None:
    _enter_disc(at)
    result = engine.infer(engine.parse_findings(at.session_state["radix.case"], kb()), kb())
    top = max(result.differential, key=lambda d: d.score)
    assert at.selectbox(key="radix.trace_target").value == top.id
    chain = _texts(at)
    assert ":green[**+**] Straight-leg raise" in chain and "strong for (×" in chain
    assert "lik.slr_positive" not in chain, "labels, never ids, in the chain"
    at.selectbox(key="radix.trace_target").set_value("radicular_pain").run()
    chain = _texts(at)
    assert "→ " + kb().label("radicular_pain") in chain and "because" in chain


def test_why_not_defaults_to_the_runner_up_and_shows_no_repeated_boilerplate(at: AppTest) -> None:
    _enter_disc(at)
    results_tab(at, "Explain")
    result = engine.infer(engine.parse_findings(at.session_state["radix.case"], kb()), kb())
    ranked = sorted(result.differential, key=lambda d: -d.score)
    assert at.selectbox(key="radix.why_not").value == ranked[1].id
    assert "could still fire" not in _texts(at)


def test_the_ladder_lists_only_this_steps_do_not_offer_positions_with_guidelines_first(at: AppTest) -> None:
    _enter_disc(at)
    at.session_state["radix.ladder.disputed"] = True  # a lazy expander: its list is built only when open
    at.run()
    label = next(e.label for e in at.expander if e.label.startswith("Do not offer"))
    shown, total = (int(n) for n in label.split("(")[1].rstrip(")").split(" of "))
    assert 0 < shown < total, "only the positions that matter at this step and the next"
    disputed = next(e for e in at.expander if e.label.startswith("Where sources disagree"))
    lines = [m.value for m in disputed.markdown if m.value.startswith("- ")]
    ranks = [0 if "guideline]" in line else 2 if "patient education" in line else 1 for line in lines]
    assert lines and any(r == 0 for r in ranks)
    treatment_lines: list[list[int]] = []
    for m in disputed.markdown:
        if m.value.startswith("**"):
            treatment_lines.append([])
        elif m.value.startswith("- "):
            treatment_lines[-1].append(0 if "guideline]" in m.value else 2 if "patient education" in m.value else 1)
    assert all(r == sorted(r) for r in treatment_lines), "guidelines above papers above patient-education pages"


def test_the_red_flag_section_has_the_same_shortcut_and_undo(at: AppTest) -> None:
    section(at, "Red flags").button(key="radix.rf_all_no_intake").click().run()
    assert all(at.session_state["radix.case"][f] is False for f in kb().red_flag_findings)
    assert at.button_group(key="f.fever").value == "no"
    at.button(key="radix.rf_undo_intake").click().run()
    assert at.session_state["radix.case"] == {}
