"""How much of the miss rate is base rates: python benchmarks/spectrum.py [FOLDER]

Radix's priors are base rates among primary-care presentations of back pain (conditions.yaml).
Published case reports are not drawn from that population: they over-represent the rare
and the atypical (spectrum bias). This sensitivity analysis re-runs the validity figures of
``benchmarks/validity.py`` (``engine.tools.validity``) with every cause's prior log-odds against the catch-all scaled
by a factor: 1 is Radix as shipped, 0 ranks by the likelihood table alone (every cause
equally likely before the findings). The knowledge base is changed in this process only.

It separates two questions the closing notes keep asking: are the misses the likelihood
table's (they stay at factor 0), or the base rates' (they go away as the factor falls)?
Radix as shipped already keeps only half of the primary-care base rates' log-odds
(``scoring.prior_weight``, chosen from this measurement: better calibrated on every set);
factor 1 here is that prior, 0.5 would be a quarter of the base rates' log-odds. A
measurement, never a test.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


import engine  # noqa: E402
from engine.tools.validity import evaluate_cases, validity_figures  # noqa: E402

FACTORS = (1.0, 0.8, 0.6, 0.4, 0.2, 0.0)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "content" / "cases"
    if not any(folder.glob("*.yaml")):
        print(f"no case files (*.yaml) in {folder}")
        return 2
    kb = engine.load_kb()
    table = kb.table
    shipped = table.log_prior
    print(f"{folder}: prior log-odds scaled by a factor (1 = as shipped, 0 = likelihoods alone)\n")
    print(f"{'factor':>6} {'top-1':>7} {'top-3':>7} {'most probable':>14} {'Brier':>6}")
    try:
        for factor in FACTORS:
            # the table is a frozen record; this analysis alone rewrites its priors, in this process
            object.__setattr__(table, "log_prior", tuple(v * factor for v in shipped))
            fig = validity_figures(evaluate_cases(folder, kb))
            n = fig.cases
            print(f"{factor:>6.1f} {fig.first:>3}/{n:<3} {fig.top_three:>3}/{n:<3} {fig.most_probable:>10}/{n:<3} {fig.brier:>6.3f}")
    finally:
        object.__setattr__(table, "log_prior", shipped)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
