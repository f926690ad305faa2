"""About page: what Radix is and is not, how scores are computed, and its sources."""

from __future__ import annotations

import streamlit as st

from dashboard.render.results import DISCLAIMER
from dashboard.state import get_kb


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

**It is not** a diagnosis, a triage system or a replacement for examination, imaging
or judgement. A finding left *not asked* is unknown, never "no": a rule whose premise is
unknown does not fire, and the *Explain* tab says which question would let it fire.
A red flag that was not asked cannot be raised.
"""
    )
    st.subheader("How the scores are computed")
    st.markdown(kb.scoring.explanation)
    cols = st.columns(3)
    cols[0].markdown("**Prior bands** (convention)\n\n" + "\n".join(f"- {k}: {v:g}" for k, v in kb.scoring.prior_bands.items()))
    cols[1].markdown("**Ordinal likelihood ratios**\n\n" + "\n".join(f"- {k}: {v:g}" for k, v in kb.scoring.ordinal_lr.items()))
    cols[2].markdown("**Root certainty factors**\n\n" + "\n".join(f"- {k}: {v:g}" for k, v in kb.scoring.root_certainty_factors.items()))
    st.caption("Scoring sources: " + "; ".join(kb.sources[s].citation for s in kb.scoring.sources))
    st.subheader("Sources")
    st.caption(f"{len(kb.sources)} sources; every rule, prior, red flag and ladder step names its own.")
    st.dataframe([{"id": s.id, "kind": s.kind, "year": s.year, "citation": s.citation, "url": s.url}
                  for s in kb.sources.values()], hide_index=True,
                 column_config={"url": st.column_config.LinkColumn("url")})


main()
