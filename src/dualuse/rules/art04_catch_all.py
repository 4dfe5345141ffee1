"""Art 4: the catch-all for items not listed in Annex I.

4(1): an authorisation is required where the competent authority informed the exporter of a use
under (a) WMD, (b) military end-use where the purchasing country or country of destination is
under an arms embargo (Art. 2(19): imposed by a decision or common position of the Council, a
decision of the OSCE, or a binding resolution of the UN Security Council), (c) parts of military
items exported illegally. 4(2): an exporter aware of such a use notifies the competent
authority, which decides.
"""

from __future__ import annotations

from dualuse.engine.result import Obligation, Question
from dualuse.law.citations import regulation
from dualuse.rules.context import Finding, ItemContext, cite
from dualuse.rules.registry import rule

_POINTS = {"a": "wmd", "b": "military_end_use", "c": "illegal_military_parts"}
_WORDS = {"wmd": "WMD", "military_end_use": "military end-use",
          "illegal_military_parts": "parts of illegally exported military items"}


def embargo_words(ctx: ItemContext) -> str:
    """Why the destination (or purchaser) is under an arms embargo within Art. 2(19)."""
    for facts in (ctx.dest, ctx.purchasing):
        if facts is not None and facts.arms_embargo:
            return (f"{facts.name} is under an arms embargo within Art. 2(19) "
                    f"({facts.embargo_limb}: {facts.embargo_citation})")
    return "no arms embargo"


def no_embargo_words(ctx: ItemContext) -> str:
    why = ctx.dest.embargo_note or f"no arms embargo on {ctx.dest.name} in the data"
    if ctx.purchasing is not None:
        why += (f"; {ctx.purchasing.embargo_note or f'none on {ctx.purchasing.name}'}"
                f" (purchasing country)")
    return why


def _informed(point: str) -> None:
    citation = regulation("4", "1", point)
    rule_id = f"art04.1.{point}"
    word = _POINTS[point]

    @rule(rule_id, citation, f"Catch-all Art. 4(1)({point}): exporter informed", ("export",))
    def informed(ctx: ItemContext) -> Finding:
        cited = citation.render()
        facts: dict[str, object] = {"informed_of": sorted(ctx.tx.informed_of),
                                    "listed_in_annex_i": ctx.code.listed}
        if word not in ctx.tx.informed_of:
            return Finding(rule_id, cited, f"not informed of a use under Art. 4(1)({point}) "
                           f"({_WORDS[word]})", facts,
                           decided_by=f"not informed of {_WORDS[word]}")
        if ctx.code.listed:
            return Finding(rule_id, cited, "Art. 4(1) is for items not listed in Annex I; the "
                           "listed item is controlled under Art. 3(1)", facts,
                           decided_by="listed in Annex I (Art. 3(1) governs)")
        if point == "b":
            facts.update({"destination": ctx.dest.iso2, "destination_arms_embargo":
                          ctx.dest.arms_embargo, "embargo": ctx.dest.embargo_citation,
                          "art_2_19": ctx.dest.embargo_limb,
                          "purchasing_country": ctx.purchasing.iso2 if ctx.purchasing else None})
            if not ctx.embargoed:
                questions: tuple[Question, ...] = ()
                if ctx.purchasing is None:
                    questions = (Question(
                        "art04.purchasing_country",
                        "Which country is purchasing the items? Art. 4(1)(b) also applies where "
                        "the purchasing country is under an arms embargo "
                        "(give it as purchasing_country).", cited),)
                why = no_embargo_words(ctx)
                return Finding(rule_id, cited, f"military end-use, but neither the country of "
                               f"destination nor the purchasing country is under an arms "
                               f"embargo ({why}): Art. 4(1)(b) does not apply", facts,
                               questions=questions, decided_by=why)
            return Finding(
                rule_id, cited, f"informed by the competent authority of a military end-use; "
                f"{embargo_words(ctx)}: authorisation required for the non-listed item",
                facts, outcome="authorisation_required", bases=(cited,),
                obligations=_destination_change(ctx), decided_by=embargo_words(ctx),
            )
        return Finding(
            rule_id, cited, f"informed by the competent authority of a use under Art. 4(1)"
            f"({point}) ({_WORDS[word]}): authorisation required for the non-listed item", facts,
            outcome="authorisation_required", bases=(cited,),
            obligations=_destination_change(ctx), decided_by=f"informed of {_WORDS[word]}",
        )


def _destination_change(ctx: ItemContext) -> tuple[Obligation, ...]:
    """A national duty tied to a catch-all decision (NL: Bsg art. 3(2)), from the data."""
    out = []
    for m in ctx.cat.national_measures(ctx.tx.member_state):
        for p in m.measure.get("provisions") or ():
            if p.get("type") == "notification duty" and "catch-all" in str(p.get("content")):
                out.append(Obligation("notification", str(p["content"]),
                                      str(p.get("cited") or
                                          f"{m.citation.render()}, {p['provision']}")))
    return tuple(out)


for _point in _POINTS:
    _informed(_point)

AWARE = regulation("4", "2")


@rule("art04.2", AWARE, "Catch-all Art. 4(2): exporter aware of an Art. 4(1) use", ("export",))
def aware(ctx: ItemContext) -> Finding:
    cited = AWARE.render()
    uses = [u for u in ctx.art_4_1_uses(ctx.tx.aware_of)
            if u not in ctx.art_4_1_uses(ctx.tx.informed_of)]
    facts = {"aware_of": sorted(ctx.tx.aware_of), "art_4_1_uses": uses,
             "listed_in_annex_i": ctx.code.listed, "arms_embargo": ctx.embargoed}
    if ctx.code.listed:
        return Finding("art04.2", cited, "Art. 4(2) is for items not listed in Annex I", facts,
                       decided_by="listed in Annex I (Art. 3(1) governs)")
    if not uses:
        if "military_end_use" in ctx.tx.aware_of and not ctx.embargoed:
            why = no_embargo_words(ctx)
            return Finding("art04.2", cited, f"aware of a military end-use, but {why}: no use "
                           f"under Art. 4(1)(b) to notify", facts, decided_by=why)
        if ctx.tx.aware_of & {"wmd", "military_end_use", "illegal_military_parts"}:
            return Finding("art04.2", cited, "the uses the exporter is aware of are those the "
                           "competent authority informed it of: Art. 4(1) applies instead",
                           facts, decided_by="already informed (Art. 4(1))")
        return Finding("art04.2", cited, "not aware of a use under Art. 4(1)", facts,
                       decided_by="not aware of an Art. 4(1) use")
    return Finding(
        "art04.2", cited, f"aware of a use under Art. {', '.join(uses)}: notify the competent "
        f"authority, which decides whether to require an authorisation", facts,
        outcome="notify_authority", bases=(cited,),
        obligations=(Obligation(
            "notification", "Notify the competent authority (NL: the Minister for Foreign Trade, "
            "through CDIU) before exporting; it decides whether the export needs an "
            "authorisation.", cite("4", "2"), "before export"),),
        decided_by=f"aware of a use under Art. {', '.join(uses)}",
    )
