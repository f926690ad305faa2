"""The knowledge base as frozen, validated records (what ``content/`` files load into).

Governance beside logic, as in openEHR GDL: every rule, condition prior, red flag, step
and instrument names its sources. The loader (``engine.knowledge.load``) cross-checks ids.
"""

# no ``from __future__ import annotations`` here nor in ``premises``: pydantic would eval
# every field's annotation string as each class is made (a quarter of the 36 record
# classes' creation, ~2 ms of every start); written out, Python evaluates them as bytecode
from functools import cached_property
from itertools import combinations_with_replacement, permutations
from typing import Any, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from engine.knowledge.premises import (
    Compare,
    Eq,
    FindingLeaf,
    Has,
    HasAny,
    InSet,
    Is,
    IsEmpty,
    Premise,
    Unknown,
    findings_of,
    leaves,
    reads_finding,
)

__all__ = [
    "Band",
    "ConditionDef",
    "Decision",
    "FactDef",
    "FindingDef",
    "FindingGroup",
    "Section",
    "Instrument",
    "InstrumentItem",
    "LikelihoodRow",
    "Content",
    "LadderStep",
    "Prior",
    "RedFlag",
    "RootDef",
    "Rule",
    "Scoring",
    "Source",
    "TreatmentPosition",
    "Treatment",
    "LAYERS",
    "URGENCIES",
    "DIFFICULTIES",
    "PRESENTATIONS",
    "SETTINGS",
    "Difficulty",
    "Presentation",
    "Setting",
    "Urgency",
]

# Facts flow through these layers in order; a rule may read facts of its own layer or
# earlier ones only (checked at load), which keeps the trace readable and acyclic.
LAYERS: tuple[str, ...] = ("check", "sign", "syndrome", "root", "red_flag", "cause", "ladder")
Layer = Literal["check", "sign", "syndrome", "root", "red_flag", "cause", "ladder"]
Urgency = Literal["routine", "urgent", "emergency"]  # least to most urgent: the one order everywhere
URGENCIES: tuple[Urgency, ...] = get_args(Urgency)
# teaching-case tags (content/cases), checked by the linter and offered as filters
Difficulty = Literal["introductory", "intermediate", "advanced"]
Setting = Literal["primary_care", "emergency", "specialist", "sports_medicine", "obstetric", "inpatient"]
Presentation = Literal["typical", "atypical", "sparse"]
DIFFICULTIES: tuple[Difficulty, ...] = get_args(Difficulty)
SETTINGS: tuple[Setting, ...] = get_args(Setting)
PRESENTATIONS: tuple[Presentation, ...] = get_args(Presentation)
Strength = Literal["weak", "moderate", "strong"]
FactKind = Literal["sign", "syndrome", "pain_type", "warning", "mechanism"]
ConditionKind = Literal["spinal", "non_spinal", "serious", "other"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)  # a cached load validates nothing


class Source(Frozen):
    id: str
    citation: str
    kind: Literal["guideline", "paper", "systematic_review", "textbook", "web", "instrument", "method", "code_set"]
    year: int | None = None
    url: str | None = None
    verified: bool = False
    note: str | None = None


Section = Literal["history", "red_flags", "examination"]  # where a student asks a finding


class FindingGroup(Frozen):
    """A group of findings: one intake block under ``title`` on the tab ``tab``."""

    id: str
    title: str
    tab: str
    section: Section


class FindingDef(Frozen):
    id: str
    label: str
    type: Literal["bool", "int", "number", "enum", "set"]
    group: str
    section: Section | None = None  # when not its group's (numbness is mapped, but examined)
    vocabulary: str | None = None  # for enum and set findings
    min: float | None = None
    max: float | None = None
    help: str | None = None
    contract: bool = True  # False for findings Radix adds beyond the case-format contract

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if self.type in ("enum", "set") and not self.vocabulary:
            raise ValueError(f"{self.type} finding needs a vocabulary")
        if self.type in ("int", "number") and (self.min is None or self.max is None):
            raise ValueError("numeric finding needs min and max")
        return self


class FactDef(Frozen):
    """A derived fact that is neither a condition, root, red flag nor ladder step."""

    id: str
    label: str
    kind: FactKind
    description: str
    pain_type: Literal["neurological", "mechanical"] | None = None  # the result's pain type this fact sets
    sources: tuple[str, ...] = ()


class Prior(Frozen):
    """Base rate among primary-care presentations of low back pain with or without leg
    symptoms, before the syndrome: the syndrome and every finding are likelihoods."""

    value: float | None = Field(default=None, gt=0, lt=1)
    band: Literal["common", "uncommon", "rare", "very_rare", "exceptional"] | None = None
    derivation: str
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.value is None) == (self.band is None):
            raise ValueError("a prior gives exactly one of value (sourced) or band (convention)")
        return self


class ConditionDef(Frozen):
    id: str
    label: str
    kind: ConditionKind
    summary: str
    prior: Prior
    # the textbook presentation written from this record; lint checks it ranks the cause first
    typical: dict[str, Any] = Field(default_factory=dict)
    typical_age: str | None = None
    urgency: Urgency = "routine"
    workup: tuple[str, ...] = ()
    # serious causes this one can itself produce (an abscess compressing the cauda equina): when
    # red flags name both, this one, the etiology, is listed before the syndrome it produces
    can_cause: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)


class RootDef(Frozen):
    id: str
    dermatome: str
    regions: tuple[str, ...]
    key_muscle: str
    movements: tuple[str, ...] = ()
    reflex: str
    tests: str
    sources: tuple[str, ...] = Field(min_length=1)


class RedFlag(Frozen):
    id: str
    label: str
    urgency: Urgency
    action: str
    suggests: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)


class TreatmentPosition(Frozen):
    stance: Literal["recommended", "consider", "do_not_offer", "no_recommendation", "advocated"]
    source: str
    text: str


class Treatment(Frozen):
    id: str
    label: str
    step: str
    positions: tuple[TreatmentPosition, ...] = Field(min_length=1)


class Exclusion(Frozen):
    """A step that does not apply when this cause leads and this fact holds (NG59's
    "not for neurogenic claudication from central stenosis")."""

    condition: str
    fact: str
    source: str
    text: str


class LadderStep(Frozen):
    id: str
    order: int
    label: str
    summary: str
    entry: str
    urgency_entry: Urgency | None = None  # reached directly when the case's urgency is this
    not_for: tuple[Exclusion, ...] = ()
    workup_of: Literal["non_spinal"] | None = None  # taken instead of the ladder when such a cause leads
    sources: tuple[str, ...] = Field(min_length=1)


class Rule(Frozen):
    id: str
    description: str
    layer: Layer
    when: tuple[Premise, ...] = ()  # all of these; empty = always fires
    then: str
    support: Strength | None = None  # a root rule's certainty factor (causes use likelihoods.yaml)
    direction: Literal["for", "against"] = "for"
    group: str | None = None  # rules in one group are correlated: only the strongest counts
    priority: int = 0
    sources: tuple[str, ...] = Field(min_length=1)
    note: str | None = None


class LikelihoodRow(Frozen):
    """One discriminator of the likelihood table: P(present | cause) for each cause.

    Three-valued like every premise: present multiplies a cause by ``p``, known absent by
    ``1 - p``, unknown by nothing. A cause not listed behaves like the reference (the
    non-specific catch-all), whose probability is ``default``. Rows sharing a ``group``
    are correlated: only the first present (else the first known absent) counts.
    """

    id: str
    label: str
    when: Premise
    default: float = Field(gt=0, lt=1)
    p: dict[str, float]
    published: tuple[str, ...] = ()  # causes whose cell is a published figure (uncapped)
    group: str | None = None
    # how often the finding occurs in the general population, whatever the cause (sourced in
    # `basis`): no cause can show it less often, since it occurs beside any cause by chance
    background: float | None = Field(default=None, gt=0, lt=1)
    sources: tuple[str, ...] = Field(min_length=1)
    basis: str

    @model_validator(mode="after")
    def _probabilities(self) -> Self:
        bad = [c for c, v in self.p.items() if not 0 < v < 1]
        if bad:
            raise ValueError(f"probabilities must lie strictly between 0 and 1: {', '.join(bad)}")
        if not set(self.published) <= set(self.p):
            raise ValueError("published names a cause with no cell in p")
        if self.background is not None:
            below = [c for c, v in {"default": self.default, **self.p}.items() if v < self.background]
            if below:
                raise ValueError(f"below the background rate {self.background} of the finding: {', '.join(below)}")
        return self


class Decision(Frozen):
    """A recorded decision about a discriminating feature that is not (or only partly) a rule."""

    feature: str
    condition: str
    decision: Literal["rule", "not_encoded", "partly_encoded"]
    rules: tuple[str, ...] = ()
    why: str
    sources: tuple[str, ...] = Field(min_length=1)


class InstrumentItem(Frozen):
    id: str
    label: str
    points: int
    when: Premise
    subscales: tuple[str, ...] = ()


class Band(Frozen):
    id: str
    label: str
    # the band applies when every bound holds; bounds name a score (total or a subscale)
    min: dict[str, int] = Field(default_factory=dict)
    max: dict[str, int] = Field(default_factory=dict)


class Instrument(Frozen):
    id: str
    label: str
    citation: str
    sources: tuple[str, ...] = Field(min_length=1)
    items: tuple[InstrumentItem, ...] = Field(min_length=1)
    subscales: tuple[str, ...] = ()
    bands: tuple[Band, ...] = Field(min_length=1)  # first matching band wins
    # items that read the same finding are alternatives (Konno's age bands): the
    # finding must be known, and at most one of them scores
    note: str | None = None
    # the contract's JSON object for this instrument: field -> "total", "band",
    # "subscale:<name>", or "band:<id>" (true when that band applies)
    output: dict[str, str] = Field(min_length=1)

    @model_validator(mode="after")
    def _output(self) -> Self:
        bands = {b.id for b in self.bands}
        for name, spec in self.output.items():
            kind, _, arg = spec.partition(":")
            ok = spec in ("total", "band") or (kind == "subscale" and arg in self.subscales) or (kind == "band" and arg in bands)
            if not ok:
                raise ValueError(f"output {name}: {spec!r} is not total, band, subscale:<subscale> or band:<band id>")
        return self

    def maximum(self, subscale: str | None = None) -> int:
        """The highest possible score (of a subscale), alternatives counted once."""
        best: dict[frozenset[str], int] = {}
        for item in self.items:
            if subscale is None or subscale in item.subscales:
                key = frozenset(findings_of(item.when))
                best[key] = max(best.get(key, 0), item.points)
        return sum(best.values())


class Scoring(Frozen):
    """How evidence combines into a score; parameters are conventions, stated as such."""

    prior_bands: dict[str, float]
    reference: str  # the catch-all cause every contribution is measured against
    estimate_cap: float = Field(gt=1, allow_inf_nan=False)  # largest ratio a stated estimate may claim
    prior_weight: float = Field(gt=0, le=1, allow_inf_nan=False)  # share of the base rates' log-odds the prior keeps
    # share of a cause's presentations that, for any one finding, look like the catch-all's: a
    # stated estimate describes the typical presentation, and this keeps atypical ones possible
    atypical_share: float = Field(ge=0, lt=1, allow_inf_nan=False)
    root_certainty_factors: dict[str, float]

    @model_validator(mode="after")
    def _ranges(self) -> Self:
        if not all(0 < v < 1 for v in self.prior_bands.values()):
            raise ValueError("prior bands are probabilities strictly between 0 and 1")
        if not all(0 <= v <= 1 for v in self.root_certainty_factors.values()):
            raise ValueError("certainty factors lie in [0, 1]")
        return self
    sources: tuple[str, ...] = Field(min_length=1)
    explanation: str


def _revealing(f: FindingDef, leaf: FindingLeaf) -> list[Any]:
    """Values of a leaf's finding that would make it true."""
    if isinstance(leaf, Is | Eq):
        return [leaf.value]
    if isinstance(leaf, InSet):
        return [leaf.values[0]]
    if isinstance(leaf, Has):
        return [frozenset({leaf.value})]
    if isinstance(leaf, HasAny):
        return [frozenset({v}) for v in leaf.values]
    if isinstance(leaf, IsEmpty):
        return [frozenset()]
    if isinstance(leaf, Compare):
        step = 1 if f.type == "int" else 0.5
        v = leaf.value + (step if leaf.op == "gt" else -step if leaf.op == "lt" else 0)
        return [min(max(v, f.min or 0), f.max or v)]
    return []


def _product(cfs: tuple[float, ...]) -> float:
    rest = 1.0
    for v in cfs:  # as scoring.combine_cf multiplies, in this order
        rest *= 1.0 - v
    return 1.0 - rest


class Content(Frozen):
    """Every record of ``content/``, validated and frozen; the views below are derived
    from the records alone, each typed and built on first use."""

    sources: dict[str, Source]
    vocabularies: dict[str, tuple[str, ...]]
    groups: dict[str, FindingGroup]  # in intake order
    findings: dict[str, FindingDef]
    facts: dict[str, FactDef]
    conditions: dict[str, ConditionDef]
    codes: dict[str, tuple[dict[str, Any], ...]]  # condition -> its ICD-10-CM code records
    code_sources: tuple[str, ...] = ()  # sources codes.yaml cites for its code sets
    roots: dict[str, RootDef]
    red_flags: dict[str, RedFlag]
    ladder: dict[str, LadderStep]
    treatments: dict[str, Treatment]
    rules: tuple[Rule, ...]
    likelihoods: tuple[LikelihoodRow, ...]
    decisions: tuple[Decision, ...]
    instruments: dict[str, Instrument]
    scoring: Scoring

    @cached_property
    def red_flag_findings(self) -> tuple[str, ...]:
        """The red-flag screen: findings of the intake's red-flag group, in content order."""
        return tuple(f.id for f in self.findings.values() if f.group == "red_flags")

    @cached_property
    def intake_tabs(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(tab title, its finding groups) in intake order."""
        tabs: dict[str, list[str]] = {}
        for g in self.groups.values():
            tabs.setdefault(g.tab, []).append(g.id)
        return tuple((tab, tuple(ids)) for tab, ids in tabs.items())

    def section_of(self, finding: str) -> Section:
        """The teaching section a finding is asked in."""
        f = self.findings[finding]
        return f.section or self.groups[f.group].section

    @cached_property
    def premises_by_id(self) -> dict[str, tuple[Premise, ...]]:
        """Rule and likelihood-row ids to what they read."""
        out = {r.id: r.when for r in self.rules}
        out.update({row.id: (row.when,) for row in self.likelihoods})
        return out

    @cached_property
    def leaves_by_finding(self) -> dict[str, list[FindingLeaf]]:
        """Every leaf test a rule or row makes on each finding ("not asked" tests aside)."""
        out: dict[str, list[FindingLeaf]] = {}
        for when in self.premises_by_id.values():
            for p in when:
                for leaf in leaves(p):
                    if reads_finding(leaf) and not isinstance(leaf, Unknown):
                        out.setdefault(leaf.finding, []).append(leaf)
        return out

    @cached_property
    def answers_by_finding(self) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """Per finding a rule or row tests (id order): each value that makes one of its tests
        true, in test order, once (what asking could reveal; "what if" tries them)."""
        out = []
        for finding, tests in sorted(self.leaves_by_finding.items()):
            seen: list[Any] = []
            for leaf in tests:
                for value in _revealing(self.findings[finding], leaf):
                    if value not in seen:
                        seen.append(value)
            out.append((finding, tuple(seen)))
        return tuple(out)

    @cached_property
    def instruments_by_finding(self) -> dict[str, tuple[str, ...]]:
        """Finding id -> the instruments an item of which reads it (content order)."""
        out: dict[str, list[str]] = {}
        for inst in self.instruments.values():
            for fid in sorted(set().union(*(findings_of(item.when) for item in inst.items))):
                out.setdefault(fid, []).append(inst.id)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def item_findings(self) -> dict[str, tuple[frozenset[str], ...]]:
        """Instrument -> the findings each of its items reads, in item order."""
        return {iid: tuple(frozenset(findings_of(item.when)) for item in inst.items) for iid, inst in self.instruments.items()}

    @cached_property
    def ladder_reads(self) -> tuple[str, ...]:
        """The derived facts the ladder step is chosen on: the back-pain steps and the facts
        of their exclusions."""
        return tuple(dict.fromkeys([s.id for s in self.ladder_steps] + [x.fact for s in self.ladder_steps for x in s.not_for]))

    @cached_property
    def root_scores_order_free(self) -> bool:
        """Whether a root's score is the same float whatever order its rules fired in: the
        certainty factors' product (``scoring.combine_cf``) is tried in every order for every
        multiset of the scale's values that one root and direction can hold."""
        cfs = sorted(set(self.scoring.root_certainty_factors.values()))
        keys: dict[tuple[str, str], set[str]] = {}
        for r in self.rules:
            if r.support is not None:
                keys.setdefault((r.then, r.direction), set()).add(r.group or r.id)
        most = max((len(v) for v in keys.values()), default=0)
        for k in range(3, most + 1):  # two factors commute exactly; order can matter from three
            for combo in combinations_with_replacement(cfs, k):
                if len({_product(order) for order in permutations(combo)}) > 1:
                    return False
        return True

    @cached_property
    def ladder_steps(self) -> tuple[LadderStep, ...]:
        """The back-pain ladder in order (work-up steps for mimics stand beside it)."""
        return tuple(sorted((s for s in self.ladder.values() if s.workup_of is None), key=lambda s: s.order))

    @cached_property
    def treatment_positions(self) -> tuple[tuple[dict[str, str], ...], tuple[dict[str, Any], ...]]:
        """The "do not offer" list, and treatments on which sources take different stances."""
        dno = tuple({"treatment": t.label, "source": p.source, "text": p.text}
                    for t in self.treatments.values() for p in t.positions if p.stance == "do_not_offer")
        active = {"do_not_offer", "recommended", "advocated", "consider"}
        disputed = tuple(
            {"treatment": t.label, "positions": [{"stance": p.stance, "source": p.source, "text": p.text} for p in t.positions]}
            for t in self.treatments.values() if len({p.stance for p in t.positions} & active) > 1)
        return dno, disputed

    def fact_kind(self, fact_id: str) -> str | None:
        """Which family a derived fact id belongs to, or None if undeclared."""
        for kind, table in (
            ("condition", self.conditions),
            ("root", self.roots),
            ("red_flag", self.red_flags),
            ("ladder", self.ladder),
        ):
            if fact_id in table:
                return kind
        fact = self.facts.get(fact_id)
        return fact.kind if fact else None

    def label(self, fact_id: str) -> str:
        """Human label of any fact or finding id."""
        for table in (self.conditions, self.red_flags, self.ladder, self.facts, self.findings):
            if fact_id in table:
                return table[fact_id].label
        if fact_id in self.roots:
            return f"{fact_id} root"
        return fact_id
