"""Radix engine: explainable forward-chaining reasoning about back pain radiating to the leg.

This module is the only door: the dashboard, the exports and the store import ``engine``
and nothing below it (a test checks). Behind it:

- ``engine.knowledge``: content files to frozen records, compiled once at load
  (records, premises, rule network, case model, likelihood table, body map);
- ``engine.reasoning``: the pure core, ``infer(case, kb) -> Result`` and the questions
  asked of a result (why, why not, what if, ask next); no file, clock or global;
- ``engine.teaching``: teaching cases, a student's session, scoring and debrief;
- ``engine.tools``: the shells (CLI, linter, case-file reader, batch, report text).
"""

from __future__ import annotations

import gc
import os
import sys
from importlib import import_module
from typing import TYPE_CHECKING

# ``python -m engine ...`` only (runpy imports this package while argv[0] is still "-m"):
# pydantic's plugin loader reads every installed distribution's metadata (about 20 ms of
# the CLI's start) for plugins the engine does not use. A program that imports the engine
# keeps its own setting.
#
# Also only there: the imports below make about 40,000 objects that live as long as the
# process, and the cyclic collector would scan them again and again as they are made
# (about 30 ms of a start's CPU). It is paused for them, then they are frozen (kept out
# of every later collection: gc.freeze's documented use) and the collector resumes.
if sys.argv[:1] == ["-m"]:
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _PAUSED_GC = gc.isenabled()  # a caller's gc.disable() is left as it is
    gc.disable()
else:
    _PAUSED_GC = False

# a compiled core built from other sources must not run: its .py files are imported instead
from engine.tools.native import sources_if_stale

sources_if_stale()

# the core a case needs, imported at once
from engine.errors import CaseError, ContentError, EngineError, InferenceError, Problem, clean
from engine.knowledge.base import KnowledgeBase
from engine.knowledge.load import DEFAULT_CONTENT, load_kb
from engine.reasoning.case import Case, case_json_schema, expected_text, parse_case, parse_findings
from engine.reasoning.infer import infer
from engine.reasoning.result import Firing, LadderResult, Ranked, RedFlagHit, RedFlagScreen, Result, RootScore, Syndrome

if _PAUSED_GC:
    gc.freeze()
    gc.enable()

if TYPE_CHECKING:  # the rest is imported on first use (``python -m engine`` starts faster)
    from engine.knowledge.body_map import BodyMap, BodyMapError, Polygon, load_body_map
    from engine.knowledge.premises import Premise, describe
    from engine.knowledge.records import DIFFICULTIES, LAYERS, PRESENTATIONS, SETTINGS, URGENCIES, FindingDef, Instrument, LadderStep, Rule
    from engine.knowledge.table import Evidence
    from engine.reasoning.ask import Answer, Question, ask_next, ask_text
    from engine.reasoning.explain import Counterfactual, PremiseStatus, RuleGap, evidence_for, what_if, why, why_not
    from engine.reasoning.instruments import InstrumentResult, missing_items, score_all
    from engine.reasoning.summary import Summary, summarize
    from engine.teaching.cases import (
        TeachingCase,
        filter_cases,
        load_teaching_cases,
        pick,
    )
    from engine.teaching.debrief import Debrief, debrief, informative_not_asked
    from engine.teaching.progress import CaseRecord, mean_score, most_missed, record, to_csv
    from engine.teaching.score import Commitment
    from engine.teaching.session import (
        NOT_RECORDED,
        SECTION_LABELS,
        Reply,
        Session,
        reveal,
        reveal_many,
        section_progress,
        sections,
    )
    from engine.tools.case_file import (
        MAX_BYTES,
        decode_case_bytes,
        load_case_document,
        parse_case_bytes,
        read_case_bytes,
        read_case_file,
    )
    from engine.tools.lint import check_content
    from engine.tools.report import instrument_line, text_report
    from engine.tools.validity import Outcome, ValidityFigures, evaluate_cases, validity_figures

_LAZY: dict[str, str] = {
    **dict.fromkeys(("BodyMap", "BodyMapError", "Polygon", "load_body_map"), "engine.knowledge.body_map"),
    **dict.fromkeys(("Premise", "describe"), "engine.knowledge.premises"),
    **dict.fromkeys(
        ("LAYERS", "URGENCIES", "DIFFICULTIES", "PRESENTATIONS", "SETTINGS", "FindingDef", "Instrument", "LadderStep", "Rule"),
        "engine.knowledge.records",
    ),
    **dict.fromkeys(("Evidence",), "engine.knowledge.table"),
    **dict.fromkeys(("Answer", "Question", "ask_next", "ask_text"), "engine.reasoning.ask"),
    **dict.fromkeys(
        ("Counterfactual", "PremiseStatus", "RuleGap", "evidence_for", "what_if", "why", "why_not"), "engine.reasoning.explain"
    ),
    **dict.fromkeys(("InstrumentResult", "missing_items", "score_all"), "engine.reasoning.instruments"),
    **dict.fromkeys(("Summary", "summarize"), "engine.reasoning.summary"),
    **dict.fromkeys(
        ("TeachingCase", "filter_cases", "load_teaching_cases", "pick"),
        "engine.teaching.cases",
    ),
    **dict.fromkeys(("Debrief", "debrief", "informative_not_asked"), "engine.teaching.debrief"),
    **dict.fromkeys(("CaseRecord", "mean_score", "most_missed", "record", "to_csv"), "engine.teaching.progress"),
    **dict.fromkeys(("Commitment",), "engine.teaching.score"),
    **dict.fromkeys(
        ("NOT_RECORDED", "SECTION_LABELS", "Reply", "Session", "reveal", "reveal_many", "section_progress", "sections"),
        "engine.teaching.session",
    ),
    **dict.fromkeys(
        ("MAX_BYTES", "decode_case_bytes", "load_case_document", "parse_case_bytes", "read_case_bytes", "read_case_file"),
        "engine.tools.case_file",
    ),
    **dict.fromkeys(("check_content",), "engine.tools.lint"),
    **dict.fromkeys(("instrument_line", "text_report"), "engine.tools.report"),
    **dict.fromkeys(("Outcome", "ValidityFigures", "evaluate_cases", "validity_figures"), "engine.tools.validity"),
}


def __getattr__(name: str) -> object:
    """A lazy name of the door: imported from its module on first use, then kept here."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    # errors
    "CaseError", "ContentError", "EngineError", "InferenceError", "Problem", "clean",
    # knowledge
    "DEFAULT_CONTENT", "LAYERS", "BodyMap", "BodyMapError", "FindingDef", "Instrument", "KnowledgeBase", "LadderStep",
    "Polygon", "Premise", "Rule", "check_content", "describe", "load_body_map", "load_kb",
    # cases
    "MAX_BYTES", "Case", "case_json_schema", "decode_case_bytes", "expected_text", "load_case_document",
    "parse_case", "parse_case_bytes", "parse_findings", "read_case_bytes", "read_case_file",
    # reasoning and its result
    "Evidence", "Firing", "InstrumentResult", "LadderResult", "Ranked", "RedFlagHit", "RedFlagScreen", "Result",
    "RootScore", "Summary", "Syndrome", "infer", "instrument_line", "missing_items", "score_all", "summarize", "text_report",
    # questions asked of a result
    "Answer", "Counterfactual", "PremiseStatus", "Question", "RuleGap", "ask_next", "ask_text", "evidence_for",
    "what_if", "why", "why_not",
    # teaching
    "DIFFICULTIES", "NOT_RECORDED", "PRESENTATIONS", "SECTION_LABELS", "SETTINGS", "URGENCIES", "CaseRecord",
    "Commitment", "Debrief", "Reply", "Session", "TeachingCase", "debrief", "filter_cases", "informative_not_asked",
    "load_teaching_cases", "mean_score", "most_missed", "pick", "record", "reveal", "reveal_many",
    "section_progress", "sections", "to_csv",
    # validity on cited case files
    "Outcome", "ValidityFigures", "evaluate_cases", "validity_figures",
]  # fmt: skip
