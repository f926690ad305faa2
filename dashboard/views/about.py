"""About page: what Radix is and is not, how scores are computed, and its sources."""

from __future__ import annotations

import streamlit as st

from dashboard.render.results import DISCLAIMER
from dashboard.session.state import get_kb
from dashboard.session.validity import presentation_rows, validity_rows

_ROW_PX = 35  # a dataframe row's height in Streamlit's default theme


def main() -> None:
    kb = get_kb()
    st.title("About Radix")
    st.info(f"**{DISCLAIMER}**")
    st.markdown(
        """
Radix supports a consultation about **low back pain radiating into the leg**, for
clinicians and medical students. It screens red flags, names the pain pattern
(sciatica is a *pattern*; nerve-root compression is a *mechanism*), ranks a
differential, points to the likely nerve root and places the case on a stepped-care
ladder, showing every rule that fired and the source behind it.

The differential is **one probability over competing causes** (the named causes plus a
*non-specific or other* catch-all), summing to 100%: a finding that fits a mimic is
evidence against a disc, and a finding a cause nearly always has counts against it when
it is known to be absent. Each probability takes apart exactly into its prior (drawn from
the primary-care base rate, below) and each finding's contribution, with the source of every
figure; most figures are stated estimates (marked as such), a minority are published.

**It is not** a diagnosis, a triage system or a replacement for examination, imaging
or judgement. A finding left *not asked* is unknown, never "no": a rule whose premise is
unknown does not fire, and the *Explain* tab says which question would let it fire.
A red flag that was not asked cannot be raised.
"""
    )
    st.subheader("How the scores are computed")
    st.markdown(kb.scoring.explanation)
    cells = [(row, cause) for row in kb.likelihoods for cause in row.p]
    published = sum(cause in row.published for row, cause in cells)
    cols = st.columns(3)
    cols[0].markdown("**Base-rate bands** (stated convention)\n\n" + "\n".join(f"- {k}: {v:g}" for k, v in kb.scoring.prior_bands.items())
                     + f"\n\nThe prior keeps {kb.scoring.prior_weight:g} of each base rate's log-odds against the catch-all.")
    cols[1].markdown(f"**Likelihood table**\n\n- {len(kb.likelihoods)} discriminators\n- {len(cells)} cells, {published} published\n"
                     f"- stated estimates keep {kb.scoring.atypical_share:g} of presentations atypical "
                     f"and are held below x{kb.scoring.estimate_cap:g} either way\n"
                     f"- reference: {kb.conditions[kb.scoring.reference].label}")
    cols[2].markdown("**Root certainty factors**\n\n" + "\n".join(f"- {k}: {v:g}" for k, v in kb.scoring.root_certainty_factors.items()))
    st.caption("Scoring sources: " + "; ".join(kb.sources[s].citation for s in kb.scoring.sources))
    st.subheader("How well it does on published cases")
    rows, problems = validity_rows()
    if rows:
        # every set in view at once: Streamlit's default height would scroll the last rows inside the table
        st.dataframe(rows, hide_index=True, height=_ROW_PX * (len(rows) + 1) + 3)
    for line in problems:
        st.warning(line)
    st.caption(
        "Measured on this knowledge base when the page first opened (the same figures as "
        "`python benchmarks/validity.py FOLDER`). The held-out sets are published case reports and "
        "vignettes kept out of the teaching library; the guideline-written presentations are a typical and a "
        "sparse textbook presentation of each cause. Each set was first run blind, once, after a round of "
        "changes (right cause first: second set 15/33, third 10/33, fourth 16/34, fifth 18/34, sixth 16/34, "
        "seventh 14/34, eighth 12/33, ninth 12/33, tenth 21/32, guideline-written 32/34) "
        "and read afterwards; the rules written after reading a set are listed in the README. Many reports are "
        "atypical or give only a few findings, and then Radix ranks the catch-all and the common causes first, "
        "as it should. *First* counts a red flag's must-not-miss cause listed first. Radix's aim on published "
        "cases, the right cause first in 75% and in the top three in 90%, is not reached: read the "
        "differential as a list to work through, never as an answer. Even with every number refitted to the "
        "held-out reports themselves, having seen their answers, this model would not reach that aim on them "
        "(`python benchmarks/ceiling.py`): what is missing is in the reports, not in the numbers."
    )
    by_kind = presentation_rows()
    if by_kind:
        st.dataframe(by_kind, hide_index=True)
        st.caption(
            "The held-out sets pooled, by how much each published report gives: a typical presentation, an atypical "
            "one, or a sparse one (a handful of findings, such as age, sex and a side). The aim is met or nearly met "
            "on typical reports; a sparse report supports only a broad differential, and Radix gives one."
        )
    st.subheader("Sources")
    st.caption(f"{len(kb.sources)} sources; every rule, prior, red flag and ladder step names its own.")
    st.dataframe([{"id": s.id, "kind": s.kind, "year": s.year, "citation": s.citation, "url": s.url}
                  for s in kb.sources.values()], hide_index=True,
                 column_config={"url": st.column_config.LinkColumn("url")})


main()
