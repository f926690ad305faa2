"""Radix engine: explainable forward-chaining reasoning about back pain radiating to the leg.

A pure functional core: ``infer(case, kb) -> Result`` reads no file, clock or global.
The shell (CLI, dashboard) loads the knowledge base once with ``load_kb`` and parses cases
with ``parse_case``.
"""

from engine.errors import CaseError, ContentError, EngineError, InferenceError, Problem
from engine.knowledge.load import DEFAULT_CONTENT, load_kb
from engine.knowledge.records import KnowledgeBase
from engine.reasoning.ask import Answer, Question, ask_next
from engine.reasoning.case import Case, case_json_schema, parse_case, parse_findings
from engine.reasoning.explain import Counterfactual, Evidence, RuleGap, evidence_for, what_if, why, why_not
from engine.reasoning.infer import infer
from engine.reasoning.result import Result
from engine.tools.case_file import parse_case_bytes, read_case_file

__all__ = [
    "Answer",
    "Question",
    "ask_next",
    "DEFAULT_CONTENT",
    "Case",
    "Counterfactual",
    "Evidence",
    "RuleGap",
    "evidence_for",
    "what_if",
    "why",
    "why_not",
    "CaseError",
    "ContentError",
    "EngineError",
    "InferenceError",
    "KnowledgeBase",
    "Problem",
    "Result",
    "case_json_schema",
    "infer",
    "load_kb",
    "parse_case",
    "parse_case_bytes",
    "parse_findings",
    "read_case_file",
]
