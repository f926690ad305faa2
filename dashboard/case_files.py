"""Case files in and out, in the contract format (pure: no Streamlit).

Import reads JSON or YAML text and validates it with the engine, so a bad file raises
one ``CaseError`` naming every problem. Export writes ``{"id", "findings"}`` JSON with
sets as lists in vocabulary order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

import engine
from engine.errors import CaseError, Problem
from engine.kb import KnowledgeBase

__all__ = [
    "case_document",
    "export_json",
    "findings_for_widgets",
    "load_teaching_cases",
    "parse_case_text",
    "problem_line",
]


def parse_case_text(text: str, kb: KnowledgeBase, name: str = "pasted case") -> engine.Case:
    """Parse JSON or YAML text into a validated case; raise ``CaseError`` otherwise."""
    try:
        raw = json.loads(text) if name.lower().endswith(".json") else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CaseError(Problem(name, f"not valid JSON or YAML ({detail})")) from exc
    return engine.parse_case(raw, kb)


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


def problem_line(p: Problem) -> str:
    """One problem as a Markdown line: finding, value, expected, did you mean."""
    return p.format(markdown=True)


def load_teaching_cases(folder: Path) -> dict[str, dict[str, Any]]:
    """Teaching case documents by id, in file order."""
    cases = {}
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases[str(doc["id"])] = doc
    return cases
