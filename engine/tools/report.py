"""A plain-text report of a result, with the full trace: for the CLI and for printing."""

from __future__ import annotations

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.records import Instrument
from engine.reasoning.instruments import InstrumentResult
from engine.reasoning.result import Result

__all__ = ["text_report"]

BAR = "=" * 72


def _section(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def instrument_line(inst: Instrument, res: InstrumentResult | None) -> str:
    """One instrument in words, its maxima and band labels read from its content record."""
    if res is None:
        return f"{inst.label}: not scored (items unknown)"
    parts = [f"total {res.total}/{inst.maximum()}"]
    parts += [f"{name} {res.subscales[name]}/{inst.maximum(name)}" for name in inst.subscales]
    band = next(b.label for b in inst.bands if b.id == res.band)
    return f"{inst.label}: {', '.join(parts)}; {band}"


def _instruments(result: Result, kb: KnowledgeBase) -> list[str]:
    lines = _section("Instruments")
    return lines + [instrument_line(kb.instruments[iid], res) for iid, res in result.instruments.items()]


def text_report(result: Result, kb: KnowledgeBase, top_n: int = 8) -> str:
    """A readable report: urgency and red flags first, then the picture, then the trace."""
    lines = [BAR, f"RADIX  {result.case_id or ''}".rstrip(), "Decision support, not a diagnosis.", BAR]
    lines.append(f"URGENCY: {result.urgency.upper()}")
    for f in result.red_flags:
        lines.append(f"  RED FLAG [{f.urgency}] {f.label}: {f.action} (rules: {', '.join(f.rules)})")
    for w in result.warnings:
        lines.append(f"  WARNING: {w}")
    lines += _section("Syndromes and pain type")
    lines += [f"  {s.label} [{s.kind}]" for s in result.syndromes] or ["  none established"]
    lines.append(f"  Pain type: {result.pain_type}")
    lines += _section(f"Differential (top {top_n}; * = must not miss)")
    for d in result.differential[:top_n]:
        mark = "*" if d.must_not_miss else " "
        lines.append(f" {mark}{d.score:6.2f}  {d.label}  (prior {d.prior:.3g}; for: {len(d.for_rules)}, against: {len(d.against_rules)})")
    lines += _section("Nerve roots")
    lines += [f"  {r.root:6} {r.score:.2f}  {kb.roots[r.root].dermatome}" for r in result.roots] or ["  no root implicated"]
    lines += _instruments(result, kb)
    lines += _section("Treatment ladder")
    lines.append(f"  Step {result.ladder.order}: {result.ladder.label}")
    lines.append(f"  Why: {result.ladder.reason}")
    if result.ladder.next_step:
        lines.append(f"  Next: {kb.label(result.ladder.next_step)} when {result.ladder.next_entry}")
    lines += _section(f"Reasoning trace ({len(result.trace)} firings)")
    for firing in result.trace:
        weight = f" [{firing.weight}]" if firing.weight else ""
        lines.append(f"  {firing.order:3}. {firing.rule} -> {firing.concludes}{weight}")
        lines.append(f"       on: {'; '.join(firing.premises)}")
        lines.append(f"       source: {', '.join(firing.sources)}")
    return "\n".join(lines) + "\n"
