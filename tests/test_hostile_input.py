"""Hostile and careless case files: every one is a clean ``CaseError`` (CLI: exit 2, one
message on stderr, nothing on stdout, no traceback), never a hang, a crash or a guess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.errors import CaseError, Problem, clean
from engine.tools.case_file import MAX_BYTES, decode_case_bytes, load_case_document, parse_case_bytes, read_case_bytes, read_case_file
from engine.tools.cli import main
from tests.support import CASES, ROOT, kb

BILLION_LAUGHS = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
) + "findings: *i\n"

HOSTILE: list[tuple[str, bytes, str]] = [
    ("billion laughs", BILLION_LAUGHS.encode(), "anchors and aliases"),
    ("one harmless alias", b"x: &v true\nfindings: {fever: *v}\n", "anchors and aliases"),
    ("deep YAML nesting", b"findings: " + b"[" * 2000 + b"]" * 2000, "nested more than"),
    ("deep JSON nesting", b'{"findings": ' + b"[" * 2000 + b"]" * 2000 + b"}", "nested more than"),
    ("a 5,000-digit integer in notes", b"notes: " + b"9" * 5000 + b"\nfindings: {}\n", "digits is too large"),
    ("a 5,000-digit integer as age", b"findings: {age: " + b"1" * 5000 + b"}\n", "digits is too large"),
    ("UTF-16 with a BOM", "findings: {fever: true}\n".encode("utf-16"), "UTF-16"),
    ("UTF-16 without a BOM", "findings: {fever: true}\n".encode("utf-16-le"), "UTF-16"),
    ("UTF-32", "findings: {fever: true}\n".encode("utf-32"), "UTF-32"),
    ("latin-1", "id: Müller\nfindings: {fever: true}\n".encode("latin-1"), "not valid UTF-8"),
    ("a lone surrogate in the id", b'id: "\\udc80"\nfindings: {}\n', "invalid Unicode"),
    ("a lone surrogate in JSON", b'{"id": "\\ud800", "findings": {}}', "surrogate"),
    ("a duplicate finding", b"findings:\n  bladder_dysfunction: true\n  bladder_dysfunction: null\n", "duplicate key"),
    ("a duplicate top-level key", b"findings: {fever: true}\nfindings: {}\n", "duplicate key"),
    ("a sexagesimal age", b"findings: {age: 1:10}\n", "age: invalid value"),
    ("findings: false", b"findings: false\n", "must be a mapping"),
    ("findings: a list", b"findings: [fever]\n", "must be a mapping"),
    ("an id that is a list", b"id: [1, 2]\nfindings: {}\n", "id: must be text"),
    ("an id that is a number", b"id: 7\nfindings: {}\n", "id: must be text"),
    ("a multi-line id", b'id: "a\\nb"\nfindings: {}\n', "id: must be text"),
    ("yes is not a boolean", b"findings: {fever: yes}\n", "fever: invalid value"),
    ("NaN in JSON", b'{"findings": {"age": NaN}}', "not a JSON number"),
    ("a non-finite age", b"findings: {age: .inf}\n", "age: invalid value"),
    ("a complex key", b"findings: {? [a, b] : 1}\n", "not valid YAML"),
    ("a Python tag", b"findings: !!python/object/apply:os.system [echo pwned]\n", "not valid YAML"),
    ("a scalar document", b"just words\n", "must be a mapping"),
    ("an empty document", b"", "must be a mapping"),
]


@pytest.mark.parametrize(("label", "data", "needle"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_case_file_is_a_clean_case_error(label: str, data: bytes, needle: str) -> None:
    name = "case.json" if data.startswith(b"{") else "case.yaml"
    with pytest.raises(CaseError) as err:
        parse_case_bytes(data, kb(), name)
    assert needle in str(err.value), label
    assert len(str(err.value)) < 2_000


@pytest.mark.parametrize(("label", "data", "needle"), HOSTILE[:12], ids=[h[0] for h in HOSTILE[:12]])
def test_the_cli_answers_every_hostile_file_with_exit_2_and_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], label: str, data: bytes, needle: str
) -> None:
    path = tmp_path / ("case.json" if data.startswith(b"{") else "case.yaml")
    path.write_bytes(data)
    for fmt in ("json", "text"):
        assert main(["evaluate", str(path), "--format", fmt]) == 2
        out, errors = capsys.readouterr()
        assert out == "" and needle in errors and "Traceback" not in errors


def test_yaml_numbers_follow_yaml_1_2_so_030_is_thirty_not_octal_24() -> None:
    doc = load_case_document("findings: {age: 030, duration_weeks: 0o10}\nnotes: [1:10, on, 2020-01-01]\n")
    assert doc["findings"] == {"age": 30, "duration_weeks": 8}
    assert doc["notes"] == ["1:10", "on", "2020-01-01"]


def test_a_utf8_byte_order_mark_is_accepted_and_dropped() -> None:
    assert decode_case_bytes("\ufefffindings: {}\n".encode()) == "findings: {}\n"


def test_a_file_over_one_megabyte_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"notes: '" + b"x" * MAX_BYTES + b"'\nfindings: {}\n")
    with pytest.raises(CaseError, match="at most 1,000,000 bytes"):
        read_case_bytes(path)
    with pytest.raises(CaseError, match="at most 1,000,000 bytes"):
        decode_case_bytes(path.read_bytes())


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/null", "/"])
def test_a_device_or_directory_is_refused_without_reading_it(path: str) -> None:
    with pytest.raises(CaseError, match="not a regular file"):
        read_case_bytes(path)


def test_a_fifo_is_refused_at_once_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    out = subprocess.run([sys.executable, "-m", "engine", "evaluate", str(fifo)], cwd=ROOT,
                         capture_output=True, text=True, timeout=30)
    assert (out.returncode, out.stdout) == (2, "") and "not a regular file" in out.stderr


def test_stdin_is_read_through_the_same_limits() -> None:
    out = subprocess.run([sys.executable, "-m", "engine", "evaluate", "-"], cwd=ROOT, capture_output=True,
                         input=b"x" * (MAX_BYTES + 10), timeout=60)
    assert out.returncode == 2 and b"at most 1,000,000 bytes" in out.stderr


def test_terminal_escapes_in_ids_and_keys_are_never_echoed_raw(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    evil = "\x1b]0;pwned\x07\x1b[2J"
    path = tmp_path / "case.json"
    for text, shown in (('{"\\u001b]0;pwned\\u0007": 1, "findings": {}}', "\\x1b]0;pwned\\x07: unknown top-level key"),
                        ('{"findings": {"\\u001b[2J": true}}', "\\x1b[2J: unknown finding id")):
        path.write_text(text)
        assert main(["evaluate", str(path)]) == 2
        _, errors = capsys.readouterr()
        assert "\x1b" not in errors and "\x07" not in errors and shown in errors
    assert main(["explain", str(CASES[0]), evil]) == 2
    assert "\x1b" not in capsys.readouterr().err


def test_an_echoed_value_is_truncated() -> None:
    line = Problem("x" * 5_000, "invalid value", value="y" * 5_000).format()
    assert len(line) < 300 and "…" in line
    assert clean("a\x00b\u202ec") == "a\\x00b\\u202ec"


def test_every_teaching_case_passes_the_safe_reader() -> None:
    for path in CASES:
        assert read_case_file(path, kb()).findings
