"""Read ``content/`` into a ``KnowledgeBase``; every problem in every file is reported together.

This is the shell's door for knowledge: it reads files, validates each record with its
frozen model, then compiles it once (``engine.knowledge.base``). Inference never reads a
file; the linter (``engine.tools.lint``) sits above this module and never below it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from engine.errors import ContentError, Problem
from engine.knowledge.base import KnowledgeBase, compile_content
from engine.knowledge.cache import read_cached, write_cached
from engine.knowledge.records import (
    ConditionDef,
    Content,
    Decision,
    FactDef,
    FindingDef,
    FindingGroup,
    Instrument,
    LadderStep,
    LikelihoodRow,
    RedFlag,
    RootDef,
    Rule,
    Scoring,
    Source,
    Treatment,
)

__all__ = ["DEFAULT_CONTENT", "load_kb", "read_content", "read_yaml"]

DEFAULT_CONTENT = Path(__file__).resolve().parents[2] / "content"
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser is ~10x faster


class _SAFE(_BASE):  # type: ignore[misc, valid-type]
    """The safe loader, but a key given twice in one mapping is an error: with plain YAML
    the last one silently wins (a rule's second ``lr:`` would replace the first)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key_node.value!r}", key_node.start_mark)
                seen.add(key_node.value)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def read_yaml(path: Path) -> Any:
    """Parse one YAML (or JSON, a subset) file; a syntax error names the file and line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE)  # noqa: S506 - a safe loader
    except UnicodeDecodeError as exc:
        raise ContentError(Problem(_rel(path), f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}): "
                                               "save it as UTF-8")) from exc
    except yaml.YAMLError as exc:
        raise ContentError(Problem(_rel(path), f"not valid YAML: {exc}")) from exc
    except OSError as exc:
        raise ContentError(Problem(str(path), f"cannot read: {exc.strerror}")) from exc


def _rel(path: Path) -> str:
    """A content file's name as the author knows it (``rules/x.yaml``, ``scoring.yaml``)."""
    return f"rules/{path.name}" if path.parent.name == "rules" else path.name


def _pydantic_problems(where: str, exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        out.append(Problem(where=where, message=f"{loc}: {err['msg']}" if loc else err["msg"]))
    return out


def _records(
    path: Path, items: Any, model: type[BaseModel], problems: list[Problem], key: str = "id", where_prefix: str = ""
) -> dict[str, Any]:
    """Validate a list of records; keep the good ones, collect the bad ones' problems."""
    out: dict[str, Any] = {}
    if not isinstance(items, list):
        problems.append(Problem(path.name, f"expected a list of {model.__name__} records"))
        return out
    for i, item in enumerate(items):
        ident = item.get(key, f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
        where = f"{where_prefix}{path.name}: {ident}"
        try:
            record = model.model_validate(item)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(where, exc))
            continue
        if ident in out:
            problems.append(Problem(where, f"duplicate id {ident!r}"))
        out[ident] = record
    return out


def _section(data: Any, name: str, path: Path, problems: list[Problem]) -> Any:
    if not isinstance(data, dict) or name not in data:
        problems.append(Problem(path.name, f"missing section {name!r}"))
        return []
    return data[name]


def _load_rules(root: Path, problems: list[Problem], seen: dict[str, str]) -> list[Rule]:
    """Every rule file's rules; ``seen`` is filled with rule id -> file name. A file that
    cannot be read is one problem, and the other files are still checked."""
    rules: list[Rule] = []
    for path in sorted((root / "rules").glob("*.yaml")):
        try:
            data = read_yaml(path) or []
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        for rid, rule in _records(path, data, Rule, problems, where_prefix="rules/").items():
            if rid in seen:
                problems.append(Problem(f"rules/{path.name}: {rid}", f"rule id also used in rules/{seen[rid]}"))
                continue
            seen[rid] = path.name
            rules.append(rule)
    return rules


def _one(path: Path, data: Any, model: type[BaseModel], problems: list[Problem]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(path.name, exc))
        return None


def read_content(root: Path = DEFAULT_CONTENT) -> tuple[Content | None, list[Problem], dict[str, str]]:
    """Every record of ``root`` that validates, with every problem found on the way and the
    file under ``rules/`` that declares each rule (for the linter's messages). ``None``
    when a file the rest depends on is unusable."""
    problems: list[Problem] = []
    rule_files: dict[str, str] = {}

    def records(name: str, model: type[BaseModel], section: str | None = None, key: str = "id") -> dict[str, Any]:
        path = root / name
        data = read_yaml(path) if path.exists() else None
        if data is None:
            problems.append(Problem(name, "file missing or empty"))
            return {}
        items = _section(data, section, path, problems) if section else data
        return _records(path, items, model, problems, key)

    findings_path = root / "findings.yaml"
    fdata = read_yaml(findings_path) or {}
    vocab_raw = _section(fdata, "vocabularies", findings_path, problems)
    vocabularies = {k: tuple(v) for k, v in (vocab_raw or {}).items()}
    findings = _records(findings_path, _section(fdata, "findings", findings_path, problems), FindingDef, problems)
    groups = _records(findings_path, _section(fdata, "groups", findings_path, problems), FindingGroup, problems)
    ladder_data = read_yaml(root / "ladder.yaml") or {}
    scoring = _one(root / "scoring.yaml", read_yaml(root / "scoring.yaml"), Scoring, problems)
    codes_path = root / "codes.yaml"
    codes_raw = (read_yaml(codes_path) or {}) if codes_path.exists() else {}
    decisions = list(records("decisions.yaml", Decision, key="feature").values())
    fields: dict[str, Any] = dict(
        sources=records("sources.yaml", Source),
        vocabularies=vocabularies,
        groups=groups,
        findings=findings,
        facts=records("facts.yaml", FactDef),
        conditions=records("conditions.yaml", ConditionDef),
        codes={k: tuple(v.get("icd10cm", ())) for k, v in codes_raw.items() if isinstance(v, dict)},
        code_sources=tuple(sorted({v["source"] for v in codes_raw.values() if isinstance(v, dict) and "source" in v})),
        roots=records("roots.yaml", RootDef),
        red_flags=records("red_flags.yaml", RedFlag),
        ladder=_records(root / "ladder.yaml", _section(ladder_data, "steps", root / "ladder.yaml", problems), LadderStep, problems),
        treatments=_records(root / "ladder.yaml", _section(ladder_data, "treatments", root / "ladder.yaml", problems), Treatment, problems),
        rules=tuple(_load_rules(root, problems, rule_files)),
        likelihoods=tuple(records("likelihoods.yaml", LikelihoodRow, section="rows").values()),
        decisions=tuple(decisions),
        instruments=records("instruments.yaml", Instrument),
        scoring=scoring,
    )
    if scoring is None:
        return None, problems, rule_files
    # what did load is kept even when some records did not, so one lint run reports all
    return Content(**fields), problems, rule_files


def load_kb(root: Path = DEFAULT_CONTENT) -> KnowledgeBase:
    """Load, validate and compile the knowledge base, or raise one ``ContentError``.

    Records are validated here; cross-references, reachability and the teaching cases are
    the linter's (``engine.check_content``, ``python -m engine lint``), run by the tests
    and by the dashboard once at start, not on every load. Records that validated are kept
    between processes, keyed by a hash of the content files (``engine.knowledge.cache``);
    compiling is always done here."""
    key, content = read_cached(root)
    if content is None:
        content, problems, _ = read_content(root)
        if content is None or problems:
            raise ContentError(problems)
        write_cached(key, content)
    return compile_content(content)
