"""Teaching mode's state in ``st.session_state``, under ``radix.teach.*`` keys.

The pure session logic lives in ``engine.teaching.session*``; this module only keeps its values
between reruns and offers the callbacks the page's buttons call. The answer of the
current case is never put in a widget before the student commits.
"""

from __future__ import annotations

import random
from dataclasses import asdict, fields

import streamlit as st

from dashboard.intake.case_files import problem_line
from dashboard.session.persist import case_store
from dashboard.session.state import content_dir, get_kb
from engine import (
    CaseError,
    CaseRecord,
    Commitment,
    Debrief,
    Session,
    TeachingCase,
    debrief,
    load_teaching_cases,
    pick,
    record,
    reveal,
    reveal_many,
    sections,
)
from store import StoreError, new_case_id

__all__ = [
    "ANY",
    "DEBRIEF",
    "LIBRARY_CASE",
    "RECORDS",
    "SESSION",
    "ask_one",
    "ask_section",
    "commit",
    "current_debrief",
    "current_session",
    "finish",
    "library_or_error",
    "pick_case",
    "records",
    "start_case",
    "teaching_cases",
]

ANY = "any"
SESSION = "radix.teach.session"
DEBRIEF = "radix.teach.debrief"
RECORDS = "radix.teach.records"
RNG = "radix.teach.rng"
NOTICE = "radix.teach.notice"
LIBRARY_CASE = "radix.library.case"


@st.cache_resource(show_spinner=False)
def teaching_cases() -> tuple[TeachingCase, ...]:
    """Every teaching case, loaded and validated once per server process."""
    return load_teaching_cases(content_dir() / "cases", get_kb())  # the deployment's content, as the knowledge base


def library_or_error() -> tuple[TeachingCase, ...] | None:
    """The cases, or ``None`` after showing every problem (a bad case file must not crash a page)."""
    try:
        return teaching_cases()
    except CaseError as err:
        st.error("**The teaching cases have problems:**\n" + "\n".join(f"- {problem_line(p)}" for p in err.problems))
        return None


def _rng() -> random.Random:
    # one generator per browser session, seeded from the OS: picks differ between
    # students; tests replace it with a seeded one to make a pick repeatable
    if RNG not in st.session_state:
        st.session_state[RNG] = random.Random()
    return st.session_state[RNG]


def current_session() -> Session | None:
    return st.session_state.get(SESSION)


def current_debrief() -> Debrief | None:
    return st.session_state.get(DEBRIEF)


def records() -> list[CaseRecord]:
    """This learner's finished cases: kept in the case store under the learner id in the
    URL (``?learner=``), so a reload or the same link later shows the same record."""
    if RECORDS not in st.session_state:
        learner, store = st.query_params.get("learner"), case_store()
        kept = store.teaching_records(learner) if learner and store else []
        names = {f.name for f in fields(CaseRecord)}
        st.session_state[RECORDS] = [CaseRecord(**{k: v for k, v in r.items() if k in names}) for r in kept]
    return list(st.session_state[RECORDS])


def _keep(rec: CaseRecord) -> None:
    """Add a finished case to the session record and to the store (best effort: the
    session keeps it even when the store cannot, and says so)."""
    st.session_state[RECORDS] = [*records(), rec]
    store = case_store()
    if store is None:
        return
    learner = st.query_params.get("learner") or new_case_id()
    st.query_params["learner"] = learner  # the link to come back to this record
    try:
        store.add_teaching_record(learner, asdict(rec))
    except StoreError as err:
        st.session_state[NOTICE] = f"The record is kept for this session only: {err.reason}"


def start_case(case: TeachingCase) -> None:
    st.session_state[SESSION] = Session(case)
    st.session_state[DEBRIEF] = None


def _filter(key: str) -> str | None:
    value = st.session_state.get(key, ANY)
    return None if value in (None, ANY) else value


def pick_case() -> None:
    """Button callback: a random case matching the filters, new ones first."""
    done = [r.case_id for r in records()]
    case = pick(
        teaching_cases(), _rng(), cause=_filter("radix.teach.cause"),
        difficulty=_filter("radix.teach.difficulty"), setting=_filter("radix.teach.setting"), exclude=done,
    )
    if case is None:
        st.session_state[NOTICE] = "No case matches these filters."
        return
    st.session_state[NOTICE] = None
    start_case(case)


def ask_one(section: str) -> None:
    """Button callback: ask the question chosen in a section's box."""
    session, fid = current_session(), st.session_state.get(f"radix.teach.q.{section}")
    if session is None or not fid:
        return
    st.session_state[SESSION], _ = reveal(session, fid, get_kb())
    st.session_state[f"radix.teach.q.{section}"] = None  # the asked question leaves the box's options


def ask_section(section: str) -> None:
    """Button callback: ask every question of a section."""
    session = current_session()
    if session is None:
        return
    st.session_state[SESSION], _ = reveal_many(session, sections(get_kb())[section], get_kb())


def commit() -> None:
    """Button callback: freeze the student's answer, score it and keep the record."""
    session = current_session()
    differential = tuple(st.session_state.get("radix.teach.differential") or ())
    urgency = st.session_state.get("radix.teach.urgency")
    if session is None or not differential or urgency is None:
        st.session_state[NOTICE] = "Commit needs at least one condition and an urgency."
        return
    step = st.session_state.get("radix.teach.step")
    commitment = Commitment(differential[:3], urgency, tuple(st.session_state.get("radix.teach.roots") or ()), step)
    result = debrief(session, commitment, get_kb())
    st.session_state[DEBRIEF] = result
    st.session_state[NOTICE] = None
    _keep(record(session.case, result))


def finish() -> None:
    """Button callback: leave the debrief; the next pick starts a new case."""
    st.session_state[SESSION] = None
    st.session_state[DEBRIEF] = None
    for k in ("radix.teach.differential", "radix.teach.urgency", "radix.teach.roots", "radix.teach.step"):
        st.session_state.pop(k, None)


def notice() -> str | None:
    return st.session_state.get(NOTICE)
