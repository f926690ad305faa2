"""A one-page patient leaflet from the same result, in plain language.

What the clinician thinks (the leading condition in lay words), self-management advice as
the seed articles give it beside NICE NG59's position, the safety net ("go to A&E now if")
and when to come back. The wording lives in ``handout.yaml``, cited by source id.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from engine import KnowledgeBase, Result

from .document import Block, Bullets, Callout, Document, Heading, Para, Table

__all__ = ["HANDOUT_TEXT", "advice_rows", "handout_text", "patient_handout"]

HANDOUT_TEXT = Path(__file__).with_name("handout.yaml")
_STANCE = {"recommended": "recommends", "consider": "says consider", "do_not_offer": "advises against",
           "no_recommendation": "makes no recommendation", "advocated": "mentions"}


@lru_cache(maxsize=1)
def handout_text() -> dict[str, Any]:
    return yaml.safe_load(HANDOUT_TEXT.read_text(encoding="utf-8"))


def nice_position(kb: KnowledgeBase, treatment: str | None) -> str:
    """NICE NG59's stance on a treatment of content/ladder.yaml, or the 'no recommendation' line."""
    text = handout_text()
    if treatment and treatment in kb.treatments:
        for p in kb.treatments[treatment].positions:
            if p.source == "nice_ng59" and p.stance != "no_recommendation":
                return f"NICE NG59 {_STANCE[p.stance]}: {p.text}"
    return str(text["nice_silent"])


def advice_rows(kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    """(what to do, what the articles say [sources], NICE's position) per piece of advice."""
    rows = []
    for item in handout_text()["advice"]:
        said = "; ".join(f"“{s['quote']}” [{s['source']}]" for s in item["seeds"])
        rows.append((item["do"], said, nice_position(kb, item.get("nice_treatment"))))
    return rows


def _picture(result: Result, kb: KnowledgeBase) -> list[Block]:
    lay = handout_text()["lay"]
    top = result.differential[0] if result.differential else None
    blocks: list[Block] = [Heading("What we think is going on")]
    if top is None:
        return blocks + [Para("We need more information before we can say what is causing the pain.")]
    lines = [lay.get(top.id, top.label)]
    serious = [d for d in result.differential if d.must_not_miss and d.id != top.id]
    if serious:
        lines.append("Because of some of your answers, we also want to rule out: "
                     + "; ".join(lay.get(d.id, d.label) for d in serious[:2]))
    return blocks + [Para(" ".join(lines))]


def _urgent_box(result: Result) -> list[Block]:
    if result.urgency == "emergency":
        return [Callout("**Go to A&E now** (or call 999): your answers include a warning sign that needs "
                        "same-day emergency assessment.", "critical")]
    if result.urgency == "urgent":
        return [Callout("**You need to be seen soon**: we are arranging an urgent assessment.", "warning")]
    return []


def patient_handout(result: Result, kb: KnowledgeBase, made: datetime, next_visit: str | None = None) -> Document:
    """The leaflet (no name, no identifier: it carries only the date)."""
    text = handout_text()
    net = text["safety_net"]
    step = kb.ladder[result.ladder.step]
    blocks: list[Block] = [*_urgent_box(result), *_picture(result, kb)]
    blocks += [Para(f"**Plan for now:** {step.label.lower()}, as we discussed.")]
    blocks += [Heading("Looking after your back"),
               Table(("what you can do", "what the articles say", "NICE guideline NG59"),
                     tuple(advice_rows(kb)), (0.32, 0.38, 0.30), small=True)]
    blocks += [Heading("Go to A&E now if"), Bullets(tuple(net["emergency"])),
               Heading("See a doctor within a day or two if"), Bullets(tuple(net["urgent"])),
               Heading("Come back to us if"), Bullets(tuple(text["come_back"] + ([next_visit] if next_visit else [])))]
    cited = sorted({s["source"] for a in text["advice"] for s in a["seeds"]} | {"nice_ng59", *net["sources"]})
    blocks.append(Para("Sources: " + " · ".join(f"[{s}] {kb.sources[s].citation}" for s in cited if s in kb.sources),
                       small=True))
    return Document("Your back and leg pain", f"A leaflet from your consultation on {made:%d %B %Y}",
                    tuple(blocks), footer="This leaflet supports, and does not replace, what your clinician tells you.")

