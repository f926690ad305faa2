"""Compile rules once into a Horn-clause network for linear-time forward chaining.

Every leaf test (``slr = positive``, ``age >= 50``, ``not (fever)``) becomes an *atom*: a
boolean fact computed from the case before chaining. ``all`` / ``any`` / ``at_least``
groups become internal nodes with a threshold, ``not`` is pushed down to the leaves by
De Morgan (so it means "known to be false", never "unknown"). Each node keeps how many of
its premises are still missing; a premise index maps a fact to the nodes waiting on it.
This is the Dowling-Gallier scheme: each premise edge is visited once per case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from engine.knowledge.premises import AllOf, AnyOf, AtLeast, FactIs, Leaf, Not, Premise, Unknown, leaf_input, leaf_test
from engine.knowledge.records import LAYERS, Content, Rule

__all__ = ["Atom", "Network", "compile_network", "three_valued"]


@dataclass(frozen=True, slots=True)
class Atom:
    index: int
    input: str
    test: Callable[[object], bool]
    negated: bool
    leaf: Leaf


@dataclass(slots=True)
class _Builder:
    kb: Content
    names: list[str] = field(default_factory=list)  # fact index -> name
    index_of: dict[str, int] = field(default_factory=dict)
    atoms: list[Atom] = field(default_factory=list)
    premises: list[tuple[int, ...]] = field(default_factory=list)  # node -> fact indices
    required: list[int] = field(default_factory=list)
    conclusion: list[int] = field(default_factory=list)
    rule_of: list[int] = field(default_factory=list)  # node -> rule index, -1 for a group

    def fact(self, name: str) -> int:
        if name not in self.index_of:
            self.index_of[name] = len(self.names)
            self.names.append(name)
        return self.index_of[name]

    def atom(self, leaf: Leaf, negated: bool) -> int:
        key = f"atom:{'!' if negated else ''}{leaf!r}"  # repr, not model_dump_json: no serializer is built
        if key not in self.index_of:
            i = self.fact(key)
            self.atoms.append(Atom(i, leaf_input(leaf), leaf_test(leaf), negated, leaf))
        return self.index_of[key]

    def node(self, premises: tuple[int, ...], required: int, conclusion: int, rule: int) -> None:
        self.premises.append(premises)
        self.required.append(required)
        self.conclusion.append(conclusion)
        self.rule_of.append(rule)

    def premise(self, p: Premise, negated: bool = False) -> int:
        """The fact index that is true exactly when ``p`` (or its negation) holds."""
        if isinstance(p, Not):
            return self.premise(p.of, not negated)
        if isinstance(p, FactIs):
            if negated:
                raise ValueError(f"'not' over the derived fact {p.fact!r}: derived facts are monotone")
            return self.fact(p.fact)
        if isinstance(p, AllOf | AnyOf | AtLeast):
            kids = tuple(dict.fromkeys(self.premise(c, negated) for c in p.of))
            k = len(kids)
            need = k if isinstance(p, AllOf) else 1 if isinstance(p, AnyOf) else min(p.n, k)
            if negated:  # De Morgan: not(at least n of k) == at least k-n+1 of the negations
                need = k - need + 1
            key = f"group:{need}:{kids}"
            if key not in self.index_of:
                self.node(kids, need, self.fact(key), -1)
            return self.index_of[key]
        return self.atom(p, negated)


@dataclass(frozen=True, slots=True)
class Network:
    """The compiled rule base: immutable, shared by every inference."""

    rules: tuple[Rule, ...]
    then_of: tuple[str, ...]  # rule index -> the fact it concludes (its record's ``then``, read once)
    names: tuple[str, ...]
    index_of: dict[str, int]
    atoms_by_input: dict[str, tuple[Atom, ...]]
    unknown_atoms: tuple[Atom, ...]  # "finding not asked" tests, true when the input is absent
    premises: tuple[tuple[int, ...], ...]
    required: tuple[int, ...]
    conclusion: tuple[int, ...]
    rule_of: tuple[int, ...]
    waiting: tuple[tuple[int, ...], ...]  # fact index -> nodes that have it as a premise
    always: tuple[int, ...]  # rule nodes without premises
    salience: tuple[tuple[int, int, str], ...]  # node -> agenda key (layer, -priority, rule id)
    # the same data flattened for the chaining loop (plain ints and tuples, no attributes)
    rank: tuple[int, ...]  # node -> position of its agenda key among rule nodes (-1 for a group)
    node_of_rank: tuple[int, ...]
    rule_at: tuple[int, ...]  # rank -> its rule's index (rule_of[node_of_rank[rank]])
    conclusion_at: tuple[int, ...]  # rank -> the fact its rule concludes
    tests_by_input: dict[str, tuple[tuple[int, Callable[[object], bool], bool], ...]]  # (fact, test, negated)
    unknown_tests: tuple[tuple[int, str, bool], ...]  # (fact, input, negated)
    unknown_inputs: frozenset[str]  # inputs some rule tests for "not asked"
    # the atoms each value of an input makes true, looked up instead of tested: filled in
    # advance for bool and enum findings, as values are met for the others (a bounded memo)
    true_atoms: dict[str, dict[object, tuple[int, ...]]]
    acyclic: bool  # no fact reaches itself through the nodes (so support can be counted down)


def compile_network(kb: Content) -> Network:
    """Compile every rule of the content (called once, by the loader)."""
    b = _Builder(kb)
    for r_index, rule in enumerate(kb.rules):
        kids = tuple(dict.fromkeys(b.premise(p) for p in rule.when))
        b.node(kids, len(kids), b.fact(rule.then), r_index)
    waiting: list[list[int]] = [[] for _ in b.names]
    for node, kids in enumerate(b.premises):
        for f in kids:
            waiting[f].append(node)
    by_input: dict[str, list[Atom]] = {}
    for atom in b.atoms:
        if not isinstance(atom.leaf, Unknown):
            by_input.setdefault(atom.input, []).append(atom)
    layer_rank = {layer: i for i, layer in enumerate(LAYERS)}
    salience = tuple(
        (layer_rank[kb.rules[r].layer], -kb.rules[r].priority, kb.rules[r].id) if r >= 0 else (-1, 0, "")
        for r in b.rule_of
    )
    by_rank = sorted((n for n, r in enumerate(b.rule_of) if r >= 0), key=lambda n: salience[n])
    rank = [-1] * len(b.rule_of)
    for position, node in enumerate(by_rank):
        rank[node] = position
    unknown = tuple(a for a in b.atoms if isinstance(a.leaf, Unknown))
    return Network(
        rules=kb.rules,
        then_of=tuple(r.then for r in kb.rules),
        names=tuple(b.names),
        index_of=dict(b.index_of),
        atoms_by_input={k: tuple(v) for k, v in by_input.items()},
        unknown_atoms=unknown,
        premises=tuple(b.premises),
        required=tuple(b.required),
        conclusion=tuple(b.conclusion),
        rule_of=tuple(b.rule_of),
        waiting=tuple(tuple(w) for w in waiting),
        always=tuple(n for n, r in enumerate(b.rule_of) if r >= 0 and not b.premises[n]),
        salience=salience,
        rank=tuple(rank),
        node_of_rank=tuple(by_rank),
        rule_at=tuple(b.rule_of[n] for n in by_rank),
        conclusion_at=tuple(b.conclusion[n] for n in by_rank),
        tests_by_input={k: tuple((a.index, a.test, a.negated) for a in v) for k, v in by_input.items()},
        unknown_tests=tuple((a.index, a.input, a.negated) for a in unknown),
        unknown_inputs=frozenset(a.input for a in unknown),
        true_atoms=_true_atoms(kb, by_input),
        acyclic=_acyclic(b.conclusion, waiting),
    )


def _acyclic(conclusion: list[int], waiting: list[list[int]]) -> bool:
    """Whether the fact -> node -> fact graph has no cycle (Kahn's algorithm over the nodes)."""
    feeding = [0] * len(conclusion)  # node -> how many nodes feed one of its premises
    for node in range(len(conclusion)):
        for nxt in waiting[conclusion[node]]:
            feeding[nxt] += 1
    ready = [n for n, k in enumerate(feeding) if k == 0]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for nxt in waiting[conclusion[node]]:
            feeding[nxt] -= 1
            if feeding[nxt] == 0:
                ready.append(nxt)
    return seen == len(conclusion)


def _true_atoms(kb: Content, by_input: dict[str, list[Atom]]) -> dict[str, dict[object, tuple[int, ...]]]:
    """Per input a rule reads: value -> the atoms it makes true. Filled in advance for bool
    and enum findings (few values), then as values are met (chaining's memo)."""
    out: dict[str, dict[object, tuple[int, ...]]] = {}
    for key, atoms in by_input.items():
        f = kb.findings.get(key)
        out[key] = {}
        if f is None or f.type not in ("bool", "enum"):
            continue
        domain: tuple[object, ...] = (True, False) if f.type == "bool" else tuple(kb.vocabularies[f.vocabulary or ""])
        out[key] = {v: tuple(a.index for a in atoms if a.test(v) is not a.negated) for v in domain}
    return out


def three_valued(p: Premise) -> Callable[[Mapping[str, object], Mapping[str, bool]], bool | None]:
    """``premises.evaluate`` compiled into a closure: the same three-valued truth, without
    dispatching on the premise's type on every call (the likelihood rows run it per case)."""
    if isinstance(p, FactIs):
        name = p.fact
        return lambda inputs, facts: True if facts.get(name) else None
    if isinstance(p, Not):
        inner = three_valued(p.of)

        def negate(inputs: Mapping[str, object], facts: Mapping[str, bool]) -> bool | None:
            v = inner(inputs, facts)
            return None if v is None else not v

        return negate
    if isinstance(p, AllOf | AnyOf | AtLeast):
        kids = tuple(three_valued(c) for c in p.of)
        k = len(kids)
        need = k if isinstance(p, AllOf) else 1 if isinstance(p, AnyOf) else p.n

        def group(inputs: Mapping[str, object], facts: Mapping[str, bool]) -> bool | None:
            trues = falses = 0
            for kid in kids:
                v = kid(inputs, facts)
                if v is True:
                    trues += 1
                elif v is False:
                    falses += 1
            if trues >= need:
                return True
            return False if k - falses < need else None

        return group
    key = leaf_input(p)
    if isinstance(p, Unknown):
        return lambda inputs, facts: inputs.get(key) is None
    test = leaf_test(p)

    def leaf(inputs: Mapping[str, object], facts: Mapping[str, bool]) -> bool | None:
        v = inputs.get(key)
        return None if v is None else bool(test(v))

    return leaf
