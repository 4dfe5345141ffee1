"""Art 5: cyber-surveillance items (Art. 2(20)) not listed in Annex I.

5(1): authorisation where the exporter was informed of a use in connection with internal
repression or serious violations of human rights and IHL; 5(2): aware (due diligence) -> notify.
"""

from __future__ import annotations

from dualuse.engine.result import Obligation
from dualuse.law.citations import regulation
from dualuse.rules.context import Finding, ItemContext
from dualuse.rules.registry import rule

INFORMED = regulation("5", "1")
AWARE = regulation("5", "2")
_NOT_CYBER = "not a cyber-surveillance item (Art. 2(20))"


def _facts(ctx: ItemContext, flags: frozenset[str]) -> dict[str, object]:
    return {"cyber_surveillance": ctx.item.cyber_surveillance,
            "listed_in_annex_i": ctx.code.listed, "human_rights": "human_rights" in flags}


@rule("art05.1", INFORMED, "Cyber-surveillance item: exporter informed", ("export",))
def informed(ctx: ItemContext) -> Finding:
    cited = INFORMED.render()
    facts = _facts(ctx, ctx.tx.informed_of)
    if "human_rights" not in ctx.tx.informed_of:
        return Finding("art05.1", cited, "not informed of a use in connection with internal "
                       "repression or serious violations of human rights", facts,
                       decided_by="not informed of a human-rights use")
    if ctx.code.listed:
        return Finding("art05.1", cited, "Art. 5 is for items not listed in Annex I", facts,
                       decided_by="listed in Annex I (Art. 3(1) governs)")
    if not ctx.item.cyber_surveillance:
        return Finding("art05.1", cited, "informed of a human-rights use, but the item is "
                       f"{_NOT_CYBER}: Art. 5 does not apply", facts, decided_by=_NOT_CYBER)
    return Finding("art05.1", cited, "cyber-surveillance item, exporter informed of a use in "
                   "connection with internal repression or serious violations of human rights: "
                   "authorisation required", facts, outcome="authorisation_required",
                   bases=(cited,), decided_by="informed of a human-rights use")


@rule("art05.2", AWARE, "Cyber-surveillance item: exporter aware", ("export",))
def aware(ctx: ItemContext) -> Finding:
    cited = AWARE.render()
    facts = _facts(ctx, ctx.tx.aware_of)
    if "human_rights" not in ctx.tx.aware_of:
        return Finding("art05.2", cited, "not aware of a human-rights use", facts,
                       decided_by="not aware of a human-rights use")
    if "human_rights" in ctx.tx.informed_of:
        return Finding("art05.2", cited, "the competent authority informed the exporter of the "
                       "use: Art. 5(1) applies instead", facts,
                       decided_by="already informed (Art. 5(1))")
    if ctx.code.listed:
        return Finding("art05.2", cited, "Art. 5(2) is for items not listed in Annex I", facts,
                       decided_by="listed in Annex I (Art. 3(1) governs)")
    if not ctx.item.cyber_surveillance:
        return Finding("art05.2", cited, f"aware of a human-rights use, but the item is "
                       f"{_NOT_CYBER}", facts, decided_by=_NOT_CYBER)
    return Finding("art05.2", cited, "aware, from due diligence, of a human-rights use of a "
                   "cyber-surveillance item: notify the competent authority", facts,
                   outcome="notify_authority", bases=(cited,),
                   obligations=(Obligation(
                       "notification", "Notify the competent authority of the due-diligence "
                       "findings; it decides whether the export needs an authorisation.",
                       cited, "before export"),), decided_by="aware of a human-rights use")
