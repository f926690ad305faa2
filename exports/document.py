"""A tiny document model shared by the Markdown and PDF renderers.

Text is plain; ``**bold**`` is the only inline mark both renderers understand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Block", "Bullets", "Callout", "Document", "Heading", "Image", "Para", "Table"]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Para:
    text: str
    small: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None  # fractions of the text width, for the PDF
    small: bool = False


@dataclass(frozen=True)
class Image:
    png: bytes
    caption: str
    width: float = 1.0  # fraction of the text width


@dataclass(frozen=True)
class Callout:
    text: str
    tone: Literal["info", "warning", "critical", "ok"] = "info"


Block = Heading | Para | Bullets | Table | Image | Callout


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    footer: str = ""
    meta: dict[str, str] = field(default_factory=dict)
