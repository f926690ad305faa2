"""Validity of the differential on cited cases: python benchmarks/validity.py [--cases] [FOLDER]

FOLDER defaults to the teaching cases (content/cases), which the knowledge base is checked
against; benchmarks/holdout holds published cases never used to tune it (its README).

Prints, over every case file in FOLDER (default content/cases):
- top-1 and top-3 accuracy of the expected cause (in display order, must-not-miss first),
  overall, by presentation (typical, atypical, sparse) and per cause, and how often the
  expected cause is the most probable one;
- urgency agreement, with every under-triaged case named (Radix less urgent than the
  source) and every expected emergency that was not called one;
- calibration of the top-ranked probability: the Brier score over all causes (the mean
  of sum_k (p_k - y_k)^2, where y is 1 for the expected cause) and a reliability table
  (predicted probability of the top cause, binned, against how often it was right).

With ``--cases``, one line per case as well: the expected cause's rank, the top three
causes with their probabilities, and the urgency against the source's.

A measurement, not a test: the golden test asserts each case, this prints the figures the
README and the closing note quote.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import engine  # noqa: E402
from engine.tools.validity import Outcome, evaluate_cases, validity_figures  # noqa: E402

BINS = ((0.0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01))


def _pct(k: int, n: int) -> str:
    return f"{k}/{n} ({k / n:.0%})" if n else "0/0"


def report(outcomes: Sequence[Outcome], folder: str = "content/cases") -> str:
    fig = validity_figures(outcomes)
    n = fig.cases
    lines = [f"{n} cited cases in {folder}", ""]
    lines.append(f"top-1 {_pct(fig.first, n)}   top-3 {_pct(fig.top_three, n)}")
    # the ranks above are in display order (a red flag's must-not-miss causes first); this one
    # asks only whether the expected cause is the most probable
    lines.append(f"  most probable cause is the expected one: {_pct(fig.most_probable, n)}")
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.presentation].append(o)
    for name, items in sorted(groups.items()):
        lines.append(f"  {name:9} top-1 {_pct(sum(o.rank == 1 for o in items), len(items)):12} "
                     f"top-3 {_pct(sum(o.rank <= 3 for o in items), len(items))}")
    lines += ["", f"{'cause':30} {'n':>3} {'top-1':>6} {'top-3':>6} {'urgency':>8}"]
    by_cause: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_cause[o.expected].append(o)
    for cause, items in sorted(by_cause.items()):
        k = len(items)
        lines.append(f"{cause:30} {k:>3} {sum(o.rank == 1 for o in items):>6} {sum(o.rank <= 3 for o in items):>6} "
                     f"{sum(o.urgency == o.expected_urgency for o in items):>8}")
    lines += ["", f"urgency agrees {_pct(fig.urgency_agrees, n)}; under-triaged {fig.under_triaged}; "
                  f"emergencies called {fig.emergencies_called}/{fig.emergencies}"]
    lines += [f"  under-triaged: {o.case} ({o.urgency}, source {o.expected_urgency})" for o in outcomes if o.under_triaged]
    lines += ["", f"Brier score (all causes, lower is better): {fig.brier:.3f}",
              "reliability of the most probable cause (binned probability against how often it was the expected cause):",
              f"  {'predicted':>11} {'cases':>6} {'mean p':>7} {'right':>6}"]
    for lo, hi in BINS:
        items = [o for o in outcomes if lo <= o.top_p < hi]
        if items:
            mean = sum(o.top_p for o in items) / len(items)
            right = sum(o.top == o.expected for o in items) / len(items)
            lines.append(f"  {lo:>4.1f}-{min(hi, 1.0):<4.1f}   {len(items):>6} {mean:>7.2f} {right:>6.2f}")
    return "\n".join(lines)


def case_lines(outcomes: Sequence[Outcome]) -> str:
    """One line per case: rank of the expected cause, the top three, urgency (source)."""
    return "\n".join(
        f"{'ok ' if o.rank == 1 else 'top3' if o.rank <= 3 else 'miss'} #{o.rank:<2} {o.case[:58]:58} "
        f"expected {o.expected}; got {', '.join(f'{c} {p:.2f}' for c, p in o.leaders)}; "
        f"{o.urgency} (source {o.expected_urgency})"
        for o in outcomes)


def main(argv: Sequence[str]) -> int:
    args = [a for a in argv if a != "--cases"]
    if any(a.startswith("-") for a in args) or len(args) > 1:
        print(__doc__.split("\n\n")[0])
        return 2
    folder = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "content" / "cases"
    if not any(folder.glob("*.yaml")):
        print(f"no case files (*.yaml) in {folder}")
        return 2
    kb = engine.load_kb()
    try:
        outcomes = evaluate_cases(folder, kb)
    except engine.CaseError as err:
        print(f"{folder}: {err}")
        return 2
    if "--cases" in argv:
        print(case_lines(outcomes), end="\n\n")
    print(report(outcomes, args[0] if args else "content/cases"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
