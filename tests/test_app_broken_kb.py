"""A broken knowledge base: the dashboard shows one page listing every problem (file and
rule id), evaluates nothing, shows no traceback; the health probe fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.health import main as health
from tests.test_lint import BASE, _append_rule
from tests.test_lint import content as _content_copy

APP = "../dashboard/app.py"


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    content = _content_copy.__wrapped__(tmp_path)
    _append_rule(content, {**BASE, "id": "x.fevr", "when": [{"op": "is", "finding": "fevr", "value": True}]})
    (content / "rules" / "98_latin1.yaml").write_bytes(b"- id: x.caf\xe9\n")
    monkeypatch.setenv("RADIX_CONTENT", str(content))
    return content


def test_a_broken_knowledge_base_is_one_page_of_problems_and_nothing_else(broken: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "Radix cannot start: the knowledge base is broken"
    listing = at.code[0].value
    assert "rules/99_broken.yaml: x.fevr: unknown finding 'fevr'" in listing
    assert "rules/98_latin1.yaml: not UTF-8" in listing
    assert not at.slider and not at.selectbox and not at.button  # no intake, nothing evaluated


def test_the_page_recovers_once_the_knowledge_base_is_fixed(broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert at.title and "cannot start" in at.title[0].value
    monkeypatch.delenv("RADIX_CONTENT")
    at.run()
    assert not at.exception and at.number_input(key="f.age")


def test_the_health_probe_fails_on_a_broken_knowledge_base(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert health([]) == 1
    assert "x.fevr" in capsys.readouterr().err
    assert health(["--content", str(Path(__file__).parents[1] / "content")]) == 0


def test_the_health_probe_fails_when_the_server_is_down_and_never_leaves_loopback(capsys: pytest.CaptureFixture[str]) -> None:
    assert health(["--url", "http://127.0.0.1:9"]) == 1
    assert health(["--url", "http://example.org"]) == 1
    assert "non-loopback" in capsys.readouterr().err


def test_a_finding_in_a_new_group_appears_on_its_own_tab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The intake's tabs and titles are findings.yaml's groups: no Python edit to show a new one."""
    import yaml

    content = _content_copy.__wrapped__(tmp_path)
    path = content / "findings.yaml"
    data = yaml.safe_load(path.read_text())
    data["groups"].append({"id": "occupation", "title": "Work and load", "tab": "Work", "section": "history"})
    data["findings"].append({"id": "heavy_manual_work", "label": "Heavy manual work", "type": "bool", "group": "occupation",
                             "contract": False})
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setenv("RADIX_CONTENT", str(content))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception and not at.error
    at.session_state["radix.intake_tab"] = "Work"
    at.run()
    assert "**Work and load**" in [m.value for m in at.markdown]
    assert any(w.label == "Heavy manual work" for w in at.get("button_group"))
