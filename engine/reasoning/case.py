"""The case model: findings with three values (present, absent, unknown).

A case is checked against the finding definitions in ``content/findings.yaml`` (the case
model, ``engine.knowledge.case_model``), so a finding added to the content is at once in
the model, the JSON Schema and the dashboard. Absent: ``false``, ``negative``, ``normal``, an empty list.
Unknown: left out or ``null``. Parsing collects every problem into one ``CaseError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from engine.errors import CaseError, Problem
from engine.knowledge.base import KnowledgeBase
from engine.knowledge.records import FindingDef

__all__ = ["Case", "case_json_schema", "expected_text", "parse_case", "parse_findings"]

# Top-level keys a case file may carry besides its findings (teaching metadata).
CASE_KEYS = ("id", "title", "summary", "source", "teaching_points", "expected", "known_limitations", "notes", "findings",
             "difficulty", "setting", "presentation")


@dataclass(frozen=True, slots=True)
class Case:
    """A validated case: finding id -> value, unknown findings simply absent from the map."""

    findings: Mapping[str, Any]
    id: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def with_findings(self, **changes: Any) -> Case:
        """A copy with some findings changed (``None`` makes a finding unknown)."""
        merged = {**self.findings, **changes}
        return Case({k: v for k, v in merged.items() if v is not None}, self.id, self.meta)


def case_json_schema(kb: KnowledgeBase) -> dict[str, Any]:
    """JSON Schema of a whole case file (``python -m engine schema``)."""
    schema = kb.case_model.model_json_schema()
    for fid, prop in schema.get("properties", {}).items():
        f = kb.findings[fid]
        prop["description"] = f.label + (f" ({f.help})" if f.help else "")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Radix case",
        "type": "object",
        "properties": {
            "id": {"type": ["string", "null"]},
            "findings": schema,
            **{k: {} for k in CASE_KEYS if k not in ("id", "findings")},
        },
        "required": ["findings"],
        "additionalProperties": False,
    }


def expected_text(f: FindingDef, kb: KnowledgeBase) -> str:
    """What a finding accepts, in words, for error messages and the UI."""
    if f.type == "bool":
        return "true or false (or null for not asked)"
    if f.type in ("int", "number"):
        kind = "a whole number" if f.type == "int" else "a number"
        return f"{kind} from {f.min:g} to {f.max:g}"
    words = ", ".join(kb.vocabularies[f.vocabulary or ""])
    return f"one of: {words}" if f.type == "enum" else f"a list of: {words}"


def _suggest(word: object, options: Any) -> str | None:
    if not isinstance(word, str):
        return None
    import difflib  # only a refused case needs a suggestion (a faster start)

    options = list(options)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return str(close[0])
    # a known id with extra words around it ("slr_test", "age_years")
    prefixes = [o for o in options if word.startswith(o) or o.startswith(word)]
    return max(prefixes, key=len) if prefixes else None


def _value_problem(fid: str, value: Any, kb: KnowledgeBase) -> Problem:
    f = kb.findings[fid]
    bad = value
    if f.type in ("enum", "set") and f.vocabulary:
        words = kb.vocabularies[f.vocabulary]
        items = value if isinstance(value, list) else [value]
        wrong = [v for v in items if v not in words]
        bad = wrong[0] if wrong else value
        suggestion = _suggest(bad, words)
    else:
        suggestion = None
    return Problem(where=fid, message="invalid value", value=bad, expected=expected_text(f, kb), suggestion=suggestion)


def parse_findings(raw: Mapping[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """Validate a findings mapping; return only known findings (sets as frozensets)."""
    if not isinstance(raw, Mapping):
        raise CaseError(Problem("findings", "must be a mapping of finding id to value", value=type(raw).__name__))
    problems = [
        Problem(where=k, message="unknown finding id", suggestion=_suggest(k, kb.findings))
        for k in raw
        if k not in kb.findings
    ]
    known = {k: v for k, v in raw.items() if k in kb.findings}
    values: dict[str, Any] | None = None
    try:
        # the case model's own validator, without its model class (``engine.knowledge.case_model``)
        values, _, _ = kb.findings_validator.validate_python(known)
    except ValidationError as exc:
        bad = sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})
        problems += [_value_problem(fid, known.get(fid), kb) for fid in bad]
    if problems or values is None:
        raise CaseError(problems)
    out: dict[str, Any] = {}
    for fid, value in values.items():
        if value is not None:
            out[fid] = frozenset(value) if isinstance(value, list) else value
    return out


def parse_case(raw: Any, kb: KnowledgeBase) -> Case:
    """Validate a whole case document (already read from JSON or YAML)."""
    if not isinstance(raw, Mapping):
        raise CaseError(Problem("case", "a case must be a mapping with a 'findings' key", value=type(raw).__name__))
    problems = [
        Problem(where=k, message="unknown top-level key", suggestion=_suggest(k, CASE_KEYS))
        for k in raw
        if k not in CASE_KEYS
    ]
    if "findings" not in raw:
        problems.append(Problem("findings", "missing: a case needs a 'findings' mapping (it may be empty)"))
    elif not isinstance(raw["findings"], Mapping):  # `findings: false` is not an empty case
        problems.append(Problem("findings", "must be a mapping of finding id to value (use {} for none)",
                                value=type(raw["findings"]).__name__))
    case_id = raw.get("id")
    if case_id is not None and not _is_text_id(case_id):
        problems.append(Problem("id", "must be text without control characters", value=case_id,
                                expected=f"a string of at most {MAX_ID_CHARS} characters"))
    if problems:
        raise CaseError(problems)
    findings = parse_findings(raw["findings"], kb)
    meta = {k: v for k, v in raw.items() if k not in ("id", "findings")}
    return Case(findings=findings, id=case_id, meta=meta)


MAX_ID_CHARS = 200


def _is_text_id(value: object) -> bool:
    """A case id is shown in reports and terminals: plain printable text, not a list or number."""
    return isinstance(value, str) and len(value) <= MAX_ID_CHARS and value.isprintable()
