"""Shared test helpers: the knowledge base loaded once, and a case from a findings dict."""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import engine
from engine.tools.case_file import decode_case_bytes, load_case_document, read_case_bytes

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "content" / "cases").glob("*.yaml"))


@lru_cache(maxsize=1)
def kb() -> engine.KnowledgeBase:
    return engine.load_kb()


def run(**findings: Any) -> engine.Result:
    """Infer on findings given as keyword arguments (lists for set findings)."""
    return engine.infer(engine.parse_case({"findings": findings}, kb()), kb())


def load_case(path: Path) -> tuple[dict, engine.Case]:
    raw = load_case_document(decode_case_bytes(read_case_bytes(path), path.name), path.name)
    return raw, engine.parse_case(raw, kb())


def ids(items: Any, attr: str = "id") -> list[str]:
    return [getattr(x, attr) for x in items]


def assert_network_agrees_with_the_evaluator(res: engine.Result) -> None:
    """Every rule fired exactly when the three-valued evaluator accepts its premises."""
    from engine.knowledge.premises import AllOf, evaluate
    from engine.reasoning.infer import inputs_of

    fired = {f.rule for f in res.trace}
    inputs = inputs_of(res.findings, res.instruments)
    facts = {fid: True for fid in res.facts}
    for rule in kb().rules:
        accepted = evaluate(AllOf(op="all", of=rule.when), inputs, facts) if rule.when else True
        assert (rule.id in fired) == bool(accepted), rule.id


def section(at: Any, name: str) -> Any:
    """AppTest: open an intake section (only the open one is drawn), after applying what was entered."""
    at.run()
    at.session_state["radix.intake_tab"] = name
    return at.run()


def results_tab(at: Any, name: str) -> Any:
    """AppTest: open a result tab (only the open one is drawn)."""
    at.session_state["radix.results_tab"] = name
    return at.run()


def open_below(at: Any) -> Any:
    """AppTest: open the treatment ladder and the reasoning trace (folded, drawn only when open),
    after applying what was entered."""
    at.run()
    at.session_state["radix.ladder_open"] = True
    at.session_state["radix.trace_open"] = True
    return at.run()


class _DifferentialRows(HTMLParser):
    """The differential's rows as the browser gets them: attributes, bar / prior / value
    positions (0-1) and the text inside."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if self._depth:
            self._depth += tag == "div"
            found = re.search(r"(left|width): ([0-9.]+)%", a.get("style") or "")
            if a.get("class") in ("bar", "prior", "value") and found:
                self.rows[-1][str(a["class"])] = float(found[2]) / 100
        elif "data-condition" in a:
            self.rows.append({**a, "text": "", "css": a.get("class") or ""})
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "div":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.rows[-1]["text"] += data


def differential_rows(html: str) -> list[dict[str, Any]]:
    """The rows of ``dashboard.charts.differential.differential_html``, in drawn order."""
    return _DifferentialRows(html).rows
