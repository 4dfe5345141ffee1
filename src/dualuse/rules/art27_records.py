"""Art 27: registers and records of exports (27(1)), brokering and technical assistance (27(2)),
kept at least five years (27(3)); intra-Union transfers in art11_intra_union_transfer (27(4))."""

from __future__ import annotations

from dualuse.engine.result import Obligation
from dualuse.law.citations import regulation
from dualuse.rules.context import Finding, ItemContext, cite
from dualuse.rules.registry import rule

CITATION = regulation("27")


@rule("art27.records", CITATION, "Registers and records", ("export", "brokering",
                                                             "technical_assistance"))
def records(ctx: ItemContext) -> Finding:
    facts = {"listed_in_annex_i": ctx.code.listed, "activity": ctx.tx.activity}
    if not ctx.code.listed:
        return Finding("art27.records", CITATION.render(), "not an Annex I item: no record duty "
                       "under Art. 27 unless the item is otherwise controlled", facts)
    if ctx.tx.activity == "export":
        obligation = Obligation(
            "record_keeping", "Keep detailed registers or records of the export: description "
            "and quantity of the items, name and address of exporter and consignee, end-use and "
            "end-user where known; commercial documents included. Keep them at least five years "
            "from the end of the calendar year of the export.", f"{cite('27', '1')}; "
            f"{cite('27', '3')}")
    else:
        obligation = Obligation(
            "record_keeping", "Keep registers or records of the services: description of the "
            "items, period, destination and countries concerned. Keep them at least five years "
            "from the end of the calendar year in which they were provided.",
            f"{cite('27', '2')}; {cite('27', '3')}")
    return Finding("art27.records", CITATION.render(), "records duty", facts,
                   obligations=(obligation,))
