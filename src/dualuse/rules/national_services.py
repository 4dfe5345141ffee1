"""National law on brokering and technical assistance with no provision of the Regulation behind
it, from the typed provisions of the law data. For the Netherlands, the Wet strategische diensten:

- art. 3(1): technical assistance related to WMD or their missiles is prohibited, unless an
  Art. 8(3) ground applies (art. 3(2)); the Minister may exempt on application (art. 3(3));
- art. 4(5): a broker aware of a use under Art. 4(1)(a) (items not listed) or of a military
  end-use in a destination under Art. 4(1)(b) notifies the Minister (Art. 6(2) covers listed
  items; Art. 6(3) extends only the 'informed' rule, see art06_brokering);
- art. 6(1)-(2): brokering of items located in the Union for export (not brokering within
  Art. 2(7)): a licence when informed, a notification when aware, of a use under Art. 4(1)(a);
- art. 7(1) and 7(3)(a): a broker notifies the Minister before first providing brokering
  services, and separately for items of Annex II, Section I.
"""

from __future__ import annotations

from dualuse.engine.result import Obligation
from dualuse.engine.result import worst as most_severe
from dualuse.law.citations import Citation
from dualuse.law.model import NationalProvision
from dualuse.rules.art06_brokering import location
from dualuse.rules.art08_technical_assistance import exemption, exemption_question
from dualuse.rules.context import Finding, ItemContext
from dualuse.rules.national import applicable, triggered
from dualuse.rules.registry import rule

CITATION = Citation(instrument="national law of the member state",
                    text="national provisions on brokering services and technical assistance "
                         "in the law data (NL: Wet strategische diensten)",
                    instrument_title="National law")


def _facts(ctx: ItemContext, found: list[NationalProvision]) -> dict[str, object]:
    return {"member_state": ctx.tx.member_state, "listed_in_annex_i": ctx.code.listed,
            "national_provisions": [p.cited for p in found], "origin": ctx.tx.origin}


def _label(ctx: ItemContext) -> str:
    return f"National law of {ctx.cat.country(ctx.tx.member_state).name}"


def _none(ctx: ItemContext, rule_id: str, what: str) -> Finding:
    return Finding(rule_id, _label(ctx), f"no national provision of "
                   f"{ctx.tx.member_state} on {what} in the data", _facts(ctx, []),
                   decided_by=f"no national law of {ctx.tx.member_state} in the data")


@rule("national.brokering", CITATION, "National law on brokering services", ("brokering",))
def brokering(ctx: ItemContext) -> Finding:
    provisions = [p for _, p in applicable(ctx, ("brokering_services", "brokering_union_goods",
                                                 "any_brokering"))
                  if "Art. 6(3)" not in p.legal_basis_eu]
    if not provisions:
        return _none(ctx, "national.brokering", "brokering services")
    where = location(ctx)
    applied: list[str] = []
    skipped: list[str] = []
    outcomes: list[str] = []
    bases: list[str] = []
    duties: list[Obligation] = []
    for p in provisions:
        if p.effect == "obligation":
            if p.items == "annex_ii_section_i" and not (
                    ctx.code.listed and ctx.code.code
                    and ctx.cat.section_i_excluded(ctx.code.code)):
                skipped.append(f"{p.cited}: the item is not in Annex II, Section I")
                continue
            duties.append(Obligation("notification", f"{p.content[:1].upper()}{p.content[1:]}.",
                                     p.cited, p.deadline))
            applied.append(f"{p.cited}: {p.content}")
            continue
        if p.service == "brokering_services" and where in ("union", "same_country"):
            skipped.append(f"{p.cited}: not brokering services within Art. 2(7)")
            continue
        if p.service == "brokering_union_goods" and where != "union":
            skipped.append(f"{p.cited}: concerns items located in the Union"
                           + (" (where the items are was not given)" if where == "unknown"
                              else ""))
            continue
        if p.items in ("not_listed", "per_use") and ctx.code.listed:
            skipped.append(f"{p.cited}: the item is listed (Art. 6 governs)")
            continue
        uses = triggered(ctx, p)
        if not uses:
            skipped.append(f"{p.cited}: not {p.trigger} of a use under Art. {', '.join(p.uses)}")
            continue
        outcomes.append(p.effect)
        bases.append(p.cited)
        applied.append(f"{p.cited}: {p.trigger} of a use under Art. {', '.join(uses)}: "
                       f"{p.effect.replace('_', ' ')}")
        if p.effect == "notify_authority":
            duties.append(Obligation("notification", "Notify the Minister (NL: through CDIU) "
                                     "before providing the brokering services; the Minister "
                                     "decides whether they need a licence.", p.cited,
                                     "before providing the services"))
    result = "; ".join(applied) or "no national provision is triggered"
    if skipped:
        result += f" (not applying: {'; '.join(skipped)})"
    return Finding("national.brokering", _label(ctx), result, _facts(ctx, provisions),
                   outcome=most_severe(outcomes) if outcomes else None, bases=tuple(bases),
                   obligations=tuple(duties),
                   decided_by=(bases[0] if bases else
                               duties[0].provision if duties else
                               "no national provision is triggered"))


@rule("national.technical_assistance", CITATION, "National law on technical assistance",
      ("technical_assistance",))
def technical_assistance(ctx: ItemContext) -> Finding:
    provisions = [p for _, p in applicable(ctx, ("technical_assistance",))]
    if not provisions:
        return _none(ctx, "national.technical_assistance", "technical assistance")
    facts = _facts(ctx, provisions)
    triggering = [(p, triggered(ctx, p)) for p in provisions if triggered(ctx, p)]
    if not triggering:
        return Finding("national.technical_assistance", _label(ctx),
                       "; ".join(f"{p.cited}: the assistance is not stated to relate to a use "
                                 f"under Art. {', '.join(p.uses)}" for p in provisions), facts,
                       decided_by="no WMD or missile use stated")
    p, uses = triggering[0]
    point = exemption(ctx) if p.exemptions else None
    if point:
        return Finding("national.technical_assistance", _label(ctx), f"{p.cited}: the assistance "
                       f"relates to a use under Art. {', '.join(uses)}, but the ground of Art. "
                       f"8(3)({point}) applies ({p.cited.rsplit(',', 1)[0]} lifts the "
                       f"prohibition where an {p.exemptions} ground applies)",
                       {**facts, "exemption": f"8(3)({point})"},
                       decided_by=f"Art. 8(3)({point}) exemption")
    return Finding("national.technical_assistance", _label(ctx), f"{p.cited}: {p.content}; the "
                   f"assistance relates to a use under Art. {', '.join(uses)} and no Art. 8(3) "
                   f"ground was stated: {p.effect.replace('_', ' ')}", facts,
                   outcome=p.effect, bases=(p.cited,),
                   questions=(exemption_question(),) if p.exemptions else (),
                   notes=(f"Exemption: {p.derogation}.",) if p.derogation else (),
                   decided_by="WMD or missile use stated, no Art. 8(3) ground")
