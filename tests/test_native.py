"""The optional compiled core (engine/tools/native.py): never stale, used when built, and the
same answers either way (every other test runs against whichever is on disk; `make test`
builds it when a compiler is there)."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from engine.tools import native
from tests.support import ROOT


def test_no_compiled_module_is_stale() -> None:
    assert native.stale() == [], "run `make native` (or `python engine/tools/native.py`) to rebuild"


def test_a_built_core_is_the_one_imported() -> None:
    built = native.products()
    for module in native.MODULES:
        origin = importlib.import_module(module).__file__ or ""
        assert origin.endswith(".py") != bool(built), f"{module} loaded from {origin}"


def _fake_build(root: Path) -> None:
    """A tree with the compiled modules' sources, one fake extension each and its manifest."""
    for f in native.built_from(ROOT):
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / f, root / f)
    made = [m.replace(".", "/") + EXTENSION_SUFFIXES[0] for m in native.MODULES]
    for f in made:
        (root / f).write_bytes(b"")
    digests = {f: native.hashlib.sha256((root / f).read_bytes()).hexdigest() for f in native.built_from(root)}
    (root / native.MANIFEST).write_text(json.dumps({"python": EXTENSION_SUFFIXES[0], "sources": digests, "products": made}))


def test_an_edited_source_or_an_imported_engine_module_makes_the_build_stale(tmp_path: Path) -> None:
    _fake_build(tmp_path)
    assert native.stale(tmp_path) == []
    with (tmp_path / "engine/reasoning/chaining.py").open("a") as f:
        f.write("# edited\n")
    with (tmp_path / "engine/knowledge/network.py").open("a") as f:  # chaining compiles against its types
        f.write("# edited\n")
    assert native.stale(tmp_path) == [
        "engine/knowledge/network.py changed since the build",
        "engine/reasoning/chaining.py changed since the build",
    ]


def test_a_build_for_another_python_is_stale(tmp_path: Path) -> None:
    _fake_build(tmp_path)  # a new venv's Python ignores extensions of another version: rebuild
    manifest = json.loads((tmp_path / native.MANIFEST).read_text())
    (tmp_path / native.MANIFEST).write_text(json.dumps({**manifest, "python": ".cpython-39-x86_64-linux-gnu.so"}))
    assert native.stale(tmp_path) == [f"built for .cpython-39-x86_64-linux-gnu.so, not this Python ({EXTENSION_SUFFIXES[0]})"]


def test_a_stray_or_missing_compiled_file_or_manifest_makes_the_build_stale(tmp_path: Path) -> None:
    _fake_build(tmp_path)
    stray = "engine/reasoning/ask" + EXTENSION_SUFFIXES[0]
    (tmp_path / stray).write_bytes(b"")
    (tmp_path / ("engine/reasoning/infer" + EXTENSION_SUFFIXES[0])).unlink()
    assert native.stale(tmp_path) == [
        f"{stray} is not from the last build",
        f"engine/reasoning/infer{EXTENSION_SUFFIXES[0]} is missing",
    ]
    (tmp_path / native.MANIFEST).unlink()
    assert native.stale(tmp_path) == [f"{len(native.MODULES)} compiled files and no readable {native.MANIFEST}"]
    native.clean(tmp_path)
    assert native.products(tmp_path) == [] and native.stale(tmp_path) == []


def test_the_build_falls_back_to_the_sources_in_one_line_when_switched_off(tmp_path: Path) -> None:
    _fake_build(tmp_path)
    out = subprocess.run([sys.executable, "engine/tools/native.py"], cwd=tmp_path, env={"RADIX_NATIVE": "off"},
                         capture_output=True, text=True, check=True)
    assert out.stdout == "radix: RADIX_NATIVE=off: the engine runs from its .py files\n"
    assert native.products(tmp_path) == []


def test_without_a_c_compiler_the_build_says_so_in_one_line_and_leaves_the_sources(tmp_path: Path) -> None:
    _fake_build(tmp_path)
    out = subprocess.run([sys.executable, "engine/tools/native.py"], cwd=tmp_path, env={"PATH": str(tmp_path)},
                         capture_output=True, text=True, check=True)
    assert out.stdout.startswith("radix: no C compiler (") and out.stdout.endswith(": the engine runs from its .py files (slower; README, Performance)\n")
    assert out.stdout.count("\n") == 1 and native.products(tmp_path) == []


def test_a_stale_build_never_runs_the_engine_imports_the_sources_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the whole package, with a fake build of empty extension files: loading one would fail
    for f in ROOT.joinpath("engine").rglob("*.py"):
        (tmp_path / f.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(f, tmp_path / f.relative_to(ROOT))
    _fake_build(tmp_path)
    with (tmp_path / "engine/reasoning/chaining.py").open("a") as f:  # a pull or an edit since the build
        f.write("# edited\n")
    probe = "import engine, engine.reasoning.chaining as c, engine.reasoning.infer as i; print(c.__file__, i.__file__)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, env={"PATH": ""})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(tmp_path / "engine/reasoning/chaining.py"), str(tmp_path / "engine/reasoning/infer.py")]
    assert out.stderr == ("radix: the compiled core is older than engine/reasoning/chaining.py: running the .py files "
                          "(make native rebuilds it)\n")
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))  # the finder it adds goes with the test
    assert native.sources_if_stale(tmp_path) == ["engine/reasoning/chaining.py"]
    assert native.sources_if_stale(ROOT) == [], "this checkout's own build (or none) is current"
