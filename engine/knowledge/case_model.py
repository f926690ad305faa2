"""The case model: a pydantic model of a case's findings, built from ``findings.yaml``.

Built with ``create_model`` once at load, so a finding added to the content is at once in
the model, the JSON Schema and the dashboard. Strict: ``"yes"`` is not ``true``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from engine.knowledge.records import Content, FindingDef

__all__ = ["case_model"]


def _annotation(f: FindingDef, content: Content) -> tuple[Any, Any]:
    if f.type == "bool":
        return bool | None, None
    if f.type in ("int", "number"):
        base = int if f.type == "int" else float
        return base | None, Field(default=None, ge=f.min, le=f.max)
    words = tuple(content.vocabularies[f.vocabulary or ""])
    lit = Literal[words]  # type: ignore[valid-type]
    if f.type == "enum":
        return lit | None, None
    return list[lit] | None, None


def case_model(content: Content) -> type[BaseModel]:
    """The pydantic model of a case's findings, built from the finding definitions."""
    fields = {fid: _annotation(f, content) for fid, f in content.findings.items()}
    config = ConfigDict(extra="forbid", strict=True, frozen=True)
    model: type[BaseModel] = create_model("Findings", __config__=config, **fields)  # type: ignore[call-overload]  # fields built at run time
    return model
