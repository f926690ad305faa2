"""Scoring a student's answer to a teaching case with the key-features approach.

Key-features problems (Page & Bordage 1995; Page, Bordage & Allen 1995; Farmer & Page
2005) test only the critical decisions of a case, each scored against an answer key that
may hold one or several responses, and a case's score is the mean of its key-feature
scores, so every decision weighs the same. Radix's key features for back pain radiating
to the leg are the decisions the guidelines it encodes treat as critical:

1. urgency (red flags set it; NICE CKS, GIRFT CES pathway),
2. the working diagnosis among the top three (the published answer of the case),
3. the root level(s) (the published roots; none for a non-radicular case),
4. the next step on the treatment ladder (the engine's step on the full case, as the
   cited reports do not give one),
5. the red-flag screen: the red-flag questions the case can answer were asked (the
   whole screen when the case answers none).

A "killer" response, as in the killer items of OSCE stations, makes the whole case score
zero: calling an emergency anything less than an emergency is the gravest error, since
delay is what harms a patient with cauda equina syndrome or cord compression.
Under-triaging an urgent case scores zero on urgency and is flagged as a serious error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.knowledge.records import URGENCIES
from engine.teaching.cases import TeachingCase

__all__ = ["ASSESSMENT_SOURCES", "CaseScore", "Commitment", "KeyFeature", "score_case"]

ASSESSMENT_SOURCES: tuple[str, ...] = (
    "Page G, Bordage G. The Medical Council of Canada's key features project: a more valid written examination "
    "of clinical decision-making skills. Acad Med. 1995;70(2):104-110. doi:10.1097/00001888-199502000-00012",
    "Page G, Bordage G, Allen T. Developing key-feature problems and examinations to assess clinical "
    "decision-making skills. Acad Med. 1995;70(3):194-201.",
    "Farmer EA, Page G. A practical guide to assessing clinical decision-making skills using the key features "
    "approach. Med Educ. 2005;39(12):1188-1194.",
)


@dataclass(frozen=True, slots=True)
class Commitment:
    """What the student commits to before the reveal."""

    differential: tuple[str, ...]  # ranked, best first, at most three
    urgency: str
    roots: tuple[str, ...] = ()
    next_step: str | None = None

    def __post_init__(self) -> None:
        if len(self.differential) > 3:
            raise ValueError("a committed differential holds at most three conditions")
        if self.urgency not in URGENCIES:
            raise ValueError(f"urgency must be one of {URGENCIES}")


@dataclass(frozen=True, slots=True)
class KeyFeature:
    id: str
    label: str
    score: float  # 0..1
    expected: str
    given: str
    note: str = ""
    error: str | None = None  # None, "serious" or "killer"


@dataclass(frozen=True, slots=True)
class CaseScore:
    features: tuple[KeyFeature, ...]
    killer: bool
    percent: float  # 0..100; 0 when a killer error was made
    sources: tuple[str, ...] = field(default=ASSESSMENT_SOURCES)

    @property
    def gravest_error(self) -> KeyFeature | None:
        """The worst error made: a killer one first, then a serious one."""
        for level in ("killer", "serious"):
            for f in self.features:
                if f.error == level:
                    return f
        return None


def _urgency(expected: str, given: str) -> KeyFeature:
    if given == expected:
        return KeyFeature("urgency", "Urgency", 1.0, expected, given)
    under = URGENCIES.index(given) < URGENCIES.index(expected)
    error = None
    if under:
        error = "killer" if expected == "emergency" else "serious"
    note = "Under-triage" if under else "Over-triage: safe for the patient, costly for the service"
    if error == "killer":
        note = "Under-triage of an emergency: the gravest error, the case scores zero"
    return KeyFeature("urgency", "Urgency", 0.0, expected, given, note, error)


def _diagnosis(expected: str, given: tuple[str, ...]) -> KeyFeature:
    # the answer key has one response, the published diagnosis; naming it first earns
    # full credit, anywhere else in the three half (a ranked differential, after
    # Page, Bordage & Allen's keys that credit responses by how well they fit the task)
    if given and given[0] == expected:
        score, note = 1.0, "First in your differential"
    elif expected in given:
        score, note = 0.5, f"Ranked {given.index(expected) + 1} of {len(given)}: half credit"
    else:
        score, note = 0.0, "Not in your top three"
    return KeyFeature("diagnosis", "Working diagnosis", score, expected, ", ".join(given) or "none", note)


def _roots(expected: tuple[str, ...], given: tuple[str, ...]) -> KeyFeature:
    exp, got = set(expected), set(given)
    if not exp and not got:
        score, note = 1.0, "No root level: the case is not radicular"
    else:
        # overlap over union: each missed root and each extra root costs the same, so
        # naming every root cannot buy credit (key-features keys limit the responses)
        score = len(exp & got) / len(exp | got)
        note = f"{len(exp & got)} of {len(exp)} expected named, {len(got - exp)} extra"
    return KeyFeature("roots", "Root level(s)", score, ", ".join(expected) or "none", ", ".join(given) or "none", note)


def _step(expected: str, given: str | None) -> KeyFeature:
    score = 1.0 if given == expected else 0.0
    return KeyFeature("next_step", "Next step", score, expected, given or "none", "The engine's step on the full case")


def _screen(recorded: tuple[str, ...], every: tuple[str, ...], asked: tuple[str, ...]) -> KeyFeature:
    # the screen is a key feature of every back-pain consultation (NICE CKS); its key is
    # the red-flag questions the case can answer, or the whole screen when it answers none
    key = recorded or every
    hit = [f for f in key if f in asked]
    what = "questions the case answers" if recorded else "questions of the screen (the case records none)"
    return KeyFeature("red_flag_screen", "Red-flag screen", len(hit) / len(key) if key else 1.0,
                      f"{len(key)} {what}", f"{len(hit)} asked", "Red-flag questions asked, of the key")


def score_case(
    case: TeachingCase,
    commitment: Commitment,
    asked: tuple[str, ...],
    red_flag_questions: tuple[str, ...],
    engine_step: str,
) -> CaseScore:
    """The key-feature scores of one committed answer, and the case score in percent."""
    recorded = tuple(f for f in red_flag_questions if f in case.findings)
    features = [
        _urgency(case.expected.urgency, commitment.urgency),
        _diagnosis(case.expected.top_condition, commitment.differential),
        _roots(case.expected.roots, commitment.roots),
        _step(engine_step, commitment.next_step),
        _screen(recorded, red_flag_questions, asked),
    ]
    killer = any(f.error == "killer" for f in features)
    percent = 0.0 if killer else 100.0 * sum(f.score for f in features) / len(features)
    return CaseScore(tuple(features), killer, round(percent, 1))
