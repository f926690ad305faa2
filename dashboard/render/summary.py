"""The summary strip: the consultation at a glance, read in five seconds.

Urgency with its action; the top three causes with their probabilities and a one-line
reason each (the evidence labels that moved them most); the most likely root(s); the next
step on the ladder or the mimic's work-up; and the single best next question from
``engine.ask_next`` with one-click answers. Shortcuts: "mark the remaining red flags as
no" and its undo. Everything comes from the engine; nothing here scores.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

import engine
from dashboard.session.cache import case_key, memo
from dashboard.session.state import CASE, set_findings
from engine import KnowledgeBase, Ranked, Result

__all__ = ["answer", "best_questions", "mark_red_flags_no", "render_ask_next", "render_summary", "undo_red_flags", "why_line"]

MARKED = "radix.red_flags_marked"  # the red-flag findings the shortcut set to "no", for undo
_URGENCY_ICON = {"emergency": ":material/error:", "urgent": ":material/warning:", "routine": ":material/check_circle:"}


def best_questions(findings: dict[str, Any], kb: KnowledgeBase) -> tuple[engine.Question, ...]:
    """Ask-next for these findings, memoised on them (the strip and the panel share it)."""
    return memo("ask_next", case_key(findings), lambda: engine.ask_next(engine.parse_findings(findings, kb), kb))


def why_line(d: Ranked, n: int = 2) -> str:
    """One line: the findings that moved a cause most, for (and the strongest against)."""
    counted = [e for e in d.evidence if e.counted and e.direction != "neutral"]
    pro = sorted((e for e in counted if e.direction == "for"), key=lambda e: -e.contribution)[:n]
    con = sorted((e for e in counted if e.direction == "against"), key=lambda e: e.contribution)[:1]
    parts = [_short(e.label) + ("" if e.observed == "present" else " (absent)") for e in pro]
    parts += [f"against: {_short(e.label)}" + ("" if e.observed == "present" else " (absent)") for e in con]
    return "; ".join(parts) if parts else "prior only: nothing recorded moves it yet"


def _short(text: str, n: int = 48) -> str:
    text = text.split(" (")[0]
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _pct(p: float) -> str:
    return f"{p:.0%}" if p >= 0.1 else f"{p:.1%}"


# ------------------------------------------------------------------ callbacks (shortcuts)


def answer(kb: KnowledgeBase, finding: str, value: Any) -> None:
    """One-click answer: set one finding and show it in its widget."""
    set_findings(kb, {finding: value})


def _answer_number(kb: KnowledgeBase, finding: str, widget: str) -> None:
    value = st.session_state.get(widget)
    if value is not None:
        answer(kb, finding, int(value) if kb.findings[finding].type == "int" else float(value))


def mark_red_flags_no(kb: KnowledgeBase) -> None:
    """Every red-flag question not yet asked becomes "no"; remembered so it can be undone."""
    findings = st.session_state.get(CASE, {})
    marked = [fid for fid in kb.red_flag_findings if fid not in findings]
    st.session_state[MARKED] = marked
    set_findings(kb, {fid: False for fid in marked})


def undo_red_flags(kb: KnowledgeBase) -> None:
    """Put back "not asked" on the red-flag questions the shortcut answered."""
    findings = st.session_state.get(CASE, {})
    set_findings(kb, {fid: None for fid in st.session_state.pop(MARKED, []) if findings.get(fid) is False})


# ------------------------------------------------------------------ drawing


def _urgency_box(result: Result, kb: KnowledgeBase) -> None:
    screen = result.red_flag_screen
    if result.red_flags:
        worst = result.red_flags[0]
        text = f"**{result.urgency.upper()}** — {worst.action}"
        (st.error if result.urgency == "emergency" else st.warning)(text, icon=_URGENCY_ICON[result.urgency])
    elif screen.status == "complete":
        st.success("**Routine** — red-flag screen complete, none raised.", icon=_URGENCY_ICON["routine"])
    else:
        left = len(screen.unasked)
        st.info(f"**Urgency not known yet** — {left} red-flag question{'s' if left != 1 else ''} not asked.",
                icon=":material/help:")


def _red_flag_shortcut(result: Result, kb: KnowledgeBase) -> None:
    unasked = result.red_flag_screen.unasked
    if unasked:
        st.button(f"Mark the {len(unasked)} remaining red flags as no", key="radix.rf_all_no",
                  on_click=mark_red_flags_no, args=(kb,), icon=":material/done_all:",
                  help="Only after asking them: every red-flag question not yet answered becomes 'no'.")
    if st.session_state.get(MARKED):
        st.button(f"Undo: {len(st.session_state[MARKED])} red flags back to not asked", key="radix.rf_undo",
                  on_click=undo_red_flags, args=(kb,), icon=":material/undo:")


def _causes(result: Result, kb: KnowledgeBase) -> None:
    st.markdown("**Most likely causes**")
    lines = []
    for d in sorted(result.differential, key=lambda d: -d.score)[:3]:
        flag = " :red-badge[must not miss]" if d.must_not_miss else ""
        lines.append(f"- **{d.label}** {_pct(d.score)}{flag}  \n  :small[{why_line(d)}]")
    pinned = [d for d in result.differential if d.must_not_miss and d not in sorted(result.differential, key=lambda d: -d.score)[:3]]
    lines += [f"- :red-badge[must not miss] **{d.label}** {_pct(d.score)}" for d in pinned]
    st.markdown("\n".join(lines))


def _root_and_step(result: Result, kb: KnowledgeBase) -> None:
    roots = [r for r in result.roots if r.score >= 0.5 * (result.roots[0].score if result.roots else 0)][:2]
    root_text = ", ".join(f"**{r.root}** ({r.score:.2f})" for r in roots) if roots else "none scored yet"
    lad = result.ladder
    if lad.workup:
        step = f"**Work-up first:** {lad.label}"
    elif result.urgency == "emergency":
        step = f"**{lad.label}** (off the ladder: act now)"
    else:
        step = f"**Ladder step {lad.order}:** {lad.label}"
    st.markdown(f"**Root:** {root_text}  \n{step}")


def render_ask_next(result: Result, kb: KnowledgeBase, findings: dict[str, Any], n: int = 1, prefix: str = "radix.ask") -> None:
    """The ``n`` best next questions, each with one-click answer buttons."""
    questions = best_questions(findings, kb)
    if not questions:
        st.caption("Nothing left to ask would change the differential.")
        return
    for i, q in enumerate(questions[:n]):
        tag = ":red-badge[red flag] " if q.kind == "red_flag" else ":blue-badge[test] " if q.kind == "test" else ""
        sep = ", ".join(kb.label(c) for c in q.raises[:2])
        flag = next((kb.red_flags[r] for a in q.answers for r in a.red_flags), None)
        if q.kind == "red_flag":
            detail = f"if {next(a.text for a in q.answers if a.red_flags)}: {flag.urgency} — {flag.label}" if flag else "red-flag screen"
        else:
            detail = f"{q.gain:.2f} bits" + (f" — separates {sep}" if sep else "")
        st.markdown(f"{tag}**{q.prompt}**  \n:small[{detail}]", help=f"finding id: {q.finding}; expected gain {q.gain:.3f} bits")
        if kb.findings[q.finding].type in ("int", "number"):
            num = f"{prefix}.{i}.{q.finding}.number"
            st.number_input(kb.findings[q.finding].label, value=None, step=1, key=num, placeholder="type a number",
                            on_change=_answer_number, args=(kb, q.finding, num), label_visibility="collapsed")
            continue
        answers = q.answers if len(q.answers) <= 5 else q.answers[:5]
        for col, a in zip(st.columns(len(answers)), answers, strict=True):
            urgent = any(kb.red_flags[r].urgency == "emergency" for r in a.red_flags)
            col.button(a.text, key=f"{prefix}.{i}.{q.finding}.{a.text}".replace(" ", "_"), on_click=answer, args=(kb, q.finding, a.value),
                       use_container_width=True, icon=":material/e911_emergency:" if urgent else None,
                       help=_answer_help(a, kb))


def _answer_help(a: engine.Answer, kb: KnowledgeBase) -> str:
    flags = "; ".join(f"raises {kb.red_flags[r].label} ({kb.red_flags[r].urgency})" for r in a.red_flags)
    return f"{a.probability:.0%} likely; then {kb.label(a.top)} {a.top_probability:.0%}" + (f"; {flags}" if flags else "")


def render_summary(result: Result, kb: KnowledgeBase, findings: dict[str, Any]) -> None:
    """The strip: urgency and action | causes | root and step | the next question."""
    with st.container(border=True, key="radix.summary"):
        if not findings:
            st.markdown("### Start here\nAsk the **red-flag questions** first (or answer the question on the right), "
                        "then take the history section by section. Nothing is assumed until it is entered.")
        first, second, third = st.columns([3, 4, 4], gap="small")
        with first:
            _urgency_box(result, kb)
            _red_flag_shortcut(result, kb)
        with second:
            if findings:
                _causes(result, kb)
                _root_and_step(result, kb)
            else:
                st.markdown("**Most likely causes**  \n:small[None yet: every cause is at its prior until a finding is entered.]")
        with third:
            st.markdown("**Ask next**")
            render_ask_next(result, kb, findings)
