"""Ask next: unknown findings ranked by expected information gain, red flags first."""

from __future__ import annotations

import random
import subprocess
import sys
from typing import Any

import pytest

import engine
from engine.reasoning import ask as ask_module
from engine.tools.sampling import random_findings
from tests.support import CASES, ROOT, kb, load_case

ALL_NO = {fid: False for fid in kb().red_flag_findings}
STENOSIS_LIKE = {"age": 72, "duration_weeks": 30, "back_pain": True, "worse_walking_standing": True,
                 "walking_distance_limited": True,
                 "pain_regions": ["lower_back", "buttock", "posterior_thigh", "posterior_calf"]}
HIP_LIKE = {"age": 67, "duration_weeks": 20, "worse_walking_standing": True, "pain_regions": ["groin", "anterior_thigh", "buttock"]}


def ask(findings: dict[str, Any]) -> tuple[engine.Question, ...]:
    return engine.ask_next(engine.parse_findings(findings, kb()), kb())


def rank(questions: tuple[engine.Question, ...], finding: str) -> int:
    """Place among the questions that are not red flags (0 = the single best)."""
    rest = [q.finding for q in questions if q.kind != "red_flag"]
    return rest.index(finding)


def test_unasked_red_flag_questions_always_come_first() -> None:
    questions = ask(STENOSIS_LIKE)
    kinds = [q.kind for q in questions]
    assert kinds[: len(kb().red_flag_findings)] == ["red_flag"] * len(kb().red_flag_findings)
    assert "red_flag" not in kinds[len(kb().red_flag_findings):]


def test_red_flag_questions_that_could_raise_an_emergency_come_before_the_others() -> None:
    first = ask(STENOSIS_LIKE)[0]
    assert first.kind == "red_flag"
    yes = next(a for a in first.answers if a.value is True)
    assert any(kb().red_flags[r].urgency == "emergency" for r in yes.red_flags)


def test_in_a_stenosis_like_case_relief_on_standing_still_and_foot_pulses_rank_high() -> None:
    questions = ask({**STENOSIS_LIKE, **ALL_NO})
    assert questions[0].kind != "red_flag"
    assert rank(questions, "relieved_standing_still") <= 2
    assert rank(questions, "peripheral_pulses_reduced") <= 5
    standing = next(q for q in questions if q.finding == "relieved_standing_still")
    assert "peripheral_arterial_disease" in standing.raises


def test_in_a_hip_like_case_hip_internal_rotation_is_the_single_best_question() -> None:
    questions = ask({**HIP_LIKE, **ALL_NO})
    assert questions[0].finding == "hip_rotation_groin_pain"
    assert questions[0].kind == "test" and questions[0].prompt.startswith("Examine:")
    yes = next(a for a in questions[0].answers if a.value is True)
    assert yes.top == "hip_osteoarthritis" and yes.top_probability > 0.8


def test_answered_findings_are_never_asked_again() -> None:
    questions = ask({**HIP_LIKE, **ALL_NO, "hip_rotation_groin_pain": True})
    assert all(q.finding not in {**HIP_LIKE, **ALL_NO, "hip_rotation_groin_pain": True} for q in questions)


def test_answer_probabilities_are_a_distribution_and_gains_are_ordered() -> None:
    questions = [q for q in ask({**STENOSIS_LIKE, **ALL_NO})]
    for q in questions:
        assert sum(a.probability for a in q.answers) == pytest.approx(1.0, abs=1e-3)
    gains = [q.gain for q in questions]
    assert gains == sorted(gains, reverse=True) and all(g > 0 for g in gains)


@pytest.mark.parametrize("path", CASES[::7], ids=lambda p: p.stem[:30])
def test_each_answers_predicted_leader_is_what_infer_returns_with_that_answer(path: Any) -> None:
    _, case = load_case(path)
    for q in engine.ask_next(case, kb())[:12]:
        for a in q.answers:
            result = engine.infer(engine.parse_findings({**_json(case.findings), q.finding: a.value}, kb()), kb())
            best = max(result.differential, key=lambda d: d.score)
            assert best.score == pytest.approx(a.top_probability, abs=2e-3), (q.finding, a.value)


def _json(findings: Any) -> dict[str, Any]:
    return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in findings.items()}


def test_the_cli_verb_ask_prints_the_ranked_questions() -> None:
    out = subprocess.run([sys.executable, "-m", "engine", "ask", str(CASES[0]), "--limit", "3"],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(" 1. ") and "separates" in out.stdout or "if yes" in out.stdout


def _generated(n: int, seed: int) -> list[engine.Case]:
    """Sparse, middling and dense generated cases (engine/tools/sampling.py)."""
    rng = random.Random(seed)
    return [engine.parse_case({"findings": random_findings(kb(), rng, p)}, kb()) for p in (0.1, 0.4, 0.7) for _ in range(n)]


def _tested_leaf_hits(tab: Any, key: str, value: Any) -> tuple[int, ...]:
    """``scoring.leaf_hits`` without its memo: each one-test row tested."""
    return tuple(2 * i + (1 if test(value) else 0) for i, test in tab.leaf_rows.get(key, ()))


def _slow_ask_next(case: engine.Case, monkeypatch: pytest.MonkeyPatch) -> tuple[engine.Question, ...]:
    """ask_next the slow way: every answer chained from scratch, every row it reads tested,
    and every question weighed one answer at a time with ``math``."""
    with monkeypatch.context() as m:
        m.setattr(ask_module, "continued", lambda *args: None)  # None: chain from scratch
        m.setattr(ask_module, "leaf_hits", _tested_leaf_hits)
        m.setattr(ask_module, "pick", lambda cells, lo, post, entropy, questions: [None] * len(questions))
        return engine.ask_next(case, kb())


def test_ask_next_weighed_at_once_gives_the_slow_paths_questions_on_every_teaching_case(monkeypatch: pytest.MonkeyPatch) -> None:
    for path in CASES:
        _, case = load_case(path)
        assert engine.ask_next(case, kb()) == _slow_ask_next(case, monkeypatch), path.stem


def test_ask_next_weighed_at_once_gives_the_slow_paths_questions_on_600_generated_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = 0
    for case in [*_generated(200, 10), engine.Case({})]:
        fast = engine.ask_next(case, kb())
        assert fast == _slow_ask_next(case, monkeypatch)
        answers += sum(len(q.answers) for q in fast)
    assert answers > 50_000
