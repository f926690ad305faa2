"""numpy over many cases at once, to the bit where it counts: probabilities per row,
``round(p, 4)`` per value, and where a value a few ulps off could round the other way.

Shared by the batch's fast path (``engine.tools.batch_vector``) and ask-next
(``engine.reasoning.ask``), which compute with numpy and take the scalar path wherever
``near_midpoint`` says the last bits could matter.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["NEAR", "near_midpoint", "round4", "row_probabilities"]

Mask = NDArray[np.bool_]
Floats = NDArray[np.float64]
_LN10 = math.log(10.0)
NEAR = 1e-5  # in units of the 4th decimal: far above any ulp-level difference, so rounding is settled outside it


def row_probabilities(lo: Floats) -> Floats:
    """``scoring.probabilities`` of each row with numpy's exp and sum: equal to it to about
    1e-15, not always to the bit."""
    weights = np.exp((lo - lo.max(axis=1, keepdims=True)) * _LN10)
    probs: Floats = weights / weights.sum(axis=1, keepdims=True)
    return probs


def near_midpoint(x: Floats) -> Mask:
    """Where a value a few ulps off could round (``round(v, 4)``) the other way: within 1e-9
    of a midpoint."""
    scaled = x * 1e4
    near: Mask = np.abs(scaled - np.floor(scaled) - 0.5) < NEAR
    return near


def round4(x: Floats) -> Floats:
    """``round(v, 4)`` for each v >= 0 (below 2**40), exactly: the nearest integer to v * 1e4
    divided by 1e4 (a correctly rounded division gives the double nearest the decimal, as
    ``round`` does); values within reach of a midpoint are rounded by ``round`` itself."""
    out: Floats = np.rint(x * 1e4) / 1e4
    near = near_midpoint(x)
    if near.any():
        out[near] = [round(v, 4) for v in x[near].tolist()]
    return out
