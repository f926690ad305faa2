"""The consultation dashboard driven through its widgets with Streamlit's AppTest."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

import engine
from tests.support import ROOT, differential_rows, kb, open_below, results_tab, section

APP = "../dashboard/app.py"
DISC_CASE = {
    "age": 45,
    "leg_pain_worse_than_back": True,
    "pain_regions": ["buttock", "posterior_thigh", "lateral_shin", "dorsum_foot_big_toe"],
    "slr": "positive",
    "weakness": ["great_toe_extension"],
}


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    assert not app.exception
    return app


def _enter_disc_case(at: AppTest) -> None:
    at.number_input(key="f.age").set_value(45)
    at.button_group(key="f.leg_pain_worse_than_back").set_value("yes")
    section(at, "Map")
    at.multiselect(key="f.pain_regions").set_value(DISC_CASE["pain_regions"])
    section(at, "Exam")
    at.selectbox(key="f.slr").set_value("positive")
    at.multiselect(key="f.weakness").set_value(["great_toe_extension"])
    open_below(at)


def _texts(at: AppTest, kind: str) -> str:
    return "\n".join(str(e.value) for e in at.get(kind))


def _ladder_label(findings: dict) -> str:
    result = engine.infer(engine.parse_findings(findings, kb()), kb())
    return f"Step {result.ladder.order}: {result.ladder.label}"


def test_a_disc_case_entered_through_the_widgets_ranks_disc_herniation_first(at: AppTest) -> None:
    _enter_disc_case(at)
    assert at.session_state["radix.case"] == DISC_CASE
    top = at.expander[0].label
    assert top.startswith("1. " + kb().conditions["lumbar_disc_herniation"].label + " — ")
    assert _ladder_label(DISC_CASE) in _texts(at, "markdown")
    assert "Specialist referral" in _texts(at, "markdown")
    # weakness whose course was not asked is at least urgent, and the question is raised
    assert kb().red_flags["motor_deficit_course_unknown"].label in _texts(at, "warning")
    assert not at.success, "an incomplete red-flag screen is never shown as an all-clear"


def test_the_trace_table_lists_every_firing_in_firing_order(at: AppTest) -> None:
    _enter_disc_case(at)
    assert not any("conclusion" in e.value.columns for e in at.dataframe), "the full trace waits to be asked for"
    at.toggle(key="radix.trace_full").set_value(True).run()
    tree = "".join(str(h.proto.body) for h in at.get("html"))
    assert kb().label("radicular_pain") in tree and "radix-tree" in tree, "the whole trace as an indented tree"
    at.toggle(key="radix.trace_graph").set_value(True).run()
    trace = next(e.value for e in at.dataframe if "conclusion" in e.value.columns)
    assert list(trace["order"]) == sorted(trace["order"])
    assert {"syn.radicular_pain_below_knee", "lik.slr_positive", "lik.radicular_pain"} <= set(trace["rule"])


def test_the_differential_chart_shows_the_engines_ranking(at: AppTest) -> None:
    _enter_disc_case(at)
    charts = [str(h.proto.body) for h in at.get("html") if "radix-diff" in str(h.proto.body)]
    assert len(charts) == 1, "one differential bar chart is drawn"
    rows = differential_rows(charts[0])
    result = engine.infer(engine.parse_findings(DISC_CASE, kb()), kb())
    assert [r["data-condition"] for r in rows] == [d.id for d in result.differential[:10]]
    assert rows[0]["data-condition"] == "lumbar_disc_herniation"


def test_the_ladder_and_the_trace_are_folded_and_stay_open_once_opened_as_the_case_changes(at: AppTest) -> None:
    at.number_input(key="f.age").set_value(45)
    at.button_group(key="f.leg_pain_worse_than_back").set_value("yes")
    at.run()
    assert [e.label.split(" — ")[0] for e in at.expander][-2:] == ["**Treatment ladder**", "**Reasoning trace**"]
    assert not [c for c in at.get("plotly_chart") if '"kind":"step"' in str(c.proto.spec)], "a folded ladder is not sent"
    assert "radix.trace_target" not in [s.key for s in at.selectbox], "nor is a folded trace"
    open_below(at)
    assert [c for c in at.get("plotly_chart") if '"kind":"step"' in str(c.proto.spec)]
    assert at.selectbox(key="radix.trace_target").value
    section(at, "Red flags").button_group(key="f.bladder_dysfunction").set_value("yes").run()  # the step changes
    assert f"Off the ladder — {kb().ladder['emergency_referral'].label}" in _texts(at, "error"), "still open"
    assert at.selectbox(key="radix.trace_target").value


def test_bladder_dysfunction_raises_the_emergency_banner_and_emergency_referral(at: AppTest) -> None:
    _enter_disc_case(at)
    section(at, "Red flags").button_group(key="f.bladder_dysfunction").set_value("yes").run()
    banner = at.error[0].value
    assert "EMERGENCY" in banner
    assert kb().red_flags["cauda_equina"].label in banner
    assert "rf." in banner, "the banner names the rule that raised it"
    assert f"Off the ladder — {kb().ladder['emergency_referral'].label}" in _texts(at, "error")
    assert f"Step {kb().ladder['emergency_referral'].order}:" not in _texts(at, "markdown"), "an emergency is not a ladder step"
    assert not at.success


def test_with_nothing_entered_the_banner_says_the_red_flag_screen_is_not_done(at: AppTest) -> None:
    assert "Red-flag screen not done" in at.info[0].value
    assert not at.success, "no green all-clear before the red-flag screen"


def test_a_partly_asked_red_flag_screen_names_the_questions_still_unasked(at: AppTest) -> None:
    section(at, "Red flags").button_group(key="f.fever").set_value("no").run()
    text = _texts(at, "warning")
    unasked = [f for f in kb().findings.values() if f.group == "red_flags" and f.id != "fever"]
    assert f"{len(unasked)} red-flag questions not asked" in text
    assert kb().findings["bladder_dysfunction"].label in text


def test_numbers_and_sets_stay_unknown_until_entered_and_an_empty_set_means_none(at: AppTest) -> None:
    assert at.session_state["radix.case"] == {}
    assert at.number_input(key="f.age").value is None, "an empty box, not a plausible default"
    assert "not asked" in at.number_input(key="f.age").placeholder
    assert not [c for c in at.checkbox if c.key.endswith(".recorded")], "no separate 'recorded' tick"
    at.number_input(key="f.pain_intensity").set_value(6).run()
    assert at.session_state["radix.case"] == {"pain_intensity": 6}
    section(at, "Exam").checkbox(key="f.weakness.unknown").uncheck().run()
    assert at.session_state["radix.case"] == {"pain_intensity": 6, "weakness": []}
    section(at, "Red flags").button_group(key="f.fever").set_value("no").run()
    assert at.session_state["radix.case"]["fever"] is False


def test_a_short_history_in_days_is_stored_in_weeks_and_shown_again_in_days(at: AppTest) -> None:
    at.number_input(key="f.duration_weeks").set_value(4)
    at.segmented_control(key="f.duration_weeks.unit").set_value("days").run()
    assert at.session_state["radix.case"]["duration_weeks"] == pytest.approx(4 / 7, abs=0.001)
    section(at, "Exam")
    section(at, "History")
    assert at.number_input(key="f.duration_weeks").value == 4
    assert at.segmented_control(key="f.duration_weeks.unit").value == "days"
    at.segmented_control(key="f.duration_weeks.unit").set_value("weeks").run()
    assert at.session_state["radix.case"]["duration_weeks"] == 4


def test_a_number_out_of_range_says_why_is_not_used_and_is_not_lost(at: AppTest) -> None:
    at.number_input(key="f.age").set_value(150).run()
    assert "age" not in at.session_state["radix.case"]
    assert "150 is outside 0-120" in _texts(at, "error")
    section(at, "Exam")
    section(at, "History")
    assert at.number_input(key="f.age").value == 150, "what was typed is still there to correct"
    at.number_input(key="f.age").set_value(51).run()
    assert at.session_state["radix.case"]["age"] == 51 and "outside" not in _texts(at, "error")


def test_a_duration_over_twenty_years_in_days_is_refused_with_its_unit(at: AppTest) -> None:
    at.number_input(key="f.duration_weeks").set_value(8000)
    at.segmented_control(key="f.duration_weeks.unit").set_value("days").run()
    assert "duration_weeks" not in at.session_state["radix.case"]
    assert "8000 days is outside 0-1040 weeks" in _texts(at, "error")


def test_no_teaching_case_is_preselected_and_load_waits_for_a_choice(at: AppTest) -> None:
    assert at.selectbox(key="radix.example").value is None
    assert at.button(key="radix.load_example").disabled


def test_loading_a_teaching_case_fills_the_widgets_with_its_findings(at: AppTest) -> None:
    at.selectbox(key="radix.example").set_value("tc01-s1-disc-herniation").run()
    at.button(key="radix.load_example").click().run()
    assert "Loaded teaching case" in at.info[0].value
    assert at.number_input(key="f.age").value == 26
    assert at.selectbox(key="f.sex").value == "female"
    assert section(at, "Map").multiselect(key="f.pain_regions").value == [
        "buttock", "posterior_thigh", "posterior_calf", "lateral_foot_little_toe"]
    assert section(at, "Exam").selectbox(key="f.slr").value == "positive"
    assert at.multiselect(key="f.weakness").value == [] and not at.checkbox(key="f.weakness.unknown").value
    assert section(at, "Risks & Rx").button_group(key="f.smoker").value == "no"
    assert section(at, "Red flags").button_group(key="f.fever").value == "not asked"


def test_a_bad_import_names_each_problem_and_keeps_the_case(at: AppTest) -> None:
    _enter_disc_case(at)
    at.text_area(key="radix.paste").set_value('{"findings": {"slr": "postive", "sciatic_pain": true, "age": 45}}')
    at.button(key="radix.import_paste").click().run()
    assert "current case was kept" in at.error[0].value
    message = at.code[0].value
    assert "slr: invalid value" in message and "postive" in message and "positive" in message
    assert "sciatic_pain: unknown finding id" in message
    assert "did you mean" in message
    assert at.session_state["radix.case"] == DISC_CASE
    assert at.multiselect(key="f.weakness").value == ["great_toe_extension"]


def test_a_good_import_replaces_the_case(at: AppTest) -> None:
    _enter_disc_case(at)
    at.text_area(key="radix.paste").set_value("id: pasted\nfindings:\n  age: 70\n  walking_distance_limited: true\n")
    at.button(key="radix.import_paste").click().run()
    assert at.session_state["radix.case"] == {"age": 70, "walking_distance_limited": True}
    assert section(at, "History").number_input(key="f.age").value == 70
    assert section(at, "Map").multiselect(key="f.pain_regions").value == [] and at.checkbox(key="f.pain_regions.unknown").value


def test_a_page_switch_to_the_knowledge_base_and_back_keeps_the_case(at: AppTest) -> None:
    _enter_disc_case(at)
    at.switch_page("views/knowledge_base.py").run()
    assert not at.exception
    assert "Knowledge base" in [t.value for t in at.title]
    at.switch_page("views/consultation.py").run()
    assert at.session_state["radix.case"] == DISC_CASE
    assert section(at, "Exam").selectbox(key="f.slr").value == "positive"
    assert section(at, "History").number_input(key="f.age").value == 45


def test_the_knowledge_base_shows_each_base_rate_beside_the_prior_the_differential_starts_from(at: AppTest) -> None:
    at.switch_page("views/knowledge_base.py").run()
    assert not at.exception
    table = next(f.value for f in at.dataframe if "base rate" in f.value.columns)
    disc = table[table["condition"] == kb().conditions["lumbar_disc_herniation"].label].iloc[0]
    empty = engine.infer(engine.parse_case({"findings": {}}, kb()), kb())
    assert disc["base rate"] == "0.15"
    assert table[table["condition"] == kb().conditions["arachnoiditis"].label].iloc[0]["base rate"] == "0.002 (band: very_rare)"
    assert disc["prior"] == pytest.approx(next(d.prior for d in empty.differential if d.id == "lumbar_disc_herniation"), abs=1e-4)
    assert disc["prior"] < 0.15, "the prior keeps half the base rate's log-odds: the disc, above the average cause, comes down"


def test_the_likelihood_table_shows_the_ratios_the_differential_weighs(at: AppTest) -> None:
    at.switch_page("views/knowledge_base.py").run()
    assert not at.exception
    table = next(f.value for f in at.dataframe if "ratio if present" in f.value.columns)  # the first cause's rows
    cause = at.selectbox(key="radix.kb.lik_cause").value
    res = engine.infer(engine.parse_case({"findings": {"back_pain": True}}, kb()), kb())
    weighed = next(e for e in next(d for d in res.differential if d.id == cause).evidence if e.row == "lik.back_pain")
    row = table[table["finding"] == next(r for r in kb().likelihoods if r.id == "lik.back_pain").label].iloc[0]
    assert row["ratio if present"] == pytest.approx(10 ** weighed.contribution, abs=0.006)
    stated = row[f"P(present | {cause})"] / row["P(present | non-specific)"]
    assert row["ratio if present"] != pytest.approx(stated, abs=0.006), "a stated estimate is weighed with its atypical share"


def test_a_body_map_click_toggles_a_region_once_and_a_second_click_unmarks_it(at: AppTest) -> None:
    def click(region: str) -> None:
        chart = f"radix.map.{at.session_state['radix.map_clicks']}"
        at.session_state[chart] = {"selection": {"points": [{"customdata": region}], "point_indices": [0]}}
        at.run()

    section(at, "Map")
    click("lateral_shin")
    assert at.multiselect(key="f.pain_regions").value == ["lateral_shin"]
    at.run()  # a plain rerun must not toggle it again
    assert at.session_state["radix.case"]["pain_regions"] == ["lateral_shin"]
    at.radio(key="radix.map_mode").set_value("numbness").run()
    click("lateral_shin")
    assert at.session_state["radix.case"]["numbness_regions"] == ["lateral_shin"]
    at.radio(key="radix.map_mode").set_value("pain").run()
    click("lateral_shin")
    assert at.session_state["radix.case"]["pain_regions"] == []


def _click_map(at: AppTest, place: str) -> None:
    chart = f"radix.map.{at.session_state['radix.map_clicks']}"
    at.session_state[chart] = {"selection": {"points": [{"customdata": place}], "point_indices": [0]}}
    at.run()


def test_a_click_on_the_left_shin_marks_the_left_leg_and_derives_the_side(at: AppTest) -> None:
    section(at, "Map")
    _click_map(at, "left_lateral_shin")
    case = at.session_state["radix.case"]
    assert case["pain_regions"] == ["lateral_shin"] and case["pain_sides"] == ["left_lateral_shin"]
    assert case["laterality"] == "left", "the side of the leg symptoms comes from the map"
    assert "from the map" in _texts(at, "caption")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    intake_map = next(s for s in specs if any((t.get("meta") or {}).get("kind") == "click" for t in s["data"]))
    pain = [t["meta"] for t in intake_map["data"] if (t.get("meta") or {}).get("kind") == "pain"]
    assert pain == [{"kind": "pain", "region": "lateral_shin", "sides": ["left"]}], "drawn on the left leg only"
    _click_map(at, "right_posterior_calf")
    assert at.session_state["radix.case"]["laterality"] == "bilateral"
    _click_map(at, "right_posterior_calf")
    _click_map(at, "left_lateral_shin")
    case = at.session_state["radix.case"]
    assert "pain_regions" not in case or case["pain_regions"] == []
    assert "laterality" not in case and "pain_sides" not in case, "unmarking both undoes the derived side"


def test_a_side_the_clinician_chose_is_not_overwritten_by_the_map(at: AppTest) -> None:
    at.selectbox(key="f.laterality").set_value("alternating").run()
    section(at, "Map")
    _click_map(at, "right_lateral_thigh")
    assert at.session_state["radix.case"]["laterality"] == "alternating"
    assert "different side" in _texts(at, "caption")


def test_a_region_removed_in_the_list_loses_its_side(at: AppTest) -> None:
    section(at, "Map")
    _click_map(at, "left_buttock")
    at.multiselect(key="f.pain_regions").set_value([]).run()
    case = at.session_state["radix.case"]
    assert "pain_sides" not in case and "laterality" not in case


def test_reset_makes_every_finding_not_asked(at: AppTest) -> None:
    _enter_disc_case(at)
    at.button(key="radix.reset").click().run()
    assert at.session_state["radix.case"] == {}
    assert at.selectbox(key="f.slr").value == "not asked"
    assert section(at, "History").number_input(key="f.age").value is None


def test_the_explanations_answer_why_why_not_and_what_if(at: AppTest) -> None:
    _enter_disc_case(at)
    results_tab(at, "Explain")
    markdown = _texts(at, "markdown")
    assert "Why " + kb().conditions["lumbar_disc_herniation"].label in markdown
    at.selectbox(key="radix.why_not").set_value("cauda_equina").run()
    markdown = _texts(at, "markdown")
    assert "?" in markdown and "ask:" in markdown
    assert "→ urgency **emergency**" in markdown, "what would change the picture, in words"
    at.toggle(key="radix.what_if_all").set_value(True).run()
    frames = [e.value for e in at.dataframe]
    assert any("then" in f.columns and f["then"].str.contains("urgency").any() for f in frames)


def test_the_instruments_say_which_items_they_need(at: AppTest) -> None:
    results_tab(at, "Instruments")
    captions = _texts(at, "caption")
    assert "Not scored — needs items:" in captions
    assert "decision support, not a diagnosis" in captions.lower()


def test_the_about_page_says_what_the_tool_is_not(at: AppTest) -> None:
    at.switch_page("views/about.py").run()
    text = _texts(at, "markdown") + _texts(at, "info")
    assert "not a diagnosis" in text
    assert kb().scoring.explanation[:40] in text


def test_the_about_page_shows_how_radix_does_on_published_cases_it_was_not_tuned_on(at: AppTest) -> None:
    at.switch_page("views/about.py").run()
    assert not at.exception
    table = next(f.value for f in at.dataframe if "right cause first" in f.value.columns)
    sets = (("Held-out, first set", "holdout"), ("Held-out, second set", "holdout2"), ("Held-out, third set", "holdout3"),
            ("Held-out, fourth set", "holdout4"), ("Held-out, fifth set", "holdout5"),
            ("Held-out, sixth set", "holdout6"), ("Held-out, seventh set", "holdout7"),
            ("Held-out, eighth set", "holdout8"), ("Held-out, ninth set", "holdout9"),
            ("Held-out, tenth set", "holdout10"),
            ("Guideline-written presentations", "textbook"))
    assert list(table["cases"]) == [label for label, _ in sets] + ["Teaching cases (tuned against)"]
    # the figures are the engine's own measurement of each folder, not numbers written into the page
    for label, folder in sets:
        fig = engine.validity_figures(engine.evaluate_cases(ROOT / "benchmarks" / folder, kb()))
        row = table[table["cases"] == label].iloc[0]
        assert row["n"] == fig.cases and row["right cause first"].startswith(f"{fig.first}/{fig.cases} ")
        assert row["emergencies called"] == f"{fig.emergencies_called}/{fig.emergencies}"
        assert row["under-triaged"] == fig.under_triaged
    assert "is not reached" in _texts(at, "caption")
    # pooled by presentation: the engine's own outcomes, grouped by the case files' `presentation`
    kinds = next(f.value for f in at.dataframe if "typical reports" in list(f.value["cases"]))
    pooled = [o for _, folder in sets if folder.startswith("holdout")
              for o in engine.evaluate_cases(ROOT / "benchmarks" / folder, kb())]
    assert list(kinds["cases"]) == ["typical reports", "atypical reports", "sparse reports"]
    for kind in ("typical", "atypical", "sparse"):
        fig = engine.validity_figures([o for o in pooled if o.presentation == kind])
        row = kinds[kinds["cases"] == f"{kind} reports"].iloc[0]
        assert row["n"] == fig.cases and row["in the top three"].startswith(f"{fig.top_three}/{fig.cases} ")
        assert row["right cause first"].startswith(f"{fig.first}/{fig.cases} ")
