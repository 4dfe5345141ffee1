"""EU007 (Annex II, Section G): intra-group export of software and technology.

To a wholly owned and controlled subsidiary or a sister company, parents established in a member
state or an EU001 country; for the group's own commercial product development; under the
exporter's complete control, returned and deleted at the end; the exporter implements an ICP
(Art. 2(21)) and registers before first use (Parts 2-3).
"""

from __future__ import annotations

from dualuse.rules.annex_ii.common import UgeaQuestion, UgeaRule, register, section

RULE = register(UgeaRule(
    "EU007", section("G", "EU007"), circumstance="intra_group",
    questions=(
        UgeaQuestion("EU007.group_relationship",
                     "Is the exporter a legal person established in a member state, and the "
                     "consignee its wholly owned and controlled subsidiary or a sister company "
                     "(with the parent's binding compliance guarantee), the parents being "
                     "established in a member state or an EU001 country?"),
        UgeaQuestion("EU007.commercial_development_only",
                     "Is the software or technology used exclusively for the group's commercial "
                     "product development, under the exporter's complete control, not shared, "
                     "and returned and deleted when development ends?"),
        UgeaQuestion("EU007.icp",
                     "Has the exporter implemented an internal compliance programme (Art. "
                     "2(21))?"),
    ),
))
