"""The case model: what a case's findings may hold, built from ``findings.yaml``.

Built once at load, so a finding added to the content is at once in the model, the JSON
Schema and the dashboard. Strict: ``"yes"`` is not ``true``. Two forms of one definition
(``_annotation`` and ``_core_schema`` read each finding the same way; a test checks that
they give the same pydantic-core schema):

- ``findings_validator``: the validator a case is checked with, a pydantic-core schema
  built directly (under a millisecond; what every ``evaluate`` needs);
- ``case_model``: the pydantic model of the same fields, for the JSON Schema and the
  dashboard. ``create_model`` builds a validator and serializer for its ~100 fields and
  imports pydantic's plugin loader (with ``importlib.metadata``): about 30 ms of a CLI
  start, so the knowledge base builds it on first use only.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic_core import SchemaValidator, core_schema

from engine.knowledge.records import Content, FindingDef

__all__ = ["case_model", "findings_schema", "findings_validator"]

_CONFIG = ConfigDict(extra="forbid", strict=True, frozen=True)


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
    model: type[BaseModel] = create_model("Findings", __config__=_CONFIG, **fields)  # type: ignore[call-overload]  # fields built at run time
    return model


def _core_schema(f: FindingDef, content: Content) -> core_schema.ModelField:
    """One finding as ``case_model`` has pydantic compile it: nullable, ``None`` by default."""
    inner: core_schema.CoreSchema
    if f.type == "bool":
        inner = core_schema.bool_schema()
    elif f.type == "int":
        inner = core_schema.int_schema(ge=f.min, le=f.max)  # type: ignore[arg-type]  # float bounds, as Field(ge=...) passes them
    elif f.type == "number":
        inner = core_schema.float_schema(ge=f.min, le=f.max)
    else:
        words = core_schema.literal_schema(list(content.vocabularies[f.vocabulary or ""]))
        inner = words if f.type == "enum" else core_schema.list_schema(words)
    return core_schema.model_field(core_schema.with_default_schema(core_schema.nullable_schema(inner), default=None), metadata={})


def findings_schema(content: Content) -> core_schema.ModelFieldsSchema:
    """The pydantic-core schema of a case's findings: the fields ``case_model`` compiles to."""
    fields = {fid: _core_schema(f, content) for fid, f in content.findings.items()}
    return core_schema.model_fields_schema(fields, model_name="Findings", computed_fields=[])


def findings_validator(content: Content) -> SchemaValidator:
    """The validator of a case's findings, with ``case_model``'s config: ``validate_python``
    returns ``(values, None, fields set)``, ``values`` being what the model would dump."""
    config = core_schema.CoreConfig(title="Findings", strict=True, extra_fields_behavior="forbid")
    return SchemaValidator(findings_schema(content), config)
