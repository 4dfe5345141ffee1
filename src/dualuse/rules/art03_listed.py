"""Art 3(1): an authorisation is required for the export of dual-use items listed in Annex I."""

from __future__ import annotations

from dualuse.law.citations import regulation
from dualuse.rules.context import Finding, ItemContext
from dualuse.rules.registry import rule

CITATION = regulation("3", "1")
RULE = "art03.listed"


@rule(RULE, CITATION, "Export of an item listed in Annex I", ("export",))
def listed(ctx: ItemContext) -> Finding:
    facts = {"control_code": ctx.code.code, "listed_in_annex_i": ctx.code.listed,
             "annex_i_version": ctx.cat.annex_i_version.id}
    if ctx.code.code is None:
        return Finding(RULE, CITATION.render(), "no Annex I code given: the item is treated as "
                       "not listed in Annex I", facts, decided_by="not listed in Annex I")
    if not ctx.code.listed:
        return Finding(RULE, CITATION.render(), f"{ctx.code.code} is 'Not used' in Annex I on "
                       f"{ctx.tx.as_of.isoformat()}: not listed", facts,
                       decided_by=f"{ctx.code.code} is 'Not used'")
    return Finding(RULE, CITATION.render(),
                   f"{ctx.code.code} is listed in Annex I ({ctx.code.entry_citation}): "
                   f"authorisation required", facts, outcome="authorisation_required",
                   bases=(CITATION.render(),), decided_by=f"{ctx.code.code} listed in Annex I")
