"""The optional compiled core: ``infer``'s hot modules built with mypyc (from requirements.txt).

    python engine/tools/native.py          build, unless the build is current (``make`` runs this)
    python engine/tools/native.py check    exit 1 when a compiled module is stale
    python engine/tools/native.py clean    remove the build: the .py files run

The .py files stay the only source: mypyc compiles them unchanged into extension modules
beside them (``engine/reasoning/chaining.cpython-311-x86_64-linux-gnu.so``, one shared
``engine/native__mypyc...so``), which Python imports instead of the .py. Each build writes
``engine/native.json``: a SHA-256 of every file it read (the compiled modules, the engine
modules they import, whose types mypyc compiled against, and this file) and the files it
made. When those differ from what is on disk the build is stale: this script rebuilds it and
``tests/test_native.py`` fails. With no C compiler, no Python headers or no setuptools, or with
``RADIX_NATIVE=off``, it removes any build and says in one line that the .py files run.
Run it by path, not with ``-m``: importing ``engine`` would load the modules it replaces.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import sys
import sysconfig
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec
from importlib.util import find_spec, spec_from_file_location
from pathlib import Path

__all__ = ["MODULES", "build", "built_from", "clean", "products", "sources_if_stale", "stale"]

ROOT = Path(__file__).resolve().parents[2]
# what pays compiled (README, Performance): the chaining loop, the per-case steps of infer and
# the network's compiled premises (the likelihood rows and instrument items they test)
MODULES = (
    "engine.reasoning.chaining", "engine.reasoning.infer", "engine.reasoning.scoring", "engine.reasoning.instruments",
    "engine.knowledge.network",
)
GROUP = "engine.native"  # one shared library: calls between the compiled modules stay in C
MANIFEST = "engine/native.json"
BUILD_DIR = "build/native"  # generated C and object files (.gitignore)


def _source(module: str) -> str:
    return module.replace(".", "/") + ".py"


def built_from(root: Path = ROOT) -> list[str]:
    """The files a build reads, relative to ``root``: the compiled modules, each engine
    module they import, and this file (its options)."""
    files = {_source(m) for m in MODULES} | {"engine/tools/native.py"}
    for module in MODULES:
        tree = ast.parse((root / _source(module)).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                if name.startswith("engine.") and (root / _source(name)).is_file():
                    files.add(_source(name))
    return sorted(files)


def _digests(root: Path) -> dict[str, str]:
    return {f: hashlib.sha256((root / f).read_bytes()).hexdigest() for f in built_from(root)}


def products(root: Path = ROOT) -> list[str]:
    """The extension modules under ``engine/`` (what Python would import instead of a .py)."""
    return sorted(p.relative_to(root).as_posix() for p in (root / "engine").rglob("*")
                  if any(p.name.endswith(s) for s in EXTENSION_SUFFIXES))


def stale(root: Path = ROOT) -> list[str]:
    """Why the compiled modules on disk are not those of the sources (empty: current, or none)."""
    found = products(root)
    if not found:
        return []
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        made, read, python = set(manifest["products"]), manifest["sources"], manifest["python"]
    except (OSError, ValueError, KeyError, TypeError):
        return [f"{len(found)} compiled files and no readable {MANIFEST}"]
    problems = [] if python == EXTENSION_SUFFIXES[0] else [f"built for {python}, not this Python ({EXTENSION_SUFFIXES[0]})"]
    problems += [f"{f} changed since the build" for f, digest in _digests(root).items() if read.get(f) != digest]
    problems += [f"{f} is not from the last build" for f in found if f not in made]
    problems += [f"{f} is missing" for f in sorted(made - set(found))]
    return problems


class _Sources:
    """A meta-path finder that imports the named modules from their .py files, ahead of the
    compiled modules beside them."""

    def __init__(self, root: Path, names: frozenset[str]) -> None:
        self.root, self.names = root, names

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name not in self.names:
            return None
        return spec_from_file_location(name, self.root / _source(name))


def sources_if_stale(root: Path = ROOT) -> list[str]:
    """At import, before the compiled modules load (``engine/__init__``): when the build on disk
    was made from other sources (a pull or an edit since ``make native``) or for another Python,
    the .py files are imported instead, and stderr says so once; returns the changed files.
    Cheaper than ``stale``: only the manifest's own files are hashed (a changed import list is
    a changed compiled source)."""
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        read, python = manifest["sources"], manifest["python"]
        changed = [f for f, digest in read.items() if hashlib.sha256((root / f).read_bytes()).hexdigest() != digest]
    except FileNotFoundError:
        return []  # no build: the .py files run anyway
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        changed = [MANIFEST]
    else:
        if python != EXTENSION_SUFFIXES[0]:
            changed.append(f"the Python it was built for ({python})")
    if changed:
        sys.meta_path.insert(0, _Sources(root, frozenset(MODULES)))
        sys.stderr.write(f"radix: the compiled core is older than {changed[0]}"
                         f"{f' and {len(changed) - 1} more' if len(changed) > 1 else ''}: running the .py files "
                         "(make native rebuilds it)\n")
    return changed


def clean(root: Path = ROOT) -> None:
    """Remove the build; unlinking (never overwriting) is safe while a process has it loaded."""
    for f in products(root) + [MANIFEST]:
        (root / f).unlink(missing_ok=True)
    shutil.rmtree(root / BUILD_DIR, ignore_errors=True)


def _no_compiler() -> str | None:
    """Why nothing can be compiled here, or None."""
    for tool in ("mypyc", "setuptools"):  # a venv of Python 3.12 or later has no setuptools
        if find_spec(tool) is None:
            return f"no {tool} in this Python"
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        return f"no C compiler ({cc})"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file():
        return "no Python headers (Python.h)"
    return None


def build(root: Path = ROOT) -> str:
    """Compile ``MODULES`` in place unless the build is current; returns what was done. A
    compiler that fails raises: the modules must stay compilable."""
    if os.environ.get("RADIX_NATIVE") == "off":
        clean(root)
        return "radix: RADIX_NATIVE=off: the engine runs from its .py files"
    why = _no_compiler()
    if why:
        clean(root)
        return f"radix: {why}: the engine runs from its .py files (slower; README, Performance)"
    if products(root) and not stale(root):
        return "radix: compiled core is current"
    clean(root)
    from mypyc.build import mypycify
    from setuptools import setup  # type: ignore[import-untyped]

    here = Path.cwd()
    os.chdir(root)  # mypyc and setuptools work relative to the current directory
    try:
        ext = mypycify([_source(m) for m in MODULES], opt_level="3", group_name=GROUP, target_dir=BUILD_DIR)
        setup(name="radix-native", packages=[], py_modules=[], ext_modules=ext,
              script_args=["--quiet", "build_ext", "--inplace", "--build-temp", BUILD_DIR, "--build-lib", BUILD_DIR])
    finally:
        os.chdir(here)
    manifest = {"python": EXTENSION_SUFFIXES[0], "sources": _digests(root), "products": products(root)}
    (root / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return f"radix: compiled {len(MODULES)} core modules with mypyc"


def main(argv: list[str]) -> int:
    verb = argv[0] if argv else "build"
    if verb == "build":
        print(build())
    elif verb == "clean":
        clean()
    elif verb == "check":
        problems = stale()
        for p in problems:
            print(f"stale compiled module: {p} (run: make native)")
        return 1 if problems else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
