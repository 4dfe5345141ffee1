"""Art 7: transit (Art. 2(11)) of non-Union dual-use items listed in Annex I.

Transit needs no authorisation by itself. The competent authority of the member state where the
items are may prohibit it (7(1)) where they are or may be intended for an Art. 4(1) use; before
deciding it may impose an authorisation requirement (7(2), supplied as an ad hoc requirement).
"""

from __future__ import annotations

from dualuse.law.citations import regulation
from dualuse.rules.context import Finding, ItemContext
from dualuse.rules.registry import rule

PROHIBITION = regulation("7", "1")


@rule("art07.1", PROHIBITION, "Transit of listed non-Union items", ("transit",))
def transit(ctx: ItemContext) -> Finding:
    cited = PROHIBITION.render()
    informed = ctx.art_4_1_uses(ctx.tx.informed_of)
    aware = ctx.art_4_1_uses(ctx.tx.aware_of)
    facts = {"listed_in_annex_i": ctx.code.listed, "informed_of": sorted(ctx.tx.informed_of),
             "aware_of": sorted(ctx.tx.aware_of), "origin": ctx.tx.origin,
             "destination": ctx.dest.iso2}
    if not ctx.code.listed:
        return Finding("art07.1", cited, "Art. 7 covers items listed in Annex I; an extension to "
                       "non-listed items (7(3)) is not in the data", facts)
    if informed:
        return Finding("art07.1", cited, f"the competent authority informed that the items are "
                       f"or may be intended for a use under Art. {', '.join(informed)}: the "
                       f"transit is prohibited (Art. 7(1); it may instead require an "
                       f"authorisation first, Art. 7(2))", facts, outcome="prohibited",
                       bases=(cited,), blocks_ugea="transit prohibited")
    note: tuple[str, ...] = ()
    if aware:
        note = ("The Regulation sets no notification duty for transit; the competent authority "
                "may prohibit it (Art. 7(1)) if told of the use.",)
    return Finding("art07.1", cited, "transit of listed items needs no authorisation unless the "
                   "competent authority prohibits it or imposes one", facts, notes=note)
