"""One call per download: report, handout or FHIR Bundle, as bytes, for the CLI and the dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from engine import DEFAULT_CONTENT, BodyMap, KnowledgeBase, Result, load_body_map

__all__ = ["FORMATS", "KINDS", "build", "file_name"]

Kind = Literal["report", "handout", "fhir"]
Format = Literal["pdf", "md", "json"]
KINDS: tuple[Kind, ...] = ("report", "handout", "fhir")
FORMATS: dict[Kind, tuple[Format, ...]] = {"report": ("pdf", "md"), "handout": ("pdf", "md"), "fhir": ("json",)}
MIME = {"pdf": "application/pdf", "md": "text/markdown", "json": "application/fhir+json"}


def file_name(kind: Kind, fmt: Format, made: datetime) -> str:
    return f"radix-{kind}-{made:%Y%m%d-%H%M}.{fmt}"


def build(
    kind: Kind,
    fmt: Format,
    findings: Mapping[str, Any],
    result: Result,
    kb: KnowledgeBase,
    case_ref: str | None = None,
    images: bool = True,
    made: datetime | None = None,
    body: BodyMap | None = None,
) -> bytes:
    """The file's bytes. ``images=False`` skips the figures (no browser is started). ``body``
    is the caller's loaded drawing (the dashboard's, from its own content folder); without
    it the report reads the default content's."""
    from store.summary import versions  # the content digest reads files: a shell concern

    made = made or datetime.now(UTC)
    findings = dict(findings)
    if kind == "fhir":
        from .fhir import bundle_from_case, bundle_json

        return bundle_json(bundle_from_case(findings, result, kb, made, case_ref)).encode("utf-8")
    if kind == "report":
        from .images import ChartImages, chart_images
        from .report import consultation_report

        if images:
            drawing = body or load_body_map(DEFAULT_CONTENT / "body_map.yaml", kb)
            pictures = chart_images(result, kb, drawing, findings)
        else:
            pictures = ChartImages(None, None, "left out on request")
        doc = consultation_report(result, kb, findings, versions(), made, pictures, case_ref)
    else:
        from .handout import patient_handout

        doc = patient_handout(result, kb, made)
    if fmt == "md":
        from .markdown import to_markdown

        return to_markdown(doc).encode("utf-8")
    from .pdf import to_pdf

    return to_pdf(doc, margin_mm=12 if kind == "handout" else 14)
