"""Case files in and out, in the contract format (pure: no Streamlit).

Import reads JSON or YAML text and validates it with the engine, so a bad file raises
one ``CaseError`` naming every problem. Export writes ``{"id", "findings"}`` JSON with
sets as lists in vocabulary order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import engine
from engine import KnowledgeBase, Problem, parse_case_bytes

__all__ = [
    "case_document",
    "export_json",
    "findings_for_widgets",
    "md_escape",
    "parse_case_text",
    "problem_line",
]


def parse_case_text(text: str | bytes, kb: KnowledgeBase, name: str = "pasted case") -> engine.Case:
    """Parse JSON or YAML (text or uploaded bytes) through the engine's safe reader;
    raise ``CaseError`` otherwise."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass")
    return parse_case_bytes(data, kb, name)


def findings_for_widgets(case: engine.Case, kb: KnowledgeBase) -> dict[str, Any]:
    """A parsed case's findings as plain values (sets as lists in vocabulary order)."""
    out: dict[str, Any] = {}
    for fid, value in case.findings.items():
        if isinstance(value, (set, frozenset, list, tuple)):
            order = kb.vocabularies[kb.findings[fid].vocabulary or ""]
            value = [w for w in order if w in value]
        out[fid] = value
    return out


def case_document(findings: Mapping[str, Any], case_id: str | None = None) -> dict[str, Any]:
    """The contract's case document for the findings entered."""
    return {"id": case_id or "radix-consultation", "findings": dict(findings)}


def export_json(findings: Mapping[str, Any], case_id: str | None = None) -> str:
    return json.dumps(case_document(findings, case_id), indent=2, ensure_ascii=False)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")


def md_escape(text: str) -> str:
    """Text shown inside Markdown (``st.info``) with every Markdown, HTML and emoji or
    icon shortcode character escaped, so that it is displayed and never interpreted."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def problem_line(p: Problem) -> str:
    """One problem as plain text (escaped, truncated): finding, value, expected, did you mean.
    Shown with ``st.code``/``st.text``, never as Markdown, since it echoes user data."""
    return p.format()
