"""The batch's fast path, last step: the summary rows, as ``batch.summary_row`` writes them.

Columns of results over a block of rows become one dict per row; the red flags and roots are
joined into text once per distinct combination. A row marked for the scalar path is
replaced by ``summary_row``'s dict, or left out with its reason, as ``batch._chunk`` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import EngineError
from engine.knowledge.base import KnowledgeBase
from engine.knowledge.records import URGENCIES
from engine.tools.batch import COLUMNS, TOP, summary_row
from engine.tools.batch_columns import Cohort, case_ids
from engine.tools.batch_plan import Plan

__all__ = ["Summaries", "summary_rows"]

Summaries = tuple[list[dict[str, Any]], list[tuple[int, str]]]  # summary rows, (row number, reason) per bad row
Mask = NDArray[np.bool_]


def summary_rows(kb: KnowledgeBase, plan: Plan, cohort: Cohort, scalar: Mask, parts: tuple[Any, ...]) -> Summaries:
    urgency, flag_rows, order, score, roots, step = parts
    causes = np.array([*kb.table.causes, None], dtype=object)
    top = min(TOP, len(kb.table.causes))
    pick = np.full((len(cohort.numbers), TOP), len(kb.table.causes))  # past the last cause: None
    pick[:, :top] = order[:, :top]
    p = np.full((len(cohort.numbers), TOP), None, dtype=object)
    p[:, :top] = score[:, :top]
    columns = [
        cohort.numbers, case_ids(cohort), np.array(URGENCIES, dtype=object)[urgency].tolist(),
        _joined(flag_rows, [(f, lvl) for f, lvl, _ in plan.flags]),
        *(part for j in range(TOP) for part in (causes[pick[:, j]].tolist(), p[:, j].tolist())),
        _root_text(plan, roots), np.array(list(kb.ladder), dtype=object)[step].tolist(),
    ]
    out = [dict(zip(COLUMNS, row, strict=True)) for row in zip(*columns, strict=True)]
    bad: list[tuple[int, str]] = []
    if scalar.any():
        for i in sorted(np.flatnonzero(scalar).tolist(), reverse=True):  # from the end: positions stay put
            done = _scalar(kb, cohort.numbers[i], cohort.raw(i))
            if isinstance(done, dict):
                out[i] = done
            else:
                del out[i]
                bad.append((cohort.numbers[i], done))
        bad.reverse()
    return out, bad


def _scalar(kb: KnowledgeBase, number: int, raw: Mapping[str, Any]) -> dict[str, Any] | str:
    """One row by the reference path (``batch._chunk``'s handling): its summary, or the reason it is bad."""
    try:
        if "__error__" in raw:
            raise ValueError(raw["__error__"])
        return summary_row(kb, number, raw)
    except (ValueError, TypeError, EngineError) as exc:
        return " ".join(str(exc).split())


def _distinct(matrix: NDArray[Any]) -> tuple[list[int], list[int]]:
    """The first row of each distinct row of a matrix, and per row its distinct row's number."""
    rows = np.ascontiguousarray(matrix)
    keys = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel().tolist()  # bytes per row
    index: dict[Any, int] = {}
    first: list[int] = []
    which = []
    for i, key in enumerate(keys):
        k = index.get(key)
        if k is None:
            k = index[key] = len(first)
            first.append(i)
        which.append(k)
    return first, which


def _joined(rows: Mask, flags: Sequence[tuple[str, int]]) -> list[str]:
    """Per case the fired red flags, most urgent first (content order within an urgency), ';'-joined."""
    if not flags:
        return [""] * rows.shape[1]
    first, which = _distinct(rows.T)
    texts = []
    for i in first:
        hit = [(f, lvl) for (f, lvl), on in zip(flags, rows[:, i].tolist(), strict=True) if on]
        texts.append(";".join(f for f, _ in sorted(hit, key=lambda h: -h[1])))
    return [texts[k] for k in which]


def _root_text(plan: Plan, scores: NDArray[np.float64]) -> list[str]:
    """Per case ``root:score`` for each root scored above 0, best first (content order on a tie)."""
    if not plan.roots:
        return [""] * scores.shape[0]
    first, which = _distinct(np.rint(scores * 1e4).astype(np.int32))  # scores are k / 1e4: k tells them apart
    names = [r.id for r in plan.roots]
    texts = []
    for i in first:
        scored = sorted(((v, j) for j, v in enumerate(scores[i].tolist()) if v > 0), key=lambda s: (-s[0], s[1]))
        texts.append(";".join(f"{names[j]}:{v:g}" for v, j in scored))
    return [texts[k] for k in which]
