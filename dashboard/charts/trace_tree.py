"""The whole reasoning trace as an indented tree: each conclusion over what it rests on.

Pure: returns plain rows and never calls ``st.*``. A graph of every firing crosses its own
lines beyond a few dozen firings; a tree cannot. Each concluded fact (red flag, ladder
step, root, syndrome, sign) is a line, and beneath it, indented, the premises its rule
matched: a fact concluded earlier opens its own subtree (once; later mentions say "see
above"), a finding is a leaf. The differential comes last: each leading cause with the
findings that moved it, for (+) and against (−), and the weight of each as a likelihood
ratio, from the evidence the engine recorded (nothing is re-scored). Labels throughout;
the rule id is kept on each line for a tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from engine import Firing, KnowledgeBase, Result

__all__ = ["TreeLine", "trace_tree", "weight_words"]

Kind = Literal["section", "fact", "finding", "seen", "cause", "for", "against"]
# reading order: what to act on first, then what it rests on
_SECTIONS: tuple[tuple[str, str], ...] = (
    ("red_flag", "Red flags"), ("ladder", "Ladder rules that fired"), ("root", "Nerve roots"),
    ("syndrome", "Syndromes and mechanisms"), ("sign", "Signs"), ("check", "Checks"),
)


@dataclass(frozen=True)
class TreeLine:
    depth: int
    kind: Kind
    text: str
    detail: str = ""  # rule id and description, or the evidence's basis: for a tooltip


def weight_words(log10_ratio: float) -> str:
    """A likelihood ratio in words and numbers: 'strong for (×4.1)', 'weak against (×0.80)'."""
    size = abs(log10_ratio)
    word = "weak" if size < 0.2 else "moderate" if size < 0.5 else "strong" if size < 1 else "very strong"
    side = "for" if log10_ratio > 0 else "against"
    ratio = 10 ** log10_ratio
    return f"{word} {side} (×{ratio:.0f})" if ratio >= 10 else f"{word} {side} (×{ratio:.2f})"


def _fact_lines(fact: str, depth: int, by_fact: dict[str, list[Firing]], kb: KnowledgeBase,
                shown: set[str]) -> list[TreeLine]:
    if fact in shown:
        return [TreeLine(depth, "seen", f"{kb.label(fact)} (see above)")]
    shown.add(fact)
    lines: list[TreeLine] = []
    for firing in by_fact[fact]:
        weight = f" · {firing.weight}" if firing.weight else ""
        lines.append(TreeLine(depth, "fact", f"{kb.label(fact)}{weight}", f"{firing.rule}: {firing.description}"))
        for leaf in firing.matched:
            sub = leaf.get("fact")
            if sub in by_fact and sub != fact:
                lines += _fact_lines(str(sub), depth + 1, by_fact, kb, shown)
            else:
                lines.append(TreeLine(depth + 1, "finding", str(leaf.get("text", "")), firing.rule))
    return lines


def _cause_lines(result: Result, top: int) -> list[TreeLine]:
    lines = [TreeLine(0, "section", "Causes (likelihood table, after chaining)")]
    for d in sorted(result.differential, key=lambda d: -d.score)[:top]:
        lines.append(TreeLine(1, "cause", f"{d.label} {d.score:.0%}", f"{d.id}; prior {d.prior:.1%}"))
        moved = sorted((e for e in d.evidence if e.counted and e.direction != "neutral"), key=lambda e: -abs(e.contribution))
        for e in moved:
            seen = "" if e.observed == "present" else " (absent)"
            basis = "published" if e.published else "stated estimate"
            lines.append(TreeLine(2, "for" if e.direction == "for" else "against", f"{e.label}{seen} · "
                                  f"{weight_words(e.contribution)}", f"{e.row}; {basis}"))
        if not moved:
            lines.append(TreeLine(2, "seen", "prior only: no finding recorded moves it"))
    return lines


def trace_tree(result: Result, kb: KnowledgeBase, top_causes: int = 5) -> list[TreeLine]:
    """Every chained conclusion over its premises, by section, then the leading causes' evidence."""
    by_fact: dict[str, list[Firing]] = {}
    layer: dict[str, str] = {}
    for f in sorted(result.trace, key=lambda f: f.order):
        if f.layer != "differential":
            by_fact.setdefault(f.concludes, []).append(f)
            layer.setdefault(f.concludes, f.layer)
    lines: list[TreeLine] = []
    shown: set[str] = set()
    for section, title in _SECTIONS:
        facts = [fact for fact in by_fact if layer[fact] == section and fact not in shown]
        if not facts:
            continue
        lines.append(TreeLine(0, "section", title))
        if section == "ladder" and result.ladder.step not in facts:  # an emergency or a work-up overrides them
            lines.append(TreeLine(1, "seen", f"the step chosen is {result.ladder.label}: {result.ladder.reason}"))
        for fact in facts:
            lines += _fact_lines(fact, 1, by_fact, kb, shown)
    rest = [fact for fact in by_fact if fact not in shown]  # a layer not listed above
    if rest:
        lines.append(TreeLine(0, "section", "Other conclusions"))
        for fact in rest:
            lines += _fact_lines(fact, 1, by_fact, kb, shown)
    return lines + _cause_lines(result, top_causes)
