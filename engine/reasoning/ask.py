"""Ask next: the unanswered questions ranked by what their answer is expected to teach.

For each unknown finding that the differential can read (directly through a row of the
likelihood table, or through a rule that concludes a syndrome a row reads) and each of
its candidate answers *a*:

1. the case's chaining is continued with *a* (``delta.continued``: syndromes are
   re-derived, so "calf pain relieved by standing still" can create the
   vascular-claudication pattern; the same facts as chaining the answered case) and the
   likelihood rows that read the finding or a fact gained or lost are re-read, groups and
   all, as ``infer`` observes them;
2. P(a) is the current posterior's mixture of the table: sum over causes of
   P(cause) x P(new observations | cause) / P(old observations | cause), normalised over
   the answers (the table's cells are P(finding | cause); the catch-all's is ``default``);
3. the expected information gain is the entropy of the posterior now minus the expected
   entropy after the answer (bits).

The arithmetic of every answer of every question is done at once with numpy
(``engine.reasoning.ask_vector``); a question whose shown numbers numpy's last bits could
change is weighed again one answer at a time with ``math`` (``ask_vector.exact``), so the questions
are those of the one-at-a-time path (tests/test_ask.py). The candidate answers are
worked out once per knowledge base.

Unasked red-flag questions always come first, whatever their gain (those that could raise
an emergency first, then in the screen's order): a red flag left
unasked cannot be raised (NICE NG59; the red-flag screen). Pure: no I/O, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.premises import Compare, Eq, Has, leaves
from engine.knowledge.records import URGENCIES, FindingDef, LikelihoodRow
from engine.knowledge.table import LikelihoodTable
from engine.reasoning.ask_vector import Cells, Change, Picked, cells_of, entropy, exact, pick
from engine.reasoning.case import Case
from engine.reasoning.chaining import chain, chain_state, true_atoms
from engine.reasoning.delta import continued, support_of
from engine.reasoning.scoring import group_pick, leaf_hits, log_odds_of, probabilities, weigh

__all__ = ["Answer", "Question", "ask_next", "ask_text"]

Kind = Literal["red_flag", "test", "question"]
_EXAM_GROUPS = ("neuro_exam", "tests")


@dataclass(frozen=True, slots=True)
class Answer:
    value: Any  # contract JSON value (bool, str, number, list)
    text: str  # "yes", "positive", "65"
    probability: float  # predicted probability of this answer
    top: str  # the leading cause if this were the answer
    top_probability: float
    red_flags: tuple[str, ...] = ()  # red flags this answer would raise (red-flag questions only)


@dataclass(frozen=True, slots=True)
class Question:
    finding: str
    label: str
    prompt: str  # "Ask: …?" or "Examine: …"
    kind: Kind
    gain: float  # expected information gain over the differential, bits
    answers: tuple[Answer, ...]
    raises: tuple[str, ...]  # causes some answer raises most (what it separates)
    lowers: tuple[str, ...]


def _can_fire(kb: KnowledgeBase, fid: str, value: Any) -> bool:
    """Whether answering ``fid`` can change what chains: an atom on it turns true, or a
    "not asked" test on it turns false (otherwise the fixed point is the same)."""
    return fid in kb.network.unknown_inputs or bool(true_atoms(kb.network, fid, value))  # a memo per value


def _new_flags(kb: KnowledgeBase, now: _Now, fid: str, value: Any) -> tuple[str, ...]:
    """Red flags that answering ``fid`` with ``value`` would raise, most urgent first."""
    if not _can_fire(kb, fid, value):
        return ()
    facts, _ = _facts_if(kb, now, fid, value)
    new = [f for f in kb.red_flags.values() if f.id in facts and f.id not in now.facts]
    return tuple(f.id for f in sorted(new, key=lambda f: -URGENCIES.index(f.urgency)))


def _counted(m: LikelihoodTable, known: Mapping[str, bool | None], changed: Mapping[str, bool | None],
             groups: Iterable[str]) -> dict[str, bool]:
    """The rows of ``groups`` that count once ``changed`` (``scoring.group_pick``, as
    ``scoring.weigh`` uses)."""
    out: dict[str, bool] = {}
    for g in groups:
        now = [(r, changed[r.id] if r.id in changed else known[r.id]) for r in m.groups[g]]
        pick = group_pick([(r, bool(v)) for r, v in now if v is not None])
        if pick is not None:
            out[pick[0].id] = pick[1]
    return out


@dataclass(frozen=True, slots=True)
class _Now:
    findings: Mapping[str, Any]
    facts: Mapping[str, bool]
    since: tuple[int, ...]  # the chaining's state, which each answer continues (``delta.continued``)
    remaining: tuple[int, ...]
    support: tuple[int, ...]
    known: Mapping[str, bool | None]  # row -> present / absent / unknown
    counted: Mapping[str, bool]
    log_odds: tuple[float, ...]
    post: tuple[float, ...]
    entropy: float
    chained: dict[tuple[str, Any], tuple[Mapping[str, bool], list[str]]]  # (finding, answer) -> _facts_if, within one call


def _facts_if(kb: KnowledgeBase, now: _Now, fid: str, value: Any) -> tuple[Mapping[str, bool], list[str]]:
    """The derived facts with ``fid`` answered, and those gained or lost, continued from the
    case's chaining (the same facts as a run from scratch: the network is monotone)."""
    hit = now.chained.get((fid, value))
    if hit is None:
        run = continued(kb, now.since, now.remaining, now.support, now.facts, fid, list(true_atoms(kb.network, fid, value)))
        if run is None:  # a cycle: chained again
            facts = _facts(kb, {**now.findings, fid: value})
            hit = facts, list(facts.keys() ^ now.facts.keys())
        else:
            hit = run.facts, run.diff
        now.chained[(fid, value)] = hit
    return hit


def _facts(kb: KnowledgeBase, findings: Mapping[str, Any]) -> dict[str, bool]:
    """The derived facts of a case (rows read findings and facts, never instrument bands)."""
    return {kb.rules[r].then: True for r in chain(kb.network, findings).fired}


def _now(kb: KnowledgeBase, findings: Mapping[str, Any]) -> _Now:
    run, remaining = chain_state(kb.network, findings)
    facts = {kb.rules[r].then: True for r in run.fired}
    observations, hits = weigh(kb, findings, facts)  # the rows, groups and log-odds exactly as infer weighs them
    known: dict[str, bool | None] = {row.id: None for row in kb.likelihoods}
    known.update({ob.row.id: ob.present for ob in observations})
    counted = {ob.row.id: ob.present for ob in observations if ob.counted}
    lo = log_odds_of(kb, hits)
    post = tuple(probabilities(lo))
    return _Now(findings, facts, run.since, tuple(remaining), support_of(kb, run.fired), known, counted, lo, post,
                entropy(post), {})


def _candidates(kb: KnowledgeBase, f: FindingDef, rows: Sequence[LikelihoodRow]) -> list[Any]:
    """The answers worth trying: every value of a closed vocabulary; for numbers one value
    on each side of every threshold a row tests; for sets 'none' and each tested value."""
    if f.type == "bool":
        return [True, False]
    if f.type == "enum":
        return list(kb.vocabularies[f.vocabulary or ""])
    tests = [leaf for r in rows for leaf in leaves(r.when) if getattr(leaf, "finding", None) == f.id]
    if f.type in ("int", "number"):
        cuts = sorted({float(t.value) for t in tests if isinstance(t, Compare)})
        if not cuts:
            return []
        points = [cuts[0] - 1] + [(a + b) / 2 for a, b in zip(cuts, cuts[1:], strict=False)] + [cuts[-1] + 1]
        lo, hi = f.min or 0, f.max if f.max is not None else cuts[-1] + 1
        return [int(min(max(p, lo), hi)) if f.type == "int" else float(min(max(p, lo), hi)) for p in points]
    values: list[str] = []
    for t in tests:
        vals = [t.value] if isinstance(t, Has | Eq) else list(getattr(t, "values", ()))
        values += [v for v in vals if v not in values]
    return [frozenset(), *(frozenset({v}) for v in values)]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset):
        return ", ".join(sorted(str(v).replace("_", " ") for v in value)) or "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("_", " ")


def _json(value: Any) -> Any:
    return sorted(value) if isinstance(value, frozenset) else value


def _kind(kb: KnowledgeBase, f: FindingDef) -> Kind:
    if f.id in kb.red_flag_findings:
        return "red_flag"
    return "test" if f.group in _EXAM_GROUPS else "question"


def _prompt(f: FindingDef, kind: Kind) -> str:
    return f"Examine: {f.label}" if kind == "test" else f"Ask: {f.label}?"


@dataclass(frozen=True, slots=True)
class _Askable:
    """A finding worth asking about (the differential can read it, or a red flag), with its
    candidate answers."""

    finding: FindingDef
    kind: Kind
    prompt: str
    values: tuple[Any, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _PerKb:
    kb: KnowledgeBase
    askable: tuple[_Askable, ...]  # content order
    cells: Cells


_LAST: list[_PerKb] = []  # what ask-next builds once per knowledge base: the last one's (one per process in practice)


def _per_kb(kb: KnowledgeBase) -> _PerKb:
    hit = _LAST[0] if _LAST else None  # read once: another thread may swap it
    if hit is None or hit.kb is not kb:
        m, askable = kb.table, []
        for fid, f in kb.findings.items():
            if fid in m.rows_by_input or fid in m.chained or fid in kb.red_flag_findings:
                values = _candidates(kb, f, [m.tests[i][0] for i in m.rows_by_input.get(fid, ())])
                if values:
                    kind = _kind(kb, f)
                    askable.append(_Askable(f, kind, _prompt(f, kind), tuple(values), tuple(map(_text, values))))
        hit = _PerKb(kb, tuple(askable), cells_of(kb))
        _LAST[:] = [hit]
    return hit


def ask_next(case: Case | Mapping[str, Any], kb: KnowledgeBase, limit: int | None = None) -> tuple[Question, ...]:
    """Unknown findings ranked by expected information gain; unasked red flags first."""
    findings = dict(case.findings if isinstance(case, Case) else case)
    m, per_kb = kb.table, _per_kb(kb)
    now = _now(kb, findings)
    asked = [(a, [_change(kb, m, a.finding, value, now) for value in a.values])
             for a in per_kb.askable if a.finding.id not in findings]
    # every answer of every question weighed at once; the few numpy cannot settle, exactly
    picked = pick(per_kb.cells, now.log_odds, now.post, now.entropy, [changes for _, changes in asked])
    out = [_question(kb, a, now, p or exact(kb, now.log_odds, now.post, now.entropy, changes))
           for (a, changes), p in zip(asked, picked, strict=True)]
    red = sorted((q for q in out if q.kind == "red_flag"), key=lambda q: (-_urgency(kb, q), kb.red_flag_findings.index(q.finding)))
    rest = sorted((q for q in out if q.kind != "red_flag" and q.gain > 1e-4), key=lambda q: (-q.gain, q.finding))
    ranked = tuple(red + rest)
    return ranked if limit is None else ranked[:limit]


def _urgency(kb: KnowledgeBase, q: Question) -> int:
    """How urgent the worst red flag an answer could raise is (2 emergency, 1 urgent, 0 none)."""
    levels = [URGENCIES.index(kb.red_flags[r].urgency) for a in q.answers for r in a.red_flags]
    return max(levels, default=0)


def _change(kb: KnowledgeBase, m: LikelihoodTable, f: FindingDef, value: Any, now: _Now) -> Change | None:
    """What answering ``f`` with ``value`` changes in the weighing (None: no row changes);
    only the rows on the finding and on the facts the answer makes or unmakes are re-read."""
    facts: Mapping[str, bool] = now.facts
    others: Iterable[int] = m.other_by_input.get(f.id, ())  # the finding's rows that are more than one test of it
    if f.id in m.chained and _can_fire(kb, f.id, value):
        facts, diff = _facts_if(kb, now, f.id, value)
        # beside the finding's own rows, only those reading a fact the answer made or unmade can change
        moved = {i for fact in diff for i in m.rows_by_fact.get(fact, ())}
        if moved:
            others = moved.union(others)
    # its one-test rows are known from the value alone
    read: list[tuple[int, bool | None]] = [(h >> 1, h & 1 == 1) for h in leaf_hits(m, f.id, value)]
    if others:
        findings = {**now.findings, f.id: value}
        read += [(i, m.tests[i][1](findings, facts)) for i in others]  # each row's compiled three-valued premise
        read.sort()  # in table order, as weigh reads them (the one-test rows are)
    changed: dict[str, bool | None] = {}
    tests, known = m.tests, now.known
    for i, v in read:
        rid = tests[i][0].id
        if v != known[rid]:
            changed[rid] = v
    if not changed:
        return None
    counted, group_of = now.counted, m.group_of
    groups = {group_of[rid] for rid in changed if rid in group_of}
    if groups:
        old = {rid: p for rid, p in counted.items() if rid in changed or group_of.get(rid) in groups}
    else:  # the changed rows are in table order, as counted is
        old = {rid: counted[rid] for rid in changed if rid in counted}
    new = {rid: bool(v) for rid, v in changed.items() if v is not None and rid not in group_of}
    if groups:
        new.update(_counted(m, now.known, changed, groups))
    return Change(tuple(old.items()), tuple(new.items()))


def _question(kb: KnowledgeBase, a: _Askable, now: _Now, picked: Picked) -> Question:
    causes, f = kb.table.causes, a.finding
    flags = [_new_flags(kb, now, f.id, value) for value in a.values] if a.kind == "red_flag" else [()] * len(a.values)
    answers = tuple(map(Answer, map(_json, a.values), a.texts, picked.probabilities, [causes[i] for i in picked.tops],
                        picked.top_probabilities, flags))
    return Question(f.id, f.label, a.prompt, a.kind, picked.gain, answers,
                    tuple([causes[i] for i in picked.raises]), tuple([causes[i] for i in picked.lowers]))


def ask_text(questions: Sequence[Question], kb: KnowledgeBase, limit: int = 10) -> str:
    """The ranked questions as plain text (the CLI's ``ask`` verb)."""
    lines = []
    for n, q in enumerate(questions[:limit], start=1):
        tag = "RED FLAG " if q.kind == "red_flag" else ""
        lines.append(f"{n:2}. {tag}{q.prompt}  [{q.finding}; {q.gain:.2f} bits]")
        seps = [f"raises {', '.join(kb.label(c) for c in q.raises)}"] if q.raises else []
        seps += [f"lowers {', '.join(kb.label(c) for c in q.lowers)}"] if q.lowers else []
        if seps:
            lines.append(f"    separates: {'; '.join(seps)}")
        for a in q.answers[:6]:
            likely = f" ({a.probability:.0%} likely)" if q.gain > 0 else ""
            flags = "".join(f"; RED FLAG {kb.red_flags[r].urgency}: {kb.red_flags[r].label}" for r in a.red_flags)
            lines.append(f"    if {a.text}{likely}: top {kb.label(a.top)} {a.top_probability:.0%}{flags}")
    return "\n".join(lines) + "\n" if lines else "Nothing left to ask that would change the differential.\n"
