"""Art 7: transit (Art. 2(11)) of non-Union dual-use items listed in Annex I.

Transit needs no authorisation by itself, and the Regulation prohibits none by itself: "The
transit of non-Union dual-use items listed in Annex I may be prohibited at any time by the
competent authority of the Member State where the items are situated if the items are or may be
intended ... for any of the uses referred to in Article 4(1)" (7(1)); "before deciding whether or
not to prohibit a transit the competent authority may, in individual cases, impose an
authorisation requirement" (7(2)). Both are decisions of that authority, supplied as ad hoc
requirements. Being informed of such a use means the authority is in a position to decide: the
determination says so and asks for its decision; it does not prohibit the transit itself.
"""

from __future__ import annotations

from dualuse.engine.result import Obligation, Question
from dualuse.law.citations import regulation
from dualuse.rules.ad_hoc import why_not_binding
from dualuse.rules.context import Finding, ItemContext
from dualuse.rules.registry import rule

PROHIBITION = regulation("7", "1")
REQUIREMENT = regulation("7", "2")
TRANSIT = regulation("2", "11").render()


def _status_question() -> Question:
    return Question(
        "art07.customs_status",
        "Are the items non-Union goods (Art. 2(18); give customs_status 'non_union')? Transit "
        "(Art. 2(11)) covers only non-Union items entering and passing through the customs "
        "territory; Union goods leaving it are exported (Art. 2(2)) and, if listed, need an "
        "authorisation (Art. 3(1)).", TRANSIT)


@rule("art07.1", PROHIBITION, "Transit of listed non-Union items", ("transit",))
def transit(ctx: ItemContext) -> Finding:
    cited = PROHIBITION.render()
    informed = ctx.art_4_1_uses(ctx.tx.informed_of)
    aware = ctx.art_4_1_uses(ctx.tx.aware_of)
    facts = {"listed_in_annex_i": ctx.code.listed, "informed_of": sorted(ctx.tx.informed_of),
             "aware_of": sorted(ctx.tx.aware_of), "origin": ctx.tx.origin,
             "destination": ctx.dest.iso2, "customs_status": ctx.tx.customs_status}
    if not ctx.code.listed:
        return Finding("art07.1", cited, "Art. 7 covers items listed in Annex I; an extension to "
                       "non-listed items (7(3)) is not in the data", facts,
                       decided_by="not listed in Annex I")
    status: tuple[Question, ...] = () if ctx.tx.customs_status else (_status_question(),)
    decided = [r for r in ctx.tx.ad_hoc_requirements
               if r.activity == "transit" and why_not_binding(r, ctx) is None]
    if decided:
        refs = ", ".join(f"{r.reference} (Art. {r.article})" for r in decided)
        return Finding("art07.1", cited, f"the competent authority decided on this transit "
                       f"({refs}): its decision governs (see the decision's own finding)", facts,
                       questions=status, decided_by=f"decision {refs}")
    if informed:
        uses = ", ".join(informed)
        if ctx.tx.answers.get("art07.decision") is False:
            return Finding("art07.1", cited, f"informed of a use under Art. {uses}, and the "
                           f"competent authority decided neither to prohibit the transit "
                           f"(Art. 7(1)) nor to require an authorisation (Art. 7(2))", facts,
                           questions=status, decided_by="the authority decided not to act")
        return Finding(
            "art07.1", cited, f"the competent authority informed that the items are or may be "
            f"intended for a use under Art. {uses}. Art. 7 prohibits no transit by itself: the "
            f"competent authority of the member state where the items are may prohibit it at "
            f"any time (Art. 7(1)) or, before deciding, require an authorisation for it "
            f"(Art. 7(2)). Its decision is not given: ask for it before the transit",
            facts, outcome="notify_authority", bases=(cited, REQUIREMENT.render()),
            questions=(Question(
                "art07.decision",
                "Has the competent authority of the member state where the items are decided on "
                "this transit? Give a prohibition (Art. 7(1)) or an authorisation requirement "
                "(Art. 7(2)) under ad_hoc_requirements; answer false if it decided to do "
                "neither.", cited), *status),
            obligations=(Obligation(
                "notification", "Ask the competent authority of the member state where the "
                "items are for its decision before the transit: it may prohibit the transit "
                "(Art. 7(1)) or require an authorisation for it (Art. 7(2)).", cited,
                "before the transit"),),
            decided_by=f"informed of a use under Art. {uses}; the authority decides")
    note: tuple[str, ...] = ()
    if aware:
        note = ("The Regulation sets no notification duty for transit; the competent authority "
                "may prohibit it (Art. 7(1)) if told of the use.",)
    return Finding("art07.1", cited, "transit of listed non-Union items needs no authorisation "
                   "unless the competent authority prohibits it (Art. 7(1)) or imposes one "
                   "(Art. 7(2)); it has informed of no Art. 4(1) use", facts, notes=note,
                   questions=status, decided_by="no Art. 4(1) use the authority informed of")
