"""Reasoning views: the trace, the treatment ladder and the three explanations.

"Why this?" walks the trace back from the top condition; "why not that?" lists the rules
that could have concluded a chosen fact, each premise marked ✓ / ✗ / ?; "what would
change the picture?" lists the engine's counterfactuals. All answers come from
``engine.why``, ``engine.why_not`` and ``engine.what_if``.
"""

from __future__ import annotations

import streamlit as st

import engine
from dashboard.cache import case_key, memo
from dashboard.charts.ladder import ladder_figure
from dashboard.charts.trace_graph import trace_figure, trace_table
from engine.explain import RuleGap
from engine.kb import KnowledgeBase
from engine.result import Result

__all__ = ["render_ladder", "render_trace", "render_what_if", "render_why", "render_why_not"]

WHY_NOT = "radix.why_not"
_MARK = {"true": "✓", "false": "✗", "unknown": "?"}


def _sources(kb: KnowledgeBase, ids: tuple[str, ...]) -> str:
    return "; ".join(kb.sources[s].citation if s in kb.sources else s for s in ids)


def render_trace(result: Result, kb: KnowledgeBase) -> None:
    """The trace as a layered graph, then as a table in firing order."""
    if not result.trace:
        st.caption("No rule fired yet: enter some findings.")
        return
    fig = memo("trace", case_key(result.findings), lambda: trace_figure(result, kb))
    st.plotly_chart(fig, key="radix.chart.trace", config={"displayModeBar": False})
    st.dataframe(trace_table(result), hide_index=True)


def render_ladder(result: Result, kb: KnowledgeBase) -> None:
    """The stepped-care ladder beside its reason, the do-not-offer list and disputes."""
    lad = result.ladder
    chart, text = st.columns([2, 1], gap="medium")
    fig = memo("ladder", case_key(result.findings), lambda: ladder_figure(result, kb))
    chart.plotly_chart(fig, key="radix.chart.ladder", config={"displayModeBar": False})
    with text:
        st.markdown(f"**Step {lad.order}: {lad.label}**  \n{lad.reason}")
        st.caption(kb.ladder[lad.step].summary)
        if lad.next_step:
            st.caption(f"Next: {kb.label(lad.next_step)} — {lad.next_entry}")
        with st.expander(f"Do not offer ({len(lad.do_not_offer)})"):
            for d in lad.do_not_offer:
                st.markdown(f"- **{d['treatment']}** — {d['text']} <small>({d['source']})</small>",
                            unsafe_allow_html=True)
        with st.expander(f"Where sources disagree ({len(lad.disputed)})"):
            for d in lad.disputed:
                st.markdown(f"**{d['treatment']}**")
                for p in d["positions"]:
                    st.markdown(f"- :gray-badge[{p['stance'].replace('_', ' ')}] {p['text']} "
                                f"<small>({p['source']})</small>", unsafe_allow_html=True)


def render_why(result: Result, kb: KnowledgeBase) -> None:
    """The derivation of the top condition, rule by rule."""
    if not result.differential:
        return
    top = result.differential[0]
    firings = engine.why(result, kb, top.id)
    st.markdown(f"**Why {top.label}?**")
    if not firings:
        st.caption("No rule fired for it: it leads on its prior (base rate) alone.")
    for f in firings:
        weight = f" · {f.weight}" if f.weight else ""
        st.markdown(f"{f.order}. `{f.rule}` → **{kb.label(f.concludes)}**{weight}  \n"
                    f"   {f.description} — *if* {' and '.join(f.premises) or 'always'}")


def _gap_lines(gap: RuleGap, kb: KnowledgeBase) -> str:
    lines = [f"**`{gap.rule}`** — {gap.description}"]
    for p in gap.premises:
        ask = f" — ask: {', '.join(kb.label(u) for u in p.unknown_findings)}" if p.unknown_findings else ""
        lines.append(f"  - {_MARK[p.status]} {p.text}{ask}")
    if gap.blocked_by_unknown:
        lines.append("  - *could still fire: nothing failed, something is unknown*")
    return "\n".join(lines)


def render_why_not(result: Result, kb: KnowledgeBase) -> None:
    """Pick a condition or red flag; show why each of its rules did not fire."""
    options = [*kb.conditions, *kb.red_flags]
    st.selectbox("Why not…?", options, key=WHY_NOT, format_func=kb.label)
    target = st.session_state.get(WHY_NOT) or options[0]
    gaps = engine.why_not(result, kb, target)
    if not gaps:
        st.caption("Every rule that concludes it has fired (or none exists).")
    for gap in gaps:
        st.markdown(_gap_lines(gap, kb))
    st.caption("✓ true · ✗ false · ? unknown (not asked)")


def render_what_if(result: Result, kb: KnowledgeBase, case: engine.Case) -> None:
    """Unknown findings whose answer would change urgency, the top condition, root or step."""
    changes = memo("what_if", case_key(case.findings), lambda: engine.what_if(case, kb, result))
    if not changes:
        st.caption("No single unanswered question would change the picture.")
        return
    rows = [{"if": kb.label(c.finding), "were": _value_text(c.value), "then": "; ".join(c.changes)}
            for c in changes]
    st.dataframe(rows, hide_index=True)


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset):
        return ", ".join(sorted(str(v).replace("_", " ") for v in value)) or "none"
    return str(value).replace("_", " ")
