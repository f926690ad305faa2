"""The consultation report as a document: everything a colleague needs to check the reasoning.

Sections: disclaimer, urgency and red flags, findings (known and not asked), syndromes,
differential with evidence for and against, roots with the dermatome map, instruments,
ladder with its figure, the reasoning trace, sources, versions and date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from engine import KnowledgeBase, Result, evidence_for

from .document import Block, Bullets, Callout, Document, Heading, Image, Para, Table
from .images import ChartImages
from .values import findings_by_group, value_text

__all__ = ["DISCLAIMER", "consultation_report", "evidence_rows"]

DISCLAIMER = ("Decision support, not a diagnosis. Radix shows its reasoning so that a clinician can check it; it never "
              "replaces examination, imaging where indicated, or clinical judgement. The clinician examines, decides "
              "and documents.")
_URGENCY_TONE = {"emergency": "critical", "urgent": "warning", "routine": "ok"}


def _pct(p: float) -> str:
    return f"{p:.0%}" if p >= 0.1 else f"{p:.1%}"


def _header(result: Result) -> list[Block]:
    flags = result.red_flags
    lines = [f"**Urgency: {result.urgency.upper()}.**"]
    lines += [f"Red flag ({f.urgency}): **{f.label}**: {f.action}" for f in flags] or ["No red flag raised."]
    blocks: list[Block] = [Callout(DISCLAIMER, "info"), Heading("Urgency and red flags"),
                           Callout("\n".join(lines), _URGENCY_TONE.get(result.urgency, "info"))]
    blocks += [Callout(w, "warning") for w in result.warnings]
    return blocks


def _findings(kb: KnowledgeBase, findings: dict[str, Any]) -> list[Block]:
    known: list[tuple[str, ...]] = []
    unknown: list[str] = []
    for title, rows in findings_by_group(kb, findings):
        asked = [(fid, v) for fid, v in rows if v is not None]
        known += [(title, kb.findings[fid].label, value_text(v, kb, fid)) for fid, v in asked]
        missing = [kb.findings[fid].label for fid, v in rows if v is None]
        if missing:
            unknown.append(f"**{title}:** " + "; ".join(missing))
    blocks: list[Block] = [Heading("Findings"), Para(f"{len(known)} findings recorded; a finding not asked is unknown, "
                                                     "never taken as absent.", small=True)]
    if known:
        blocks.append(Table(("section", "finding", "value"), tuple(known), (0.22, 0.48, 0.30), small=True))
    blocks += [Heading("Not asked", 3), Para("\n".join(unknown) if unknown else "Every finding was asked.", small=True)]
    return blocks


def evidence_rows(result: Result, kb: KnowledgeBase, condition: str) -> list[tuple[str, ...]]:
    """(direction, evidence, weight, sources) per counted piece of evidence about one cause, read
    from the result's own record (never re-scored): the weight is the likelihood ratio against the
    non-specific catch-all, marked when it is a stated estimate rather than a published figure."""
    return [
        (e.direction, f"{e.label}: {e.observed}", f"LR {10 ** e.contribution:.2g}" + ("" if e.published else " (estimate)"),
         ", ".join(e.sources))
        for e in evidence_for(result, kb, condition)
    ]


def _differential(result: Result, kb: KnowledgeBase, top_n: int, detail_n: int) -> list[Block]:
    rows = tuple(
        (str(i), d.label + (" (must not miss)" if d.must_not_miss else ""), _pct(d.score), _pct(d.prior),
         str(len(d.for_rules)), str(len(d.against_rules)))
        for i, d in enumerate(result.differential[:top_n], 1)
    )
    blocks: list[Block] = [
        Heading("Differential"),
        Para("Probability after the evidence (odds × likelihood ratios from a sourced prior); serious conditions "
             "named by a red flag are listed first.", small=True),
        Table(("#", "condition", "probability", "prior", "for", "against"), rows, (0.05, 0.47, 0.13, 0.11, 0.12, 0.12)),
    ]
    for d in result.differential[:detail_n]:
        ev = evidence_rows(result, kb, d.id)
        blocks.append(Heading(f"Evidence: {d.label} ({_pct(d.score)})", 3))
        if ev:
            blocks.append(Table(("direction", "evidence", "weight", "sources"), tuple(ev), (0.12, 0.52, 0.16, 0.20), small=True))
        else:
            blocks.append(Para("No rule moved it: the prior stands.", small=True))
    return blocks


def _roots(result: Result, kb: KnowledgeBase, images: ChartImages | None) -> list[Block]:
    blocks: list[Block] = [Heading("Syndromes, pain type and nerve roots")]
    blocks.append(Bullets(tuple(s.label if s.kind in s.label else f"{s.label} ({s.kind})" for s in result.syndromes)
                          or ("No syndrome established.",)))
    blocks.append(Para(f"Pain type: **{result.pain_type}**."))
    if result.roots:
        blocks.append(Table(("root", "score", "dermatome", "key muscle", "reflex"), tuple(
            (r.root, f"{r.score:.2f}", kb.roots[r.root].dermatome, kb.roots[r.root].key_muscle, kb.roots[r.root].reflex)
            for r in result.roots), (0.08, 0.08, 0.38, 0.30, 0.16), small=True))
    else:
        blocks.append(Para("No root scored: no dermatomal pain, deficit or tension sign recorded.", small=True))
    if images and images.dermatomes:
        blocks.append(Image(images.dermatomes, "Dermatome map: shading = root likelihood; hatched = pain; "
                                               "dotted = numbness.", 0.68))
    return blocks


def _instruments(result: Result, kb: KnowledgeBase) -> list[Block]:
    rows = []
    for iid, inst in kb.instruments.items():
        res = result.instruments.get(iid)
        if res is None:
            rows.append((inst.label, "not scored: an item was not asked", ""))
        else:
            band = next((b.label for b in inst.bands if b.id == res.band), res.band)
            subs = "; ".join(f"{k} {v}" for k, v in res.subscales.items())
            rows.append((inst.label, f"{res.total}" + (f" ({subs})" if subs else ""), band))
    return [Heading("Instruments"), Table(("instrument", "score", "band"), tuple(rows), (0.45, 0.25, 0.30))]


def _ladder(result: Result, kb: KnowledgeBase, images: ChartImages | None) -> list[Block]:
    lad = result.ladder
    blocks: list[Block] = [Heading("Treatment ladder"),
                           Para(f"**Step {lad.order}: {lad.label}.** {lad.reason}")]
    if lad.next_step:
        blocks.append(Para(f"Next: {kb.label(lad.next_step)}, when {lad.next_entry}"))
    if images and images.ladder:
        blocks.append(Image(images.ladder, "Treatment ladder: ✓ passed, ▶ current step, faint = later steps.", 0.72))
    if lad.do_not_offer:
        blocks += [Heading("Do not offer", 3),
                   Bullets(tuple(f"{d['treatment']}: {d['text']} ({d['source']})" for d in lad.do_not_offer))]
    return blocks


def _trace(result: Result) -> list[Block]:
    rows = tuple(
        (str(f.order), f.rule, "; ".join(f.premises), f.concludes + (f" [{f.weight}]" if f.weight else ""), ", ".join(f.sources))
        for f in result.trace
    )
    return [Heading("Reasoning trace"),
            Para(f"{len(rows)} rules fired, in firing order (layer, then priority, then rule id).", small=True),
            Table(("#", "rule", "matched", "concludes", "sources"), rows, (0.05, 0.25, 0.32, 0.20, 0.18), small=True)]


def cited_sources(result: Result, kb: KnowledgeBase, extra: Iterable[str] = ()) -> list[str]:
    """Every source id the result leans on, in first-cited order."""
    seen: dict[str, None] = {}
    for f in result.trace:
        seen.update(dict.fromkeys(f.sources))
    seen.update(dict.fromkeys(kb.ladder[result.ladder.step].sources))
    for d in result.differential[:3]:
        seen.update(dict.fromkeys(kb.conditions[d.id].sources))
    seen.update(dict.fromkeys(extra))
    return [s for s in seen if s in kb.sources]


def consultation_report(
    result: Result,
    kb: KnowledgeBase,
    findings: dict[str, Any],
    versions: Mapping[str, str],
    made: datetime,
    images: ChartImages | None = None,
    case_ref: str | None = None,
    top_n: int = 8,
    detail_n: int = 3,
) -> Document:
    """The whole report; ``images`` may be missing (the report then says why)."""
    meta = {"engine": versions.get("engine", "?"), "content": versions.get("content", "?"), "date": f"{made:%Y-%m-%d %H:%M} UTC"}
    subtitle = (f"Case {case_ref or '(no reference)'} · {meta['date']} · engine {meta['engine']} · content {meta['content']}")
    blocks: list[Block] = _header(result)
    blocks += _differential(result, kb, top_n, detail_n)
    blocks += _roots(result, kb, images)
    blocks += _instruments(result, kb)
    blocks += _ladder(result, kb, images)
    if images and images.problem:
        blocks.append(Para(f"Figures not included: {images.problem}.", small=True))
    blocks += _findings(kb, findings)
    blocks += _trace(result)
    blocks += [Heading("Sources"), Table(("id", "citation"), tuple(
        (s, kb.sources[s].citation + ("" if kb.sources[s].verified else " (not independently verified)"))
        for s in cited_sources(result, kb)), (0.2, 0.8), small=True)]
    blocks += [Heading("About this report"), Para(
        f"Made by Radix on {meta['date']} with engine {meta['engine']} and content {meta['content']} "
        "(a digest of the knowledge-base files). " + DISCLAIMER, small=True)]
    return Document("Radix consultation report", subtitle, tuple(blocks),
                    footer=f"Radix · decision support, not a diagnosis · case {case_ref or '-'} · {meta['date']}", meta=meta)
