"""Radix engine: explainable forward-chaining reasoning about back pain radiating to the leg.

A pure functional core: ``infer(case, kb) -> Result`` reads no file, clock or global.
The shell (CLI, dashboard) loads the knowledge base once with ``load_kb`` and parses cases
with ``parse_case``.
"""

from .ask import Answer, Question, ask_next
from .case import Case, case_json_schema, parse_case, parse_findings
from .case_file import parse_case_bytes, read_case_file
from .errors import CaseError, ContentError, EngineError, InferenceError, Problem
from .explain import Counterfactual, Evidence, RuleGap, evidence_for, what_if, why, why_not
from .infer import infer
from .kb import KnowledgeBase
from .loader import DEFAULT_CONTENT, load_kb
from .result import Result

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
