"""Art 8: technical assistance (Art. 2(9)) related to dual-use items listed in Annex I.

8(1): authorisation where the provider was informed of an Art. 4(1) use; 8(2): aware -> notify;
8(3): neither applies to assistance (a) within/into/towards a resident of an Annex II Section A
Part 2 country, (b) public-domain information or basic scientific research, (c) by member-state
authorities in their official tasks, (d) for member-state armed forces, (e) for an MTCR-exception
purpose of Annex IV, (f) the minimum necessary for installing, operating, maintaining or
repairing items whose export was authorised.
"""

from __future__ import annotations

from typing import Any

from dualuse.engine.result import Obligation, Question
from dualuse.law.citations import regulation
from dualuse.rules.context import Finding, ItemContext
from dualuse.rules.registry import rule

INFORMED = regulation("8", "1")
AWARE = regulation("8", "2")
EXEMPTIONS = regulation("8", "3")

# Art 8(3)(b)-(f), as circumstance words of the input.
_EXEMPT = {
    "b": ("public_domain", "basic_scientific_research"),
    "c": ("official_tasks",),
    "d": ("member_state_armed_forces",),
    "e": ("mtcr_exception",),
    "f": ("minimum_for_authorised_export",),
}


def exemption(ctx: ItemContext) -> str | None:
    if ctx.dest.art_8_3_a:
        return "a"
    for point, words in _EXEMPT.items():
        if set(words) & ctx.tx.circumstances:
            return point
    return None


def exemption_words(ctx: ItemContext, point: str) -> str:
    if point == "a":
        return (f"Art. 8(3)(a) exemption: {ctx.dest.name} is in Part 2 of Section A of "
                f"Annex II")
    stated = sorted(set(_EXEMPT[point]) & ctx.tx.circumstances)
    return f"Art. 8(3)({point}) exemption ({', '.join(stated)})"


def exemption_question() -> Question:
    return Question(
        "art08.3.exemption",
        "Does an Art. 8(3) exemption apply: public-domain information or basic scientific research "
        "(b), official tasks of member-state authorities (c), member-state armed forces (d), an "
        "MTCR-exception purpose (e), or the minimum necessary for installing, operating, "
        "maintaining or repairing items whose export was authorised (f)? Give it under "
        "circumstances.", EXEMPTIONS.render())


def _facts(ctx: ItemContext) -> dict[str, Any]:
    return {"listed_in_annex_i": ctx.code.listed, "destination": ctx.dest.iso2,
            "annex_ii_section_a_part_2": ctx.dest.art_8_3_a,
            "circumstances": sorted(ctx.tx.circumstances)}


def _decide(ctx: ItemContext, rule_id: str, flags: frozenset[str], outcome: str,
            cited: str, what: str) -> Finding:
    facts = _facts(ctx)
    uses = ctx.art_4_1_uses(flags)
    if outcome == "notify_authority":
        uses = tuple(u for u in uses if u not in ctx.art_4_1_uses(ctx.tx.informed_of))
    if not ctx.code.listed:
        return Finding(rule_id, cited, "Art. 8(1)-(2) concern items listed in Annex I (a "
                       "national extension under Art. 8(4) is not in the data)", facts,
                       decided_by="not listed in Annex I")
    if not uses:
        why = f"provider not {what} of a use under Art. 4(1)"
        if "military_end_use" in flags and not ctx.embargoed:
            why = "military end-use, but no arms embargo on the destination or purchaser"
        return Finding(rule_id, cited, why, facts, decided_by=why)
    point = exemption(ctx)
    if point:
        words = exemption_words(ctx, point)
        return Finding(rule_id, cited, f"{what} of a use under Art. {', '.join(uses)}, but "
                       f"{words}: Art. 8({rule_id[-1]}) does not apply to this technical "
                       f"assistance", {**facts, "exemption": f"8(3)({point})"},
                       decided_by=words)
    if outcome == "authorisation_required":
        return Finding(rule_id, cited, f"provider informed of a use under Art. "
                       f"{', '.join(uses)}, no Art. 8(3) exemption stated: authorisation "
                       f"required", facts, outcome=outcome, bases=(cited,),
                       questions=(exemption_question(),),
                       decided_by=f"informed of a use under Art. {', '.join(uses)}")
    return Finding(rule_id, cited, f"provider aware of a use under Art. {', '.join(uses)}, no "
                   f"Art. 8(3) exemption stated: notify the competent authority", facts,
                   outcome=outcome, bases=(cited,), questions=(exemption_question(),),
                   obligations=(Obligation("notification", "Notify the competent authority "
                                           "before providing the technical assistance.", cited,
                                           "before providing the assistance"),),
                   decided_by=f"aware of a use under Art. {', '.join(uses)}")


@rule("art08.1", INFORMED, "Technical assistance: provider informed", ("technical_assistance",))
def informed(ctx: ItemContext) -> Finding:
    return _decide(ctx, "art08.1", ctx.tx.informed_of, "authorisation_required",
                   INFORMED.render(), "informed")


@rule("art08.2", AWARE, "Technical assistance: provider aware", ("technical_assistance",))
def aware(ctx: ItemContext) -> Finding:
    return _decide(ctx, "art08.2", ctx.tx.aware_of, "notify_authority", AWARE.render(), "aware")
