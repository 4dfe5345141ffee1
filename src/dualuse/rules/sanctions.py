"""EU sanctions bans on dual-use items (Art. 215 TFEU regulations: Russia 833/2014, Belarus
765/2006, DPRK 2017/1509, Iran 267/2012, Syria 36/2012, Myanmar 401/2013, as the law data gives
them). A ban is a prohibition; the determination cites the act the data names."""

from __future__ import annotations

from dualuse.engine.result import Question
from dualuse.law.citations import Citation
from dualuse.rules.context import Finding, ItemContext
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
        return Finding(RULE, cited, f"no EU sanctions ban on dual-use items to {ctx.dest.iso2} "
                       f"on {ctx.tx.as_of.isoformat()}", facts)
    if not ctx.code.listed:
        return Finding(RULE, cited, "the bans in the data cover dual-use items of Annex I; this "
                       "item is not listed (other annexes of the sanctions acts are not "
                       "automated: check them)", facts,
                       notes=(f"{ctx.dest.name}: EU sanctions also list goods beyond Annex I "
                              f"({', '.join(b.citation for b in bans)}); check them.",))
    military = {"military_end_use"} & (ctx.tx.informed_of | ctx.tx.aware_of)
    prohibiting = [b for b in bans if b.scope != "military_end_use" or military]
    if prohibiting:
        return Finding(
            RULE, prohibiting[0].citation,
            f"prohibited: {', '.join(b.citation for b in prohibiting)} bans dual-use items to "
            f"{ctx.dest.name}" + (" for a military end-use" if all(
                b.scope == "military_end_use" for b in prohibiting) else ""),
            {**facts, "scope": [b.scope for b in prohibiting],
             "exceptions": [b.exceptions for b in prohibiting if b.exceptions]},
            outcome="prohibited", bases=tuple(b.citation for b in prohibiting),
            blocks_ugea="an EU sanctions ban prohibits the export",
        )
    return Finding(
        RULE, bans[0].citation,
        f"{bans[0].citation} bans dual-use items to {ctx.dest.name} only for a military end-use "
        f"or military end-users; none was stated", facts,
        questions=tuple(Question(
            "sanctions.military_end_user",
            f"Are the items for a military end-use or a military end-user in {ctx.dest.name}? "
            f"If so {b.citation} prohibits them.", b.citation) for b in bans),
    )
