"""Art 6: brokering services (Art. 2(7)) for dual-use items.

6(1): authorisation for listed items where the broker was informed of an Art. 4(1) use;
6(2): aware -> notify; 6(3): a member state may extend 6(1) to non-listed items (from the data,
e.g. NL Wet strategische diensten art. 4(3)-(5)).
"""

from __future__ import annotations

from typing import Any

from dualuse.engine.result import Obligation
from dualuse.law.citations import regulation
from dualuse.rules.context import Finding, ItemContext
from dualuse.rules.registry import rule

INFORMED = regulation("6", "1")
AWARE = regulation("6", "2")
EXTENSION = regulation("6", "3")


def _facts(ctx: ItemContext) -> dict[str, Any]:
    return {"listed_in_annex_i": ctx.code.listed, "informed_of": sorted(ctx.tx.informed_of),
            "aware_of": sorted(ctx.tx.aware_of), "arms_embargo": ctx.embargoed,
            "origin": ctx.tx.origin}


@rule("art06.1", INFORMED, "Brokering of listed items: broker informed", ("brokering",))
def informed(ctx: ItemContext) -> Finding:
    cited = INFORMED.render()
    uses = ctx.art_4_1_uses(ctx.tx.informed_of)
    if not ctx.code.listed:
        return Finding("art06.1", cited, "Art. 6(1) is for items listed in Annex I", _facts(ctx))
    if not uses:
        return Finding("art06.1", cited, "broker not informed of a use under Art. 4(1): brokering "
                       "of listed items needs no authorisation by itself", _facts(ctx))
    return Finding("art06.1", cited, f"broker informed of a use under Art. {', '.join(uses)}: "
                   f"authorisation required for the brokering services", _facts(ctx),
                   outcome="authorisation_required", bases=(cited,))


@rule("art06.2", AWARE, "Brokering of listed items: broker aware", ("brokering",))
def aware(ctx: ItemContext) -> Finding:
    cited = AWARE.render()
    uses = [u for u in ctx.art_4_1_uses(ctx.tx.aware_of)
            if u not in ctx.art_4_1_uses(ctx.tx.informed_of)]
    if not ctx.code.listed or not uses:
        return Finding("art06.2", cited, "no awareness of an Art. 4(1) use for a listed item",
                       _facts(ctx))
    return Finding("art06.2", cited, f"broker aware of a use under Art. {', '.join(uses)}: "
                   f"notify the competent authority", _facts(ctx), outcome="notify_authority",
                   bases=(cited,), obligations=(Obligation(
                       "notification", "Notify the competent authority before providing the "
                       "brokering services; it decides whether they need an authorisation.",
                       cited, "before providing the services"),))


@rule("art06.3", EXTENSION, "Brokering of non-listed items: national extension",
      ("brokering",))
def national_extension(ctx: ItemContext) -> Finding:
    cited = EXTENSION.render()
    facts = _facts(ctx)
    if ctx.code.listed:
        return Finding("art06.3", cited, "the item is listed: Art. 6(1) and (2) apply", facts)
    found = []
    for m in ctx.cat.national_measures(ctx.tx.member_state):
        for p in m.measure.get("provisions") or ():
            if "Art. 6(3)" in (p.get("legal_basis_eu") or ()):
                found.append((m, p))
    facts["national_measures"] = [f"{m.id}: {p['provision']}" for m, p in found]
    if not found:
        return Finding("art06.3", cited, f"{ctx.tx.member_state} has not extended Art. 6(1) to "
                       f"non-listed items in the data", facts)
    m, p = found[0]
    national = f"{m.citation.render()}, {p['provision']}"
    # The extension follows the Art 4(1) triggers the member state chose ('informed'/'aware').
    informed = ctx.art_4_1_uses(ctx.tx.informed_of)
    aware = ctx.art_4_1_uses(ctx.tx.aware_of)
    content = str(p.get("content", "")).lower()
    if informed:
        return Finding("art06.3", cited, f"{ctx.tx.member_state} extends Art. 6(1) to non-listed "
                       f"items ({national}); broker informed of a use under Art. "
                       f"{', '.join(informed)}: authorisation required", facts,
                       outcome="authorisation_required", bases=(cited, national))
    if aware and "notif" in content:
        return Finding("art06.3", cited, f"{national}: broker aware of a use under Art. "
                       f"{', '.join(aware)}: notify the competent authority", facts,
                       outcome="notify_authority", bases=(cited, national),
                       obligations=(Obligation("notification", "Notify the competent authority "
                                               "before providing the brokering services.",
                                               national, "before providing the services"),))
    return Finding("art06.3", cited, f"{national} applies only where the broker is informed "
                   f"(or aware) of an Art. 4(1) use; none was stated", facts)
