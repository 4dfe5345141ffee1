"""Arts 9 and 10: national measures on items not listed in Annex I (national control lists).

An item is tied to a measure by the input (`items[].national_measure`, the measure's id in the
law data). Art 9(1): the exporter's own member state prohibits or requires an authorisation.
Art 10(1): another member state's national control list requires an authorisation only where
that member state imposes an authorisation requirement for the export (its own destination
scope), the list was "published by the Commission pursuant to Article 9(4)" (the publication
date is in the law data: before it, Art. 10(1) does not apply; where the data does not know it,
the determination asks), and the exporter was informed of a public-security or human-rights
concern.
"""

from __future__ import annotations

from typing import Any

from dualuse.engine.result import Question
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


def taken_over_note(m: NationalMeasure, ctx: ItemContext) -> tuple[str, ...]:
    """From the day an Annex I text took items of the measure over, say which: those items are
    listed in Annex I and controlled under Art. 3(1), so classify the item against Annex I."""
    if m.taken_over_from is None or ctx.tx.as_of < m.taken_over_from:
        return ()
    moved = "; ".join(f"{t.national_code} ({t.description[:60].rstrip()}) -> "
                      f"{', '.join(t.annex_i)}" for t in m.taken_over)
    return (f"Since {m.taken_over_from.isoformat()} Annex I as replaced by Delegated Regulation "
            f"(EU) 2025/2003 lists {len(m.taken_over)} of the items of {m.id} "
            f"({m.citation.render()}): {moved}. An item now in Annex I is controlled under "
            f"Art. 3(1): classify it against Annex I and give its control_code.",)


@rule("art09.1", NATIONAL, "National measure of the exporter's member state", ("export",))
def national_measure(ctx: ItemContext) -> Finding:
    cited = NATIONAL.render()
    mid = ctx.item.national_measure
    facts: dict[str, Any] = {"national_measure": mid, "member_state": ctx.tx.member_state}
    if mid is None:
        return Finding("art09.1", cited, "the item is tied to no national measure", facts,
                       decided_by="no national measure named for the item")
    m = find_measure(ctx.cat, mid, f"items[{ctx.index}].national_measure")
    notes = taken_over_note(m, ctx)
    facts.update({"measure_member_state": m.member_state, "type": m.type,
                  "confidence": m.confidence, "listed_in_annex_i": ctx.code.listed})
    if ctx.code.listed:
        return Finding("art09.1", cited, f"Art. 9(1) measures concern items not listed in Annex "
                       f"I; {ctx.code.code} is listed, so Art. 3(1) governs it", facts,
                       notes=notes, decided_by="listed in Annex I (Art. 3(1) governs)")
    if m.member_state != ctx.tx.member_state:
        return Finding("art09.1", cited, f"{m.id} is a measure of {m.member_state}, not of the "
                       f"exporter's member state ({ctx.tx.member_state}): see Art. 10(1)", facts,
                       notes=notes, decided_by=f"a measure of another member state "
                                               f"({m.member_state})")
    applies, scope = _applies_to(m, ctx)
    facts["destinations"] = scope
    national = m.citation.render()
    if not applies:
        return Finding("art09.1", cited, scope, facts, notes=notes,
                       decided_by=f"{ctx.dest.name} is outside the measure's destinations")
    if m.measure.get("exemptions"):
        notes += (f"{m.id} exemptions: {m.measure['exemptions']}",)
    if (m.type or "").startswith("prohibition"):
        return Finding("art09.1", cited, f"{national} prohibits the export", facts,
                       outcome="prohibited", bases=(cited, national),
                       blocks_ugea="national prohibition (Art. 9(1))", notes=notes,
                       decided_by=f"{m.id} prohibits the export to {ctx.dest.name}")
    return Finding("art09.1", cited, f"{national} requires an authorisation for the export",
                   facts, outcome="authorisation_required", bases=(cited, national),
                   blocks_ugea="a national control-list item: UGEAs cover Annex I items only",
                   notes=notes, decided_by=f"{m.id} applies to {ctx.dest.name}")


@rule("art10.1", OTHER_STATE, "National control list of another member state", ("export",))
def other_member_state(ctx: ItemContext) -> Finding:
    cited = OTHER_STATE.render()
    mid = ctx.item.national_measure
    facts: dict[str, Any] = {"national_measure": mid,
                             "informed_of": sorted(ctx.tx.informed_of)}
    if mid is None:
        return Finding("art10.1", cited, "the item is tied to no national measure", facts,
                       decided_by="no national measure named for the item")
    m = find_measure(ctx.cat, mid, f"items[{ctx.index}].national_measure")
    facts["published_under_art_9_4"] = (None if m.publication is None else
                                        f"{m.publication.reference} of "
                                        f"{m.publication.published.isoformat()}")
    if ctx.code.listed:
        return Finding("art10.1", cited, "Art. 10(1) concerns items not listed in Annex I",
                       facts, decided_by="listed in Annex I (Art. 3(1) governs)")
    if m.member_state == ctx.tx.member_state:
        return Finding("art10.1", cited, "the exporter's own member state's measure: Art. 9(1)",
                       facts, decided_by="the exporter's own member state's measure")
    if (m.type or "").startswith("prohibition"):
        return Finding("art10.1", cited, f"{m.id} ({m.member_state}) is a prohibition; Art. "
                       f"10(1) follows another member state's authorisation requirement", facts,
                       decided_by=f"{m.id} imposes no authorisation requirement")
    applies, scope = _applies_to(m, ctx)
    if not applies:
        return Finding("art10.1", cited, f"{m.member_state} imposes no authorisation "
                       f"requirement for this export: {scope}", facts,
                       decided_by=f"{ctx.dest.name} is outside the measure's destinations")
    published = m.published_on(ctx.tx.as_of)
    question_id = f"art10.published.{m.id}"
    answer = ctx.tx.answers.get(question_id)
    if published is False:
        assert m.publication is not None
        return Finding("art10.1", cited, f"the Commission published {m.id} under Art. 9(4) on "
                       f"{m.publication.published.isoformat()} ({m.publication.reference}); "
                       f"on {ctx.tx.as_of.isoformat()} it was not yet published, and Art. 10(1) "
                       f"applies only to national control lists published by the Commission "
                       f"pursuant to Art. 9(4)", facts,
                       decided_by=f"not yet published under Art. 9(4) (published "
                                  f"{m.publication.published.isoformat()})")
    if published is None and answer is False:
        return Finding("art10.1", cited, f"{m.id} was not published by the Commission under "
                       f"Art. 9(4) on {ctx.tx.as_of.isoformat()} (answered): Art. 10(1) does not "
                       f"apply", facts, decided_by="not published under Art. 9(4) (answered)")
    concern = {"public_security", "human_rights"} & ctx.tx.informed_of
    if not concern:
        return Finding("art10.1", cited, f"{m.id} ({m.member_state}) binds exporters elsewhere "
                       f"only if their authority informed them of a public-security or "
                       f"human-rights concern; none stated", facts,
                       decided_by="not informed of a public-security or human-rights concern")
    questions: tuple[Question, ...] = ()
    when = (f"published by the Commission under Art. 9(4) on "
            f"{m.publication.published.isoformat()} ({m.publication.reference})"
            if m.publication is not None else
            "published by the Commission under Art. 9(4) (answered)" if answer is True else
            "its publication under Art. 9(4) is not in the law data: answer the question")
    if published is None and answer is not True:
        questions = (Question(
            question_id, f"Had the Commission published {m.id} ({m.member_state}) in the "
            f"compilation of national control lists (Art. 9(4), OJ C series) by "
            f"{ctx.tx.as_of.isoformat()}? Art. 10(1) applies only to published lists (true = "
            f"published).", cited),)
    return Finding("art10.1", cited, f"item on the national control list of {m.member_state} "
                   f"({m.citation.render()}), {when}, and exporter informed of a "
                   f"{', '.join(sorted(concern))} concern: authorisation required", facts,
                   outcome="authorisation_required", bases=(cited,), questions=questions,
                   blocks_ugea="a national control-list item: UGEAs cover Annex I items only",
                   notes=taken_over_note(m, ctx),
                   decided_by=f"informed of a {', '.join(sorted(concern))} concern")
