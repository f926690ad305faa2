"""The exact trace, the agenda order, and the compiled network against the tree evaluator."""

import random

import engine
from engine.tools.sampling import random_findings
from tests.support import CASES, assert_network_agrees_with_the_evaluator, kb, load_case, run


def test_the_trace_of_a_small_case_is_exactly_these_firings_in_this_order() -> None:
    res = run(slr="positive", pain_regions=["lateral_shin"], fever=True)
    assert [(f.order, f.rule, f.concludes) for f in res.trace] == [
        (1, "sign.leg_pain_below_knee", "leg_pain_below_knee"),
        (2, "sign.neural_tension", "neural_tension_sign"),
        (3, "syn.radicular_pain_below_knee", "radicular_pain"),
        (4, "syn.compression_from_tension", "nerve_root_compression_suspected"),
        (5, "syn.sciatica", "sciatica"),
        (6, "pain.neurological_radicular", "neurological_pain"),
        (7, "root.l5_pain_region", "L5"),
        (8, "root.l5_slr", "L5"),
        (9, "root.s1_slr", "S1"),
        (10, "rf.infection_fever", "infection"),
        (11, "ladder.self_management", "self_management"),
        # then the likelihood table in table order: every known row weighs the differential
        (12, "lik.radicular_pain", "differential"),
        (13, "lik.pain_below_knee", "differential"),
        (14, "lik.leg_pain", "differential"),
        (15, "lik.slr_positive", "differential"),
        (16, "lik.groin_pain", "differential"),
        (17, "lik.knee_pain", "differential"),
        (18, "lik.lateral_thigh_pain", "differential"),
        (19, "lik.buttock_pain", "differential"),
        (20, "lik.fever", "differential"),
    ]
    weights = {f.rule: f.weight for f in res.trace[11:]}
    assert weights["lik.radicular_pain"] == "present" and weights["lik.groin_pain"] == "known absent"
    assert weights["lik.pain_below_knee"].startswith("present; not counted")
    slr = res.trace[14]
    assert slr.matched == ({"op": "eq", "finding": "slr", "value": "positive", "observed": "positive",
                            "text": kb().findings["slr"].label + ": positive"},)
    groin = res.trace[15]  # a row known absent carries the recorded finding that makes it so
    assert groin.matched == ({"op": "observed", "finding": "pain_regions", "observed": ["lateral_shin"],
                              "text": "Where it hurts: lateral shin"},)
    first = res.trace[2]
    assert first.premises == ("leg_pain_below_knee", "any of: neural_tension_sign")
    assert first.sources == ("jensen2019", "vroomen2002", "seed_musecare")


def test_every_firing_carries_its_rule_premises_conclusion_and_sources() -> None:
    res = run(slr="positive", pain_regions=["lateral_shin"])
    rules = {r.id: r for r in kb().rules}
    rows = {r.id for r in kb().likelihoods}
    for f in res.to_dict()["trace"]:
        assert set(f) >= {"order", "rule", "premises", "concludes", "source", "matched"}
        assert f["concludes"] == ("differential" if f["rule"] in rows else rules[f["rule"]].then) and f["source"]


def test_the_agenda_fires_by_layer_then_priority_then_rule_id() -> None:
    from engine.knowledge.records import LAYERS

    raw, case = load_case(CASES[0])
    res = engine.infer(case, kb())
    chained = [f for f in res.trace if f.layer != "differential"]
    layers = [LAYERS.index(f.layer) for f in chained]
    assert layers == sorted(layers)
    assert [f.layer for f in res.trace[len(chained):]] == ["differential"] * (len(res.trace) - len(chained))


def test_the_compiled_network_fires_exactly_the_rules_the_three_valued_evaluator_accepts() -> None:
    rng = random.Random(7)
    for _ in range(300):
        case = engine.parse_case({"findings": random_findings(kb(), rng, p_asked=0.5)}, kb())
        assert_network_agrees_with_the_evaluator(engine.infer(case, kb()))


def test_finding_order_in_the_case_does_not_change_the_result() -> None:
    findings = {"age": 44, "slr": "positive", "pain_regions": ["lateral_shin"], "fever": False, "weakness": ["hip_abduction"]}
    forward = run(**findings).to_dict()
    backward = run(**dict(reversed(list(findings.items())))).to_dict()
    assert forward == backward
