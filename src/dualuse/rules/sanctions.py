"""EU sanctions bans on dual-use items (Art. 215 TFEU regulations: Russia 833/2014, Belarus
765/2006, DPRK 2017/1509, Iran 267/2012, Syria 36/2012, Myanmar 401/2013, as the law data gives
them). A ban is a prohibition; the determination cites the provision of the act that prohibits
the activity (e.g. 833/2014 Art. 2(1) for exports, Art. 2(2)(a) for technical assistance and
brokering services) and says which exceptions and derogations the act provides."""

from __future__ import annotations

from dualuse.engine.result import Question
from dualuse.law.citations import Citation
from dualuse.rules.context import Ban, Finding, ItemContext
from dualuse.rules.registry import rule

CITATION = Citation(instrument="EU restrictive measures (Art. 215 TFEU)",
                    text="Council regulations prohibiting the export of dual-use items",
                    instrument_title="EU sanctions regulations")
RULE = "sanctions.dual_use_ban"


@rule(RULE, CITATION, "EU sanctions ban on dual-use items to the destination",
      ("export", "brokering", "technical_assistance", "transit"))
def dual_use_ban(ctx: ItemContext) -> Finding:
    cited = CITATION.render()
    bans = ctx.dest.bans
    facts = {"destination": ctx.dest.iso2, "bans": [b.citation for b in bans],
             "listed_in_annex_i": ctx.code.listed}
    if not bans:
        return Finding(RULE, cited, f"no EU sanctions ban on dual-use items to {ctx.dest.name} "
                       f"({ctx.dest.iso2}) on {ctx.tx.as_of.isoformat()}", facts,
                       decided_by=f"no sanctions ban on {ctx.dest.name}")
    if not ctx.code.listed:
        # The goods lists of Russia, Belarus and Iran are checked by sanctions.goods_lists.
        goods = ctx.dest.goods.regime is not None
        return Finding(RULE, cited, "the bans in the data cover dual-use items of Annex I; this "
                       "item is not listed" + (" (the goods lists beyond Annex I are checked by "
                       "CN code)" if goods else " (other annexes of the sanctions acts are not "
                       "automated: check them)"), facts,
                       notes=() if goods else (
                           f"{ctx.dest.name}: EU sanctions also list goods beyond Annex I "
                           f"({', '.join(b.citation for b in bans)}); check them.",),
                       decided_by="not listed in Annex I")
    military = {"military_end_use"} & (ctx.tx.informed_of | ctx.tx.aware_of)
    prohibiting = [b for b in bans if b.scope != "military_end_use" or military]
    if prohibiting:
        activity = ctx.tx.activity
        pins = tuple(dict.fromkeys(b.cited_for(activity) for b in prohibiting))
        return Finding(
            RULE, pins[0],
            f"prohibited: {', '.join(pins)} prohibits the "
            f"{activity.replace('_', ' ')} of dual-use items to {ctx.dest.name}" + (
                " for a military end-use" if all(
                    b.scope == "military_end_use" for b in prohibiting) else ""),
            {**facts, "scope": [b.scope for b in prohibiting],
             "exceptions": [b.exceptions for b in prohibiting if b.exceptions]},
            outcome="prohibited", bases=pins,
            blocks_ugea="an EU sanctions ban prohibits the export",
            notes=tuple(_derogations(b) for b in prohibiting if b.derogations or b.exceptions),
            decided_by=f"sanctions ban on {ctx.dest.name}",
        )
    return Finding(
        RULE, bans[0].citation,
        f"{bans[0].citation} bans dual-use items to {ctx.dest.name} only for a military end-use "
        f"or military end-users; none was stated", facts,
        decided_by="no military end-use stated",
        questions=tuple(Question(
            "sanctions.military_end_user",
            f"Are the items for a military end-use or a military end-user in {ctx.dest.name}? "
            f"If so {b.citation} prohibits them.", b.citation) for b in bans),
    )


def _derogations(ban: Ban) -> str:
    """A prohibition is not the last word: the act's exceptions apply by themselves (declared),
    its derogations are authorisations the competent authority may grant."""
    if not ban.derogations:
        return f"{ban.citation}: exceptions and derogations: {ban.exceptions}"
    parts = [f"{kind} under {cited}: {text}" for kind, text, cited in ban.derogations]
    return (f"The prohibition has exceptions and derogations (check whether one applies "
            f"before concluding): {'; '.join(parts)}.")
