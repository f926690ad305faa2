"""How the loaded knowledge base does on the cited case sets, measured once per server process."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import engine
from dashboard.session.state import ROOT, content_dir, get_kb
from engine import CaseError, ValidityFigures

# (label, folder): the held-out sets first, the set the knowledge base is tuned against last
CASE_SETS: tuple[tuple[str, Path], ...] = (
    ("Held-out, first set", ROOT / "benchmarks" / "holdout"),
    ("Held-out, second set", ROOT / "benchmarks" / "holdout2"),
    ("Held-out, third set", ROOT / "benchmarks" / "holdout3"),
    ("Held-out, fourth set", ROOT / "benchmarks" / "holdout4"),
    ("Held-out, fifth set", ROOT / "benchmarks" / "holdout5"),
    ("Held-out, sixth set", ROOT / "benchmarks" / "holdout6"),
    ("Held-out, seventh set", ROOT / "benchmarks" / "holdout7"),
    ("Held-out, eighth set", ROOT / "benchmarks" / "holdout8"),
    ("Guideline-written presentations", ROOT / "benchmarks" / "textbook"),
)


@st.cache_resource(show_spinner=False)
def _figures(folder: str, content: str) -> ValidityFigures:  # noqa: ARG001 - content keys the cache to the knowledge base
    return engine.validity_figures(engine.evaluate_cases(Path(folder), get_kb()))


def validity_rows() -> tuple[list[dict[str, object]], list[str]]:
    """One row of figures per case set that is present, and a line per set that could not be read
    (a deployment's own knowledge base may not know a held-out case's vocabulary)."""
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    sets = (*CASE_SETS, ("Teaching cases (tuned against)", content_dir() / "cases"))
    for label, folder in sets:
        if not any(folder.glob("*.yaml")):
            continue
        try:
            fig = _figures(str(folder), str(content_dir()))
        except CaseError as err:
            problems.append(f"{label}: not measured ({len(err.problems)} case files this knowledge base cannot read)")
            continue
        n = fig.cases
        rows.append({
            "cases": label, "n": n,
            "right cause first": f"{fig.first}/{n} ({fig.first / n:.0%})",
            "in the top three": f"{fig.top_three}/{n} ({fig.top_three / n:.0%})",
            "emergencies called": f"{fig.emergencies_called}/{fig.emergencies}",
            "under-triaged": fig.under_triaged,
            "Brier score": f"{fig.brier:.3f}",
        })
    return rows, problems
