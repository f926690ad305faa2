"""Turn fired rules into scores in [0, 1] that can be taken apart rule by rule.

Differential (documented in content/scoring.yaml): one mechanism, odds times ratios.
1. Start from the condition's prior: a sourced base rate, or a stated convention band.
2. Multiply the prior odds by the likelihood ratio of each rule that fired: the published
   ratio where the literature gives one, else the ordinal scale (weak / moderate / strong,
   after Jaeschke 1994's small / moderate / large), inverted for evidence against.
   Rules in one ``group`` describe correlated findings, so only the strongest ratio for
   and the strongest against in a group count (naive Bayes would double count them).
   In log-odds every counted rule adds log(LR): the decomposition is exact.
Roots have no base rates: a root's score is a certainty factor (MYCIN, Shortliffe &
Buchanan 1975), the parallel combination of its rules for minus against, floored at 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from math import log, log10

from .kb import KnowledgeBase, Rule

__all__ = ["Evidence", "Scored", "combine_cf", "contributions", "rule_lr", "score_condition", "score_root"]


@dataclass(frozen=True, slots=True)
class Evidence:
    rule: str
    direction: str  # "for" | "against"
    lr: float | None
    cf: float | None
    counted: bool  # False when a stronger rule of the same group already counts


@dataclass(frozen=True, slots=True)
class Scored:
    id: str
    score: float
    prior: float
    evidence: tuple[Evidence, ...]


def combine_cf(values: Iterable[float]) -> float:
    """MYCIN's parallel combination of certainty factors of one sign: 1 - prod(1 - cf)."""
    rest = 1.0
    for v in values:
        rest *= 1.0 - v
    return 1.0 - rest


def rule_lr(rule: Rule, scale: dict[str, float]) -> float:
    """A rule's likelihood ratio: published, or from the ordinal scale (inverted if against)."""
    if rule.lr is not None:
        return rule.lr
    lr = scale[rule.support or ""]
    return lr if rule.direction == "for" else 1.0 / lr


def _evidence(rules: Sequence[Rule], scale: dict[str, float], as_lr: bool) -> list[Evidence]:
    """Weigh each rule; inside a group keep only the strongest for and strongest against."""
    out: list[Evidence] = []
    best: dict[tuple[str, str], int] = {}
    for rule in rules:
        if as_lr:
            ev = Evidence(rule.id, rule.direction, rule_lr(rule, scale), None, True)
        else:
            ev = Evidence(rule.id, rule.direction, None, scale[rule.support or ""], True)
        strength = abs(log(ev.lr)) if ev.lr else (ev.cf or 0.0)
        key = (rule.group or rule.id, rule.direction)
        if key in best:
            j = best[key]
            prev = out[j]
            prev_strength = abs(log(prev.lr)) if prev.lr else (prev.cf or 0.0)
            if strength <= prev_strength:
                out.append(replace(ev, counted=False))
                continue
            out[j] = replace(prev, counted=False)
        best[key] = len(out)
        out.append(ev)
    return out


def _apply(prior: float, evidence: Sequence[Evidence]) -> float:
    odds = prior / (1.0 - prior)
    for ev in evidence:
        if ev.counted and ev.lr is not None:
            odds *= ev.lr
    return odds / (1.0 + odds)


def prior_of(kb: KnowledgeBase, condition: str) -> float:
    prior = kb.conditions[condition].prior
    return prior.value if prior.value is not None else kb.scoring.prior_bands[prior.band or ""]


def score_condition(kb: KnowledgeBase, condition: str, rules: Sequence[Rule]) -> Scored:
    """Score one condition from the weighted rules that fired for it (firing order)."""
    prior = prior_of(kb, condition)
    evidence = tuple(_evidence(rules, kb.scoring.ordinal_lr, as_lr=True))
    return Scored(condition, round(_apply(prior, evidence), 4), prior, evidence)


def score_root(kb: KnowledgeBase, root: str, rules: Sequence[Rule]) -> Scored:
    """Score one nerve root: combined certainty factor of its rules, floored at 0."""
    evidence = tuple(_evidence(rules, kb.scoring.root_certainty_factors, as_lr=False))
    b = combine_cf(e.cf or 0.0 for e in evidence if e.counted and e.direction == "for")
    d = combine_cf(e.cf or 0.0 for e in evidence if e.counted and e.direction == "against")
    cf = 0.0 if b == d else (b - d) / (1.0 - min(b, d))
    return Scored(root, round(max(cf, 0.0), 4), 0.0, evidence)


def contributions(scored: Scored) -> list[tuple[str, float]]:
    """Each rule's share of a condition's log-odds (log10 LR; 0 when a stronger rule of its
    group counts instead). Prior log-odds plus these shares is the score's log-odds."""
    return [(ev.rule, round(log10(ev.lr), 3) if ev.counted and ev.lr else 0.0) for ev in scored.evidence]
