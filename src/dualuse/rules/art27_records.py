"""Art 27: registers and records of exports (27(1)), brokering and technical assistance (27(2)),
kept at least five years (27(3)); intra-Union transfers in art11_intra_union_transfer (27(4)).

"Exporters of dual-use items" keep them: the items of Annex I, and any other item that is a
dual-use item controlled for this transaction (an authorisation or a notification under Arts 4,
5, 6(3), 8, 9 or 10, or national law). The rule runs after the others (`prior_outcome`); nothing
that is prohibited leaves a record duty."""

from __future__ import annotations

from dualuse.engine.result import Obligation
from dualuse.law.citations import regulation
from dualuse.rules.context import Finding, ItemContext, cite
from dualuse.rules.registry import rule

CITATION = regulation("27")
_CONTROLLED = ("authorisation_required", "notify_authority")


@rule("art27.records", CITATION, "Registers and records", ("export", "brokering",
                                                             "technical_assistance"))
def records(ctx: ItemContext) -> Finding:
    facts = {"listed_in_annex_i": ctx.code.listed, "activity": ctx.tx.activity,
             "outcome": ctx.prior_outcome}
    if ctx.prior_outcome == "prohibited":
        return Finding("art27.records", CITATION.render(), "prohibited: there is no export or "
                       "service to keep records of", facts, decided_by="prohibited")
    if not ctx.code.listed and ctx.prior_outcome not in _CONTROLLED:
        return Finding("art27.records", CITATION.render(), "not an Annex I item and not "
                       "controlled for this transaction: no record duty under Art. 27", facts,
                       decided_by="not listed and not controlled")
    why = ("Annex I item" if ctx.code.listed else
           "non-listed dual-use item controlled for this transaction")
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
    return Finding("art27.records", CITATION.render(), f"records duty ({why})", facts,
                   obligations=(obligation,), decided_by=why)
