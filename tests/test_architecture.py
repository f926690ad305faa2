"""The engine's structure: one door, layers that import only downwards, loading without lint,
and an agenda that orders by priority."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
import yaml

import engine
from engine.knowledge.base import compile_content
from engine.knowledge.records import Content, Rule
from engine.reasoning.chaining import chain
from tests.support import ROOT, kb

# which engine subpackage may import which (a layer reads only those below it)
ALLOWED = {
    "knowledge": {"knowledge"},
    "reasoning": {"knowledge", "reasoning"},
    "teaching": {"knowledge", "reasoning", "teaching", "tools"},
    "tools": {"knowledge", "reasoning", "tools"},
}


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every module an import statement names, with its line (module level or not)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
    return out


@pytest.mark.parametrize("shell", ["dashboard", "store", "exports"])
def test_the_shells_import_the_engine_only_through_its_door(shell: str) -> None:
    back_doors = [
        f"{p.relative_to(ROOT)}:{line} imports {module}"
        for p in sorted((ROOT / shell).rglob("*.py"))
        for module, line in _imports(p)
        if module.startswith("engine.")
    ]
    assert back_doors == []


def test_every_name_of_the_door_resolves_and_is_listed() -> None:
    assert len(set(engine.__all__)) == len(engine.__all__)
    for name in engine.__all__:
        assert getattr(engine, name) is not None, name
    with pytest.raises(AttributeError):
        engine.not_a_name  # noqa: B018 - the lazy door refuses unknown names


def test_layers_import_only_downwards_and_nothing_imports_the_package_door() -> None:
    wrong = []
    for path in sorted((ROOT / "engine").rglob("*.py")):
        parts = path.relative_to(ROOT / "engine").parts
        if len(parts) < 2:
            continue  # the door and engine/errors.py
        for module, line in _imports(path):
            if module == "engine":
                wrong.append(f"{path.name}:{line} imports the door from inside")
            elif module.startswith("engine.") and module != "engine.errors":
                layer = module.split(".")[1]
                if layer not in ALLOWED[parts[0]]:
                    wrong.append(f"{'/'.join(parts)}:{line} ({parts[0]}) imports {module}")
    assert wrong == []


def test_loading_does_not_lint_and_the_linter_does(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    sources = content / "sources.yaml"
    records = yaml.safe_load(sources.read_text())
    records.append({"id": "nobody_cites_me", "citation": "An uncited book.", "kind": "textbook"})
    sources.write_text(yaml.safe_dump(records))
    assert "nobody_cites_me" in engine.load_kb(content).sources  # records valid: it loads
    with pytest.raises(engine.ContentError, match="nobody_cites_me"):
        engine.check_content(content)


def test_the_knowledge_base_is_compiled_at_load_not_on_first_use() -> None:
    base = kb()
    assert base.network.rules == base.rules
    assert set(base.table.causes) == set(base.conditions)
    assert set(base.case_model.model_fields) == set(base.findings)


def _always(rule_id: str, priority: int) -> Rule:
    return Rule(id=rule_id, description=rule_id, layer="sign", then=f"fact_{rule_id}", priority=priority, sources=("gck",))


def test_the_agenda_fires_higher_priority_first_within_a_layer() -> None:
    fields = {name: getattr(kb(), name) for name in Content.model_fields}
    # ids in the opposite order to priorities: only priority can put b first
    rules = (_always("a_low", 0), _always("b_high", 5), _always("c_mid", 2))
    base = compile_content(Content.model_construct(**{**fields, "rules": rules}))
    fired = [base.rules[i].id for i in chain(base.network, {}).fired]
    assert fired == ["b_high", "c_mid", "a_low"]


def test_inference_leaves_the_knowledge_base_and_the_case_as_they_were() -> None:
    from tests.support import run

    before = kb().model_dump(include=set(Content.model_fields))
    findings = {"age": 45, "slr": "positive", "pain_regions": ["buttock", "lateral_shin"]}
    first = run(**findings)
    run(age=70, walking_distance_limited=True, fever=True, cancer_history=True)
    assert run(**findings).to_dict() == first.to_dict()
    assert findings == {"age": 45, "slr": "positive", "pain_regions": ["buttock", "lateral_shin"]}
    assert kb().model_dump(include=set(Content.model_fields)) == before
