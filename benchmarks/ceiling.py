"""How far could this model go on these cases? python benchmarks/ceiling.py [--smoothing A] [FOLDER ...]

The issue's target (the right cause first in 75% of unseen published cases, in the top three
in 90%) is measured on case reports, many of which record only a few findings. This analysis
asks whether any setting of Radix's numbers could reach it on the held-out sets, by refitting
every number the differential uses from the cases themselves:

- every likelihood cell, published or estimated, to the cases' own frequency of the finding
  given the expected cause (Laplace-style: (present + A x shipped cell) / (observed + A));
- every prior to the cases' own cause frequencies, with the catch-all (which no case report
  has as its diagnosis) at 0.001, the prior counted whole (`prior_weight` 1) and no
  atypical-share leak; the red-flag rules, the pinning and the syndrome layer are unchanged.

Two fits, printed beside Radix as shipped:

- in-sample: fitted to every set it is then scored on (and the teaching cases). It has seen
  the answers, so it is an optimistic bound for this model and this vocabulary: a figure
  beyond it needs findings the reports do not give, not better numbers;
- leave-one-set-out: each held-out set scored by numbers fitted to all the other sets and
  the teaching cases, which is what learning the numbers from published cases would give.

With ``--learners`` (needs scikit-learn, which Radix itself does not use: ``pip install
scikit-learn``), two general-purpose classifiers are trained the leave-one-set-out way on the
same observations (each likelihood row present or absent, each red flag that fired): an
L2-regularised logistic regression and a random forest. They are free of Radix's
independence assumption and of its clinical knowledge, so they show what learning from
published cases alone would give.

The knowledge base is rewritten in a temporary folder, one per fit; content/ is untouched.
A measurement, never a test. FOLDER defaults to every ``benchmarks/holdout*`` folder that has
had its first run: a blind set (its README says "First run: not yet") is skipped, because
fitting to it would read it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from shutil import copytree
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.errors import CaseError  # noqa: E402
from engine.knowledge.base import KnowledgeBase  # noqa: E402
from engine.knowledge.load import load_kb  # noqa: E402
from engine.reasoning.case import Case  # noqa: E402
from engine.reasoning.infer import infer  # noqa: E402
from engine.tools.validity import evaluate, read_cases, validity_figures  # noqa: E402

TEACHING = ROOT / "content" / "cases"
# findings that say who and when, not what: a report giving only these names no cause
CONTEXT = frozenset({"age", "sex", "laterality", "duration_weeks", "onset", "back_pain", "smoker", "treatments_tried",
                     "conservative_care_weeks"})
CATCH_ALL_PRIOR = 0.001
# Observed rows per case: (expected cause, ((row id, present?), ...)); counts per (row, cause)
Observed = tuple[str, tuple[tuple[str, bool], ...]]
Read = list[tuple[Path, Case]]  # a folder's case files, read once (engine.tools.validity.read_cases)


def observe(cases: Read, kb: KnowledgeBase) -> list[Observed]:
    """Each case's expected cause and every likelihood row its findings observed (present or absent).

    Red flags that fired are appended as present rows named ``flag:<id>``; ``refit`` finds no
    such row in the table and ignores them, the learners use them."""
    out = []
    for _path, case in cases:
        res = infer(case, kb)
        # every cause carries the same observed rows; the first cause's list is all of them
        rows = [(e.row, e.observed == "present") for e in res.differential[0].evidence]
        rows += [(f"flag:{flag.id}", True) for flag in res.red_flags]
        out.append((case.meta["expected"]["top_condition"], tuple(rows)))
    return out


def _clinical(case: Case) -> int:
    """How many clinical findings (beyond ``CONTEXT``) a case records."""
    return sum(1 for f in case.findings if f not in CONTEXT)


def clinical_findings(sets: Iterable[Read]) -> Counter[int]:
    """How many reports record 0, 1, 2 ... clinical findings; 6 stands for 6 or more."""
    return Counter(min(6, _clinical(case)) for cases in sets for _path, case in cases)


def refit(content: Path, cases: Iterable[Observed], smoothing: float, into: Path) -> KnowledgeBase:
    """A copy of ``content`` whose cells and priors are the cases' own frequencies; loaded and validated."""
    seen: Counter[tuple[str, str]] = Counter()
    present: Counter[tuple[str, str]] = Counter()
    causes_seen: Counter[str] = Counter()
    for cause, rows in cases:
        causes_seen[cause] += 1
        for row, is_present in rows:
            seen[row, cause] += 1
            present[row, cause] += is_present
    copytree(content, into, ignore=lambda _d, names: [n for n in names if n == "cases"])
    conditions: list[dict[str, Any]] = yaml.safe_load((into / "conditions.yaml").read_text())
    causes = [c["id"] for c in conditions if c["id"] != "non_specific"]
    table = yaml.safe_load((into / "likelihoods.yaml").read_text())
    for row in table["rows"]:
        floor = max(row.get("background", 0.0), 0.001)
        for cause in causes:
            shipped = row["p"].get(cause, row["default"])
            p = (present[row["id"], cause] + smoothing * shipped) / (seen[row["id"], cause] + smoothing)
            row["p"][cause] = round(min(max(p, floor), 0.999), 4)
        row["published"] = list(causes)  # fitted figures: no cap, no leak
    total = sum(causes_seen.values()) + len(causes)
    for c in conditions:
        value = CATCH_ALL_PRIOR if c["id"] == "non_specific" else (causes_seen[c["id"]] + 1) / total
        c["prior"] = {"value": round(value, 4), "derivation": "fitted to the cases (benchmarks/ceiling.py)",
                      "sources": c["prior"].get("sources") or ["konstantinou2015"]}
    scoring = yaml.safe_load((into / "scoring.yaml").read_text())
    scoring.update(prior_weight=1.0, atypical_share=0.0)
    for name, data in (("likelihoods.yaml", table), ("conditions.yaml", conditions), ("scoring.yaml", scoring)):
        (into / name).write_text(yaml.safe_dump(data, sort_keys=False, width=200))
    return load_kb(into)


PRESENTATIONS = ("typical", "atypical", "sparse")
THIN, RICHER = "at most one clinical finding", "two or more clinical findings"
GROUPS = ("all", *PRESENTATIONS, THIN, RICHER)
# per group: top-1, top-3, most probable, cases
Figures = dict[str, tuple[int, int, int, int]]


def figures(kb: KnowledgeBase, sets: Iterable[Read]) -> Figures:
    """Top-1, top-3, most probable and cases over ``sets``: overall, by presentation, by findings recorded."""
    tagged = []
    for cases in sets:
        for (_path, case), o in zip(cases, evaluate(cases, kb), strict=True):
            tagged.append((o, {"all", o.presentation, THIN if _clinical(case) <= 1 else RICHER}))
    out = {}
    for group in GROUPS:
        fig = validity_figures([o for o, groups in tagged if group in groups])
        out[group] = (fig.first, fig.top_three, fig.most_probable, fig.cases)
    return out


def _others(observed: Mapping[Path, list[Observed]], held: Path) -> list[Observed]:
    """Every observation but the held-out folder's: what a leave-one-set-out fit learns from."""
    return [c for f, cases in observed.items() if f != held for c in cases]


def _add(a: Figures, b: Figures) -> Figures:
    return {k: (a[k][0] + b[k][0], a[k][1] + b[k][1], a[k][2] + b[k][2], a[k][3] + b[k][3]) for k in b} if a else b


def learners(observed: Mapping[Path, list[Observed]], folders: Sequence[Path]) -> list[tuple[str, int, int, int]]:
    """Leave-one-set-out top-1 and top-3 of two general classifiers: (name, first, top 3, cases)."""
    try:
        import numpy as np
        from sklearn.ensemble import RandomForestClassifier  # type: ignore[import-not-found]
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-not-found]
    except ImportError:
        print("--learners needs scikit-learn (pip install scikit-learn); Radix itself does not use it")
        return []
    names = sorted({row for cases in observed.values() for _c, rows in cases for row, _p in rows})
    column = {name: i for i, name in enumerate(names)}

    def matrix(cases: Sequence[Observed]) -> tuple[Any, Any]:
        x = np.zeros((len(cases), 2 * len(names)))  # one column for present, one for known absent
        for i, (_cause, rows) in enumerate(cases):
            for row, is_present in rows:
                x[i, 2 * column[row] + (not is_present)] = 1.0
        return x, np.array([cause for cause, _rows in cases])

    models: tuple[tuple[str, Callable[[], Any]], ...] = (("logistic regression (C 0.3)", lambda: LogisticRegression(C=0.3, max_iter=5000)),
              ("random forest (500 trees)", lambda: RandomForestClassifier(500, min_samples_leaf=2, random_state=0)))
    out = []
    for name, make in models:
        first = top3 = n = 0
        for held in folders:
            x, y = matrix(_others(observed, held))
            tx, ty = matrix(observed[held])
            model = make().fit(x, y)
            for probs, truth in zip(model.predict_proba(tx), ty, strict=True):
                ranked = list(model.classes_[np.argsort(-probs)])
                first, top3, n = first + (ranked[0] == truth), top3 + (truth in ranked[:3]), n + 1
        out.append((name, first, top3, n))
    return out


def _blind(folder: Path) -> bool:
    # a set without its README is still being built, so blind too
    readme = folder / "README.md"
    return not readme.is_file() or "First run: not yet" in readme.read_text(encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoothing", type=float, default=1.0, help="weight A of the shipped cell in each refit cell")
    parser.add_argument("--learners", action="store_true", help="also two general classifiers (needs scikit-learn)")
    parser.add_argument("folders", nargs="*", type=Path)
    args = parser.parse_args(argv)
    folders = args.folders or sorted((p for p in (ROOT / "benchmarks").glob("holdout*") if p.is_dir() and not _blind(p)),
                                     key=lambda p: (len(p.name), p.name))  # holdout, holdout2 ... holdout10
    folders = [f for f in folders if any(f.glob("*.yaml"))]
    if not folders:
        print("no case files (*.yaml) in the folders given")
        return 2
    kb = load_kb()
    try:
        read = {f: read_cases(f, kb) for f in [TEACHING, *folders]}  # each file read and validated once
    except CaseError as err:
        print(f"a case file cannot be read: {err}")
        return 2
    held_out = [read[f] for f in folders]
    observed = {f: observe(cases, kb) for f, cases in read.items()}
    rows: list[tuple[str, Figures]] = [("Radix as shipped", figures(kb, held_out))]
    with tempfile.TemporaryDirectory() as tmp:
        everything = [c for cases in observed.values() for c in cases]
        rows.append(("refit in-sample (seen the answers)", figures(refit(ROOT / "content", everything, args.smoothing,
                                                                           Path(tmp) / "all"), held_out)))
        loso: Figures = {}
        for held in folders:
            fitted = refit(ROOT / "content", _others(observed, held), args.smoothing, Path(tmp) / held.name)
            loso = _add(loso, figures(fitted, [read[held]]))
        rows.append(("refit leave-one-set-out", loso))
    print(f"{len(folders)} held-out folders: {', '.join(f.name for f in folders)}; smoothing A = {args.smoothing:g}")
    for group in GROUPS:
        n = rows[0][1][group][3]
        print(f"\n{group} ({n} cases)" if n else f"\n{group}: no cases")
        if not n:
            continue
        print(f"  {'':36} {'top-1':>11} {'top-3':>11} {'most probable':>14}")
        for label, figs in rows:
            first, top3, probable, _n = figs[group]
            print(f"  {label:36} {first:>4} ({first / n:>3.0%}) {top3:>4} ({top3 / n:>3.0%}) {probable:>7} ({probable / n:>3.0%})")
    thin = clinical_findings(held_out)
    print("\nreports by clinical findings recorded (beyond age, sex, side, duration, onset, back pain, smoking, "
          "treatments tried): " + ", ".join(f"{k if k < 6 else '6+'}: {thin[k]}" for k in range(7)))
    if args.learners:
        print("\ngeneral classifiers, leave-one-set-out, all cases")
        for name, first, top3, n in learners(observed, folders):
            print(f"  {name:36} {first:>4} ({first / n:>3.0%}) {top3:>4} ({top3 / n:>3.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
