"""One error root for the engine, so the shell can catch everything it must report.

    EngineError
    ├── ContentError     the knowledge base in content/ is invalid (file, rule id, message)
    ├── CaseError        a case is invalid (finding id, value given, what was expected, suggestion)
    └── InferenceError   the engine could not finish (step cap reached, unknown fact asked for)

Each carries a list of structured ``Problem`` records; the message lists them all, so
one run reports every problem rather than the first.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CaseError", "ContentError", "EngineError", "InferenceError", "Problem", "clean"]

ECHO_LIMIT = 80


def clean(text: object, limit: int = ECHO_LIMIT) -> str:
    """User data made safe to echo: control characters (terminal escapes), lone
    surrogates and other non-printables escaped, and cut to ``limit`` characters."""
    s = str(text)
    cut = len(s) > limit
    s = s[:limit]
    s = "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in s)
    return s + "…" if cut else s


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong, located precisely enough to fix."""

    where: str  # a finding id, or "file.yaml: rule id"
    message: str
    value: object = None
    expected: str | None = None
    suggestion: str | None = None

    def __str__(self) -> str:
        return self.format()

    def format(self) -> str:
        """One line naming where, what, the value given, what was expected, a suggestion.
        Plain text with user data escaped and truncated; the dashboard shows it as text
        (never Markdown: a backtick in an id would break out of a code span)."""
        text = f"{clean(self.where)}: {clean(self.message, 400)}"
        if self.value is not None:
            text += f" (got {clean(repr(self.value))})"
        if self.expected:
            text += f"; expected {self.expected}"
        if self.suggestion:
            text += f"; did you mean {clean(repr(self.suggestion))}?"
        return text


class EngineError(Exception):
    """Root of every error the engine raises on purpose."""

    kind = "engine"

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(where=self.kind, message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the {self.kind}"
        return head + ":\n" + "\n".join(f"  - {p}" for p in self.problems)


class ContentError(EngineError):
    """The knowledge base is invalid; raised at load, never on a patient."""

    kind = "knowledge base"


class CaseError(EngineError):
    """A case does not match the case format."""

    kind = "case"


class InferenceError(EngineError):
    """Inference could not complete."""

    kind = "inference"
