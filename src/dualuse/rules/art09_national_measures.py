"""Arts 9 and 10: national measures on items not listed in Annex I (national control lists).

An item is tied to a measure by the input (`items[].national_measure`, the measure's id in the
law data). Art 9(1): the exporter's own member state prohibits or requires an authorisation;
Art 10(1): another member state's published national list requires an authorisation only where
the exporter was informed of a public-security or human-rights concern.
"""

from __future__ import annotations

from typing import Any

from dualuse.errors import InputError
from dualuse.law import Catalogue, NationalMeasure
from dualuse.law.citations import regulation
from dualuse.rules.context import Finding, ItemContext
from dualuse.rules.registry import rule

NATIONAL = regulation("9", "1")
OTHER_STATE = regulation("10", "1")


def find_measure(cat: Catalogue, measure_id: str, field: str) -> NationalMeasure:
    """The measure with this id in force on the catalogue's day."""
    for country in cat.countries():
        if not country.eu_member_state:
            continue
        for m in cat.national_measures(country.iso2):
            if m.id == measure_id:
                return m
    raise InputError(f"no national measure {measure_id!r} in force on "
                     f"{cat.as_of.isoformat()} in the law data", field=field)


_ALL = ("all ", "outside the eu", "country-neutral", "third countries")
# How the measures' texts name countries whose ISO short name differs.
_ALIASES = {"RU": "russia", "TR": "turkey"}


def _applies_to(m: NationalMeasure, ctx: ItemContext) -> tuple[bool, str]:
    """The measure's destination scope, as the data states it: all third countries (possibly
    except the EU001 destinations), or the countries it names."""
    scope = str(m.measure.get("destinations") or "")
    if "EU001" in scope and ctx.dest.art_8_3_a:
        return False, f"{m.id} does not apply to the EU001 destinations ({scope[:120]})"
    text = scope.lower()
    if any(w in text for w in _ALL) or not text:
        return True, scope
    named = {c.iso2 for c in ctx.cat.countries()
             if not c.eu_member_state and len(c.name) > 3
             and (c.name.lower() in text or _ALIASES.get(c.iso2, "\0") in text)}
    if named and ctx.dest.iso2 not in named:
        return False, f"{m.id} covers only {', '.join(sorted(named))} ({scope[:120]})"
    return True, scope


@rule("art09.1", NATIONAL, "National measure of the exporter's member state", ("export",))
def national_measure(ctx: ItemContext) -> Finding:
    cited = NATIONAL.render()
    mid = ctx.item.national_measure
    facts: dict[str, Any] = {"national_measure": mid, "member_state": ctx.tx.member_state}
    if mid is None:
        return Finding("art09.1", cited, "the item is tied to no national measure", facts)
    m = find_measure(ctx.cat, mid, f"items[{ctx.index}].national_measure")
    facts.update({"measure_member_state": m.member_state, "type": m.type,
                  "confidence": m.confidence, "listed_in_annex_i": ctx.code.listed})
    if ctx.code.listed:
        return Finding("art09.1", cited, f"Art. 9(1) measures concern items not listed in Annex "
                       f"I; {ctx.code.code} is listed, so Art. 3(1) governs it", facts)
    if m.member_state != ctx.tx.member_state:
        return Finding("art09.1", cited, f"{m.id} is a measure of {m.member_state}, not of the "
                       f"exporter's member state: see Art. 10(1)", facts)
    applies, scope = _applies_to(m, ctx)
    facts["destinations"] = scope
    national = m.citation.render()
    if not applies:
        return Finding("art09.1", cited, scope, facts)
    notes: tuple[str, ...] = ()
    if m.measure.get("exemptions"):
        notes = (f"{m.id} exemptions: {m.measure['exemptions']}",)
    if (m.type or "").startswith("prohibition"):
        return Finding("art09.1", cited, f"{national} prohibits the export", facts,
                       outcome="prohibited", bases=(cited, national),
                       blocks_ugea="national prohibition (Art. 9(1))", notes=notes)
    return Finding("art09.1", cited, f"{national} requires an authorisation for the export",
                   facts, outcome="authorisation_required", bases=(cited, national),
                   blocks_ugea="a national control-list item: UGEAs cover Annex I items only",
                   notes=notes)


@rule("art10.1", OTHER_STATE, "National control list of another member state", ("export",))
def other_member_state(ctx: ItemContext) -> Finding:
    cited = OTHER_STATE.render()
    mid = ctx.item.national_measure
    facts: dict[str, Any] = {"national_measure": mid,
                             "informed_of": sorted(ctx.tx.informed_of)}
    if mid is None:
        return Finding("art10.1", cited, "the item is tied to no national measure", facts)
    m = find_measure(ctx.cat, mid, f"items[{ctx.index}].national_measure")
    if ctx.code.listed:
        return Finding("art10.1", cited, "Art. 10(1) concerns items not listed in Annex I",
                       facts)
    if m.member_state == ctx.tx.member_state:
        return Finding("art10.1", cited, "the exporter's own member state's measure: Art. 9(1)",
                       facts)
    concern = {"public_security", "human_rights"} & ctx.tx.informed_of
    if not concern:
        return Finding("art10.1", cited, f"{m.id} ({m.member_state}) binds exporters elsewhere "
                       f"only if their authority informed them of a public-security or "
                       f"human-rights concern; none stated", facts)
    return Finding("art10.1", cited, f"item on the national control list of {m.member_state} "
                   f"({m.citation.render()}) and exporter informed of a "
                   f"{', '.join(sorted(concern))} concern: authorisation required", facts,
                   outcome="authorisation_required", bases=(cited,),
                   blocks_ugea="a national control-list item: UGEAs cover Annex I items only")
