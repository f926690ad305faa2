"""``python -m engine``: evaluate, schema, lint, explain. A thin shell over the core.

Bad input exits with status 2, a message on stderr and nothing on stdout.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from engine.errors import CaseError, EngineError, Problem, clean
from engine.knowledge.base import KnowledgeBase
from engine.knowledge.load import DEFAULT_CONTENT, load_kb
from engine.reasoning.case import Case, case_json_schema
from engine.reasoning.infer import infer
from engine.tools.case_file import read_case_file
from engine.tools.json_text import dumps_indented

__all__ = ["main"]


def _read_case(path: str, kb: KnowledgeBase) -> Case:
    return read_case_file(path, kb)


def _evaluate(args: argparse.Namespace, kb: KnowledgeBase) -> str:
    result = infer(_read_case(args.case, kb), kb)
    if args.format == "json":
        return dumps_indented(result.to_dict()) + "\n"  # json.dumps(..., indent=2)'s text, faster
    from engine.tools.report import text_report  # only this format reads it (a faster start)

    return text_report(result, kb)


def _explain(args: argparse.Namespace, kb: KnowledgeBase) -> str:
    from engine.reasoning.explain import evidence_for, why, why_not  # only this verb reads them (a faster start)

    case = _read_case(args.case, kb)
    result = infer(case, kb)
    target = args.target
    rule = next((r for r in kb.rules if r.id == target), None)
    if rule is not None:
        target = rule.then
    if kb.fact_kind(target) is None:
        import difflib  # only an unknown target needs a suggestion

        known = [r.id for r in kb.rules] + [*kb.conditions, *kb.red_flags, *kb.facts, *kb.roots, *kb.ladder]
        close = difflib.get_close_matches(args.target, known, n=1)
        what = "not a rule, condition, red flag, root, fact or ladder step"
        raise CaseError(Problem(clean(args.target), what, suggestion=close[0] if close else None))
    lines = [f"{kb.label(target)} ({target})"]
    chain = why(result, kb, target)
    if chain:
        lines.append("Concluded because:")
        lines += [f"  {f.order}. {f.rule}: {f.description} [on {'; '.join(f.premises)}] ({', '.join(f.sources)})" for f in chain]
    else:
        lines.append("Not concluded.")
    if target in kb.conditions:
        ranked = next(d for d in result.differential if d.id == target)
        lines.append(f"Probability {ranked.score:.2f}; prior odds against the catch-all x{10 ** ranked.log_prior_odds:.3g}; evidence:")
        for e in evidence_for(result, kb, target):
            basis = "published" if e.published else "estimate"
            lines.append(f"  {e.direction:7} x{10 ** e.contribution:<6.3g} {e.label} ({e.observed}; {basis}) [{e.row}]")
    gaps = why_not(result, kb, target)
    if gaps:
        lines.append("Findings that would raise it, not recorded or absent:" if target in kb.conditions else "Rules that did not fire:")
        for g in gaps:
            marks = "; ".join(f"{ {'true': '+', 'false': 'x', 'unknown': '?'}[p.status]} {p.text}" for p in g.premises)
            lines.append(f"  {g.rule}: {marks}")
            unknown = sorted({f for p in g.premises for f in p.unknown_findings})
            if unknown and g.blocked_by_unknown:
                lines.append(f"    would fire if asked and present: {', '.join(unknown)}")
    return "\n".join(lines) + "\n"


def _ask(args: argparse.Namespace, kb: KnowledgeBase) -> str:
    from engine.reasoning.ask import ask_next, ask_text

    return ask_text(ask_next(_read_case(args.case, kb), kb), kb, args.limit)


def _report(args: argparse.Namespace, kb: KnowledgeBase) -> str:
    from exports.cli import run_report

    return run_report(args, kb, _read_case(args.case, kb))


def _batch(args: argparse.Namespace, kb: KnowledgeBase) -> str:
    from engine.tools.batch import run_cli

    return run_cli(args, kb)


def _lint(args: argparse.Namespace) -> tuple[int, str]:
    try:
        from engine.tools.lint import check_content  # the linter loads only for its verb

        kb = check_content(Path(args.content))
    except EngineError as exc:
        return 1, str(exc)
    return 0, f"content OK: {len(kb.rules)} rules, {len(kb.conditions)} conditions, {len(kb.sources)} sources\n"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m engine", description="Radix: explainable reasoning about back pain radiating to the leg.")
    p.add_argument("--content", default=str(DEFAULT_CONTENT), help="knowledge base folder (default: content/)")
    sub = p.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="evaluate a case file (JSON or YAML; - for stdin)")
    ev.add_argument("case")
    ev.add_argument("--format", choices=("json", "text"), default="json")
    sub.add_parser("schema", help="print the JSON Schema of a case")
    sub.add_parser("lint", help="validate content/; exit 1 on problems")
    ex = sub.add_parser("explain", help="why (or why not) a rule, condition, red flag, root or step")
    ex.add_argument("case")
    ex.add_argument("target")
    ak = sub.add_parser("ask", help="the questions to ask next, most informative first (red flags first)")
    ak.add_argument("case")
    ak.add_argument("--limit", type=int, default=10)
    from exports.cli import add_report_parser  # report, handout, FHIR: I/O lives outside the engine

    add_report_parser(sub)
    # a cohort at a time (engine/tools/batch.py, imported by its verb only: a faster start)
    b = sub.add_parser("batch", help="summarise a cohort: CSV, JSON Lines or Parquet in, one row per case out")
    b.add_argument("input")
    b.add_argument("output")
    b.add_argument("--jobs", type=int, default=None, help="worker processes (default: 1, or every core with --scalar)")
    b.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    b.add_argument("--scalar", action="store_true", help="summarise row by row (the reference path; same output, slower)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage to stderr
        return 2 if exc.code else 0
    if args.command == "lint":
        status, text = _lint(args)
        (sys.stdout if status == 0 else sys.stderr).write(text if text.endswith("\n") else text + "\n")
        return status
    try:
        kb = load_kb(Path(args.content))
        verbs = {"evaluate": _evaluate, "explain": _explain, "report": _report, "batch": _batch, "ask": _ask}
        out: Any = verbs.get(args.command)
        text = out(args, kb) if out else dumps_indented(case_json_schema(kb)) + "\n"
    except EngineError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(text)
    return 0
