"""Duties on exports to third countries of goods the Russia and Belarus sanctions list:

- Regulation (EU) No 833/2014 Art. 12g(1) (the 'no Russia' clause): exporting common high
  priority items (Annex XL) to a third country other than a partner country (Annex VIII), the
  exporter contractually prohibits re-exportation to Russia; Art. 12g(2)(a) exempts the execution
  of contracts for the machine tools it names;
- Art. 12gb(1): due diligence for those who sell common high priority items, except only within
  the Union or to partner countries (12gb(2)), as of 26 December 2024;
- Art. 2a(1aa): an authorisation for Annex VII goods to any third country once the competent
  authority has informed the exporter that they are or may be intended for Russia (answer
  `sanctions.RU.2a(1aa)`: true);
- Regulation (EC) No 765/2006 Arts 8g(1) and 8ga(1) likewise for Belarus (Annex XXX; the exempt
  countries of Annex Vba are not bundled, so the duty is shown with that caveat).
"""

from __future__ import annotations

from dualuse.engine.result import Obligation
from dualuse.law.citations import Citation
from dualuse.rules.context import Finding, ItemContext
from dualuse.rules.registry import rule
from dualuse.rules.sanctions_goods.destination import analyse, facts_of
from dualuse.rules.sanctions_goods.facts import DutyCheck, RegimeCheck

CITATION = Citation(instrument="EU restrictive measures (Art. 215 TFEU)",
                    text="duties on exports to third countries of goods listed by the Russia "
                         "and Belarus sanctions (833/2014 Arts 2a(1aa), 12g, 12gb; 765/2006 "
                         "Arts 8g, 8ga)",
                    instrument_title="EU sanctions: third-country duties")
RULE = "sanctions.third_country_duties"
_COUNTRY = {"RU": "Russia", "BY": "Belarus"}


def informed_id(regime: str) -> str:
    return f"sanctions.{regime}.2a(1aa)"


@rule(RULE, CITATION, "EU sanctions duties on exports of listed goods to third countries",
      ("export",))
def third_country_duties(ctx: ItemContext) -> Finding:
    goods = facts_of(ctx)
    facts: dict[str, object] = {"destination": ctx.dest.iso2, "cn_code": ctx.item.cn_code}
    results: list[str] = []
    obligations: list[Obligation] = []
    notes: list[str] = []
    bases: list[str] = []
    if ctx.dest.goods.regime is not None:
        a = analyse(ctx)
        if a is not None and (a.prohibited or a.dual_use_banned):
            return Finding(RULE, CITATION.render(), f"the export to {ctx.dest.name} is "
                           f"prohibited: duties on exports to third countries are moot", facts,
                           decided_by="the export is prohibited")
    if goods.cn_code is None:
        duties = [d.citation for rc in goods.regimes if ctx.dest.goods.regime != rc.regime
                  for d in rc.duties if d.kind != "informed_authorisation"
                  and ctx.dest.goods.is_partner(rc.regime) is not True]
        if duties:
            notes.append(f"Give the items' CN codes (items[].cn_code) to check the duties on "
                         f"exports of common high priority items to third countries: "
                         f"{'; '.join(duties)}.")
        return Finding(RULE, CITATION.render(), "the CN code was not given: the duties on "
                       "exports of listed goods to third countries could not be checked", facts,
                       notes=tuple(notes), decided_by="no CN code given")
    for rc in goods.regimes:
        if not rc.duties or ctx.dest.goods.regime == rc.regime:
            continue  # exports to the sanctioned country itself: its prohibitions apply
        partner = ctx.dest.goods.is_partner(rc.regime)
        for duty in rc.duties:
            _duty(ctx, rc, duty, partner, results, obligations, notes, bases)
    if not results:
        results.append("no duty on exports to third countries applies")
    if bases:
        return Finding(RULE, bases[0], "; ".join(results), facts,
                       outcome="authorisation_required", bases=tuple(bases),
                       obligations=tuple(obligations), notes=tuple(notes),
                       blocks_ugea="the competent authority requires an individual "
                                   "authorisation (Regulation (EU) No 833/2014, Art. 2a(1aa))",
                       decided_by="informed by the competent authority (Art. 2a(1aa))")
    decided = ("common high priority item to a third country" if obligations else
               "no duty for this code and destination")
    return Finding(RULE, CITATION.render(), "; ".join(results), facts,
                   obligations=tuple(obligations), notes=tuple(notes), decided_by=decided)


def _duty(ctx: ItemContext, rc: RegimeCheck, duty: DutyCheck, partner: bool | None,
          results: list[str], obligations: list[Obligation], notes: list[str],
          bases: list[str]) -> None:
    country = _COUNTRY.get(rc.regime, rc.regime)
    cited = duty.citation
    goods = facts_of(ctx)
    if duty.kind == "informed_authorisation":
        listed = [h for h in duty.hits if not h.ex]
        if ctx.tx.answers.get(informed_id(rc.regime)) is True:
            if goods.cn_code is not None and not listed:
                results.append(f"{cited}: you state that the competent authority informed you "
                               f"the items may be intended for {country}, but CN "
                               f"{goods.printed} is not in Annex VII, Part B (Part A by "
                               f"description: check it)")
                return
            bases.append(cited)
            results.append(f"{cited}: informed by the competent authority that the Annex VII "
                           f"goods are or may be intended for {country}: authorisation required")
            return
        if listed:
            notes.append(f"{cited}: CN {goods.printed} is listed in Annex VII; if the competent "
                         f"authority informs you that the items are or may be intended for "
                         f"{country}, an authorisation is required (answer "
                         f"{informed_id(rc.regime)}: true).")
        return
    if partner is True:
        results.append(f"{cited} does not apply: {ctx.dest.name} is a partner country "
                       f"(Annex VIII)")
        return
    if duty.list_version is None:
        notes.append(f"{cited}: the list it refers to is not bundled for "
                     f"{goods.day.isoformat()}: check whether CN {goods.printed} is in it.")
        return
    if not duty.hits:
        if duty.not_bundled:
            notes.append(f"{cited} also covers {duty.not_bundled} (not bundled): if the item is "
                         f"among them, it applies.")
        results.append(f"{cited}: CN {goods.printed} is not a common high priority item "
                       f"({duty.list_version})")
        return
    entries = ", ".join(h.entry for h in duty.hits)
    if not duty.applies and duty.applies_from is not None:
        results.append(f"{cited} applies as of {duty.applies_from.isoformat()}")
        return
    caveat = ""
    if partner is None:
        caveat = (f" (unless {ctx.dest.name} is one of the countries the Regulation exempts; "
                  f"that list, Annex Vba to Regulation (EC) No 765/2006, is not bundled)")
    if duty.kind == "no_reexport_clause":
        if duty.execution_exempt:
            results.append(f"{cited}: CN {goods.printed} ({entries}) is a common high priority "
                           f"item, but paragraph 2(a) exempts the execution of contracts for it")
            return
        results.append(f"{cited}: CN {goods.printed} falls under {entries}, a common high "
                       f"priority item: the contract must prohibit re-exportation to {country}"
                       f"{caveat}")
        obligations.append(Obligation(
            "contractual_clause",
            f"Contractually prohibit re-exportation to {country} and re-exportation for use in "
            f"{country}, with adequate remedies in case of breach, and inform the competent "
            f"authority as soon as you become aware of a breach{caveat}. Public contracts with a "
            f"public authority of a third country or an international organisation are exempt "
            f"(inform the competent authority of them within 2 weeks).", cited,
            "in the contract of sale"))
    elif duty.kind == "due_diligence":
        results.append(f"{cited}: CN {goods.printed} ({entries}) is a common high priority "
                       f"item sold outside the Union: due diligence required{caveat}")
        obligations.append(Obligation(
            "due_diligence",
            f"Identify, assess and document the risks of exportation to {country} and for use in "
            f"{country} of the common high priority items, and implement policies, controls and "
            f"procedures to mitigate them; ensure that entities you own or control outside the "
            f"Union do the same{caveat}.", cited))

