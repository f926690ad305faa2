"""Cross-reference checks on a loaded knowledge base; every problem, with file and id.

Checks: unknown ids (findings, facts, sources, instruments, steps), premises whose
operator does not fit the finding's type or whose value is not in its vocabulary, ``not``
over a derived fact, layer order and cycles, rules that can never fire (a fact no rule
concludes, contradictory tests), facts and conditions no rule concludes, weights on the
wrong layer, sources no record cites, instruments whose bands leave a gap, teaching
cases that do not parse or name unknown ids, and the body map.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from engine.errors import CaseError, ContentError, Problem
from engine.knowledge.base import KnowledgeBase, compile_content
from engine.knowledge.body_map import load_body_map
from engine.knowledge.load import DEFAULT_CONTENT, read_content
from engine.knowledge.premises import (
    AllOf,
    AnyOf,
    AtLeast,
    Compare,
    Eq,
    FactIs,
    Has,
    HasAny,
    InSet,
    InstrumentIs,
    Not,
    Premise,
    Unknown,
    facts_of,
    leaves,
    reads_finding,
)
from engine.knowledge.records import DIFFICULTIES, LAYERS, PRESENTATIONS, SETTINGS, Content, Rule
from engine.tools.lint_likelihoods import likelihood_problems, reachability_problems
from engine.tools.satisfiable import can_fire

__all__ = ["check_content", "compiled_problems", "content_problems"]

# Teaching-case tags (content/cases): closed vocabularies, checked by the linter.
CASE_TAGS: dict[str, tuple[str, ...]] = {"difficulty": DIFFICULTIES, "setting": SETTINGS, "presentation": PRESENTATIONS}

OPS_BY_TYPE = {
    "bool": {"is", "unknown"},
    "int": {"ge", "gt", "le", "lt", "unknown"},
    "number": {"ge", "gt", "le", "lt", "unknown"},
    "enum": {"eq", "in", "unknown"},
    "set": {"has", "has_any", "empty", "unknown"},
}
# the layer whose rules may conclude each kind of fact
LAYER_OF_KIND = {
    "warning": "check", "sign": "sign", "syndrome": "syndrome", "mechanism": "syndrome", "pain_type": "syndrome",
    "root": "root", "red_flag": "red_flag", "condition": "cause", "ladder": "ladder",
}


_FILE_OF = {"findings": "findings.yaml", "facts": "facts.yaml", "conditions": "conditions.yaml",
            "roots": "roots.yaml", "red_flags": "red_flags.yaml", "ladder": "ladder.yaml"}


def _premise_problems(kb: Content, where: str, p: Premise) -> list[Problem]:
    out = []
    if isinstance(p, Not) and facts_of(p.of):
        out.append(Problem(where, f"'not' over the derived fact(s) {sorted(facts_of(p.of))}: derived facts are monotone"))
    for leaf in leaves(p):
        if isinstance(leaf, FactIs):
            if kb.fact_kind(leaf.fact) is None:
                out.append(Problem(where, f"unknown fact {leaf.fact!r}"))
            continue
        if isinstance(leaf, InstrumentIs):
            inst = kb.instruments.get(leaf.instrument)
            if inst is None or leaf.band not in {b.id for b in inst.bands}:
                out.append(Problem(where, f"unknown instrument band {leaf.instrument}/{leaf.band}"))
            continue
        if not reads_finding(leaf):
            continue
        f = kb.findings.get(leaf.finding)
        if f is None:
            out.append(Problem(where, f"unknown finding {leaf.finding!r}"))
            continue
        if leaf.op not in OPS_BY_TYPE[f.type]:
            out.append(Problem(where, f"operator {leaf.op!r} does not fit {f.type} finding {f.id!r}"))
            continue
        words = kb.vocabularies.get(f.vocabulary or "", ())
        values = leaf.values if isinstance(leaf, InSet | HasAny) else [leaf.value] if isinstance(leaf, Eq | Has) else []
        for v in values:
            if v not in words:
                out.append(Problem(where, f"{v!r} is not in the {f.vocabulary} vocabulary of {f.id!r}"))
        if isinstance(leaf, Compare) and f.min is not None and f.max is not None and not (f.min <= leaf.value <= f.max):
            out.append(Problem(where, f"threshold {leaf.value} outside {f.id}'s range {f.min:g}-{f.max:g}"))
    for sub in _walk_not(p):
        if isinstance(sub, Unknown):
            out.append(Problem(where, "'not' over 'unknown': write the positive test instead"))
    return out


def _walk_not(p: Premise) -> Iterator[Premise]:
    if isinstance(p, Not):
        yield from leaves(p.of)
    elif isinstance(p, AllOf | AnyOf | AtLeast):
        for c in p.of:
            yield from _walk_not(c)


def _rule_where(rule_files: Mapping[str, str], rule_id: str) -> str:
    """``rules/<file>: <rule id>``, so every rule problem can be found and fixed."""
    return f"rules/{rule_files.get(rule_id, '?')}: {rule_id}"


def _rule_problems(kb: Content, rule: Rule, concluded: set[str], where: str) -> list[Problem]:
    out = [q for p in rule.when for q in _premise_problems(kb, where, p)]
    kind = kb.fact_kind(rule.then)
    if kind is None:
        out.append(Problem(where, f"concludes undeclared fact {rule.then!r}"))
        return out
    if LAYER_OF_KIND[kind] != rule.layer:
        out.append(Problem(where, f"a {kind} is concluded in layer {LAYER_OF_KIND[kind]!r}, not {rule.layer!r}"))
    if (rule.support is not None) != (kind == "root"):
        out.append(Problem(where, "root rules need a certainty factor (support); other facts take none"))
    rank = LAYERS.index(rule.layer)
    for p in rule.when:
        for fid in facts_of(p):
            fkind = kb.fact_kind(fid)
            if fkind and LAYERS.index(LAYER_OF_KIND[fkind]) > rank:
                out.append(Problem(where, f"reads {fid!r} from the later layer {LAYER_OF_KIND[fkind]!r}"))
            if fkind and fid not in concluded:
                out.append(Problem(where, f"can never fire: no rule concludes {fid!r}"))
    for sid in rule.sources:
        if sid not in kb.sources:
            out.append(Problem(where, f"unknown source {sid!r}"))
    if not out and can_fire(kb, rule) is False:  # None: too many combinations to tell, not reported
        out.append(Problem(where, "can never fire: its finding tests contradict each other"))
    return out


def _cycles(kb: Content, rule_files: Mapping[str, str]) -> list[Problem]:
    """Each cycle once, with the rules (file and id) that close it."""
    edges: dict[str, dict[str, str]] = {}  # fact read -> fact concluded -> rule id
    for r in kb.rules:
        for p in r.when:
            for fid in facts_of(p):
                edges.setdefault(fid, {}).setdefault(r.then, r.id)
    out: list[Problem] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                loop = path[path.index(nxt):] + [nxt]
                rules = [edges[a][b] for a, b in zip(loop, loop[1:], strict=False)]
                where = "; ".join(_rule_where(rule_files, rid) for rid in rules)
                out.append(Problem(where, "cycle: " + " -> ".join(loop)))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    return out


def _cited(kb: Content, body_sources: set[str]) -> set[str]:
    cited = set(body_sources)
    for table in (kb.facts, kb.conditions, kb.roots, kb.red_flags, kb.ladder, kb.instruments):
        for rec in table.values():
            cited.update(rec.sources)
    for c in kb.conditions.values():
        cited.update(c.prior.sources)
    for r in kb.rules:
        cited.update(r.sources)
    for row in kb.likelihoods:
        cited.update(row.sources)
    for d in kb.decisions:
        cited.update(d.sources)
    for t in kb.treatments.values():
        cited.update(p.source for p in t.positions)
    cited.update(kb.scoring.sources)
    cited.update(kb.code_sources)
    return cited


def _coverage(kb: Content, concluded: set[str]) -> list[Problem]:
    out = []
    # causes are weighed by the likelihood table, not concluded by rules (lint_likelihoods)
    for table, name in ((kb.red_flags, "red_flags.yaml"), (kb.facts, "facts.yaml")):
        for fid in table:
            if fid not in concluded:
                out.append(Problem(f"{name}: {fid}", "no rule concludes it"))
    for step in kb.ladder.values():
        if step.id not in concluded and step.urgency_entry is None and step.workup_of is None:
            out.append(Problem(f"ladder.yaml: {step.id}", "no rule or urgency reaches this step"))
    for t in kb.treatments.values():
        if t.step not in kb.ladder:
            out.append(Problem(f"ladder.yaml: {t.id}", f"unknown step {t.step!r}"))
        for p in t.positions:
            if p.source not in kb.sources:
                out.append(Problem(f"ladder.yaml: {t.id}", f"unknown source {p.source!r}"))
    for d in kb.decisions:
        if d.condition not in kb.conditions:
            out.append(Problem(f"decisions.yaml: {d.feature}", f"unknown condition {d.condition!r}"))
        for rid in d.rules:
            if rid not in {r.id for r in kb.rules} | {row.id for row in kb.likelihoods}:
                out.append(Problem(f"decisions.yaml: {d.feature}", f"unknown rule {rid!r}"))
    decided = {d.condition for d in kb.decisions}
    for cid in kb.conditions:
        if cid not in decided:
            out.append(Problem(f"decisions.yaml: {cid}", "no recorded decision on this condition's discriminating features"))
    for cid in kb.codes:
        if cid not in kb.conditions:
            out.append(Problem(f"codes.yaml: {cid}", "unknown condition"))
    for flag in kb.red_flags.values():
        out += [Problem(f"red_flags.yaml: {flag.id}", f"suggests unknown condition {c!r}") for c in flag.suggests if c not in kb.conditions]
        # a flag pins what it suggests: a must-not-miss cause, or one that can produce such a syndrome
        out += [Problem(f"red_flags.yaml: {flag.id}", f"suggests {c!r}, which is neither serious nor able to produce"
                        " a serious condition (can_cause)")
                for c in flag.suggests if c in kb.conditions and kb.conditions[c].kind != "serious"
                and not any(s in kb.conditions and kb.conditions[s].kind == "serious" for s in kb.conditions[c].can_cause)]
    for cond in kb.conditions.values():
        out += [Problem(f"conditions.yaml: {cond.id}", f"can_cause names unknown condition {c!r}")
                for c in cond.can_cause if c not in kb.conditions or c == cond.id]
    return out


def _record_sources(kb: Content) -> list[Problem]:
    out = []
    for name, table in (("facts.yaml", kb.facts), ("conditions.yaml", kb.conditions), ("roots.yaml", kb.roots),
                        ("red_flags.yaml", kb.red_flags), ("ladder.yaml", kb.ladder), ("instruments.yaml", kb.instruments)):
        for rid, rec in table.items():
            for sid in rec.sources:
                if sid not in kb.sources:
                    out.append(Problem(f"{name}: {rid}", f"unknown source {sid!r}"))
    for d in kb.decisions:
        out += [Problem(f"decisions.yaml: {d.feature}", f"unknown source {s!r}") for s in d.sources if s not in kb.sources]
    out += [Problem("scoring.yaml", f"unknown source {s!r}") for s in kb.scoring.sources if s not in kb.sources]
    out += [Problem("codes.yaml", f"unknown source {s!r}") for s in kb.code_sources if s not in kb.sources]
    return out


def _instrument_problems(kb: Content) -> list[Problem]:
    out = []
    for inst in kb.instruments.values():
        for item in inst.items:
            out += _premise_problems(kb, f"instruments.yaml: {inst.id}.{item.id}", item.when)
        lo = sum(min(i.points, 0) for i in inst.items)
        hi = sum(max(i.points, 0) for i in inst.items)
        names = {"total", *inst.subscales}
        for band in inst.bands:
            for k in (*band.min, *band.max):
                if k not in names:
                    out.append(Problem(f"instruments.yaml: {inst.id}", f"band {band.id} bounds unknown score {k!r}"))
        for total in range(lo, hi + 1):  # every total must land in some band (subscale at its extremes)
            if not any(band.min.get("total", lo) <= total <= band.max.get("total", hi) for band in inst.bands):
                out.append(Problem(f"instruments.yaml: {inst.id}", f"no band covers a total of {total}"))
    return out


def _case_problems(kb: KnowledgeBase, root: Path) -> list[Problem]:
    from engine.tools.case_file import read_case_file  # teaching cases pass through the same door as any case

    out = []
    for path in sorted((root / "cases").glob("*.yaml")):
        try:
            case = read_case_file(path, kb)
        except CaseError as exc:  # reported against the file
            out += [Problem(f"cases/{path.name}: {p.where}", p.message, p.value, p.expected, p.suggestion)
                    for p in exc.problems]
            continue
        for key, allowed in CASE_TAGS.items():
            if key in case.meta and case.meta[key] not in allowed:
                out.append(Problem(f"cases/{path.name}", f"{key} {case.meta[key]!r} is not one of {', '.join(allowed)}"))
        exp = case.meta.get("expected") or {}
        lists = ("differential_includes", "roots", "red_flags")
        if not isinstance(exp, dict) or any(not isinstance(exp.get(k, []), list) for k in lists):
            out.append(Problem(f"cases/{path.name}", "expected: must be a mapping whose " + ", ".join(lists) + " are lists"))
            continue
        for cid in [exp.get("top_condition"), *exp.get("differential_includes", [])]:
            if cid is not None and cid not in kb.conditions:
                out.append(Problem(f"cases/{path.name}", f"expected condition {cid!r} is unknown"))
        for rid in exp.get("roots", []):
            if rid not in kb.roots:
                out.append(Problem(f"cases/{path.name}", f"expected root {rid!r} is unknown"))
        for fid in exp.get("red_flags", []):
            if fid not in kb.red_flags:
                out.append(Problem(f"cases/{path.name}", f"expected red flag {fid!r} is unknown"))
    return out


def content_problems(kb: Content, root: Path, rule_files: Mapping[str, str] | None = None) -> list[Problem]:
    """Every cross-reference problem of loaded records (empty when sound); ``rule_files``
    maps each rule id to the file under ``rules/`` that declares it."""
    rule_files = rule_files or {}
    concluded = {r.then for r in kb.rules}
    out: list[Problem] = []
    seen: dict[str, str] = {}
    for name, table in (("findings", kb.findings), ("facts", kb.facts), ("conditions", kb.conditions),
                        ("roots", kb.roots), ("red_flags", kb.red_flags), ("ladder", kb.ladder)):
        for fid in table:
            if fid in seen:
                out.append(Problem(f"{_FILE_OF[name]}: {fid}", f"id also declared in {_FILE_OF[seen[fid]]}"))
            seen[fid] = name
    out += [Problem(f"findings.yaml: {f.id}", f"group {f.group!r} is not declared under groups")
            for f in kb.findings.values() if f.group not in kb.groups]
    for r in kb.rules:
        out += _rule_problems(kb, r, concluded, _rule_where(rule_files, r.id))
    out += _cycles(kb, rule_files) + _coverage(kb, concluded) + _record_sources(kb) + _instrument_problems(kb)
    body_sources: set[str] = set()
    body_path = root / "body_map.yaml"
    if body_path.exists():
        try:
            body = load_body_map(body_path, kb)
            body_sources = {body.source.id, *body.source.also_consulted}
        except ContentError as exc:
            out += list(exc.problems)
    for sid in sorted(set(kb.sources) - _cited(kb, body_sources)):
        out.append(Problem(f"sources.yaml: {sid}", "no rule or record cites this source"))
    out += likelihood_problems(kb)
    return out


def compiled_problems(kb: KnowledgeBase, root: Path) -> list[Problem]:
    """What only a compiled knowledge base can show: teaching cases that do not parse or
    name unknown ids, then (on an otherwise sound base) causes that cannot be reached."""
    out = _case_problems(kb, root)
    return out or reachability_problems(kb)  # reachability runs inference


def check_content(root: Path = DEFAULT_CONTENT) -> KnowledgeBase:
    """Load, lint and compile ``root``: the knowledge base, or one ``ContentError`` listing
    every problem of every file (``python -m engine lint``, the dashboard's start, tests)."""
    content, problems, rule_files = read_content(root)
    if content is None:
        raise ContentError(problems)
    problems += content_problems(content, root, rule_files)
    if problems:
        raise ContentError(problems)
    kb = compile_content(content)
    problems = compiled_problems(kb, root)
    if problems:
        raise ContentError(problems)
    return kb
