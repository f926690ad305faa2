"""What a saved case keeps of its result, and the versions that produced it."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine import Result

from .repository import CaseInput
from .settings import ROOT

__all__ = ["case_input", "content_version", "engine_version", "summarise", "versions"]


@lru_cache(maxsize=1)
def engine_version() -> str:
    """The project version from pyproject.toml (the engine ships with the project)."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


@lru_cache(maxsize=4)
def content_version(folder: Path = ROOT / "content") -> str:
    """A digest of every content file: two cases with the same digest used the same knowledge."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.yaml")):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return "sha256:" + digest.hexdigest()[:16]


def versions() -> dict[str, str]:
    return {"engine": engine_version(), "content": content_version()}


def summarise(result: Result, top_n: int = 5) -> dict[str, Any]:
    """A small, stable digest of a result (the full result is recomputed when a case opens)."""
    return {
        "urgency": result.urgency,
        "red_flags": [{"id": f.id, "label": f.label, "urgency": f.urgency} for f in result.red_flags],
        "differential": [{"id": d.id, "label": d.label, "score": round(d.score, 4)} for d in result.differential[:top_n]],
        "roots": [{"root": r.root, "score": round(r.score, 3)} for r in result.roots],
        "pain_type": result.pain_type,
        "ladder": {"step": result.ladder.step, "label": result.ladder.label},
    }


def case_input(findings: Mapping[str, Any], result: Result, label: str | None = None, note: str = "") -> CaseInput:
    """Everything a save writes, from the findings and their result."""
    v = versions()
    top = result.differential[0].id if result.differential else None
    return CaseInput(findings=findings, summary=summarise(result), urgency=result.urgency, top_cause=top,
                     engine_version=v["engine"], content_version=v["content"], label=label, note=note)
