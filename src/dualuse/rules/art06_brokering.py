"""Art 6: brokering services (Art. 2(7)) for dual-use items.

Brokering services are the negotiation or arrangement of transactions for the purchase, sale or
supply of dual-use items from a third country to any other third country, or the selling or
buying of items located in third countries for their transfer to another third country
(Art. 2(7)). Items located in the Union are not brokered within Art. 2(7): they leave the Union
by an export, for which the exporter answers (Arts 3, 4).

6(1): authorisation for listed items where the broker was informed of an Art. 4(1) use;
6(2): aware -> notify; 6(3): a member state may extend paragraph 1 (the 'informed' rule) to
non-listed items (from the law data: NL Wet strategische diensten art. 4(3) and 4(4), FI § 6(1)).
"""

from __future__ import annotations

from typing import Any

from dualuse.engine.result import Obligation, Question
from dualuse.law.citations import regulation
from dualuse.rules.context import Finding, ItemContext
from dualuse.rules.national import applicable
from dualuse.rules.registry import rule

INFORMED = regulation("6", "1")
AWARE = regulation("6", "2")
EXTENSION = regulation("6", "3")
DEFINITION = regulation("2", "7").render()


def location(ctx: ItemContext) -> str:
    """Where the brokered items are: `third_country` (brokering services, Art. 2(7)), `union`
    (inside the customs territory: not Art. 2(7)), `same_country` (origin = destination: not
    'to another third country'), or `unknown` (no origin given)."""
    if ctx.tx.origin is None:
        return "unknown"
    if ctx.tx.origin == ctx.dest.iso2:
        return "same_country"
    origin = ctx.cat.country(ctx.tx.origin)
    if origin.eu_member_state or origin.eu_customs_territory:
        return "union"
    return "third_country"


def location_question() -> Question:
    return Question(
        "art06.location",
        "Where are the items located (give it as origin)? Brokering services (Art. 2(7)) "
        "concern items moving from a third country to another third country; items located in "
        "the Union leave it by an export (Arts 3, 4), which the exporter answers for.",
        DEFINITION)


def not_brokering(ctx: ItemContext, where: str) -> str | None:
    """Why the services are not brokering services within Art. 2(7), or None."""
    if where == "union":
        return (f"the items are in {ctx.cat.country(ctx.tx.origin or '').name}, inside the "
                f"Union: arranging their sale to {ctx.dest.name} is not brokering services "
                f"within Art. 2(7) (a transaction from a third country to another third "
                f"country); they leave the Union by an export, which needs the exporter's "
                f"authorisation where Art. 3 or 4 requires one")
    if where == "same_country":
        return (f"the items are in {ctx.dest.name} and stay there: not brokering services "
                f"within Art. 2(7) (from a third country to another third country)")
    return None


def _facts(ctx: ItemContext) -> dict[str, Any]:
    return {"listed_in_annex_i": ctx.code.listed, "informed_of": sorted(ctx.tx.informed_of),
            "aware_of": sorted(ctx.tx.aware_of), "arms_embargo": ctx.embargoed,
            "origin": ctx.tx.origin, "items_located": location(ctx)}


def _listed(ctx: ItemContext, rule_id: str, cited: str, flags: frozenset[str],
            what: str) -> tuple[Finding | None, tuple[str, ...]]:
    """The checks Art. 6(1) and (2) share: a Finding when the provision does not apply, else
    the Art. 4(1) uses that trigger it."""
    facts = _facts(ctx)
    if not ctx.code.listed:
        return Finding(rule_id, cited, f"Art. 6({rule_id[-1]}) is for items listed in Annex I",
                       facts, decided_by="not listed in Annex I"), ()
    outside = not_brokering(ctx, location(ctx))
    if outside:
        return Finding(rule_id, cited, outside, facts,
                       decided_by="not brokering services within Art. 2(7)"), ()
    uses = ctx.art_4_1_uses(flags)
    if what == "aware":
        uses = tuple(u for u in uses if u not in ctx.art_4_1_uses(ctx.tx.informed_of))
    if not uses:
        why = f"broker not {what} of a use under Art. 4(1)"
        if "military_end_use" in flags and not ctx.embargoed:
            why = "military end-use, but no arms embargo on the destination or purchaser"
        return Finding(rule_id, cited, f"{why}: brokering of listed items needs no "
                       f"authorisation by itself", facts, decided_by=why), ()
    return None, uses


@rule("art06.1", INFORMED, "Brokering of listed items: broker informed", ("brokering",))
def informed(ctx: ItemContext) -> Finding:
    cited = INFORMED.render()
    found, uses = _listed(ctx, "art06.1", cited, ctx.tx.informed_of, "informed")
    if found is not None:
        return found
    unknown = location(ctx) == "unknown"
    return Finding("art06.1", cited, f"broker informed of a use under Art. {', '.join(uses)}: "
                   f"authorisation required for the brokering services"
                   + (" (where the items are was not given: if they are in the Union, this is "
                      "not brokering within Art. 2(7))" if unknown else ""), _facts(ctx),
                   outcome="authorisation_required", bases=(cited,),
                   questions=(location_question(),) if unknown else (),
                   decided_by=f"informed of a use under Art. {', '.join(uses)}")


@rule("art06.2", AWARE, "Brokering of listed items: broker aware", ("brokering",))
def aware(ctx: ItemContext) -> Finding:
    cited = AWARE.render()
    found, uses = _listed(ctx, "art06.2", cited, ctx.tx.aware_of, "aware")
    if found is not None:
        return found
    unknown = location(ctx) == "unknown"
    return Finding("art06.2", cited, f"broker aware of a use under Art. {', '.join(uses)}: "
                   f"notify the competent authority", _facts(ctx), outcome="notify_authority",
                   bases=(cited,), questions=(location_question(),) if unknown else (),
                   obligations=(Obligation(
                       "notification", "Notify the competent authority before providing the "
                       "brokering services; it decides whether they need an authorisation.",
                       cited, "before providing the services"),),
                   decided_by=f"aware of a use under Art. {', '.join(uses)}")


@rule("art06.3", EXTENSION, "Brokering of non-listed items: national extension of Art. 6(1)",
      ("brokering",))
def national_extension(ctx: ItemContext) -> Finding:
    """Art. 6(3) extends only paragraph 1, the 'informed' rule: an awareness duty for
    non-listed items is national law of its own (e.g. Wsd art. 4(5)), not Art. 6(3)."""
    cited = EXTENSION.render()
    facts = _facts(ctx)
    if ctx.code.listed:
        return Finding("art06.3", cited, "the item is listed: Art. 6(1) and (2) apply", facts,
                       decided_by="listed in Annex I (Art. 6(1) governs)")
    extensions = [(m, p) for m, p in applicable(ctx, ("brokering_services",))
                  if "Art. 6(3)" in p.legal_basis_eu]
    facts["national_extensions"] = [p.cited for _, p in extensions]
    if not extensions:
        return Finding("art06.3", cited, f"{ctx.tx.member_state} has not extended Art. 6(1) to "
                       f"non-listed items in the data", facts,
                       decided_by=f"no extension by {ctx.tx.member_state}")
    outside = not_brokering(ctx, location(ctx))
    if outside:
        return Finding("art06.3", cited, outside, facts,
                       decided_by="not brokering services within Art. 2(7)")
    informed = ctx.art_4_1_uses(ctx.tx.informed_of)
    hits = [p for _, p in extensions if set(p.uses) & set(informed)]
    if not hits:
        said = "; ".join(f"{p.cited} (informed of a use under Art. {', '.join(p.uses)})"
                         for _, p in extensions)
        return Finding("art06.3", cited, f"{ctx.tx.member_state} extends Art. 6(1) only where "
                       f"the broker is informed: {said}; no such use was stated", facts,
                       decided_by="not informed of a use the extension names")
    unknown = location(ctx) == "unknown"
    return Finding("art06.3", cited, f"{ctx.tx.member_state} extends Art. 6(1) to non-listed "
                   f"items ({'; '.join(p.cited for p in hits)}); broker informed of a use under "
                   f"Art. {', '.join(u for u in informed if any(u in p.uses for p in hits))}: "
                   f"authorisation required", facts, outcome="authorisation_required",
                   bases=(cited, *(p.cited for p in hits)),
                   questions=(location_question(),) if unknown else (),
                   decided_by=f"national extension ({hits[0].cited})")
