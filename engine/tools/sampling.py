"""Random synthetic cases for benchmarks and property tests (never for clinical use)."""

from __future__ import annotations

import random
from typing import Any

from engine.knowledge.base import KnowledgeBase

__all__ = ["random_findings"]


def random_findings(kb: KnowledgeBase, rng: random.Random, p_asked: float = 0.4) -> dict[str, Any]:
    """Each finding asked with probability ``p_asked``, its value uniform over its domain."""
    out: dict[str, Any] = {}
    for f in kb.findings.values():
        if rng.random() >= p_asked:
            continue
        if f.type == "bool":
            out[f.id] = rng.random() < 0.3
        elif f.type in ("int", "number"):
            out[f.id] = rng.randint(int(f.min or 0), min(int(f.max or 0), 90))
        elif f.type == "enum":
            out[f.id] = rng.choice(kb.vocabularies[f.vocabulary or ""])
        else:
            out[f.id] = rng.sample(kb.vocabularies[f.vocabulary or ""], rng.randint(0, 3))
    return out
