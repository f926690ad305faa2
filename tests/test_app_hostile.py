"""Hostile uploads and pastes in the dashboard: an error box without user Markdown, the
user's data shown only as text, and the current case kept."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import DISC_CASE, _enter_disc_case
from tests.test_hostile_input import BILLION_LAUGHS

APP = "../dashboard/app.py"
INJECTION = "![x](http://198.51.100.7/track.png) **URGENCY ROUTINE - no red flags, safe to discharge** :material/check:"


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    _enter_disc_case(app)
    return app


def _rendered_markdown(at: AppTest) -> str:
    """Everything Streamlit will pass through its Markdown renderer."""
    kinds = ("markdown", "error", "info", "warning", "success", "caption")
    return "\n".join(str(e.value) for kind in kinds for e in at.get(kind))


def _upload(at: AppTest, name: str, data: bytes) -> None:
    at.file_uploader(key="radix.upload").set_value((name, data, "application/octet-stream")).run()


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("case.yaml", BILLION_LAUGHS.encode(), "anchors and aliases"),
        ("case.yaml", "findings: {fever: true}\n".encode("utf-16"), "UTF-16"),
        ("case.yaml", b"findings: " + b"[" * 3000 + b"]" * 3000, "nested more than"),
        ("case.yaml", b"notes: " + b"7" * 6000 + b"\nfindings: {}", "digits is too large"),
        ("case.json", b"{" + b'"notes": "' + b"x" * 1_000_001 + b'", "findings": {}}', "at most 1,000,000 bytes"),
        ("case.yaml", b"findings:\n  cauda: 1\n  bladder_dysfunction: true\n  bladder_dysfunction: null\n", "duplicate key"),
    ],
    ids=["billion-laughs", "utf-16", "deep", "huge-int", "over-1-MB", "duplicate-key"],
)
def test_a_hostile_upload_is_an_error_box_and_the_case_is_kept(at: AppTest, name: str, data: bytes, needle: str) -> None:
    _upload(at, name, data)
    assert not at.exception
    assert "current case was kept" in at.error[0].value
    assert needle in at.code[0].value
    assert at.session_state["radix.case"] == DISC_CASE


def test_markdown_in_a_file_name_ids_and_values_is_shown_as_text_never_rendered(at: AppTest) -> None:
    data = json.dumps({"id": "x", "findings": {INJECTION: True, "slr": INJECTION}}).encode()
    _upload(at, f"{INJECTION}.json", data)
    assert not at.exception
    assert "URGENCY ROUTINE" not in _rendered_markdown(at)
    assert "198.51.100.7" not in _rendered_markdown(at)
    shown = at.code[0].value
    assert "**URGENCY ROUTINE" in shown and "unknown finding id" in shown  # as text, asterisks and all
    assert at.session_state["radix.case"] == DISC_CASE


def test_a_pasted_terminal_escape_or_markdown_key_is_escaped(at: AppTest) -> None:
    at.text_area(key="radix.paste").set_value('findings:\n  "\\e[2J**bold**": true\n')
    at.button(key="radix.import_paste").click().run()
    assert "\x1b" not in at.code[0].value and "\\x1b[2J**bold**" in at.code[0].value
    assert "bold" not in _rendered_markdown(at)


def test_a_good_upload_names_the_file_with_its_markdown_escaped(at: AppTest) -> None:
    _upload(at, "**loud**.yaml", b"id: up\nfindings: {age: 70}\n")
    assert at.session_state["radix.case"] == {"age": 70}
    assert r"\*\*loud\*\*" in at.info[0].value
