"""The validated content kept between processes: the same knowledge base as a fresh load,
never stale, and never read from a directory others may write to."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import yaml

import engine
from engine.knowledge import load
from engine.knowledge.records import Content
from engine.tools.sampling import random_findings
from tests.support import ROOT


def _refuse(*_: object) -> None:
    raise AssertionError("read_content was called: the cache was not used")


def test_a_cached_load_is_the_fresh_load_and_infers_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADIX_CACHE", str(tmp_path / "cache"))
    fresh = engine.load_kb()
    assert len(list((tmp_path / "cache").glob("content-*.pickle"))) == 1
    monkeypatch.setattr(load, "read_content", _refuse)
    cached = engine.load_kb()
    fields = set(Content.model_fields)
    assert cached.model_dump(include=fields) == fresh.model_dump(include=fields)
    rng = random.Random(11)
    for _ in range(200):
        case = engine.parse_case({"findings": random_findings(fresh, rng)}, fresh)
        assert engine.infer(case, cached).to_dict() == engine.infer(case, fresh).to_dict()


def test_a_changed_content_file_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADIX_CACHE", str(tmp_path / "cache"))
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    first = engine.load_kb(content)
    path = next(iter(sorted((content / "rules").glob("*.yaml"))))
    rules = yaml.safe_load(path.read_text())
    rules[0]["description"] = "Changed after the first load."
    path.write_text(yaml.safe_dump(rules, sort_keys=False))
    again = engine.load_kb(content)
    changed = next(r for r in again.rules if r.id == rules[0]["id"])
    assert changed.description == "Changed after the first load."
    assert next(r for r in first.rules if r.id == rules[0]["id"]).description != changed.description


def test_a_content_problem_is_reported_and_never_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADIX_CACHE", str(tmp_path / "cache"))
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "scoring.yaml").write_text("not: [a, valid, scoring")
    for _ in range(2):
        with pytest.raises(engine.ContentError):
            engine.load_kb(content)
    assert not list((tmp_path / "cache").glob("content-*.pickle"))


def test_the_cache_can_be_turned_off_and_a_shared_directory_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADIX_CACHE", "off")
    engine.load_kb()
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("RADIX_CACHE", str(shared))
    engine.load_kb()
    assert not list(shared.iterdir())  # nothing written where others may write
    monkeypatch.setattr(load, "read_content", _refuse)  # and nothing read from there: the content is read
    with pytest.raises(AssertionError, match="cache was not used"):
        engine.load_kb()
