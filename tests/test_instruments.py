"""STarT Back (Hill 2008) and Konno (Konno 2007) against worked examples and cut-offs."""

import pytest

from engine.reasoning.instruments import score_instrument
from tests.support import kb, run

AGREE = {f"start_back_{i}": True for i in range(1, 9)}
DISAGREE = {f"start_back_{i}": False for i in range(1, 9)}


def start_back(**items: object):
    return score_instrument(kb().instruments["start_back"], items)


def test_start_back_all_agree_and_extremely_bothersome_scores_nine_high_risk() -> None:
    res = start_back(**AGREE, start_back_9="extremely")
    assert (res.total, res.subscales["psychosocial"], res.band) == (9, 5, "high")


def test_start_back_total_three_is_low_risk_whatever_the_subscale() -> None:
    items = {**DISAGREE, "start_back_5": True, "start_back_6": True}
    res = start_back(**items, start_back_9="very_much")
    assert (res.total, res.subscales["psychosocial"], res.band) == (3, 3, "low")


def test_start_back_total_four_with_subscale_three_is_medium_risk() -> None:
    items = {**DISAGREE, "start_back_1": True, "start_back_5": True, "start_back_6": True, "start_back_7": True}
    res = start_back(**items, start_back_9="slightly")
    assert (res.total, res.subscales["psychosocial"], res.band) == (4, 3, "medium")


def test_start_back_subscale_four_is_high_risk() -> None:
    items = {**DISAGREE, "start_back_5": True, "start_back_6": True, "start_back_7": True}
    res = start_back(**items, start_back_9="very_much")
    assert (res.total, res.subscales["psychosocial"], res.band) == (4, 4, "high")


@pytest.mark.parametrize(("answer", "points"), [("not_at_all", 0), ("slightly", 0), ("moderately", 0), ("very_much", 1), ("extremely", 1)])
def test_start_back_item_nine_scores_only_very_much_or_extremely(answer: str, points: int) -> None:
    assert start_back(**DISAGREE, start_back_9=answer).total == points


def test_start_back_is_null_when_any_item_is_unknown() -> None:
    items = dict(AGREE)
    del items["start_back_4"]
    assert start_back(**items, start_back_9="extremely") is None


KONNO_MAX = {
    "age": 72, "diabetes": False, "walking_distance_limited": True, "worse_walking_standing": True,
    "relieved_sitting_or_flexion": True, "worse_bending_forward": False, "worse_extension": True,
    "peripheral_pulses_reduced": False, "reflex_achilles": "reduced", "slr": "negative",
}


def konno(**changes: object):
    return score_instrument(kb().instruments["konno_lss"], {**KONNO_MAX, **changes})


def test_konno_classic_stenosis_scores_the_maximum_sixteen() -> None:
    assert (konno().total, konno().band) == (16, "positive")


def test_konno_age_bands_score_zero_one_and_two() -> None:
    assert [konno(age=a).total for a in (59, 60, 69, 70)] == [14, 15, 15, 16]


def test_konno_cut_off_is_seven() -> None:
    """Konno 2007: 7 or more of 16 supports stenosis; 6 is the highest negative score."""
    six = konno(age=50, walking_distance_limited=False, relieved_sitting_or_flexion=False, reflex_achilles="normal", worse_extension=False)
    assert six.total == 6 and six.band == "negative"
    seven = konno(age=65, walking_distance_limited=False, relieved_sitting_or_flexion=False, reflex_achilles="normal", worse_extension=False)
    assert seven.total == 7 and seven.band == "positive"


def test_konno_negative_items_subtract() -> None:
    assert konno(worse_bending_forward=True, slr="positive").total == 16 - 1 - 2


def test_konno_is_null_when_any_item_is_unknown() -> None:
    items = dict(KONNO_MAX)
    del items["peripheral_pulses_reduced"]
    assert score_instrument(kb().instruments["konno_lss"], items) is None


def test_instruments_reach_the_contract_output_and_feed_the_reasoning() -> None:
    res = run(**KONNO_MAX, **AGREE, start_back_9="extremely", pain_regions=["buttock", "posterior_thigh"], laterality="bilateral")
    out = res.to_dict()["instruments"]
    assert out["konno_lss"] == {"score": 16, "positive": True}
    assert out["start_back"] == {"total": 9, "psychosocial": 5, "risk": "high"}
    fired = {f.rule for f in res.trace}
    # Konno's items are rows of the likelihood table (counting the score too would count them
    # twice, decisions.yaml); STarT Back's band feeds the ladder
    assert {"lik.relieved_sitting_flexion", "lik.walking_limited", "lik.pulses_reduced"} <= fired
    assert "ladder.combined_high_risk" in fired
    assert run(age=40).to_dict()["instruments"] == {"start_back": None, "konno_lss": None}
