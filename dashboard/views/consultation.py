"""Consultation page: case controls, red-flag banner, intake on the left, results on the right.

Results are recomputed on every widget change (the engine takes milliseconds); the
case itself lives in ``st.session_state["radix.case"]``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

import engine
from dashboard.intake.case_files import problem_line
from dashboard.intake.case_io import case_toolbar_ui, render_case_messages
from dashboard.intake.sections import GRID_CSS, intake_ui
from dashboard.render import reasoning, results, summary
from dashboard.session.cache import freeze_startup_heap
from dashboard.session.persist import autosave, restore_from_url
from dashboard.session.state import CASE, CASE_ID, body_map, current_case, get_kb
from dashboard.session.store_ui import store_bar_ui
from engine import BodyMap, KnowledgeBase


def _evaluate(findings: dict[str, Any], kb: KnowledgeBase) -> tuple[engine.Case, engine.Result] | None:
    """Validate and infer; a problem is shown and nothing else is drawn (the case is kept)."""
    try:
        case = engine.Case(engine.parse_findings(findings, kb), st.session_state.get(CASE_ID))
    except engine.CaseError as err:
        st.error("**The case has a problem:**")
        st.code("\n".join(f"- {problem_line(p)}" for p in err.problems), language=None, wrap_lines=True)
        return None
    return case, engine.infer(case, kb)


RESULT_TABS = ("Differential", "Ask next", "Syndromes & roots", "Instruments", "Explain")
RESULT_TAB = "radix.results_tab"


def render_results(case: engine.Case, result: engine.Result, kb: KnowledgeBase, body: BodyMap) -> None:
    """The result tabs. Only the open tab runs and is sent (``on_change="rerun"``): a click
    then re-sends one panel, not five (the dermatome map alone is a large figure)."""
    st.caption(f"**{results.DISCLAIMER}**")
    results.render_warnings(result)
    diff, ask, syn, instruments, explain = st.tabs(RESULT_TABS, key=RESULT_TAB, on_change="rerun")
    if diff.open:
        with diff:
            results.render_differential(result, kb)
    if ask.open:
        with ask:
            st.caption("Unanswered questions, most informative first (expected information gain over the differential); "
                       "red-flag questions not yet asked always come first. One click answers.")
            summary.render_ask_next(result, kb, dict(st.session_state.get(CASE, {})), n=6, prefix="radix.ask_panel")
    if syn.open:
        with syn:
            results.render_syndromes(result, kb)
            results.render_roots(result, kb, body, case.findings)
    if instruments.open:
        with instruments:
            results.render_instruments(result, kb)
    if explain.open:
        with explain:
            reasoning.render_why(result, kb)
            st.divider()
            reasoning.render_why_not(result, kb)
            st.divider()
            st.markdown("**What would change the picture?**")
            reasoning.render_what_if(result, kb, case)


# Narrow screens (800 px, tablets): let a yes / no / not-asked control wrap instead of
# pushing "no" out of view, and let long button labels wrap instead of "Load exam…".
# Below 1100 px the intake and the results stack (each full width) instead of squeezing
# the differential's labels and the intake's boxes into two narrow columns; Streamlit
# itself stacks columns only below 640 px.
_NARROW_CSS = """<style>
[data-testid="stButtonGroup"] > div { flex-wrap: wrap; }
@media (max-width: 1100px) {
  [data-testid="stBaseButton-secondary"] p, [data-testid="stBaseButton-primary"] p,
  [data-testid="stPopoverButton"] p { white-space: normal; }
  [data-testid="stPopoverButton"] [data-testid="stMarkdownContainer"] { white-space: normal; text-overflow: clip; overflow: visible; }
  .st-key-radix-main > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"] { flex-direction: column; }
  .st-key-radix-main > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
    width: 100%; flex: 1 1 auto; }
}
</style>"""


def consultation(kb: KnowledgeBase, body: BodyMap) -> None:
    """Banner, strip, intake, results, ladder and trace.

    Not a fragment: tried, a click could be lost (the case changed, the page not redrawn)
    when it arrived while the draft-autosave fragment was rerunning on its timer."""
    top, strip = st.container(), st.container()
    with st.container(key="radix.main"):  # the key names it for the narrow-screen CSS above
        left, right = st.columns([4, 6], gap="medium")
    with left:
        findings = intake_ui(kb, body)
    st.session_state[CASE] = findings
    with top:
        render_case_messages()
        evaluated = _evaluate(findings, kb)
        if evaluated:
            results.render_banner(evaluated[1], kb, evaluated[0].findings)
    if not evaluated:
        return
    with strip:
        summary.render_summary(evaluated[1], kb, findings)
    with right:
        render_results(*evaluated, kb, body)
    below_results(evaluated[1], kb)


LADDER_OPEN, TRACE_OPEN = "radix.ladder_open", "radix.trace_open"


def below_results(result: engine.Result, kb: KnowledgeBase) -> None:
    """The treatment ladder and the reasoning trace, full width (the charts need the room).
    Folded: they run and are sent only while open (``on_change="rerun"``), so a click while
    they are closed re-sends neither the ladder chart nor the trace, and the browser draws
    that much less. The ladder step is in the summary strip. The titles never change:
    an expander's title is part of its identity, so a title naming the step would fold the
    ladder shut whenever a click moved the step."""
    ladder = st.expander("**Treatment ladder** — the step, why, what not to offer", key=LADDER_OPEN,
                         on_change="rerun", icon=":material/stairs:")
    if ladder.open:
        with ladder:
            reasoning.render_ladder(result, kb)
    trace = st.expander("**Reasoning trace** — each conclusion's chain back to the findings", key=TRACE_OPEN,
                        on_change="rerun", icon=":material/account_tree:")
    if trace.open:
        with trace:
            st.caption("Pick a conclusion to read only its chain back to the findings; the whole trace, every "
                       "firing, is below it on demand. " + results.DISCLAIMER)
            reasoning.render_trace(result, kb)


def _result_quietly(findings: dict[str, Any], kb: KnowledgeBase) -> engine.Result | None:
    try:
        return engine.infer(engine.Case(engine.parse_findings(findings, kb)), kb)
    except engine.CaseError:
        return None  # the consultation fragment shows the problem


def main() -> None:
    st.html(_NARROW_CSS + GRID_CSS)
    kb, body = get_kb(), body_map()
    restore_from_url(kb)  # a reload or a shared link refills the intake from the case store
    with st.container():
        case_toolbar_ui(kb)
    store_bar = st.container()
    consultation(kb, body)
    findings = current_case()
    # after the page is drawn: a draft write (a database commit, 10-20 ms) then no longer
    # holds back the results of the click; before the store bar, which says when it saved
    autosave(findings)
    with store_bar:
        store_bar_ui(kb, findings, _result_quietly(findings, kb))
    freeze_startup_heap()

main()
