"""The one safe door for case files: bytes in, a validated ``Case`` out, or one ``CaseError``.

Every reader of a case file (the CLI, the dashboard's upload and paste, the teaching
library, the linter, the tests) comes through here, so every hostile-input rule holds
everywhere at once:

* size: at most ``MAX_BYTES`` (1 MB) is read; a larger file is refused, never parsed;
* kind: only regular files (a FIFO or ``/dev/zero`` is refused without blocking);
* encoding: UTF-8 (a UTF-8 BOM is dropped); UTF-16/32 and invalid bytes are named;
* YAML: anchors and aliases refused (billion laughs), duplicate keys an error, nesting
  at most ``MAX_DEPTH``, YAML 1.2 core scalars only (``030`` is 30, ``1:10`` and
  ``yes`` are strings), integers at most ``MAX_INT_DIGITS`` digits;
* JSON: the same rules (duplicates, depth, digits, no ``NaN``);
* text: no lone surrogates anywhere (they cannot be printed or saved).

Messages echo user data only through ``engine.errors.clean`` (escaped, truncated).
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from engine.errors import CaseError, Problem, clean
from engine.knowledge.base import KnowledgeBase
from engine.reasoning.case import Case, parse_case

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "decode_case_bytes",
    "load_case_document",
    "parse_case_bytes",
    "read_case_bytes",
    "read_case_file",
]

MAX_BYTES = 1_000_000
MAX_DEPTH = 32  # a case is two levels deep; teaching metadata a few more
MAX_INT_DIGITS = 18  # fits in 64 bits; Python refuses str->int past 4,300 digits anyway

_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
)


def _err(where: str, message: str) -> CaseError:
    return CaseError(Problem(where, message))


def _read_limited(stream: BinaryIO, name: str) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _err(name, f"too large: a case file may be at most {MAX_BYTES:,} bytes (1 MB)")
    return data


def read_case_bytes(path: str | Path) -> bytes:
    """The bytes of a case file (``-`` for stdin), refusing anything that is not a small
    regular file. Opened non-blocking so that a FIFO cannot hang the reader."""
    name = str(path)
    if name == "-":
        return _read_limited(sys.stdin.buffer, "stdin")
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise _err(name, f"cannot read the case file: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _err(name, "not a regular file (a directory, device or pipe cannot be a case file)")
        if info.st_size > MAX_BYTES:
            raise _err(name, f"too large: {info.st_size:,} bytes; a case file may be at most {MAX_BYTES:,} bytes (1 MB)")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return _read_limited(stream, name)
    except OSError as exc:
        raise _err(name, f"cannot read the case file: {exc.strerror}") from exc
    finally:
        os.close(fd)


def decode_case_bytes(data: bytes, name: str = "case") -> str:
    """UTF-8 text, or a ``CaseError`` naming the encoding found instead."""
    if len(data) > MAX_BYTES:
        raise _err(name, f"too large: {len(data):,} bytes; a case file may be at most {MAX_BYTES:,} bytes (1 MB)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            raise _err(name, f"encoded as {encoding}: save the case file as UTF-8")
    if data[:2].count(0) == 1:  # ASCII text in UTF-16 without a byte-order mark
        raise _err(name, "looks like UTF-16 (no byte-order mark): save the case file as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start:exc.start + 1].hex()
        raise _err(name, f"not valid UTF-8 (byte 0x{bad} at offset {exc.start}; latin-1 or Windows-1252?): "
                         "save the case file as UTF-8") from exc
    return text.removeprefix("\ufeff")


# ---- YAML: the 1.2 core schema, no anchors, no duplicates -----------------------------

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser; constructors stay Python


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader with YAML 1.2 core resolvers and strict mappings."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, Any]]] = {}

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in out
            except TypeError as exc:
                raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value", key_node.start_mark) from exc
            if duplicate:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {_short(key)}", key_node.start_mark)
            out[key] = self.construct_object(value_node, deep=deep)
        return out

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = self.construct_scalar(node).lstrip("+")
        digits = text.lstrip("-")
        if len(digits) > MAX_INT_DIGITS:
            raise yaml.constructor.ConstructorError(None, None, f"integer of {len(digits)} digits is too large", node.start_mark)
        if digits.startswith(("0o", "0x")):
            sign = -1 if text.startswith("-") else 1
            return sign * int(digits[2:], 8 if digits[1] == "o" else 16)
        return int(text, 10)


def _short(value: object) -> str:
    return clean(repr(value))


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution): no 1.1 octal,
# sexagesimal, yes/no/on/off, timestamps or merge keys.
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
):
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _check_events(text: str, name: str) -> None:
    """One fast pass over libyaml's events before anything is built: no anchors, no
    aliases, bounded depth. An alias bomb is a few KB of text that expands to gigabytes."""
    depth = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _err(name, "YAML anchors and aliases (& and *) are not allowed in a case file")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _err(name, f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _yaml_document(text: str, name: str) -> Any:
    _check_events(text, name)
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


# ---- JSON: the same rules ---------------------------------------------------------------


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {_short(key)}")
        out[key] = value
    return out


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"integer of {len(text.lstrip('-'))} digits is too large")
    return int(text)


def _json_constant(text: str) -> float:
    raise ValueError(f"{text} is not a JSON number")


def _json_document(text: str, name: str) -> Any:
    return json.loads(text, object_pairs_hook=_json_pairs, parse_int=_json_int, parse_constant=_json_constant)


def _depth_and_text(value: Any, name: str) -> None:
    """Bounded depth (JSON's parser recurses) and no lone surrogates in any string."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _err(name, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise _err(name, "contains an unpaired surrogate escape (\\ud800-\\udfff), which is not text") from exc
        elif isinstance(item, dict):
            stack += [(k, depth + 1) for k in item] + [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]


def load_case_document(text: str, name: str = "case", fmt: str | None = None) -> Any:
    """Parse case text (``fmt`` "json" or "yaml"; by default from ``name``'s suffix)."""
    fmt = fmt or ("json" if name.lower().endswith(".json") else "yaml")
    try:
        doc = _json_document(text, name) if fmt == "json" else _yaml_document(text, name)
    except RecursionError as exc:
        raise _err(name, f"nested more than {MAX_DEPTH} levels deep") from exc
    except (yaml.YAMLError, ValueError) as exc:
        detail = " ".join(str(exc).replace('in "<unicode string>", ', "").split())
        raise _err(name, f"not valid {fmt.upper()}: {clean(detail, 200)}") from exc
    _depth_and_text(doc, name)
    return doc


def parse_case_bytes(data: bytes, kb: KnowledgeBase, name: str = "case", fmt: str | None = None) -> Case:
    """Bytes from anywhere (an upload, stdin, a file) to a validated case."""
    return parse_case(load_case_document(decode_case_bytes(data, name), name, fmt), kb)


def read_case_file(path: str | Path, kb: KnowledgeBase) -> Case:
    """A case file (``-`` for stdin) to a validated case, or one ``CaseError``."""
    return parse_case_bytes(read_case_bytes(path), kb, str(path))
