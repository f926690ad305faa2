"""How the loaded knowledge base does on the cited case sets, measured once per server process."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import engine
from dashboard.session.state import ROOT, content_dir, get_kb
from engine import CaseError, Outcome, ValidityFigures

# (label, folder): the held-out sets of published reports, pooled by presentation on the About page
HELD_OUT_SETS: tuple[tuple[str, Path], ...] = (
    ("Held-out, first set", ROOT / "benchmarks" / "holdout"),
    ("Held-out, second set", ROOT / "benchmarks" / "holdout2"),
    ("Held-out, third set", ROOT / "benchmarks" / "holdout3"),
    ("Held-out, fourth set", ROOT / "benchmarks" / "holdout4"),
    ("Held-out, fifth set", ROOT / "benchmarks" / "holdout5"),
    ("Held-out, sixth set", ROOT / "benchmarks" / "holdout6"),
    ("Held-out, seventh set", ROOT / "benchmarks" / "holdout7"),
    ("Held-out, eighth set", ROOT / "benchmarks" / "holdout8"),
    ("Held-out, ninth set", ROOT / "benchmarks" / "holdout9"),
    ("Held-out, tenth set", ROOT / "benchmarks" / "holdout10"),
)
# every measured set: the held-out ones first, the set the knowledge base is tuned against last (validity_rows)
CASE_SETS: tuple[tuple[str, Path], ...] = (*HELD_OUT_SETS, ("Guideline-written presentations", ROOT / "benchmarks" / "textbook"))


PRESENTATIONS = ("typical", "atypical", "sparse")  # how much a report gives (the case format's `presentation`)


@st.cache_resource(show_spinner=False)
def _outcomes(folder: str, content: str) -> tuple[Outcome, ...]:  # noqa: ARG001 - content keys the cache to the knowledge base
    return tuple(engine.evaluate_cases(Path(folder), get_kb()))


def _measured(label: str, folder: Path) -> tuple[Outcome, ...] | str | None:
    """A present set's outcomes, or why this knowledge base could not measure it (a
    deployment's own knowledge base may not know a held-out case's vocabulary); None when
    the folder holds no case."""
    if not any(folder.glob("*.yaml")):
        return None
    try:
        return _outcomes(str(folder), str(content_dir()))
    except CaseError as err:
        # the first problem names its file (engine.tools.validity.read_cases)
        return f"{label}: not measured (this knowledge base cannot read {err.problems[0]})"


def _row(label: str, fig: ValidityFigures) -> dict[str, object]:
    n = fig.cases
    return {
        "cases": label, "n": n,
        "right cause first": f"{fig.first}/{n} ({fig.first / n:.0%})",
        "in the top three": f"{fig.top_three}/{n} ({fig.top_three / n:.0%})",
        "emergencies called": f"{fig.emergencies_called}/{fig.emergencies}",
        "under-triaged": fig.under_triaged,
        "Brier score": f"{fig.brier:.3f}",
    }


def validity_rows() -> tuple[list[dict[str, object]], list[str]]:
    """One row of figures per case set that is present, and a line per set that could not be read."""
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    for label, folder in (*CASE_SETS, ("Teaching cases (tuned against)", content_dir() / "cases")):
        outs = _measured(label, folder)
        if isinstance(outs, str):
            problems.append(outs)
        elif outs is not None:
            rows.append(_row(label, engine.validity_figures(outs)))
    return rows, problems


def presentation_rows() -> list[dict[str, object]]:
    """The held-out sets pooled, one row per presentation (typical, atypical, sparse): how the
    figures fall with how much a published report gives. Sets this knowledge base cannot read
    are left out (``validity_rows`` says which)."""
    pooled: list[Outcome] = []
    for label, folder in HELD_OUT_SETS:
        outs = _measured(label, folder)
        if isinstance(outs, tuple):
            pooled += outs
    groups = [(kind, [o for o in pooled if o.presentation == kind]) for kind in PRESENTATIONS]
    return [_row(f"{kind} reports", engine.validity_figures(outs)) for kind, outs in groups if outs]
