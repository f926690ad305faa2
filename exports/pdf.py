"""Render a ``Document`` as an A4 PDF with reportlab's platypus (tables split across pages).

DejaVu Sans when the system has it (arrows, ≥, en dashes); reportlab's bundled Vera otherwise.
"""

from __future__ import annotations

import html
import io
import re
from functools import lru_cache
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Image as RLImage
from reportlab.platypus import Table as RLTable

from .document import Bullets, Callout, Document, Heading, Image, Para, Table

__all__ = ["to_pdf"]

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_VERA = Path(reportlab.__file__).parent / "fonts"
_TONES = {
    "info": ("#eef3f9", "#2166ac"),
    "warning": ("#fff4e0", "#b35806"),
    "critical": ("#fde7e7", "#b2182b"),
    "ok": ("#eaf5ea", "#1b7837"),
}


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """Register a Unicode TrueType family once; returns (regular, bold) names."""
    if (_DEJAVU / "DejaVuSans.ttf").exists():
        regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    else:
        regular, bold = _VERA / "Vera.ttf", _VERA / "VeraBd.ttf"
    pdfmetrics.registerFont(TTFont("RadixSans", str(regular)))
    pdfmetrics.registerFont(TTFont("RadixSans-Bold", str(bold)))
    pdfmetrics.registerFontFamily("RadixSans", normal="RadixSans", bold="RadixSans-Bold",
                                  italic="RadixSans", boldItalic="RadixSans-Bold")
    return "RadixSans", "RadixSans-Bold"


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5, alignment=TA_LEFT, spaceAfter=4)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.2, spaceAfter=0),
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=7.5, leading=9.2, spaceAfter=0),
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=17, leading=21, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=9, textColor=colors.HexColor("#555555")),
        "h1": ParagraphStyle("h1", parent=base, fontName=bold, fontSize=13, leading=16, spaceBefore=8, spaceAfter=4,
                             textColor=colors.HexColor("#1f2328")),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=11.5, leading=14, spaceBefore=8, spaceAfter=3,
                             textColor=colors.HexColor("#2166ac")),
        "h3": ParagraphStyle("h3", parent=base, fontName=bold, fontSize=9.5, leading=12, spaceBefore=5, spaceAfter=2),
        "caption": ParagraphStyle("caption", parent=base, fontSize=7.5, textColor=colors.HexColor("#555555")),
    }


def _inline(text: str) -> str:
    """Escape for reportlab's mini-HTML, then turn ``**x**`` into bold."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(text, quote=False)).replace("\n", "<br/>")


def _table(t: Table, width: float) -> RLTable:
    st = _styles()
    cell = st["cell"] if t.small or len(t.header) > 3 else st["body"]
    head = st["head"]
    rows = [[Paragraph(_inline(h), head) for h in t.header]]
    rows += [[Paragraph(_inline(c), cell) for c in row] for row in t.rows]
    fracs = t.widths or tuple(1 / len(t.header) for _ in t.header)
    table = RLTable(rows, colWidths=[width * f for f in fracs], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#c8ced6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return table


def _callout(c: Callout, width: float) -> RLTable:
    fill, line = _TONES[c.tone]
    box = RLTable([[Paragraph(_inline(c.text), _styles()["body"])]], colWidths=[width])
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(fill)),
        ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(line)),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return box


def _image(img: Image, width: float, max_height: float) -> Flowable:
    reader = ImageReader(io.BytesIO(img.png))
    w, h = reader.getSize()
    draw_w = width * img.width
    draw_h = draw_w * h / w
    if draw_h > max_height:  # keep a tall figure on one page
        draw_w, draw_h = draw_w * max_height / draw_h, max_height
    return KeepTogether([RLImage(io.BytesIO(img.png), width=draw_w, height=draw_h),
                         Paragraph(_inline(img.caption), _styles()["caption"])])


def _flowables(doc: Document, width: float, height: float) -> list[Flowable]:
    st = _styles()
    out: list[Flowable] = [Paragraph(_inline(doc.title), st["title"]), Paragraph(_inline(doc.subtitle), st["subtitle"])]
    for b in doc.blocks:
        if isinstance(b, Heading):
            out.append(Paragraph(_inline(b.text), st[f"h{min(b.level, 3)}"]))
        elif isinstance(b, Para):
            out.append(Paragraph(_inline(b.text), st["small" if b.small else "body"]))
        elif isinstance(b, Bullets):
            items = [ListItem(Paragraph(_inline(i), st["body"]), leftIndent=10) for i in b.items]
            out.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=10, bulletFontSize=8))
        elif isinstance(b, Table):
            out += [_table(b, width), Spacer(1, 4)]
        elif isinstance(b, Callout):
            out += [_callout(b, width), Spacer(1, 4)]
        elif isinstance(b, Image):
            out.append(_image(b, width, height * 0.8))
    return out


def to_pdf(doc: Document, margin_mm: float = 14) -> bytes:
    """The document as A4 PDF bytes, with the footer and page number on every page."""
    buf = io.BytesIO()
    margin = margin_mm * mm
    pdf = SimpleDocTemplate(buf, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=margin + 4 * mm, title=doc.title, author="Radix", subject=doc.subtitle)
    regular, _ = _fonts()

    def footer(canvas, document) -> None:  # noqa: ANN001 - reportlab's callback signature
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(margin, margin_mm * mm * 0.6, doc.footer[:150])
        canvas.drawRightString(A4[0] - margin, margin_mm * mm * 0.6, f"page {document.page}")
        canvas.restoreState()

    pdf.build(_flowables(doc, pdf.width, pdf.height), onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
