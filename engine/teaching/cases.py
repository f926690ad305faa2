"""Teaching cases as typed records, loaded from a folder, and picked for a student.

A teaching case is a cited case report encoded in the contract's findings plus its
teaching metadata: summary, learning points, the published answer and its citation.
``difficulty``, ``setting`` and ``presentation`` are being added to every case file; a
file without them still loads, and the missing key reads as unknown (``None``).

The loader is the only function here that reads files; ``filter_cases`` and ``pick``
are pure (a random pick takes an explicit ``random.Random`` so a session is repeatable).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.errors import CaseError, Problem
from engine.knowledge.base import KnowledgeBase
from engine.knowledge.records import DIFFICULTIES, PRESENTATIONS, SETTINGS, Difficulty, Presentation, Setting, Urgency
from engine.reasoning.case import parse_findings
from engine.tools.case_file import decode_case_bytes, load_case_document, read_case_bytes

__all__ = [
    "DIFFICULTIES",
    "PRESENTATIONS",
    "SETTINGS",
    "CaseSource",
    "Expected",
    "TeachingCase",
    "filter_cases",
    "load_teaching_cases",
    "parse_teaching_case",
    "pick",
]



class _Frozen(BaseModel):
    # case files carry more than the trainer reads (notes, future keys the case authors
    # add); the content linter, not this reader, owns strictness about them
    model_config = ConfigDict(frozen=True, extra="ignore")


class CaseSource(_Frozen):
    citation: str
    url: str | None = None
    kind: str | None = None
    note: str | None = None


class Expected(_Frozen):
    """The published answer: what the cited report concluded."""

    top_condition: str
    differential_includes: tuple[str, ...] = ()
    urgency: Urgency
    roots: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()


class TeachingCase(_Frozen):
    id: str
    title: str
    summary: str
    source: CaseSource
    teaching_points: tuple[str, ...] = ()
    expected: Expected
    known_limitations: dict[str, str] = Field(default_factory=dict)
    difficulty: Difficulty | None = None
    setting: Setting | None = None
    presentation: Presentation | None = None
    # validated findings (sets as frozensets); unknown findings are simply absent
    findings: dict[str, Any] = Field(default_factory=dict)
    file: str | None = None

    @property
    def causes(self) -> tuple[str, ...]:
        """Conditions the case teaches: its answer first, then the ones it must be told apart from."""
        return (self.expected.top_condition, *self.expected.differential_includes)


def _problems(where: str, exc: ValidationError) -> list[Problem]:
    return [Problem(where, f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}") for e in exc.errors()]


def parse_teaching_case(raw: Mapping[str, Any], kb: KnowledgeBase, file: str | None = None) -> TeachingCase:
    """Validate one case document; raise one ``CaseError`` naming every problem."""
    where = file or str(raw.get("id", "case"))
    problems: list[Problem] = []
    findings: dict[str, Any] = {}
    try:
        findings = parse_findings(raw.get("findings") or {}, kb)
    except CaseError as exc:
        problems += [Problem(f"{where}: {p.where}", p.message, p.value, p.expected, p.suggestion) for p in exc.problems]
    try:
        case = TeachingCase.model_validate({**raw, "findings": {}, "file": file})
    except ValidationError as exc:
        problems += _problems(where, exc)
    if problems:
        raise CaseError(problems)
    return case.model_copy(update={"findings": findings})


def load_teaching_cases(folder: Path, kb: KnowledgeBase) -> tuple[TeachingCase, ...]:
    """Every ``*.yaml`` case in ``folder``, in file order; all problems raised together."""
    cases: list[TeachingCase] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        try:  # the one case-file reader: size, encoding, YAML safety as for any uploaded case
            doc = load_case_document(decode_case_bytes(read_case_bytes(path), path.name), path.name)
            cases.append(parse_teaching_case(doc, kb, path.name))
        except CaseError as exc:
            problems += exc.problems
    if problems:
        raise CaseError(problems)
    return tuple(cases)


def filter_cases(
    cases: Iterable[TeachingCase],
    *,
    cause: str | None = None,
    difficulty: str | None = None,
    setting: str | None = None,
) -> list[TeachingCase]:
    """The cases matching every filter given; ``None`` means any.

    ``cause`` matches a case's answer or a condition it lists to be told apart, so a student
    practising "stenosis" also meets the disc cases that mimic it.
    """
    return [
        c for c in cases
        if (cause is None or cause in c.causes)
        and (difficulty is None or c.difficulty == difficulty)
        and (setting is None or c.setting == setting)
    ]


def pick(
    cases: Iterable[TeachingCase],
    rng: random.Random,
    *,
    cause: str | None = None,
    difficulty: str | None = None,
    setting: str | None = None,
    exclude: Iterable[str] = (),
) -> TeachingCase | None:
    """A random case among those matching the filters, preferring ones not yet done.

    ``exclude`` (ids already done this session) is only a preference: when every match
    has been done, one is picked again rather than none. ``None`` when nothing matches.
    """
    pool = filter_cases(cases, cause=cause, difficulty=difficulty, setting=setting)
    done = set(exclude)
    fresh = [c for c in pool if c.id not in done]
    choices = fresh or pool
    return rng.choice(choices) if choices else None
