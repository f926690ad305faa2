"""Chart builders: differential bars, the trace graph and the treatment ladder.

The figures are inspected as data (trace ``meta``, colours, hover text; the differential's
HTML rows, their data attributes and tooltips), the way the dashboard receives them;
pixels are checked by eye from docs/screenshots/.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from typing import Any

import plotly.graph_objects as go
import pytest

import engine
from dashboard.charts.differential import BAR_COLOUR, MUST_NOT_MISS_COLOUR, differential_html, evidence_table
from dashboard.charts.ladder import STATUS_STYLE, ladder_figure
from dashboard.charts.trace_graph import trace_figure, trace_table
from dashboard.charts.trace_tree import TreeLine, trace_tree
from tests.support import CASES, ROOT, differential_rows, kb, load_case

DISC = "01-s1-disc-herniation-graduate-student"
CES_RETENTION = "06-ces-urinary-retention-without-sciatica"
CES_DISC = "07-ces-l5-s1-central-disc"


def result_of(stem: str) -> engine.Result:
    path = next(p for p in CASES if p.stem == stem)
    return engine.infer(load_case(path)[1], kb())


def traces(fig: go.Figure, kind: str) -> list[Any]:
    return [t for t in fig.data if (t.meta or {}).get("kind") == kind]


def plain(html: str) -> str:
    return html.replace("<br>", " ")


# ------------------------------------------------------------------ differential


rows_of = differential_rows


def bars(html: str) -> dict[str, str]:
    """Condition id -> bar colour (the CSS rule the row's class picks)."""
    return {r["data-condition"]: MUST_NOT_MISS_COLOUR if "mnm" in r["css"].split() else BAR_COLOUR for r in rows_of(html)}


def test_the_differential_colours_come_from_the_named_constants() -> None:
    html = differential_html(result_of(CES_DISC))
    assert f".radix-diff .bar {{ position: absolute; left: 0; top: 0.2rem; bottom: 0.2rem; background: {BAR_COLOUR}; }}" in html
    assert f".radix-diff .row.mnm .bar {{ background: {MUST_NOT_MISS_COLOUR}; }}" in html


def test_disc_herniation_case_draws_lumbar_disc_herniation_as_the_top_bar_in_the_normal_colour() -> None:
    html = differential_html(result_of(DISC))
    top = rows_of(html)[0]["data-condition"]
    assert top == "lumbar_disc_herniation"
    assert bars(html)[top] == BAR_COLOUR


@pytest.mark.parametrize("stem", [CES_RETENTION, CES_DISC])
def test_cauda_equina_cases_draw_cauda_equina_syndrome_as_the_top_bar_in_red(stem: str) -> None:
    html = differential_html(result_of(stem))
    assert rows_of(html)[0]["data-condition"] == "cauda_equina_syndrome"
    assert bars(html)["cauda_equina_syndrome"] == MUST_NOT_MISS_COLOUR


@pytest.mark.parametrize("stem", [DISC, CES_RETENTION, CES_DISC])
def test_only_must_not_miss_conditions_are_red_and_tagged(stem: str) -> None:
    result = result_of(stem)
    html = differential_html(result)
    shown = result.differential[:10]
    assert {cid for cid, colour in bars(html).items() if colour == MUST_NOT_MISS_COLOUR} == {d.id for d in shown if d.must_not_miss}
    tagged = {r["data-condition"] for r in rows_of(html) if "MUST-NOT-MISS" in r["text"]}
    assert tagged == {d.id for d in shown if d.must_not_miss}


@pytest.mark.parametrize("stem", [DISC, CES_DISC])
def test_every_bar_shows_its_probability_in_text_beside_it(stem: str) -> None:
    result = result_of(stem)
    for r, d in zip(rows_of(differential_html(result)), result.differential, strict=False):
        assert d.label in r["text"]
        value = f"{d.score:.0%}" if d.score >= 0.1 else f"{d.score:.1%}"
        assert value in r["text"], "the value is written, not only drawn"
        assert r["bar"] == pytest.approx(d.score, abs=1e-4)
        assert r["value"] == pytest.approx(max(d.score, d.prior), abs=1e-4), "just right of the bar or its prior tick"


@pytest.mark.parametrize("top_n", [0, 1, 3, 10, 100])
def test_bar_count_is_top_n_or_the_whole_differential_when_shorter(top_n: int) -> None:
    result = result_of(CES_DISC)
    html = differential_html(result, top_n=top_n)
    assert len(bars(html)) == min(top_n, len(result.differential))
    assert [r["data-condition"] for r in rows_of(html)] == [d.id for d in result.differential[:top_n]]


def test_each_bar_carries_its_prior_as_a_marker_at_the_prior_value() -> None:
    result = result_of(CES_DISC)
    rows = rows_of(differential_html(result, top_n=5))
    assert [(r["data-condition"], r["prior"]) for r in rows] == [(d.id, pytest.approx(d.prior, abs=1e-4)) for d in result.differential[:5]]


def test_bar_hover_lists_the_strongest_findings_for_and_against_by_label() -> None:
    result = result_of(CES_DISC)
    lss = next(d for d in result.differential if d.id == "lumbar_spinal_stenosis")
    assert lss.for_rules and lss.against_rules
    text = next(r["title"] for r in rows_of(differential_html(result)) if r["data-condition"] == "lumbar_spinal_stenosis")
    for_part, against_part = text.split("\nagainst\n")
    strongest = sorted((e for e in lss.evidence if e.counted), key=lambda e: -abs(e.contribution))
    top_for = next(e for e in strongest if e.direction == "for")
    top_against = next(e for e in strongest if e.direction == "against")
    assert top_for.label in for_part and top_against.label in against_part
    assert "lik." not in text, "labels, never row ids"


def test_labels_are_escaped_in_the_differential_html() -> None:
    result = result_of(DISC)
    d = result.differential[0]
    renamed = engine.Ranked(d.id, "<img src=x onerror=alert(1)>", d.kind, d.score, d.prior, d.must_not_miss, d.rules, d.for_rules,
                            d.against_rules, d.evidence, d.log_prior_odds)
    hostile = dataclasses.replace(result, differential=(renamed,))
    html = differential_html(hostile)
    assert "<img" not in html and "&lt;img src=x" in html


def test_evidence_table_reads_the_engines_evidence_with_ratios_and_citations() -> None:
    result = result_of(DISC)
    rows = evidence_table(result, kb(), "lumbar_disc_herniation")
    ldh = next(d for d in result.differential if d.id == "lumbar_disc_herniation")
    assert {r["row"] for r in rows} == set(ldh.rules)
    assert set(rows[0]) == {"direction", "finding", "observed", "ratio", "basis", "sources", "row"}
    assert [abs(r["ratio"] - 1) > 0 for r in rows] == [True] * len(rows)
    slr = next(r for r in rows if r["row"] == "lik.slr_positive")
    cell = next(e for e in ldh.evidence if e.row == "lik.slr_positive")
    assert slr["ratio"] == pytest.approx(10 ** cell.contribution, abs=0.01)
    assert slr["direction"] == "for" and slr["basis"] == "published"
    assert kb().sources["deville2000"].citation in slr["sources"]
    assert "deville2000" not in slr["sources"]


# ------------------------------------------------------------------ trace graph


@pytest.mark.parametrize("stem", [DISC, CES_RETENTION, CES_DISC])
def test_trace_graph_has_a_hover_entry_for_every_fired_rule(stem: str) -> None:
    result = result_of(stem)
    (hover,) = traces(trace_figure(result, kb()), "edge_hover")
    assert {rule for rules in hover.customdata for rule in rules.split()} == {f.rule for f in result.trace}


@pytest.mark.parametrize("stem", [DISC, CES_RETENTION, CES_DISC])
def test_trace_graph_has_a_node_for_every_concluded_fact(stem: str) -> None:
    result = result_of(stem)
    fig = trace_figure(result, kb())
    facts = {c for t in traces(fig, "nodes") if t.meta["layer"] != "finding" for c in t.customdata}
    assert facts == {f.concludes for f in result.trace}


def test_trace_graph_colours_nodes_by_layer_with_one_legend_entry_per_layer() -> None:
    result = result_of(CES_DISC)
    nodes = traces(trace_figure(result, kb()), "nodes")
    layers = [*engine.knowledge.records.LAYERS, "differential"]  # the likelihood table weighs the differential last
    assert [t.meta["layer"] for t in nodes] == ["finding", *[lay for lay in layers if any(f.layer == lay for f in result.trace)]]
    assert len({t.marker.color for t in nodes}) == len(nodes)
    red_flags = next(t for t in nodes if t.meta["layer"] == "red_flag")
    assert "cauda_equina" in red_flags.customdata


def test_trace_edge_hover_gives_the_rule_description_and_source_citation() -> None:
    result = result_of(CES_DISC)
    (hover,) = traces(trace_figure(result, kb()), "edge_hover")
    firing = next(f for f in result.trace if f.rule == "rf.ces_sphincter_or_saddle")
    texts = [plain(h) for rules, h in zip(hover.customdata, hover.hovertext, strict=True) if firing.rule in rules.split()]
    assert texts
    assert all(firing.description in t for t in texts)
    assert all(kb().sources["girft_ces_2023"].citation[:40] in t for t in texts)


def test_a_premise_that_is_a_derived_fact_draws_its_edge_from_that_facts_node() -> None:
    result = result_of(DISC)
    fig = trace_figure(result, kb())
    where = {c: (x, y) for t in traces(fig, "nodes") for c, x, y in zip(t.customdata, t.x, t.y, strict=True)}
    segments = set()
    for t in traces(fig, "edges"):
        points = list(zip(t.x, t.y, strict=True))
        segments |= {(points[i], points[i + 1]) for i in range(0, len(points), 3)}
    # syn.compression_from_tension reads the fact radicular_pain, concluded by an earlier rule
    assert (where["radicular_pain"], where["nerve_root_compression_suspected"]) in segments
    slr = kb().findings["slr"].label + ": positive"  # finding nodes are the engine's matched premises, by label
    assert (where[slr], where["neural_tension_sign"]) in segments
    assert "radicular_pain" not in {c for t in traces(fig, "nodes") if t.meta["layer"] == "finding" for c in t.customdata}


def test_two_rules_on_the_same_edge_are_both_named_on_its_hover_marker() -> None:
    result = result_of(CES_RETENTION)
    first = result.trace[0]
    twin = dataclasses.replace(first, order=len(result.trace) + 1, rule="test.twin", description="A twin rule.")
    doubled = dataclasses.replace(result, build_trace=lambda: (*result.trace, twin))
    (hover,) = traces(trace_figure(doubled, kb()), "edge_hover")
    shared = [(rules.split(), h) for rules, h in zip(hover.customdata, hover.hovertext, strict=True) if first.rule in rules.split()]
    assert shared and all("test.twin" in rules and "A twin rule." in h for rules, h in shared)


def test_trace_table_lists_every_firing_in_order_with_premises_and_sources() -> None:
    result = result_of(DISC)
    rows = trace_table(result, kb())
    assert [r["order"] for r in rows] == list(range(1, len(result.trace) + 1))
    assert [r["rule"] for r in rows] == [f.rule for f in result.trace]
    slr = next(r for r in rows if r["rule"] == "lik.slr_positive")
    assert slr["because"] == "slr = positive"
    assert slr["conclusion"] == "the differential (likelihood table)" and slr["weight"] == "present"
    assert slr["sources"] == "deville2000, martin2014, konno2007"
    radicular = next(r for r in rows if r["rule"] == "syn.radicular_pain_below_knee")
    assert radicular["conclusion"] == kb().label("radicular_pain"), "labels, not ids"
    assert all(r["weight"] is not None and r["weight"] != "None" for r in rows)


# ------------------------------------------------------------------ trace tree


@pytest.mark.parametrize("stem", [DISC, CES_RETENTION, CES_DISC, "47-diabetic-distal-polyneuropathy-burning-feet"])
def test_the_trace_tree_shows_every_chained_conclusion_once_by_its_label(stem: str) -> None:
    result = result_of(stem)
    lines = trace_tree(result, kb())
    facts = {f.concludes for f in result.trace if f.layer != "differential"}
    opened = [ln.text.split(" · ")[0] for ln in lines if ln.kind == "fact"]
    assert {kb().label(f) for f in facts} == set(opened)
    assert len([ln for ln in lines if ln.kind == "fact"]) == len([f for f in result.trace if f.layer != "differential"])
    named = [ln.text for ln in lines if ln.kind in ("fact", "seen", "cause")]
    assert not any(f in text for text in named for f in facts if "_" in f), "labels, never fact ids"


def test_the_trace_tree_puts_red_flags_first_and_nests_each_fact_over_its_premises() -> None:
    lines = trace_tree(result_of(CES_DISC), kb())
    assert lines[0] == TreeLine(0, "section", "Red flags")
    ces = next(i for i, ln in enumerate(lines) if ln.kind == "fact" and ln.text.startswith(kb().label("cauda_equina")))
    assert lines[ces].depth == 1 and lines[ces + 1].depth == 2, "its premises are indented beneath it"
    assert "rf." in lines[ces].detail, "the rule id is kept for the tooltip"


def test_the_trace_tree_gives_each_leading_cause_its_evidence_for_and_against_with_signs() -> None:
    result = result_of(DISC)
    lines = trace_tree(result, kb())
    top = max(result.differential, key=lambda d: d.score)
    at = next(i for i, ln in enumerate(lines) if ln.kind == "cause")
    assert lines[at].text == f"{top.label} {top.score:.0%}"
    evidence = []
    for ln in lines[at + 1:]:
        if ln.kind not in ("for", "against"):
            break
        evidence.append(ln)
    slr = next(ln for ln in evidence if ln.text.startswith("Straight-leg raise"))
    assert slr.kind == "for" and "for (×" in slr.text
    assert all(("against (×" in ln.text) == (ln.kind == "against") for ln in evidence), "against never reads as for"


def test_an_empty_trace_gives_only_the_causes_at_their_base_rate() -> None:
    lines = trace_tree(engine.infer(engine.parse_findings({}, kb()), kb()), kb())
    assert [ln.text for ln in lines if ln.kind == "section"][-1].startswith("Causes")
    assert any("prior only" in ln.text for ln in lines)


def _crossings(fig: go.Figure) -> int:
    segments = []
    for t in traces(fig, "edges"):
        pts = list(zip(t.x, t.y, strict=True))
        segments += [(pts[i], pts[i + 1]) for i in range(0, len(pts), 3)]

    def cross(a: tuple, b: tuple) -> bool:
        (p1, p2), (p3, p4) = a, b
        if len({p1, p2, p3, p4}) < 4:
            return False
        def side(p: tuple, q: tuple, r: tuple) -> float:
            return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return side(p1, p2, p3) * side(p1, p2, p4) < 0 and side(p3, p4, p1) * side(p3, p4, p2) < 0

    return sum(cross(a, b) for i, a in enumerate(segments) for b in segments[i + 1:])


def test_the_layered_graph_orders_rows_to_cut_crossings(monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.charts import trace_graph

    result = result_of("47-diabetic-distal-polyneuropathy-burning-feet")
    ordered = _crossings(trace_figure(result, kb(), with_differential=False))
    monkeypatch.setattr(trace_graph, "_order", lambda g, sweeps=0: trace_graph._spread(
        {c: [k for k in g.column if g.column[k] == c] for c in set(g.column.values())}))
    unordered = _crossings(trace_figure(result, kb(), with_differential=False))
    assert ordered < 0.7 * unordered, (ordered, unordered)


# ------------------------------------------------------------------ ladder


def steps(fig: go.Figure) -> dict[str, Any]:
    return {t.meta["step"]: t for t in traces(fig, "step")}


def test_ladder_draws_every_step_of_the_knowledge_base() -> None:
    assert set(steps(ladder_figure(result_of(DISC), kb()))) == set(kb().ladder)


def test_ladder_highlights_exactly_the_current_step() -> None:
    result = result_of(DISC)
    drawn = steps(ladder_figure(result, kb()))
    current = [sid for sid, t in drawn.items() if t.meta["status"] == "current"]
    assert current == [result.ladder.step] == ["physiotherapy"]
    lit = STATUS_STYLE["current"][0]
    assert [sid for sid, t in drawn.items() if t.fillcolor == lit] == current


def test_ladder_marks_the_steps_below_the_current_one_as_passed_and_the_rest_as_later() -> None:
    result = result_of(DISC)
    status = {sid: t.meta["status"] for sid, t in steps(ladder_figure(result, kb())).items()}
    assert {s for s, v in status.items() if v == "passed"} == {"self_management", "analgesia"}
    later = {s.id for s in kb().ladder.values()
             if (s.order > result.ladder.order and s.urgency_entry != "emergency") or s.workup_of}
    assert {s for s, v in status.items() if v == "later"} == later
    assert status["emergency_referral"] == "emergency_idle"
    labels = [a.text for a in ladder_figure(result, kb()).layout.annotations]
    assert any(t.startswith("✓") and "Analgesia" in t for t in labels)


def test_ladder_annotates_the_next_steps_entry_criteria() -> None:
    result = result_of(DISC)
    assert result.ladder.next_entry
    notes = [plain(a.text) for a in ladder_figure(result, kb()).layout.annotations]
    assert any(result.ladder.next_entry in n for n in notes)


@pytest.mark.parametrize("stem", [CES_RETENTION, CES_DISC])
def test_emergency_case_draws_emergency_referral_highlighted_in_red_and_suspends_the_ladder(stem: str) -> None:
    result = result_of(stem)
    assert result.ladder.step == "emergency_referral"
    drawn = steps(ladder_figure(result, kb()))
    assert drawn["emergency_referral"].meta["status"] == "emergency_current"
    assert drawn["emergency_referral"].fillcolor == MUST_NOT_MISS_COLOUR
    others = {t.meta["status"] for sid, t in drawn.items() if sid != "emergency_referral"}
    assert others == {"suspended"}


def test_each_step_hover_shows_its_summary_and_entry() -> None:
    drawn = steps(ladder_figure(result_of(DISC), kb()))
    for sid, step in kb().ladder.items():
        text = plain(drawn[sid].text)
        assert step.summary in text and step.entry in text
        assert drawn[sid].hoveron == "fills"


# ------------------------------------------------------------------ purity


def test_chart_modules_do_not_import_streamlit() -> None:
    code = (
        "import sys\n"
        "import dashboard.charts.differential, dashboard.charts.trace_graph, dashboard.charts.ladder\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
