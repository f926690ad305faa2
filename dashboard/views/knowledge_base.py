"""Knowledge-base browser: conditions, rules, roots, red flags, ladder, treatments, sources.

Read-only views of the frozen knowledge base, for teaching and for auditing a result.
"""

from __future__ import annotations

import streamlit as st

from dashboard.session import teaching as ts
from dashboard.session.state import get_kb
from engine import KnowledgeBase, Rule, describe


def _weight(r: Rule) -> str:
    return r.support or ""


def render_likelihoods(kb: KnowledgeBase) -> None:
    """The likelihood table: P(finding | cause) per discriminator, published cells marked."""
    cid = st.selectbox("Cause", [c for c in kb.conditions if c != kb.scoring.reference], key="radix.kb.lik_cause",
                       format_func=kb.label)
    st.caption(f"P(finding present | {kb.label(cid)}) against P(present | {kb.label(kb.scoring.reference)}); "
               "the ratios are those the differential weighs: a stated estimate keeps "
               f"{kb.scoring.atypical_share:g} of presentations atypical and is held below x{kb.scoring.estimate_cap:g}, "
               "a published cell stands. Above 1 favours the cause.")
    cells = kb.table.cells
    st.dataframe([{
        "finding": row.label, "group": row.group, f"P(present | {cid})": row.p.get(cid, row.default),
        "P(present | non-specific)": row.default, "ratio if present": round(10 ** cells[row.id][cid].present, 2),
        "ratio if absent": round(10 ** cells[row.id][cid].absent, 2),
        "basis": "published" if cid in row.published else "stated estimate" if cid in row.p else "as non-specific",
        "sources": ", ".join(row.sources), "note": row.basis,
    } for row in kb.likelihoods], hide_index=True, height=560,
        # the finding's long label would push the figures off a narrow screen: hover shows it whole
        column_config={"finding": st.column_config.TextColumn(width="medium")})


def render_conditions(kb: KnowledgeBase) -> None:
    prior = dict(zip(kb.table.causes, kb.table.priors_rounded, strict=True))  # what the differential starts from
    st.dataframe([{
        "condition": c.label, "kind": c.kind, "urgency": c.urgency,
        "base rate": f"{c.prior.value:g}" if c.prior.value is not None
        else f"{kb.scoring.prior_bands[c.prior.band or '']:g} (band: {c.prior.band})",
        "prior": prior[cid],
        "codes (ICD-10-CM)": ", ".join(code["code"] for code in kb.codes.get(cid, ())),
        "typical age": c.typical_age,
    } for cid, c in kb.conditions.items()], hide_index=True)
    st.caption(f"The prior keeps {kb.scoring.prior_weight:g} of each base rate's log-odds against the catch-all "
               "(content/scoring.yaml), normalised over the causes.")
    cid = st.selectbox("Details of", list(kb.conditions), key="radix.kb.condition", format_func=kb.label)
    c = kb.conditions[cid]
    st.markdown(f"**{c.label}** — {c.summary}")
    st.markdown(f"*Base rate:* {c.prior.derivation} ({', '.join(c.prior.sources)})")
    if c.workup:
        st.markdown("*Work-up:*\n" + "\n".join(f"- {w}" for w in c.workup))
    codes = kb.codes.get(cid, ())
    if codes:
        st.dataframe(list(codes), hide_index=True)
    render_condition_cases(cid)


def render_condition_cases(cid: str) -> None:
    """The teaching cases whose answer is this condition, or that teach telling it apart."""
    library = ts.library_or_error()
    cases = [c for c in library or () if cid in c.causes]
    st.markdown(f"**Teaching cases ({len(cases)})**")
    for c in cases:
        role = "answer" if c.expected.top_condition == cid else "to tell apart"
        # a real link (?case=id), so a case can also be opened from a bookmark
        st.page_link("views/case_library.py", label=f"{c.title} ({role})", icon=":material/library_books:",
                     query_params={"case": c.id})


def render_rules(kb: KnowledgeBase) -> None:
    layers = sorted({r.layer for r in kb.rules})
    picked = st.multiselect("Layers", layers, default=layers, key="radix.kb.layers")
    text = st.text_input("Filter (rule id, conclusion or description)", key="radix.kb.filter").lower()
    rows = [{
        "rule": r.id, "layer": r.layer, "if": " AND ".join(describe(p) for p in r.when) or "always",
        "then": r.then, "direction": r.direction, "weight": _weight(r), "group": r.group,
        "sources": ", ".join(r.sources), "description": r.description,
    } for r in kb.rules if r.layer in picked and text in f"{r.id} {r.then} {r.description}".lower()]
    st.caption(f"{len(rows)} of {len(kb.rules)} rules")
    st.dataframe(rows, hide_index=True, height=560)


def render_ladder_and_treatments(kb: KnowledgeBase) -> None:
    st.dataframe([{"order": s.order, "step": s.label, "entry": s.entry, "summary": s.summary,
                   "sources": ", ".join(s.sources)} for s in sorted(kb.ladder.values(), key=lambda s: s.order)],
                 hide_index=True)
    st.markdown("**Treatments, with each source's stance**")
    st.dataframe([{"treatment": t.label, "step": kb.label(t.step), "stance": p.stance.replace("_", " "),
                   "source": p.source, "text": p.text} for t in kb.treatments.values() for p in t.positions],
                 hide_index=True)


def main() -> None:
    kb = get_kb()
    st.title("Knowledge base")
    st.caption("Everything the engine knows, with its sources. Decision support, not a diagnosis.")
    tabs = st.tabs(["Conditions", "Likelihood table", "Rules", "Roots", "Red flags", "Ladder & treatments", "Sources"])
    with tabs[0]:
        render_conditions(kb)
    with tabs[1]:
        render_likelihoods(kb)
    with tabs[2]:
        render_rules(kb)
    with tabs[3]:
        st.dataframe([{"root": r.id, "dermatome": r.dermatome, "key muscle": r.key_muscle, "reflex": r.reflex,
                       "tests": r.tests, "sources": ", ".join(r.sources)} for r in kb.roots.values()], hide_index=True)
    with tabs[4]:
        st.dataframe([{"red flag": f.label, "urgency": f.urgency, "action": f.action,
                       "suggests": ", ".join(kb.label(s) for s in f.suggests), "sources": ", ".join(f.sources)}
                      for f in kb.red_flags.values()], hide_index=True)
    with tabs[5]:
        render_ladder_and_treatments(kb)
    with tabs[6]:
        st.dataframe([{"id": s.id, "kind": s.kind, "year": s.year, "citation": s.citation, "url": s.url,
                       "verified": s.verified} for s in kb.sources.values()], hide_index=True,
                     column_config={"url": st.column_config.LinkColumn("url")})


main()
