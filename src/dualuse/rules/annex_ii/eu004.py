"""EU004 (Annex II, Section D): temporary export for an exhibition or fair.

The items return complete and unmodified within 120 days; not for a private presentation, a
commercial transaction, a production process, use beyond demonstration, or storage for sale
only; the exporter keeps them under control throughout (Part 3).
"""

from __future__ import annotations

from datetime import timedelta

from dualuse.rules.annex_ii.common import UgeaQuestion, UgeaRule, answered_date, register, section
from dualuse.rules.context import ItemContext

REIMPORT_DAYS = 120


def _within_120_days(ctx: ItemContext, uid: str) -> bool | None:
    back = answered_date(ctx, "EU004.reimport_date")
    if back is None:
        return None
    return ctx.tx.as_of <= back <= ctx.tx.as_of + timedelta(days=REIMPORT_DAYS)


RULE = register(UgeaRule(
    "EU004", section("D", "EU004"), circumstance="exhibition",
    questions=(
        UgeaQuestion("EU004.reimport_within_120_days",
                     "Will the items be reimported complete and unmodified within 120 days of "
                     "the export? (or give answers.EU004.reimport_date)", check=_within_120_days),
        UgeaQuestion("EU004.public_exhibition",
                     "Is it an exhibition or fair (a commercial event of a specific duration "
                     "with several exhibitors) where the items are presented or demonstrated, "
                     "not a private presentation and not storage for sale only?",
                     covers=("private_presentation", "stored_for_sale_only")),
        UgeaQuestion("EU004.no_commercial_transaction",
                     "Is the export free of any commercial transaction (sale, rental, lease)?",
                     covers=("commercial_transaction",)),
        UgeaQuestion("EU004.demonstration_only",
                     "Will the items not be merged into a production process, nor used beyond "
                     "the minimum for an effective demonstration, with no test outputs given to "
                     "third parties?", covers=("merged_into_production",
                                              "used_for_intended_purpose")),
        UgeaQuestion("EU004.return_intact",
                     "Can the return in the original state, without removal, copying or "
                     "dissemination of any component or software, be guaranteed, with no "
                     "transfer of technology connected with the presentation?",
                     covers=("return_not_guaranteed_or_technology_transfer",)),
        UgeaQuestion("EU004.kept_under_control",
                     "Will the exporter keep the items under its control during the whole "
                     "temporary export?", covers=("loss_of_control",)),
    ),
))
