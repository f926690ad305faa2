"""Result cards: red-flag banner, differential with evidence, syndromes, roots, instruments.

Everything shown comes from the engine's ``Result`` and the knowledge base's labels;
nothing here scores or decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dashboard.charts.body_map import body_map_figure
from dashboard.charts.differential import differential_html, evidence_table
from dashboard.session.cache import memo
from engine import BodyMap, KnowledgeBase, RedFlagHit, Result, missing_items

__all__ = [
    "DISCLAIMER",
    "render_banner",
    "render_differential",
    "render_instruments",
    "render_roots",
    "render_syndromes",
    "render_warnings",
]

DISCLAIMER = "Decision support, not a diagnosis: the clinician examines, decides and documents."


def _flag_lines(flags: list[RedFlagHit]) -> str:
    return "\n".join(
        f"- **{f.label}** — {f.action}  \n  *raised by rule* `{'`, `'.join(f.rules)}`"
        for f in flags
    )


def render_banner(result: Result, kb: KnowledgeBase, findings: Mapping[str, Any]) -> None:
    """Emergency (error), urgent (warning) or a small all-clear naming unasked questions."""
    emergency = [f for f in result.red_flags if f.urgency == "emergency"]
    urgent = [f for f in result.red_flags if f.urgency == "urgent"]
    if emergency:
        st.error("## EMERGENCY\n**Act now — do not wait for the rest of the assessment.**\n\n"
                 + _flag_lines(emergency), icon=":material/error:")
    if urgent:
        st.warning("### URGENT\n" + _flag_lines(urgent), icon=":material/warning:")
    if emergency or urgent:
        return
    screen = result.red_flag_screen
    unasked = [kb.findings[fid].label for fid in screen.unasked]
    if screen.status == "not_done":
        st.info("**Red-flag screen not done** — no red-flag question has been asked yet, so this is not an all-clear.",
                icon=":material/help:")
        return
    if screen.status == "incomplete":
        st.warning(f"No red flags raised so far — **{len(unasked)} red-flag question{'s' if len(unasked) != 1 else ''} "
                   "not asked**:  \n:small[" + "; ".join(unasked) + "]", icon=":material/help:")
        return
    st.success("No red flags raised — the red-flag screen is complete.", icon=":material/check_circle:")


def render_differential(result: Result, kb: KnowledgeBase, top_n: int = 10, open_n: int = 3) -> None:
    """Ranked bars, then the evidence for and against each of the top conditions."""
    with st.container(key="radix.chart.differential"):
        st.html(differential_html(result, top_n=top_n))
    for rank, d in enumerate(result.differential[:open_n], start=1):
        tag = " · must-not-miss" if d.must_not_miss else ""
        # lazy: the evidence table is built and sent only while its expander is open
        box = st.expander(f"{rank}. {d.label} — {_pct(d.score)} (prior {_pct(d.prior)}){tag}",
                          key=f"radix.evidence.{rank}", on_change="rerun")
        if not box.open:
            continue
        with box:
            st.caption(kb.conditions[d.id].summary)
            rows = evidence_table(result, kb, d.id)
            if rows:
                st.dataframe(rows, hide_index=True)
            else:
                st.caption("No finding recorded moves it: its probability is its prior among the causes.")


def render_syndromes(result: Result, kb: KnowledgeBase) -> None:
    """Short cards: each syndrome or mechanism with its description, and the pain type."""
    cards = [(s.label, s.kind, s.description) for s in result.syndromes]
    why = " ".join(kb.facts[f].description for f in result.pain_type_facts)
    cards.append((f"Pain type: {result.pain_type}", "pain type", why or "Neither pattern dominates, or too little is known."))
    for start in range(0, len(cards), 2):
        for col, (label, kind, text) in zip(st.columns(2), cards[start:start + 2], strict=False):
            with col.container(border=True):
                name = {"syndrome": "pattern", "mechanism": "mechanism"}.get(kind, kind)
                st.markdown(f"**{label}**  \n:gray-badge[{name}]")
                st.caption(text)


def _root_info(kb: KnowledgeBase) -> dict[str, str]:
    return {
        rid: f"{r.dermatome}\nKey muscle: {r.key_muscle}\nReflex: {r.reflex}\nTests: {r.tests}"
        for rid, r in kb.roots.items()
    }


def render_roots(result: Result, kb: KnowledgeBase, body: BodyMap, findings: Mapping[str, Any]) -> None:
    """The body figure shaded by root likelihood, with pain and numbness overlaid."""
    scores = {r.root: r.score for r in result.roots}

    def build() -> go.Figure:
        fig = body_map_figure(body, scores, findings.get("pain_regions", ()), findings.get("numbness_regions", ()),
                              root_info=_root_info(kb), selectable=False, pain_sides=findings.get("pain_sides", ()),
                              numbness_sides=findings.get("numbness_sides", ()))
        return fig.update_layout(height=600)

    drawn = (tuple((r, round(s, 2)) for r, s in sorted(scores.items())),
             *(tuple(sorted(findings.get(f, ()))) for f in ("pain_regions", "numbness_regions", "pain_sides", "numbness_sides")))
    fig = memo("dermatomes", drawn, build)
    st.plotly_chart(fig, key="radix.chart.dermatomes", config={"displayModeBar": False})
    if result.roots:
        st.dataframe([{"root": r.root, "score": round(r.score, 2), "key muscle": kb.roots[r.root].key_muscle,
                       "reflex": kb.roots[r.root].reflex, "rules": ", ".join(r.rules)} for r in result.roots],
                     hide_index=True)
    else:
        st.caption("No root scored: no dermatomal pain, deficit or tension sign recorded.")


def render_instruments(result: Result, kb: KnowledgeBase) -> None:
    """STarT Back and Konno scores with their bands, or which items are still needed."""
    for col, (iid, inst) in zip(st.columns(len(kb.instruments)), kb.instruments.items(), strict=True):
        res = result.instruments.get(iid)
        with col.container(border=True):
            st.markdown(f"**{inst.label}**")
            if res is None:
                need = missing_items(inst, result.findings)
                st.caption("Not scored — needs items: " + "; ".join(_short(kb.label(f)) for f in need))
            else:
                band = next(b for b in inst.bands if b.id == res.band)
                subs = "".join(f" · {name} {v}" for name, v in res.subscales.items())
                st.markdown(f"Score **{res.total}**{subs}  \n**{band.label}**")
            st.caption("Bands: " + "; ".join(b.label for b in inst.bands))


def _pct(p: float) -> str:
    return f"{p:.0%}" if p >= 0.1 else f"{p:.1%}"


def _short(text: str, n: int = 36) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def render_warnings(result: Result) -> None:
    for text in result.warnings:
        st.warning(text, icon=":material/warning:")
