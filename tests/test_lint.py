"""The content linter catches each kind of error, on small broken copies of content/."""

import shutil
from pathlib import Path

import pytest
import yaml

import engine
from engine.errors import ContentError
from tests.support import ROOT


@pytest.fixture
def content(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(ROOT / "content", dest)
    return dest


def _append_rule(content: Path, rule: dict) -> None:
    path = content / "rules" / "99_broken.yaml"
    rules = yaml.safe_load(path.read_text()) if path.exists() else []
    path.write_text(yaml.safe_dump(rules + [rule]))


def _problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        engine.check_content(content)
    return [str(p) for p in info.value.problems]


BASE = {"description": "broken", "layer": "sign", "then": "motor_deficit", "sources": ["gck"]}


def test_the_real_content_is_clean() -> None:
    assert engine.check_content().rules


def test_an_unknown_finding_and_a_bad_vocabulary_value_are_named_with_the_rule_id(content: Path) -> None:
    _append_rule(content, {**BASE, "id": "x.bad_finding", "when": [{"op": "is", "finding": "fevr", "value": True}]})
    _append_rule(content, {**BASE, "id": "x.bad_word", "when": [{"op": "has", "finding": "pain_regions", "value": "calf"}]})
    found = _problems(content)
    assert any("x.bad_finding" in p and "unknown finding 'fevr'" in p for p in found)
    assert any("x.bad_word" in p and "'calf' is not in the region vocabulary" in p for p in found)


def test_an_operator_that_does_not_fit_the_finding_type_is_caught(content: Path) -> None:
    _append_rule(content, {**BASE, "id": "x.bad_op", "when": [{"op": "ge", "finding": "fever", "value": 1}]})
    assert any("x.bad_op" in p and "does not fit bool" in p for p in _problems(content))


def test_unknown_sources_facts_and_dangling_conclusions_are_caught(content: Path) -> None:
    _append_rule(content, {**BASE, "id": "x.bad_source", "sources": ["nobody2099"], "when": [{"op": "is", "finding": "fever", "value": True}]})
    _append_rule(content, {**BASE, "id": "x.bad_fact", "when": [{"op": "fact", "fact": "unicorn"}]})
    _append_rule(content, {**BASE, "id": "x.bad_then", "then": "unicorn", "when": [{"op": "is", "finding": "fever", "value": True}]})
    found = _problems(content)
    assert any("x.bad_source" in p and "unknown source 'nobody2099'" in p for p in found)
    assert any("x.bad_fact" in p and "unknown fact 'unicorn'" in p for p in found)
    assert any("x.bad_then" in p and "undeclared fact 'unicorn'" in p for p in found)


def test_a_rule_whose_tests_contradict_each_other_can_never_fire(content: Path) -> None:
    _append_rule(content, {**BASE, "id": "x.never", "when": [{"op": "ge", "finding": "age", "value": 70}, {"op": "lt", "finding": "age", "value": 60}]})
    assert any("x.never" in p and "can never fire" in p for p in _problems(content))


def test_a_rule_reading_a_fact_no_rule_concludes_can_never_fire(content: Path) -> None:
    facts = yaml.safe_load((content / "facts.yaml").read_text())
    facts.append({"id": "orphan_sign", "label": "Orphan", "kind": "sign", "description": "never concluded", "sources": ["gck"]})
    (content / "facts.yaml").write_text(yaml.safe_dump(facts))
    _append_rule(content, {**BASE, "id": "x.orphan", "when": [{"op": "fact", "fact": "orphan_sign"}]})
    found = _problems(content)
    assert any("x.orphan" in p and "no rule concludes 'orphan_sign'" in p for p in found)
    assert any("orphan_sign" in p and "no rule concludes it" in p for p in found)


def test_not_over_a_derived_fact_and_a_later_layer_are_rejected(content: Path) -> None:
    _append_rule(content, {**BASE, "id": "x.not_fact", "when": [{"op": "not", "of": {"op": "fact", "fact": "sciatica"}}]})
    _append_rule(content, {"id": "x.layer", "description": "reads a cause from a sign", "layer": "sign", "then": "motor_deficit",
                           "sources": ["gck"], "when": [{"op": "fact", "fact": "lumbar_disc_herniation"}]})
    found = _problems(content)
    assert any("x.not_fact" in p and "monotone" in p for p in found)
    assert any("x.layer" in p and "later layer" in p for p in found)


def test_a_cycle_between_derived_facts_is_reported(content: Path) -> None:
    _append_rule(content, {"id": "x.cycle_a", "description": "a", "layer": "sign", "then": "motor_deficit", "sources": ["gck"],
                           "when": [{"op": "fact", "fact": "reflex_deficit"}]})
    _append_rule(content, {"id": "x.cycle_b", "description": "b", "layer": "sign", "then": "reflex_deficit", "sources": ["gck"],
                           "when": [{"op": "fact", "fact": "motor_deficit"}]})
    assert any("cycle" in p and "motor_deficit" in p for p in _problems(content))


def test_a_source_that_nothing_cites_is_reported(content: Path) -> None:
    with (content / "sources.yaml").open("a") as fh:
        fh.write('\n- {id: lonely2020, citation: "Nobody cites me.", kind: paper}\n')
    assert any("lonely2020" in p and "cites this source" in p for p in _problems(content))


def test_schema_errors_duplicates_and_weights_are_reported_together(content: Path) -> None:
    _append_rule(content, {**BASE, "id": "x.dup", "when": []})
    _append_rule(content, {**BASE, "id": "x.dup", "when": []})
    _append_rule(content, {**BASE, "id": "x.typo", "when": [], "lr": 2.0, "suport": "weak"})
    _append_rule(content, {**BASE, "id": "x.unweighted", "layer": "root", "then": "L5", "support": None,
                           "when": [{"op": "is", "finding": "fever", "value": True}]})
    found = _problems(content)
    assert any("99_broken.yaml: x.dup" in p and "duplicate" in p for p in found)
    assert any("x.typo" in p and "suport" in p for p in found)
    assert any("x.unweighted" in p and "need a certainty factor" in p for p in found)


def test_a_rule_may_not_conclude_a_cause_the_likelihood_table_weighs_causes(content: Path) -> None:
    _append_rule(content, {**BASE, "id": "x.cause", "layer": "cause", "then": "lumbar_disc_herniation",
                           "when": [{"op": "is", "finding": "fever", "value": True}]})
    assert any("x.cause" in p and "weighed by likelihoods.yaml" in p for p in _problems(content))


def _edit_rows(content: Path, edit) -> None:  # noqa: ANN001 - a small test helper
    path = content / "likelihoods.yaml"
    data = yaml.safe_load(path.read_text())
    edit(data["rows"])
    path.write_text(yaml.safe_dump(data))


def test_likelihood_rows_with_unknown_causes_or_impossible_probabilities_are_named(content: Path) -> None:
    def edit(rows: list) -> None:
        rows[0]["p"]["lumbago"] = 0.5
        rows[1]["p"]["lumbar_spinal_stenosis"] = 1.5
        rows[2]["default"] = 0

    _edit_rows(content, edit)
    found = _problems(content)
    assert any("lik.vascular_claudication" in p and "unknown cause 'lumbago'" in p for p in found)
    assert any("lik.neurogenic_claudication" in p and "strictly between 0 and 1" in p for p in found)
    assert any("default" in p and "greater than 0" in p for p in found)


def test_a_cause_whose_typical_presentation_cannot_put_it_first_is_unreachable(content: Path) -> None:
    def edit(rows: list) -> None:  # strip meralgia of every characteristic cell
        for row in rows:
            row["p"].pop("meralgia_paresthetica", None)
            row.get("published", []) and row.__setitem__("published", [c for c in row["published"] if c != "meralgia_paresthetica"])

    _edit_rows(content, edit)
    found = _problems(content)
    assert any("meralgia_paresthetica" in p and "likelihood rows describe it" in p for p in found)


def test_reachability_names_the_cause_that_wins_instead(content: Path) -> None:
    conditions = yaml.safe_load((content / "conditions.yaml").read_text())
    hip = next(c for c in conditions if c["id"] == "hip_osteoarthritis")
    hip["typical"] = {"age": 30, "back_pain": True, "pain_regions": ["lower_back", "lateral_shin"], "slr": "positive"}
    (content / "conditions.yaml").write_text(yaml.safe_dump(conditions))
    found = _problems(content)
    assert any("hip_osteoarthritis.typical" in p and "ranks lumbar_disc_herniation first" in p for p in found)


def test_a_broken_teaching_case_is_reported_with_its_file(content: Path) -> None:
    (content / "cases" / "99-broken.yaml").write_text("id: broken\nfindings: {slr: maybe}\nexpected: {top_condition: lumbago, urgency: routine, roots: []}\n")
    found = _problems(content)
    assert any("99-broken.yaml" in p and "slr" in p for p in found)


def test_the_cli_lint_exits_non_zero_on_broken_content(content: Path) -> None:
    from engine.tools.cli import main

    _append_rule(content, {**BASE, "id": "x.cli", "when": [{"op": "is", "finding": "fevr", "value": True}]})
    assert main(["--content", str(content), "lint"]) == 1
    assert main(["lint"]) == 0


@pytest.mark.parametrize(("edit", "expected"), [
    (("prior_bands", "common", 1.5), "strictly between 0 and 1"),
    (("estimate_cap", None, float("inf")), "finite"),
    (("estimate_cap", None, 0.5), "greater than 1"),
    (("root_certainty_factors", "strong", 1.7), "certainty factors lie in [0, 1]"),
])
def test_every_scoring_parameter_is_checked_for_its_range(content: Path, edit: tuple, expected: str) -> None:
    path = content / "scoring.yaml"
    data = yaml.safe_load(path.read_text())
    key, sub, value = edit
    if sub is None:
        data[key] = value
    else:
        data[key][sub] = value
    path.write_text(yaml.safe_dump(data))
    found = _problems(content)
    assert any("scoring.yaml" in p and expected in p for p in found), found


def test_a_likelihood_cell_below_the_findings_background_rate_is_refused(content: Path) -> None:
    """A finding common in everyone (back pain) occurs beside any cause by chance: no cell may be rarer."""
    path = content / "likelihoods.yaml"
    data = yaml.safe_load(path.read_text())
    row = next(r for r in data["rows"] if r["id"] == "lik.back_pain")
    row["p"]["meralgia_paresthetica"] = 0.1
    path.write_text(yaml.safe_dump(data))
    found = _problems(content)
    assert any("lik.back_pain" in p and "background" in p and "meralgia_paresthetica" in p for p in found), found


def test_a_red_flag_may_pin_only_a_serious_cause_or_one_that_can_produce_one(content: Path) -> None:
    flags = yaml.safe_load((content / "red_flags.yaml").read_text())
    flags[0]["suggests"] = ["piriformis_syndrome", "arachnoiditis"]
    (content / "red_flags.yaml").write_text(yaml.safe_dump(flags))
    found = [p for p in _problems(content) if "neither serious" in p]
    assert len(found) == 1 and "'piriformis_syndrome'" in found[0], found


def test_a_red_flag_or_a_cause_naming_an_unknown_condition_is_a_problem(content: Path) -> None:
    flags = yaml.safe_load((content / "red_flags.yaml").read_text())
    flags[0]["suggests"] = ["cauda_equina_syndrom"]
    (content / "red_flags.yaml").write_text(yaml.safe_dump(flags))
    text = (content / "conditions.yaml").read_text().replace("can_cause: [cauda_equina_syndrome]", "can_cause: [cauda_equine]", 1)
    (content / "conditions.yaml").write_text(text)
    found = _problems(content)
    assert any("suggests unknown condition 'cauda_equina_syndrom'" in p for p in found), found
    assert any("can_cause names unknown condition 'cauda_equine'" in p for p in found), found
