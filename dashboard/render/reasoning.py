"""Reasoning views: the trace, the treatment ladder and the three explanations.

"Why this?" walks the trace back from the top condition; "why not that?" lists the rules
that could have concluded a chosen fact, each premise marked ✓ / ✗ / ?; "what would
change the picture?" lists the engine's counterfactuals. All answers come from
``engine.why``, ``engine.why_not`` and ``engine.what_if``.
"""

from __future__ import annotations

from html import escape

import streamlit as st

import engine
from dashboard.charts.ladder import ladder_figure
from dashboard.charts.trace_graph import trace_figure, trace_table
from dashboard.charts.trace_tree import TreeLine, trace_tree, weight_words
from dashboard.session.cache import case_key, memo
from engine import KnowledgeBase, Result, RuleGap

__all__ = ["render_ladder", "render_trace", "render_what_if", "render_why", "render_why_not"]

WHY_NOT = "radix.why_not"
_MARK = {"true": "✓", "false": "✗", "unknown": "?"}


def _sources(kb: KnowledgeBase, ids: tuple[str, ...]) -> str:
    return "; ".join(kb.sources[s].citation if s in kb.sources else s for s in ids)


def _targets(result: Result, kb: KnowledgeBase) -> list[str]:
    """Conclusions worth explaining, most relevant first: causes (in the engine's order, so a
    must-not-miss cause its red flag pins comes first), red flags, syndromes, roots, step."""
    causes = [d.id for d in result.differential[:5]]
    rest = [f.id for f in result.red_flags] + [s.id for s in result.syndromes] + [r.root for r in result.roots]
    return [*causes, *rest, result.ladder.step]


def _cause_chain(result: Result, kb: KnowledgeBase, cause: str) -> list[str]:
    d = next(x for x in result.differential if x.id == cause)
    lines = [f"Start: prior {d.prior:.1%} ({kb.scoring.prior_weight:g} of its primary-care base rate's log-odds; odds against "
             f"the non-specific catch-all ×{10 ** d.log_prior_odds:.2g})."]
    moved = sorted((e for e in d.evidence if e.counted and e.direction != "neutral"), key=lambda e: -abs(e.contribution))
    for e in moved:
        colour, sign = ("green", "+") if e.direction == "for" else ("red", "−")
        seen = "" if e.observed == "present" else " — *absent*"
        basis = "published" if e.published else "estimate"
        lines.append(f":{colour}[**{sign}**] {e.label}{seen} · :{colour}[{weight_words(e.contribution)}] :small[{basis}]")
    lines.append(f"**= {d.score:.0%}** after normalising over every cause.")
    return lines


def _rule_chain(result: Result, kb: KnowledgeBase, target: str) -> list[str]:
    lines = []
    for f in engine.why(result, kb, target):
        if f.layer == "differential":
            continue
        because = "; ".join(str(m.get("text", "")) for m in f.matched)
        weight = f" · {f.weight}" if f.weight else ""
        lines.append(f":blue[**→ {kb.label(f.concludes)}**]{weight}  \n:small[because {because}. {f.description}]")
    return lines or ["Nothing concluded it: no rule fired."]


def _follow_default(key: str, options: list[str]) -> None:
    """Keep a choice on its default (options[0]) as the case changes, until the user picks."""
    auto = f"{key}.auto"
    if st.session_state.get(key) in (None, st.session_state.get(auto)) or st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    st.session_state[auto] = options[0]


@st.fragment
def render_trace(result: Result, kb: KnowledgeBase) -> None:
    """Pick a conclusion and read only its chain back to the findings; the full graph on demand.
    A fragment: picking a conclusion or opening the graph reruns this section only."""
    if not result.trace:
        st.caption("No rule fired yet: enter some findings.")
        return
    options = _targets(result, kb)
    _follow_default("radix.trace_target", options)
    target = st.selectbox("Explain", options, key="radix.trace_target", format_func=kb.label,
                          help="Only this conclusion's chain back to the findings is shown.")
    target = target if target in options else options[0]
    chain = _cause_chain(result, kb, target) if target in kb.conditions else _rule_chain(result, kb, target)
    st.markdown("\n\n".join(chain))
    if target in kb.conditions:
        st.caption(":green[+ for] · :red[− against] · the weight is the likelihood ratio against the non-specific "
                   "catch-all (weak < ×1.6, moderate < ×3.2, strong < ×10, very strong beyond).")
        syndrome = [s.id for s in result.syndromes]
        if syndrome:
            st.caption("The presentation behind it: " + "; ".join(kb.label(s) for s in syndrome) + " (pick it above for its chain).")
    if st.toggle("Show the whole trace (every firing)", key="radix.trace_full"):
        st.html(memo("trace_tree", case_key(result.findings), lambda: tree_html(trace_tree(result, kb))))
        if st.toggle("…as a layered graph, and every firing as a table", key="radix.trace_graph"):
            fig = memo("trace", case_key(result.findings), lambda: trace_figure(result, kb, with_differential=False))
            st.plotly_chart(fig, key="radix.chart.trace", config={"displayModeBar": False})
            st.dataframe(trace_table(result, kb), hide_index=True)


_TREE_CSS = """<style>
.radix-tree { font-size: 0.92rem; line-height: 1.45; }
.radix-tree ul { list-style: none; margin: 0 0 0 1.1rem; padding: 0; border-left: 1px solid #d0d7de; }
.radix-tree > ul { margin-left: 0; border-left: none; }
.radix-tree li { margin: 0.05rem 0 0.05rem 0; padding-left: 0.5rem; overflow-wrap: anywhere; }
.radix-tree .section { font-weight: 600; margin-top: 0.6rem; }
.radix-tree .fact { color: #0b5394; } .radix-tree .cause { font-weight: 600; }
.radix-tree .finding { color: #3d444d; } .radix-tree .seen { color: #6e7781; font-style: italic; }
.radix-tree .for { color: #1a7f37; } .radix-tree .against { color: #cf222e; }
</style>"""
_TREE_MARK = {"fact": "→ ", "finding": "✓ ", "for": "+ ", "against": "− ", "cause": "", "seen": "", "section": ""}


def tree_html(lines: list[TreeLine]) -> str:
    """The trace tree as nested lists; the rule id or evidence row in each line's tooltip."""
    out, depth = [_TREE_CSS, '<div class="radix-tree"><ul>'], 0
    for line in lines:
        while depth < line.depth:
            out.append("<ul>")
            depth += 1
        while depth > line.depth:
            out.append("</ul>")
            depth -= 1
        text = escape(_TREE_MARK[line.kind] + line.text)
        out.append(f'<li class="{line.kind}" title="{escape(line.detail)}">{text}</li>')
    out.append("</ul>" * (depth + 1) + "</div>")
    return "".join(out)


_SOURCE_RANK = {"guideline": 0, "systematic_review": 1, "paper": 2, "textbook": 3, "instrument": 4, "method": 5, "code_set": 6, "web": 7}


def _source_rank(kb: KnowledgeBase, sid: str) -> int:
    return _SOURCE_RANK.get(kb.sources[sid].kind, 9) if sid in kb.sources else 9


def _source_badge(kb: KnowledgeBase, sid: str) -> str:
    """Guidelines in bold with a badge; patient-education (web) pages small and grey."""
    kind = kb.sources[sid].kind if sid in kb.sources else "web"
    if kind == "guideline":
        return f":blue-badge[guideline] **{sid}**"
    return f":gray[:small[{sid} · patient education]]" if kind == "web" else f":small[{sid}]"


def render_ladder(result: Result, kb: KnowledgeBase) -> None:
    """The stepped-care ladder beside its reason; emergencies and work-ups stand off the ladder."""
    lad = result.ladder
    chart, text = st.columns([2, 1], gap="medium")
    with text:
        if result.urgency == "emergency":
            st.error(f"**Off the ladder — {lad.label}.**  \n{lad.reason}", icon=":material/error:")
        elif lad.workup:
            st.markdown(f"**Work-up first: {lad.label}**  \n{lad.reason}")
        else:
            st.markdown(f"**Step {lad.order}: {lad.label}**  \n{lad.reason}")
        st.caption(kb.ladder[lad.step].summary)
        if lad.next_step and result.urgency != "emergency":
            st.caption(f"Next if this fails: {kb.label(lad.next_step)} — {lad.next_entry}")
        near = {t.label for t in kb.treatments.values() if t.step in (lad.step, lad.next_step)}
        dno = [d for d in lad.do_not_offer if d["treatment"] in near]
        # lazy expanders: their lists are built and sent only while open (most clicks never open them)
        box = st.expander(f"Do not offer — this step and the next ({len(dno)} of {len(lad.do_not_offer)})",
                          key="radix.ladder.dno", on_change="rerun")
        if box.open:
            with box:
                if st.checkbox("Show every step's", key="radix.dno_all"):
                    dno = list(lad.do_not_offer)
                for d in sorted(dno, key=lambda d: _source_rank(kb, d["source"])):
                    st.markdown(f"- **{d['treatment']}** — {d['text']} {_source_badge(kb, d['source'])}")
        disputed = [d for d in lad.disputed if d["treatment"] in near]
        box = st.expander(f"Where sources disagree — this step and the next ({len(disputed)} of {len(lad.disputed)})",
                          key="radix.ladder.disputed", on_change="rerun")
        if box.open:
            with box:
                if st.checkbox("Show every step's", key="radix.disputed_all"):
                    disputed = list(lad.disputed)
                for d in disputed:
                    st.markdown(f"**{d['treatment']}**")
                    for p in sorted(d["positions"], key=lambda p: _source_rank(kb, p["source"])):
                        st.markdown(f"- :gray-badge[{p['stance'].replace('_', ' ')}] {p['text']} {_source_badge(kb, p['source'])}")
    if result.urgency == "emergency":
        chart.caption("The ladder does not apply until the emergency is dealt with.")
        return
    lad = result.ladder  # the figure reads only these: most clicks leave it as it was
    fig = memo("ladder", (lad.step, lad.reason, lad.next_step, lad.next_entry), lambda: ladder_figure(result, kb))
    chart.plotly_chart(fig, key="radix.chart.ladder", config={"displayModeBar": False})


def render_why(result: Result, kb: KnowledgeBase) -> None:
    """Why the leading cause: the findings that moved it most, then the chain behind its presentation."""
    if not result.differential:
        return
    top = max(result.differential, key=lambda d: d.score)
    st.markdown(f"**Why {top.label}?**")
    lines = _cause_chain(result, kb, top.id)
    st.markdown("\n\n".join([*lines[1:6], lines[-1]]) if len(lines) > 7 else "\n\n".join(lines))
    for syndrome in result.syndromes[:2]:
        st.markdown(f"*The presentation — {syndrome.label}:*\n\n" + "\n\n".join(_rule_chain(result, kb, syndrome.id)))


def _gap_lines(gap: RuleGap, kb: KnowledgeBase) -> str:
    lines = [f"**{gap.description}** :small[({gap.rule})]"]
    for p in gap.premises:
        ask = f" — ask: {', '.join(kb.label(u) for u in p.unknown_findings)}" if p.unknown_findings else ""
        if p.status == "unknown" and p.unknown_findings:
            lines.append(f"  - ? ask: {', '.join(kb.label(u) for u in p.unknown_findings)}")
        else:
            lines.append(f"  - {_MARK[p.status]} {p.text}{ask}")
    return "\n".join(lines)


@st.fragment
def render_why_not(result: Result, kb: KnowledgeBase) -> None:
    """Pick a condition or red flag; show why each of its rules did not fire."""
    ranked = [d.id for d in sorted(result.differential, key=lambda d: -d.score)]
    options = [*ranked[1:], ranked[0], *kb.red_flags]  # the runner-up first: "why not that one?"
    _follow_default(WHY_NOT, options)
    st.selectbox("Why not…?", options, key=WHY_NOT, format_func=kb.label)
    target = st.session_state.get(WHY_NOT)
    target = target if target in options else options[0]
    gaps = engine.why_not(result, kb, target)
    if not gaps:
        st.caption("Every rule that concludes it has fired (or none exists).")
    open_gaps = [g for g in gaps if g.blocked_by_unknown]
    if open_gaps:
        st.markdown(f"**Could still count — nothing against, something not asked ({len(open_gaps)}):**")
        st.markdown("\n".join(_gap_lines(g, kb) for g in open_gaps[:8]))
    failed = [g for g in gaps if not g.blocked_by_unknown]
    if failed:
        with st.expander(f"Ruled out by a finding ({len(failed)})"):
            st.markdown("\n".join(_gap_lines(g, kb) for g in failed))
    st.caption("✓ true · ✗ false · ? not asked")


def picture_changes(result: Result, kb: KnowledgeBase, questions: tuple[engine.Question, ...]) -> list[str]:
    """Single answers that change the urgency or put another cause on top, in words:
    urgency first (most urgent), then the likeliest answers that move the top."""
    top = max(result.differential, key=lambda d: d.score).id
    level = engine.URGENCIES
    found: list[tuple[tuple[int, float], str]] = []
    for q in questions:
        for a in q.answers:
            flags = [kb.red_flags[r] for r in a.red_flags if level.index(kb.red_flags[r].urgency) > level.index(result.urgency)]
            if flags:
                found.append(((-level.index(flags[0].urgency), -a.probability),
                              f"**{q.label}: {a.text}** → urgency **{flags[0].urgency}** ({flags[0].label})"))
            elif a.top != top:
                found.append(((0, -a.probability), f"**{q.label}: {a.text}** → **{kb.label(a.top)}** moves to the top "
                              f"({a.top_probability:.0%}; this answer is {a.probability:.0%} likely)"))
    return [text for _, text in sorted(found, key=lambda x: x[0])]


def render_what_if(result: Result, kb: KnowledgeBase, case: engine.Case) -> None:
    """The smallest changes (one answer) that change the urgency or the leading cause, in words."""
    from dashboard.render.summary import best_questions

    findings = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in case.findings.items()}
    lines = picture_changes(result, kb, best_questions(findings, kb))
    if not lines:
        st.caption("No single unanswered question would change the urgency or the leading cause.")
    st.markdown("\n".join(f"- {line}" for line in lines[:6]))
    if len(lines) > 6:
        with st.expander(f"{len(lines) - 6} more"):
            st.markdown("\n".join(f"- {line}" for line in lines[6:]))
    if st.toggle("Every counterfactual, including root and ladder step (slower)", key="radix.what_if_all"):
        changes = memo("what_if", case_key(case.findings), lambda: engine.what_if(case, kb, result))
        rows = [{"if": kb.label(c.finding), "were": _value_text(c.value), "then": "; ".join(c.changes)} for c in changes]
        st.dataframe(rows, hide_index=True)


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset):
        return ", ".join(sorted(str(v).replace("_", " ") for v in value)) or "none"
    return str(value).replace("_", " ")
