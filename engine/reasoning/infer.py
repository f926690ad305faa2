"""``infer(case, kb) -> Result``: the functional core. No file, clock, global or UI.

Order of work: score the published instruments (their bands become inputs), chain the
compiled rules to a fixed point, then assemble cards: red flags and urgency first (the
highest urgency of any fired red flag; nothing can lower it), syndromes, the scored
differential, root scores, pain type, the ladder step and warnings. The trace is built on
first use (``engine.reasoning.trace``); so are each cause's lists of evidence (``Ranked``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from engine.knowledge.base import KnowledgeBase
from engine.knowledge.network import Network
from engine.knowledge.records import URGENCIES, Exclusion, LadderStep, Rule
from engine.reasoning.case import Case
from engine.reasoning.chaining import Chaining, chain
from engine.reasoning.instruments import InstrumentResult, score_all
from engine.reasoning.result import (
    LadderResult,
    Lists,
    PainType,
    Ranked,
    RedFlagHit,
    RedFlagScreen,
    Result,
    RootScore,
    ScreenStatus,
    Syndrome,
)
from engine.reasoning.scoring import Observation, log_odds_of, moved_by, probabilities, root_score, round4, weigh
from engine.reasoning.trace import trace_of

__all__ = ["infer", "inputs_of"]



def inputs_of(findings: Mapping[str, Any], instruments: Mapping[str, InstrumentResult | None]) -> dict[str, Any]:
    """What leaf tests read: the findings plus each scored instrument's band."""
    inputs = dict(findings)
    for iid, res in instruments.items():
        if res is not None:
            inputs[f"instrument:{iid}"] = frozenset({res.band})
    return inputs


def infer(case: Case | Mapping[str, Any], kb: KnowledgeBase) -> Result:
    """Evaluate one validated case against the knowledge base."""
    findings = case.findings if isinstance(case, Case) else case
    case_id = case.id if isinstance(case, Case) else None
    instruments = score_all(kb, findings)
    inputs = inputs_of(findings, instruments)
    net = kb.network
    run = chain(net, inputs)
    return _assemble(kb, net, run, inputs, instruments, case_id)


def fired_by_fact(kb: KnowledgeBase, run: Chaining) -> dict[str, list[Rule]]:
    """Each concluded fact and the rules that concluded it, in firing order."""
    by_fact: dict[str, list[Rule]] = {}
    rules, then_of = kb.rules, kb.network.then_of
    for r in run.fired:
        then = then_of[r]
        held = by_fact.get(then)
        if held is None:
            by_fact[then] = [rules[r]]
        else:
            held.append(rules[r])
    return by_fact


def red_flags(kb: KnowledgeBase, by_fact: Mapping[str, list[Rule]]) -> tuple[RedFlagHit, ...]:
    """The fired red flags, most urgent first (content order within an urgency)."""
    flags = []
    for fid, f in kb.red_flags.items():
        rules = by_fact.get(fid)
        if rules is not None:
            flags.append(RedFlagHit(fid, f.label, f.urgency, f.action, f.suggests, tuple([r.id for r in rules])))
    if len(flags) > 1:
        flags.sort(key=lambda f: -URGENCIES.index(f.urgency))
    return tuple(flags)


def _assemble(
    kb: KnowledgeBase,
    net: Network,
    run: Chaining,
    inputs: Mapping[str, Any],
    instruments: Mapping[str, InstrumentResult | None],
    case_id: str | None,
) -> Result:
    by_fact = fired_by_fact(kb, run)
    flags = red_flags(kb, by_fact)
    urgency = flags[0].urgency if flags else "routine"
    observations, counted = weigh(kb, inputs, dict.fromkeys(by_fact, True))
    differential = _differential(kb, flags, observations, counted)
    syndromes, signs, warnings, typed = _cards(kb, by_fact)
    kinds = {t for _, t in typed}
    pain_type: PainType = "mixed" if len(kinds) > 1 else kinds.pop() if kinds else "undetermined"
    return Result(
        case_id=case_id,
        urgency=urgency,
        red_flags=flags,
        syndromes=syndromes,
        signs=signs,
        differential=differential,
        pain_type_facts=tuple(fid for fid, _ in typed),
        red_flag_screen=_screen(kb, inputs),
        roots=_roots(kb, by_fact),
        pain_type=pain_type,
        instruments=dict(instruments),
        ladder=_ladder(kb, by_fact, urgency, flags, differential),
        warnings=warnings,
        facts=frozenset(by_fact),
        build_trace=lambda: trace_of(kb, net, run, inputs, observations),
        findings={k: v for k, v in inputs.items() if not k.startswith("instrument:")},
    )


class _Weighed:
    """A case's observations, read per cause on first use (``result.Weighing``): the rows
    that moved each cause (``scoring.moved_by``) and each cause's evidence records."""

    __slots__ = ("_kb", "_observations", "_per_cause")

    def __init__(self, kb: KnowledgeBase, observations: tuple[Observation, ...]) -> None:
        self._kb, self._observations = kb, observations
        self._per_cause: list[Lists] | None = None

    def lists(self, cause: int) -> Lists:
        if self._per_cause is None:
            kb, observations = self._kb, self._observations
            evidence = kb.table.evidence
            # one tuple per observation holding every cause's evidence, transposed to one per cause
            per_ob = [evidence[(ob.row.id, ob.present, ob.counted)] for ob in observations]
            per_cause = list(zip(*per_ob, strict=True)) if per_ob else [()] * len(kb.table.causes)
            self._per_cause = [(tuple(rows), tuple(pro), tuple(con), per_cause[i])
                               for i, (rows, pro, con) in enumerate(moved_by(kb, observations))]
        return self._per_cause[cause]


def _cards(
    kb: KnowledgeBase, by_fact: Mapping[str, list[Rule]]
) -> tuple[tuple[Syndrome, ...], tuple[Syndrome, ...], tuple[str, ...], list[tuple[str, PainType]]]:
    """The concluded facts of ``facts.yaml`` in concluding order: syndrome (and mechanism)
    cards, sign cards, warnings, and those that set the pain type (with it)."""
    syndromes: list[Syndrome] = []
    signs: list[Syndrome] = []
    warnings: list[str] = []
    typed: list[tuple[str, PainType]] = []
    facts = kb.facts
    for fid, rules in by_fact.items():
        f = facts.get(fid)
        if f is None:
            continue
        kind = f.kind
        if kind == "syndrome" or kind == "mechanism":
            syndromes.append(Syndrome(fid, f.label, kind, f.description, tuple([r.id for r in rules])))
        elif kind == "sign":
            signs.append(Syndrome(fid, f.label, kind, f.description, tuple([r.id for r in rules])))
        elif kind == "warning":
            warnings.append(f.description)
        if f.pain_type:
            typed.append((fid, f.pain_type))
    return tuple(syndromes), tuple(signs), tuple(warnings), typed


def _differential(
    kb: KnowledgeBase, flags: tuple[RedFlagHit, ...], observations: tuple[Observation, ...], counted: list[int]
) -> tuple[Ranked, ...]:
    lead, pinned = pinned_tiers(kb, [f.id for f in flags])
    tab = kb.table
    probs = probabilities(log_odds_of(kb, counted))
    weighed = _Weighed(kb, observations)
    scores = [round4(p) for p in probs]
    causes, named = tab.causes, tab.named
    # the order of rank_key: by tier (leading pinned, other pinned, the rest), then probability,
    # then the fixed (base rate, id) order
    order = sorted([(tier_of(c, lead, pinned), -s, tab.static_rank[i], i) for i, (c, s) in enumerate(zip(causes, scores, strict=True))])
    make = Ranked.weighed
    return tuple([make(named[i] + (scores[i], tier < 2, weighed)) for tier, _, _, i in order])


def pinned_tiers(kb: KnowledgeBase, flag_ids: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(leading, pinned): the causes the fired flags name (serious ones, or a cause that can
    produce one; the linter holds ``suggests`` to those), listed first whatever their score, so
    the ranking never hides a red flag (their probability is shown unchanged), and those of them
    listed first of all. A pinned cause that can itself produce another pinned cause (``can_cause``: an
    abscess, tumour or fracture compressing the cauda equina, arachnoiditis after a spinal
    procedure), named by a flag of its own that does not name that syndrome, leads; with none,
    every pinned cause does."""
    named = [set(kb.red_flags[f].suggests) for f in flag_ids]
    pinned = frozenset(c for cs in named for c in cs)
    lead = frozenset(c for cs in named for c in cs if any(s in pinned and s not in cs for s in kb.conditions[c].can_cause))
    return lead or pinned, pinned


def rank_key(cause: str, tier: int, score: float, prior: float) -> tuple[int, float, float, str]:
    """The differential's order: by tier (0 leading pinned, 1 other pinned, 2 the rest), then
    probability, base rate and id."""
    return (tier, -score, -prior, cause)


def tier_of(cause: str, lead: frozenset[str], pinned: frozenset[str]) -> int:
    return 0 if cause in lead else 1 if cause in pinned else 2


def _screen(kb: KnowledgeBase, inputs: Mapping[str, Any]) -> RedFlagScreen:
    """Which red-flag questions were asked: an unasked screen is never an all-clear."""
    asked = tuple([f for f in kb.red_flag_findings if f in inputs])
    unasked = tuple([f for f in kb.red_flag_findings if f not in inputs])
    status: ScreenStatus = "complete" if not unasked else "not_done" if not asked else "incomplete"
    return RedFlagScreen(status, asked, unasked)


def _roots(kb: KnowledgeBase, by_fact: Mapping[str, list[Rule]]) -> tuple[RootScore, ...]:
    roots = []
    for place, rid in enumerate(kb.roots):
        rules = by_fact.get(rid)
        if rules is not None:
            score = root_score(kb, rules)
            if score > 0:
                roots.append((-score, place, RootScore(rid, score, tuple([r.id for r in rules]))))
    roots.sort(key=_first_two)
    return tuple([r for *_, r in roots])


def _first_two(item: tuple[float, int, RootScore]) -> tuple[float, int]:
    return item[0], item[1]  # (best score, content order)


def ladder_choice(
    kb: KnowledgeBase, by_fact: Mapping[str, Any], urgency: str, top: str | None
) -> tuple[tuple[LadderStep, ...], dict[str, Exclusion], list[LadderStep], LadderStep | None]:
    """What the ladder step is chosen from: the back-pain steps in order, those barred for the
    leading cause (``top``, the first cause not pinned by a red flag), those reached, and the
    work-up that replaces the ladder when the leading cause is a non-spinal mimic (or None)."""
    steps = kb.ladder_steps
    barred = {s.id: x for s in steps for x in s.not_for if x.condition == top and x.fact in by_fact} if top else {}
    reached = [s for s in steps if s.id in by_fact and s.id not in barred]
    workup = None
    if top and urgency != "emergency":
        kind = kb.conditions[top].kind
        workup = next((s for s in kb.ladder.values() if s.workup_of == kind), None)
    return steps, barred, reached, workup


def ladder_step(kb: KnowledgeBase, by_fact: Mapping[str, Any], urgency: str, top: str | None) -> str:
    """The ladder step alone (what ``_ladder`` returns as ``step``), for summaries."""
    steps, _, reached, workup = ladder_choice(kb, by_fact, urgency, top)
    if workup:
        return workup.id
    return max(reached + [s for s in steps if s.urgency_entry == urgency], key=lambda s: s.order).id


def _ladder(
    kb: KnowledgeBase, by_fact: Mapping[str, list[Rule]], urgency: str, flags: tuple[RedFlagHit, ...], differential: tuple[Ranked, ...]
) -> LadderResult:
    top = None
    for d in differential:
        if not d.must_not_miss:
            top = d
            break
    steps, barred, reached, workup = ladder_choice(kb, by_fact, urgency, top.id if top else None)
    notes = " ".join(f"{x.text} ({x.source})" for x in barred.values())
    if workup and top:
        cond = kb.conditions[top.id]
        reason = f"The leading cause is {cond.label}, a non-spinal cause: work it up before the back-pain ladder. " + " ".join(cond.workup)
        dno, disputed = kb.treatment_positions
        first = steps[0]
        return LadderResult(workup.id, workup.label, workup.order, reason, (), first.id, first.entry, dno, disputed, cond.workup)
    by_urgency = [s for s in steps if s.urgency_entry == urgency]
    best = max(reached + by_urgency, key=lambda s: s.order)
    # the same steps, compared by identity (pydantic's == is slow; a step's id is its key in the ladder)
    if any(s is best for s in by_urgency) and not any(s is best for s in reached):
        names = ", ".join(f.label for f in flags if f.urgency == urgency)
        reason, rules = f"{urgency.capitalize()} red flag: {names}.", tuple(r for f in flags for r in f.rules)
    else:
        fired = by_fact[best.id]
        reason, rules = " ".join(r.description for r in fired), tuple(r.id for r in fired)
    if notes:
        reason = f"{reason} {notes}".strip()
    after = best.order  # the first later step only: each read of a record's field is an attribute lookup
    nxt = next((s for s in steps if s.order > after and s.urgency_entry != "emergency" and s.id not in barred), None)
    dno, disputed = kb.treatment_positions
    return LadderResult(best.id, best.label, best.order, reason, rules, nxt.id if nxt else None, nxt.entry if nxt else None, dno, disputed)
