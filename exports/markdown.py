"""Render a ``Document`` as Markdown; images are embedded as PNG data URIs (one file to share)."""

from __future__ import annotations

import base64

from .document import Bullets, Callout, Document, Heading, Image, Para, Table

__all__ = ["to_markdown"]

_TONE = {"info": "Note", "warning": "Warning", "critical": "URGENT", "ok": "OK"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>") or " "


def _table(t: Table) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in t.header) + " |", "|" + "---|" * len(t.header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows]
    return lines


def to_markdown(doc: Document) -> str:
    """The document as GitHub-flavoured Markdown."""
    out = [f"# {doc.title}", "", f"*{doc.subtitle}*", ""]
    for b in doc.blocks:
        if isinstance(b, Heading):
            out += ["#" * (b.level + 0) + f" {b.text}", ""]
        elif isinstance(b, Para):
            out += [b.text, ""]
        elif isinstance(b, Bullets):
            out += [f"- {item}" for item in b.items] + [""]
        elif isinstance(b, Table):
            out += _table(b) + [""]
        elif isinstance(b, Callout):
            out += [f"> **{_TONE[b.tone]}:** {b.text}", ""]
        elif isinstance(b, Image):
            data = base64.b64encode(b.png).decode("ascii")
            out += [f"![{b.caption}](data:image/png;base64,{data})", "", f"*{b.caption}*", ""]
    if doc.footer:
        out += ["---", "", f"*{doc.footer}*", ""]
    return "\n".join(out)
