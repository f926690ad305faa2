"""Finding values and group titles in words, shared by the report, the handout and FHIR."""

from __future__ import annotations

from typing import Any

from engine import KnowledgeBase

__all__ = ["NOT_ASKED", "findings_by_group", "value_text"]

NOT_ASKED = "not asked"


def value_text(value: Any, kb: KnowledgeBase | None = None, finding: str | None = None) -> str:
    """``True`` -> yes, a set -> its words in vocabulary order, ``None`` -> not asked."""
    if value is None:
        return NOT_ASKED
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, set, frozenset)):
        if not value:
            return "none"
        order: list[str] = []
        if kb is not None and finding is not None and kb.findings[finding].vocabulary:
            order = list(kb.vocabularies[kb.findings[finding].vocabulary or ""])
        words = sorted(value, key=lambda w: order.index(w) if w in order else len(order))
        return ", ".join(str(w).replace("_", " ") for w in words)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("_", " ")


def findings_by_group(kb: KnowledgeBase, findings: dict[str, Any]) -> list[tuple[str, list[tuple[str, Any]]]]:
    """(group title, [(finding id, value or None)]) in the intake's order."""
    groups: dict[str, list[tuple[str, Any]]] = {}
    for fid, f in kb.findings.items():
        groups.setdefault(f.group, []).append((fid, findings.get(fid)))
    return [(kb.groups[g].title, groups[g]) for g in kb.groups if g in groups]
