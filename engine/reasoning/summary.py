"""The summary of an inference without its cards or trace: for counterfactuals and batches.

``summarize(findings, kb)`` gives what "what would change the picture?" compares and what a
batch row holds: urgency, fired red flags, the causes ranked with their probabilities, the
nerve roots with their scores and the ladder step. It runs the same steps as ``infer``
(instruments, chaining, observations, log-odds) and shares their code, but builds no
evidence record, card or trace, so it is several times cheaper. Its answers equal the full
result's (tests/test_fast_paths.py checks this on generated cases).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.knowledge.base import KnowledgeBase
from engine.reasoning.chaining import chain
from engine.reasoning.infer import _roots, fired_by_fact, inputs_of, ladder_step, pinned_tiers, rank_key, red_flags, tier_of
from engine.reasoning.instruments import score_all
from engine.reasoning.scoring import log_odds_of, probabilities, weigh

__all__ = ["Summary", "summarize"]


@dataclass(frozen=True, slots=True)
class Summary:
    urgency: str
    red_flags: tuple[str, ...]  # most urgent first, as in Result.red_flags
    differential: tuple[tuple[str, float], ...]  # (cause, probability rounded as in Result), in Result's order
    roots: tuple[tuple[str, float], ...]  # (root, score), best first
    step: str

    @property
    def top(self) -> str | None:
        return self.differential[0][0] if self.differential else None

    @property
    def root(self) -> str | None:
        return self.roots[0][0] if self.roots else None


def summarize(findings: Mapping[str, Any], kb: KnowledgeBase) -> Summary:
    """``infer(findings, kb)`` reduced to its summary (findings as in ``Case.findings``)."""
    instruments = score_all(kb, findings)
    inputs = inputs_of(findings, instruments)
    run = chain(kb.network, inputs)
    by_fact = fired_by_fact(kb, run)
    flags = red_flags(kb, by_fact)
    urgency = flags[0].urgency if flags else "routine"
    _, counted = weigh(kb, inputs, {fid: True for fid in by_fact})
    probs = probabilities(log_odds_of(kb, counted))
    ids, priors = kb.table.causes, kb.table.priors_rounded
    lead, pinned = pinned_tiers(kb, [f.id for f in flags])
    ranked = sorted(
        ((c, round(p, 4), prior) for c, p, prior in zip(ids, probs, priors, strict=True)),
        key=lambda d: rank_key(d[0], tier_of(d[0], lead, pinned), d[1], d[2]),
    )
    top = next((c for c, _, _ in ranked if c not in pinned), None)
    return Summary(
        urgency,
        tuple(f.id for f in flags),
        tuple((c, p) for c, p, _ in ranked),
        tuple((r.root, r.score) for r in _roots(kb, by_fact)),
        ladder_step(kb, by_fact, urgency, top),
    )
