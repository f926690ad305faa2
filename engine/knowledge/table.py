"""The likelihood table compiled once at load: everything the posterior and ask-next read.

``content/likelihoods.yaml`` holds P(finding | cause); this module turns it into log10
ratios against the non-specific catch-all (``content/scoring.yaml``'s reference), soft-caps
stated estimates, builds each cell's ``Evidence`` records once, on their first use (the
result shares them, so an inference builds no evidence objects) and indexes the rows by the findings they read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from math import log10, tanh
from typing import Any, Literal, NamedTuple

from engine.knowledge.network import three_valued
from engine.knowledge.premises import (
    FactIs,
    InstrumentIs,
    Unknown,
    facts_of,
    findings_of,
    is_leaf,
    leaf_input,
    leaf_test,
    leaves,
    reads_finding,
)
from engine.knowledge.records import ConditionKind, Content, LikelihoodRow

__all__ = ["Cell", "Direction", "Evidence", "EvidenceTable", "LikelihoodTable", "Observation", "build_table", "direction", "prior_of",
           "weighed_p"]

Direction = Literal["for", "against", "neutral"]
RowTest = Callable[[Mapping[str, object], Mapping[str, bool]], bool | None]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One finding's (one likelihood row's) effect on one cause."""

    row: str
    label: str
    observed: Literal["present", "absent"]
    findings: tuple[str, ...]  # what the row reads (a syndrome row reads derived facts)
    contribution: float  # log10 of P(obs | cause) / P(obs | catch-all); 0 if not counted
    direction: Direction
    counted: bool  # False when a correlated row of the same group already counts
    published: bool  # the cell is a published figure (else a stated estimate)
    capped: bool  # a stated estimate held at the cap
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row, "label": self.label, "observed": self.observed, "findings": list(self.findings),
            "contribution": self.contribution, "direction": self.direction, "counted": self.counted,
            "published": self.published, "capped": self.capped, "sources": list(self.sources),
        }


class Observation(NamedTuple):
    """A likelihood row whose premise is known for a case: present or known absent, and
    counted or not (a correlated row of its group counts). ``LikelihoodTable.observed``
    holds the four of every row, shared by every inference."""

    row: LikelihoodRow
    present: bool
    counted: bool


@dataclass(frozen=True, slots=True)
class Cell:
    present: float  # log10 ratio against the catch-all when present
    absent: float
    published: bool
    capped_present: bool
    capped_absent: bool


@dataclass(frozen=True, slots=True)
class LikelihoodTable:
    causes: tuple[str, ...]  # content order, the catch-all included
    named: tuple[tuple[str, str, ConditionKind, float, float, int], ...]  # per cause: what a Ranked opens with
    # (id, label, kind, rounded prior, rounded log prior odds, position)
    static_rank: tuple[int, ...]  # per cause: its place by rounded base rate (highest first), then id
    priors: tuple[float, ...]  # normalised base rates
    priors_rounded: tuple[float, ...]
    log_prior: tuple[float, ...]  # log10 against the catch-all, as accumulated
    log_prior_rounded: tuple[float, ...]
    tests: tuple[tuple[LikelihoodRow, RowTest], ...]  # each row with its compiled three-valued premise
    cells: Mapping[str, Mapping[str, Cell]]  # row -> cause -> cell
    shares: Mapping[str, tuple[tuple[float, ...], tuple[float, ...]]]  # row -> (absent, present) per cause, capped
    share_rows: tuple[tuple[float, ...], ...]  # the same by 2 * row position + present (what scoring.weigh counts)
    sides: Mapping[str, tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]]  # row -> [present] -> (for, against) cause indices
    evidence: Mapping[tuple[str, bool, bool], tuple[Evidence, ...]]  # (row, present, counted) -> one record per cause
    # ask-next's view: the cells as weighed, uncapped (how likely an answer is; the cap bounds evidence, not this)
    raw_present: Mapping[str, tuple[float, ...]]  # row -> per-cause log10 P(present | cause)
    raw_absent: Mapping[str, tuple[float, ...]]
    chained: frozenset[str]  # findings from which a rule chain reaches a fact a row reads
    groups: Mapping[str, tuple[LikelihoodRow, ...]]  # correlated rows, in table order
    group_of: Mapping[str, str]  # row -> its group
    # what a one-answer change must re-read (engine.reasoning.delta, ask): row positions by what they read
    rows_by_input: Mapping[str, tuple[int, ...]]  # finding id or ``instrument:<id>`` -> row positions
    rows_by_fact: Mapping[str, tuple[int, ...]]  # derived fact -> row positions
    asked_rows: tuple[int, ...]  # rows with a "not asked" test: known even when nothing they read is
    # what scoring.weigh reads: a row whose premise is one test of one input is known from
    # that input's value alone, so each value's known rows are looked up, not tested (as
    # chaining looks up atoms); a row that is one derived fact is present when the fact is
    leaf_rows: Mapping[str, tuple[tuple[int, Callable[[object], bool]], ...]]  # input -> (position, test) of its one-leaf rows
    leaf_memo: dict[str, dict[object, tuple[int, ...]]]  # input -> value -> 2 * position + present, for its one-leaf rows
    fact_hits: Mapping[str, tuple[int, ...]]  # derived fact -> 2 * position + 1 of the rows that are that fact
    other_by_input: Mapping[str, tuple[int, ...]]  # rows_by_input, the other rows only
    other_by_fact: Mapping[str, tuple[int, ...]]
    observed: tuple[tuple[Observation, Observation], ...]  # 2 * position + present -> (counted, not counted)
    row_groups: tuple[str | None, ...]  # position -> the row's correlated group


def prior_of(content: Content, condition: str) -> float:
    """A condition's base rate before normalisation: sourced value or stated band."""
    prior = content.conditions[condition].prior
    return prior.value if prior.value is not None else content.scoring.prior_bands[prior.band or ""]


def direction(share: float) -> Direction:
    return "for" if share > 1e-9 else "against" if share < -1e-9 else "neutral"


def _soft_cap(ratio: float, cap: float) -> tuple[float, bool]:
    """Bound a stated estimate's ratio below ``cap`` (either way) without losing its order:
    log r -> C tanh(log r / C), C = log cap. Near 1 it is unchanged; it never reaches cap."""
    c = log10(cap)
    held: float = 10 ** (c * tanh(log10(ratio) / c))
    return held, abs(log10(held) - log10(ratio)) > 0.05


# A cause a row does not list has the catch-all's probability: both ratios are d / d = 1.0
# exactly, which the soft cap keeps (log 0): one shared cell, 40% of the table's, and no
# caps computed for them (about 2 ms of a CLI start)
_UNLISTED = Cell(0.0, 0.0, False, False, False)


def weighed_p(content: Content, row: LikelihoodRow, cause: str) -> float:
    """P(present | cause) as the differential weighs it. A published cell is a measured
    frequency and is used as it stands; a stated estimate describes the typical presentation,
    so a share (``scoring.atypical_share``) of the cause's presentations is taken to look like
    the catch-all's for this finding: (1 - s) p + s default, a leak as in QMR-DT's."""
    d = row.default
    p = row.p.get(cause, d)
    if cause in row.published or cause not in row.p:
        return p
    s = content.scoring.atypical_share
    return (1.0 - s) * p + s * d


def _cells(content: Content) -> dict[str, dict[str, Cell]]:
    cap = content.scoring.estimate_cap
    out: dict[str, dict[str, Cell]] = {}
    for row in content.likelihoods:
        d = row.default
        cells = {}
        for cause in content.conditions:
            if cause not in row.p and cause not in row.published:
                cells[cause] = _UNLISTED
                continue
            p = weighed_p(content, row, cause)
            published = cause in row.published
            rp, ra = p / d, (1.0 - p) / (1.0 - d)
            cp = ca = False
            if not published:
                rp, cp = _soft_cap(rp, cap)
                ra, ca = _soft_cap(ra, cap)
            cells[cause] = Cell(log10(rp), log10(ra), published, cp, ca)
        out[row.id] = cells
    return out


def _evidence(row: LikelihoodRow, cells: Mapping[str, Cell], causes: tuple[str, ...], present: bool, counted: bool) -> tuple[Evidence, ...]:
    """One ``Evidence`` per cause for a row observed present (or absent), counted (or not)."""
    found = tuple(sorted(findings_of(row.when)))
    observed: Literal["present", "absent"] = "present" if present else "absent"
    records = []
    for cause in causes:
        cell = cells[cause]
        share = cell.present if present else cell.absent
        records.append(Evidence(
            row.id, row.label, observed, found, round(share, 4) if counted else 0.0, direction(share), counted,
            cell.published, cell.capped_present if present else cell.capped_absent, row.sources,
        ))
    return tuple(records)


class EvidenceTable(dict[tuple[str, bool, bool], tuple[Evidence, ...]]):
    """(row, present, counted) -> one ``Evidence`` per cause. A dict that fills itself: a
    key's records are built on its first lookup and kept (a memo: the CLI reads about 30
    keys once, one of each observed row's four, the dashboard many keys many times); a hit
    costs a plain dict lookup. Iterating shows the keys built so far."""

    def __init__(self, rows: Mapping[str, LikelihoodRow], cells: Mapping[str, Mapping[str, Cell]], causes: tuple[str, ...]) -> None:
        super().__init__()
        self._rows, self._cells, self._causes = rows, cells, causes

    def __missing__(self, key: tuple[str, bool, bool]) -> tuple[Evidence, ...]:
        row = self._rows.get(key[0])
        if row is None or key[1:] not in ((True, True), (True, False), (False, True), (False, False)):
            raise KeyError(key)
        records = self[key] = _evidence(row, self._cells[row.id], self._causes, key[1], key[2])
        return records


def _feeding(content: Content, facts: set[str]) -> frozenset[str]:
    """The findings from which a rule chain can reach one of ``facts`` (backward closure)."""
    wanted, found, changed = set(facts), set[str](), True
    while changed:
        changed = False
        for rule in content.rules:
            if rule.then in wanted:
                for p in rule.when:
                    new = facts_of(p) - wanted
                    found |= findings_of(p)
                    if new:
                        wanted |= new
                        changed = True
    return frozenset(found)


def _reads(content: Content) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """Row positions by the input (finding or instrument band) and by the fact they read."""
    by_input: dict[str, list[int]] = {}
    by_fact: dict[str, list[int]] = {}
    for i, row in enumerate(content.likelihoods):
        for leaf in leaves(row.when):
            if isinstance(leaf, FactIs):
                target, key = by_fact, leaf.fact
            elif isinstance(leaf, InstrumentIs):
                target, key = by_input, f"instrument:{leaf.instrument}"
            elif reads_finding(leaf):
                target, key = by_input, leaf.finding
            else:
                continue
            if i not in target.setdefault(key, []):
                target[key].append(i)
    return {k: tuple(v) for k, v in by_input.items()}, {k: tuple(v) for k, v in by_fact.items()}


def _static_rank(causes: tuple[str, ...], priors: list[float]) -> tuple[int, ...]:
    """Each cause's place in the order (-rounded prior, id): the differential's tie-breaks."""
    order = sorted(range(len(causes)), key=lambda i: (-priors[i], causes[i]))
    rank = [0] * len(causes)
    for place, i in enumerate(order):
        rank[i] = place
    return tuple(rank)


def _observed_rows(
    content: Content, by_input: Mapping[str, tuple[int, ...]], by_fact: Mapping[str, tuple[int, ...]]
) -> tuple[dict[str, tuple[tuple[int, Callable[[object], bool]], ...]], dict[str, tuple[int, ...]], set[int]]:
    """One-leaf rows (finding or instrument test, "not asked" aside) by input, one-fact rows
    by fact, and the positions of every other row."""
    leaf_rows: dict[str, list[tuple[int, Callable[[object], bool]]]] = {}
    fact_hits: dict[str, list[int]] = {}
    other = set()
    for i, row in enumerate(content.likelihoods):
        p = row.when
        if isinstance(p, FactIs):
            fact_hits.setdefault(p.fact, []).append(2 * i + 1)
        elif is_leaf(p) and not isinstance(p, Unknown):
            leaf_rows.setdefault(leaf_input(p), []).append((i, leaf_test(p)))
        else:
            other.add(i)
    return {k: tuple(v) for k, v in leaf_rows.items()}, {k: tuple(v) for k, v in fact_hits.items()}, other


def build_table(content: Content) -> LikelihoodTable:
    """Compile the likelihood table (called once, by the loader)."""
    cells = _cells(content)
    ref = content.scoring.reference
    causes = tuple(content.conditions)
    # the prior keeps a share (prior_weight) of the base rates' log-odds against the catch-all:
    # (rate / reference rate) ** weight, normalised (1: the base rates; 0: an even prior)
    weight = content.scoring.prior_weight
    raw = {c: prior_of(content, c) for c in causes}
    tempered = {c: (v / raw[ref]) ** weight for c, v in raw.items()}
    total = sum(tempered.values())
    priors = {c: v / total for c, v in tempered.items()}
    shares, sides = {}, {}
    raw_present, raw_absent = {}, {}
    groups: dict[str, list[LikelihoodRow]] = {}
    for row in content.likelihoods:
        by_cause = [cells[row.id][c] for c in causes]
        shares[row.id] = (tuple(c.absent for c in by_cause), tuple(c.present for c in by_cause))
        sides[row.id] = tuple(
            (tuple(i for i, s in enumerate(column) if direction(s) == "for"),
             tuple(i for i, s in enumerate(column) if direction(s) == "against"))
            for column in shares[row.id]
        )
        weighed = [weighed_p(content, row, c) for c in causes]
        raw_present[row.id] = tuple(log10(p) for p in weighed)
        raw_absent[row.id] = tuple(log10(1.0 - p) for p in weighed)
        if row.group:
            groups.setdefault(row.group, []).append(row)
    rows_by_input, rows_by_fact = _reads(content)
    leaf_rows, fact_hits, other = _observed_rows(content, rows_by_input, rows_by_fact)
    return LikelihoodTable(
        causes=causes,
        named=tuple((c, content.conditions[c].label, content.conditions[c].kind, round(priors[c], 5),
                     round(log10(priors[c] / priors[ref]), 4), i) for i, c in enumerate(causes)),
        static_rank=_static_rank(causes, [round(priors[c], 5) for c in causes]),
        priors=tuple(priors[c] for c in causes),
        priors_rounded=tuple(round(priors[c], 5) for c in causes),
        log_prior=tuple(log10(priors[c] / priors[ref]) for c in causes),
        log_prior_rounded=tuple(round(log10(priors[c] / priors[ref]), 4) for c in causes),
        tests=tuple((row, three_valued(row.when)) for row in content.likelihoods),
        cells=cells,
        shares=shares,
        share_rows=tuple(shares[row.id][present] for row in content.likelihoods for present in (False, True)),
        sides=sides,
        evidence=EvidenceTable({row.id: row for row in content.likelihoods}, cells, causes),
        raw_present=raw_present,
        raw_absent=raw_absent,
        chained=_feeding(content, set(rows_by_fact)),
        groups={g: tuple(v) for g, v in groups.items()},
        group_of={r.id: g for g, rows in groups.items() for r in rows},
        rows_by_input=rows_by_input,
        rows_by_fact=rows_by_fact,
        asked_rows=tuple(i for i, row in enumerate(content.likelihoods) if any(isinstance(q, Unknown) for q in leaves(row.when))),
        leaf_rows=leaf_rows,
        leaf_memo={key: {} for key in leaf_rows},
        fact_hits=fact_hits,
        other_by_input={k: w for k, v in rows_by_input.items() if (w := tuple(i for i in v if i in other))},
        other_by_fact={k: w for k, v in rows_by_fact.items() if (w := tuple(i for i in v if i in other))},
        observed=tuple((Observation(row, present, True), Observation(row, present, False))
                       for row in content.likelihoods for present in (False, True)),
        row_groups=tuple(row.group for row in content.likelihoods),
    )
