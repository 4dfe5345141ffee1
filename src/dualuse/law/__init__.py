"""The law as typed, dated, cited data (pure core).

    from datetime import date
    from dualuse.law import load_law
    law = load_law()                       # bundled data, loaded once
    cat = law.as_of(date(2026, 6, 1))      # CoverageError outside the data's coverage
    cat.entry("5A002.a.1"); cat.ancestors("5A002.a.1"); cat.definitions_for("5A002.a.1")
    cat.notes_for("5A002.a.1")             # includes the Cryptography Note (Cat. 5 Part 2)
    cat.annex_iv("1C239"); cat.ugea("EU001").covers_destination("US")
    cat.section_i_exclusion("0C001")   # UGEA item coverage: dualuse.rules.annex_ii.coverage
    cat.arms_embargo("RU"); cat.sanctions_bans("RU"); cat.national_measures("NL")
    law.article("4(1)").text

Every record carries its `validity`, `citation` (render with `.render()`), and the law's
`data_version` names the bundled data in every determination.
"""

from dualuse.law.catalogue import UGEA_IDS, Catalogue, Law, load_law
from dualuse.law.citations import Citation, Instrument, regulation
from dualuse.law.model import (
    AnnexIVersion,
    AnnexIVListing,
    ArmsEmbargo,
    ArticleText,
    Country,
    Definition,
    Entry,
    ItemRef,
    NationalMeasure,
    NoteDocument,
    SanctionsBan,
    SectionIExclusion,
    Ugea,
    UgeaCondition,
    Validity,
)

__all__ = [
    "UGEA_IDS", "AnnexIVListing", "AnnexIVersion", "ArmsEmbargo", "ArticleText", "Catalogue",
    "Citation", "Country", "Definition", "Entry", "Instrument", "ItemRef", "Law",
    "NationalMeasure", "NoteDocument", "SanctionsBan", "SectionIExclusion", "Ugea",
    "UgeaCondition", "Validity", "load_law", "regulation",
]
