"""The knowledge base the reasoning reads: the content's records plus what is compiled
from them at load, once (the rule network, the findings validator, the likelihood table).

Nothing is built lazily behind the reader's back: following ``kb.network`` from
``infer`` leads here and to ``engine.knowledge.network``. Memos fill as cases are met,
visibly, where they are declared: the atoms each input value makes true (``Network.true_atoms``),
the one-test likelihood rows each value settles (``LikelihoodTable.leaf_memo``), the
evidence records of each observed row (``table.EvidenceTable``) and the instruments' compiled
item tests (``KnowledgeBase.instrument_tests``, on first scoring). The pydantic case model
(``KnowledgeBase.case_model``) is built on first use: only the JSON Schema and the
dashboard read it, and it costs a CLI start about 30 ms (``engine.knowledge.case_model``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property

from pydantic import BaseModel, ConfigDict
from pydantic_core import SchemaValidator

from engine.knowledge.case_model import case_model, findings_validator
from engine.knowledge.network import Network, compile_network, three_valued
from engine.knowledge.records import Content
from engine.knowledge.table import LikelihoodTable, build_table

__all__ = ["KnowledgeBase", "compile_content"]


class KnowledgeBase(Content):
    """Validated content, compiled."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    network: Network
    findings_validator: SchemaValidator  # what ``parse_findings`` checks a case with
    table: LikelihoodTable

    @cached_property
    def case_model(self) -> type[BaseModel]:
        """The pydantic model of a case's findings (its JSON Schema, the dashboard's fields);
        it validates as ``findings_validator`` does."""
        return case_model(self)

    @cached_property
    def instrument_tests(self) -> dict[str, tuple[Callable[[Mapping[str, object], Mapping[str, bool]], bool | None], ...]]:
        """Each instrument's item premises compiled to closures (``network.three_valued``),
        in item order: what scoring an instrument runs per case."""
        return {iid: tuple(three_valued(item.when) for item in inst.items) for iid, inst in self.instruments.items()}


def compile_content(content: Content) -> KnowledgeBase:
    """Compile validated content (the records are not validated a second time)."""
    fields = {name: getattr(content, name) for name in Content.model_fields}
    return KnowledgeBase.model_construct(
        **fields, network=compile_network(content), findings_validator=findings_validator(content), table=build_table(content)
    )
