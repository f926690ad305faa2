"""``python -m engine report CASE --out FILE``: the report, handout or FHIR Bundle of a case file.

The format follows the file's extension (.pdf, .md, .json). Wired into engine/cli.py with
a few lines; the work is here, outside the pure engine.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from engine import Case, CaseError, KnowledgeBase, Problem

__all__ = ["add_report_parser", "run_report"]


def add_report_parser(sub: Any) -> None:
    rep = sub.add_parser("report", help="write a consultation report, patient handout or FHIR Bundle (.pdf, .md, .json)")
    rep.add_argument("case")
    rep.add_argument("--out", required=True, help="output file; its extension picks the format")
    rep.add_argument("--kind", choices=("report", "handout", "fhir"), default=None,
                     help="default: report (fhir when --out ends in .json)")
    rep.add_argument("--no-images", action="store_true", help="leave out the figures (no browser is started)")


def run_report(args: argparse.Namespace, kb: KnowledgeBase, case: Case) -> str:
    """Write the file; returns the one line for stdout."""
    from engine import infer, load_body_map

    from .build import FORMATS, build

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    kind = args.kind or ("fhir" if fmt == "json" else "report")
    if fmt not in FORMATS[kind]:
        allowed = ", ".join("." + f for f in FORMATS[kind])
        raise CaseError(Problem(str(out), f"a {kind} is written as {allowed}", expected=allowed))
    content = getattr(args, "content", None)  # python -m engine --content DIR: that folder's drawing
    body = load_body_map(Path(content) / "body_map.yaml", kb) if content and kind == "report" and not args.no_images else None
    data = build(kind, fmt, dict(case.findings), infer(case, kb), kb, case.id, images=not args.no_images, body=body)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CaseError(Problem(str(out), f"cannot write the file: {exc.strerror}")) from exc
    return f"wrote {out} ({kind}, {len(data):,} bytes)\n"
