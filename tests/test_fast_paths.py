"""The fast paths give the slow paths' answers: summaries, counterfactuals, scoring, chaining.

Speed is measured in benchmarks/, never here; these tests pin behaviour only.
"""

from __future__ import annotations

import random
from heapq import heappop, heappush
from math import log10

import engine
from engine.knowledge.network import three_valued
from engine.knowledge.premises import evaluate
from engine.reasoning.chaining import chain, chain_state, true_atoms
from engine.reasoning.delta import base_of, continued, outline_if, outline_of, support_of
from engine.reasoning.explain import _diff, _summary, candidate_answers, ranked_counterfactuals
from engine.reasoning.infer import inputs_of
from engine.reasoning.instruments import score_all
from engine.reasoning.scoring import log_odds_of, moved_by, weigh
from engine.reasoning.summary import summarize
from engine.tools.sampling import random_findings
from tests.support import CASES, load_case
from tests.support import kb as _kb

kb = _kb()


def _cases(n: int, seed: int) -> list[engine.Case]:
    rng = random.Random(seed)
    return [engine.parse_case({"findings": random_findings(kb, rng)}, kb) for _ in range(n)]


def test_the_summary_equals_the_full_result_on_generated_cases() -> None:
    for case in _cases(1500, 1):
        full, fast = engine.infer(case, kb), summarize(case.findings, kb)
        assert fast.urgency == full.urgency
        assert fast.red_flags == tuple(f.id for f in full.red_flags)
        assert fast.differential == tuple((d.id, d.score) for d in full.differential)
        assert fast.roots == tuple((r.root, r.score) for r in full.roots)
        assert fast.step == full.ladder.step


def _slow_what_if(case: engine.Case) -> list[engine.Counterfactual]:
    """The counterfactuals as first written: one full infer per candidate value."""
    before = _summary(engine.infer(case, kb))
    out = []
    for finding, value in candidate_answers(case, kb):
        changes = _diff(kb, before, _summary(engine.infer(case.with_findings(**{finding: value}), kb)))
        if changes:
            out.append(engine.Counterfactual(finding, value, changes))
    return ranked_counterfactuals(out)


def test_what_if_continued_from_the_case_gives_the_full_paths_answers_on_500_generated_cases() -> None:
    for case in _cases(500, 2) + [engine.Case({})]:
        assert engine.what_if(case, kb) == _slow_what_if(case)


def test_what_if_continued_from_the_case_gives_the_full_paths_answers_on_every_teaching_case() -> None:
    for path in CASES:
        _, case = load_case(path)
        assert engine.what_if(case, kb) == _slow_what_if(case), path.stem


def test_a_chaining_continued_after_one_answer_reaches_the_facts_of_a_chaining_from_scratch() -> None:
    """``delta.continued`` (what "what if" and ask-next run per answer): the "not asked" atom
    taken back, the new atoms chained on; the same facts as chaining the answered case."""
    net, answers = kb.network, 0
    for case in _cases(150, 11) + [engine.Case({})]:
        run, remaining = chain_state(net, case.findings)
        facts = {kb.rules[r].then: True for r in run.fired}
        for finding, value in candidate_answers(case, kb):
            after = continued(kb, run.since, tuple(remaining), support_of(kb, run.fired), facts, finding,
                              list(true_atoms(net, finding, value)))
            scratch = {kb.rules[r].then for r in chain(net, {**case.findings, finding: value}).fired}
            assert after is not None and set(after.facts) == scratch, (finding, value)
            assert set(after.diff) == scratch ^ facts.keys(), (finding, value)
            answers += 1
    assert answers > 5_000


def test_the_outline_after_one_answer_equals_the_summary_of_the_answered_case() -> None:
    """Every candidate answer of 200 generated cases: continued chaining, retracted "not
    asked" atoms, re-read rows, shifted log-odds and the clear-lead shortcut all give what
    the summary of the case with that answer gives."""
    paths = 0
    for case in _cases(200, 6) + [engine.Case({})]:
        base = base_of(case.findings, kb)
        assert base.outline == outline_of(summarize(case.findings, kb))
        for finding, value in candidate_answers(case, kb):
            assert outline_if(base, finding, value) == outline_of(summarize({**case.findings, finding: value}, kb)), (finding, value)
            paths += 1
    assert paths > 8_000


def test_a_network_with_a_cycle_is_known_as_one() -> None:
    from engine.knowledge.base import compile_content
    from engine.knowledge.premises import FactIs
    from engine.knowledge.records import Content, Rule

    fields = {name: getattr(kb, name) for name in Content.model_fields}
    loop = (Rule(id="a", description="a", layer="sign", then="fa", when=(FactIs(op="fact", fact="fb"),), sources=("gck",)),
            Rule(id="b", description="b", layer="sign", then="fb", when=(FactIs(op="fact", fact="fa"),), sources=("gck",)))
    assert kb.network.acyclic
    assert not compile_content(Content.model_construct(**{**fields, "rules": loop})).network.acyclic


def test_compiled_likelihood_tests_agree_with_the_premise_interpreter() -> None:
    tests = [(row, three_valued(row.when)) for row in kb.likelihoods]
    net = kb.network
    for case in _cases(500, 3):
        inputs = inputs_of(case.findings, score_all(kb, case.findings))
        facts = {net.names[i]: True for i, s in enumerate(engine.reasoning.chaining.chain(net, inputs).since) if s >= 1}
        for row, test in tests:
            assert test(inputs, facts) is evaluate(row.when, inputs, facts), row.id


def test_log_odds_are_the_prior_plus_each_counted_share_added_in_order() -> None:
    cells = kb.table.cells
    causes = list(kb.conditions)
    priors = dict(zip(causes, kb.table.priors, strict=True))
    for case in _cases(1000, 4):
        result = engine.infer(case, kb)
        inputs, facts = inputs_of(case.findings, result.instruments), {f: True for f in result.facts}
        observations, counted = weigh(kb, inputs, facts)
        assert [kb.table.observed[h][0] for h in counted] == [ob for ob in observations if ob.counted]
        expected = []
        for cause in causes:
            lo = log10(priors[cause] / priors[kb.scoring.reference])
            for ob in observations:
                if ob.counted:
                    lo += cells[ob.row.id][cause].present if ob.present else cells[ob.row.id][cause].absent
            expected.append(lo)
        assert log_odds_of(kb, counted) == tuple(expected)  # the rows' shares by position, added in order


def test_log_odds_of_no_or_one_counted_row_are_the_priors_plus_it() -> None:
    for counted in ([], [1], [10], [1, 10]):
        shares = kb.table.shares
        expected = list(kb.table.log_prior)
        for ob in (kb.table.observed[h][0] for h in counted):  # left to right, row by row
            expected = [lo + s for lo, s in zip(expected, shares[ob.row.id][ob.present], strict=True)]
        assert log_odds_of(kb, counted) == tuple(expected)


def _reference_chain(net: engine.knowledge.network.Network, inputs: dict) -> tuple[int, ...]:
    """Chaining as first written: agenda keyed on (layer, -priority, rule id) tuples."""
    since = [-1] * len(net.names)
    remaining = list(net.required)
    stack: list[int] = []
    for key, value in inputs.items():
        for atom in net.atoms_by_input.get(key, ()):
            if atom.test(value) is not atom.negated:
                since[atom.index] = 0
                stack.append(atom.index)
    for atom in net.unknown_atoms:
        if (atom.input not in inputs) is not atom.negated:
            since[atom.index] = 0
            stack.append(atom.index)
    agenda: list[tuple[tuple[int, int, str], int]] = [(net.salience[n], n) for n in net.always]
    fired: list[int] = []
    step = 0
    while True:
        while stack:
            for node in net.waiting[stack.pop()]:
                remaining[node] -= 1
                if remaining[node] == 0:
                    if net.rule_of[node] < 0:
                        c = net.conclusion[node]
                        if since[c] < 0:
                            since[c] = step
                            stack.append(c)
                    else:
                        heappush(agenda, (net.salience[node], node))
        if not agenda:
            return tuple(fired)
        node = heappop(agenda)[1]
        fired.append(net.rule_of[node])
        step += 1
        c = net.conclusion[node]
        if since[c] < 0:
            since[c] = step
            stack.append(c)


def test_chaining_on_integer_ranks_fires_in_the_agenda_key_order() -> None:
    net = kb.network
    for case in _cases(1000, 5):
        inputs = inputs_of(case.findings, score_all(kb, case.findings))
        assert engine.reasoning.chaining.chain(net, inputs).fired == _reference_chain(net, inputs)


def _reference_observe(inputs: dict, facts: dict) -> list[tuple[str, bool, bool]]:
    """The likelihood rows as first observed: every row's premise evaluated, in table order."""
    known = [(row, v) for row in kb.likelihoods if (v := evaluate(row.when, inputs, facts)) is not None]
    first: dict[str, tuple[str, bool]] = {}
    for row, v in known:
        if row.group and (row.group not in first or (v and not first[row.group][1])):
            first[row.group] = (row.id, v)
    return [(row.id, v, row.group is None or first[row.group][0] == row.id) for row, v in known]


def _reference_moved_by(observations: tuple) -> list[tuple[list[str], list[str], list[str]]]:
    """Per cause, the counted rows for and against it, appended observation by observation."""
    out: list[tuple[list[str], list[str], list[str]]] = [([], [], []) for _ in kb.table.causes]
    for ob in observations:
        if ob.counted:
            pro, con = kb.table.sides[ob.row.id][ob.present]
            for i in pro:
                out[i][0].append(ob.row.id)
                out[i][1].append(ob.row.id)
            for i in con:
                out[i][0].append(ob.row.id)
                out[i][2].append(ob.row.id)
    return out


def test_observing_only_the_rows_that_read_something_known_finds_every_known_row() -> None:
    net = kb.network
    for case in _cases(1000, 7):
        inputs = inputs_of(case.findings, score_all(kb, case.findings))
        facts = {kb.rules[r].then: True for r in engine.reasoning.chaining.chain(net, inputs).fired}
        observations, _ = weigh(kb, inputs, facts)
        assert [(ob.row.id, ob.present, ob.counted) for ob in observations] == _reference_observe(inputs, facts)
        assert moved_by(kb, observations) == _reference_moved_by(observations)


def test_round4_is_round_to_four_places_on_random_and_near_halfway_values() -> None:
    from math import nextafter

    from engine.reasoning.scoring import round4

    rng = random.Random(11)
    values = [rng.random() for _ in range(200_000)] + [rng.random() ** 8 for _ in range(20_000)]
    values += [0.0, 1.0, 5e-324, 1e-300, 1 / 32, 0.00005, 0.99995, -0.0, -0.3, 1.5, float("nan")]
    for k in range(10_000):  # every halfway point k.5 / 10**4 and its neighbours a few ulps away
        v = (k + 0.5) / 10_000
        for _ in range(4):
            values += [v, nextafter(v, 0.0), nextafter(v, 1.0)]
            v = nextafter(v, 1.0)
    for v in values:
        assert repr(round4(v)) == repr(round(v, 4)), v


def test_the_network_names_each_rules_conclusion_as_its_record_does() -> None:
    assert kb.network.then_of == tuple(rule.then for rule in kb.rules)
