"""EU008 (Annex II, Section H): encryption items of Part 1 to all destinations except the EU001
destinations, those named in Part 2(b) and those under an arms embargo or Union restrictive
measures on dual-use items (Part 2(c)); items using only published or commercial cryptographic
standards, not government standards, whose cryptographic functionality the user cannot easily
change, and not accredited or classified for EU RESTRICTED information or above."""

from __future__ import annotations

from dualuse.rules.annex_ii.common import UgeaQuestion, UgeaRule, register, section

RULE = register(UgeaRule(
    "EU008", section("H", "EU008"),
    questions=(
        UgeaQuestion("EU008.published_standards",
                     "Does the item use only published or commercial cryptographic standards "
                     "approved or adopted by internationally recognised standard bodies, none "
                     "specially designed for government use (e.g. TETRA, TETRAPOL, P25)?"),
        UgeaQuestion("EU008.not_user_changeable",
                     "Is the cryptographic functionality of the item not easily changeable by "
                     "the user?"),
        UgeaQuestion("EU008.not_classified",
                     "Is the item neither accredited or approved (or in the process) to handle "
                     "classified information at RESTREINT UE/EU RESTRICTED or above, nor "
                     "classified with such a marking?"),
    ),
))
