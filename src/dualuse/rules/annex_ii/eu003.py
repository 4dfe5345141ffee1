"""EU003 (Annex II, Section C): export after repair or replacement.

Only for items reimported for maintenance, repair or replacement and exported back to the country
of consignment (or exchanged for same-quality items) within five years of the original
authorisation, to the original end-user, the initial export having been authorised (by a UGEA or
by the member state of the original exporter) and that authorisation not annulled, suspended,
modified or revoked (Part 3).
"""

from __future__ import annotations

from datetime import date

from dualuse.rules.annex_ii.common import UgeaQuestion, UgeaRule, answered_date, register, section
from dualuse.rules.context import ItemContext

WINDOW_YEARS = 5


def _within_window(ctx: ItemContext, uid: str) -> bool | None:
    granted = answered_date(ctx, "EU003.original_authorisation_date")
    if granted is None:
        return None
    try:
        limit = granted.replace(year=granted.year + WINDOW_YEARS)
    except ValueError:  # 29 February
        limit = date(granted.year + WINDOW_YEARS, 3, 1)
    return granted <= ctx.tx.as_of <= limit


RULE = register(UgeaRule(
    "EU003", section("C", "EU003"), circumstance="return_after_repair",
    questions=(
        UgeaQuestion("EU003.within_5_years",
                     "Does the export take place within five years after the date the original "
                     "export authorisation was granted? (or give "
                     "answers.EU003.original_authorisation_date)", check=_within_window),
        UgeaQuestion("EU003.initial_export_authorised",
                     "Did the initial export take place under a UGEA or under an export "
                     "authorisation granted by the member state where the original exporter was "
                     "established, and is that authorisation still in force (not annulled, "
                     "suspended, modified or revoked)?",
                     covers=("initial_authorisation_annulled",)),
        UgeaQuestion("EU003.original_end_user",
                     "Are the items returned to the original end-user in the country from which "
                     "they were reimported?"),
        UgeaQuestion("EU003.unchanged",
                     "Are the items exported without changes to their original characteristics "
                     "(or in exchange for items of the same quality and number)?"),
    ),
))
