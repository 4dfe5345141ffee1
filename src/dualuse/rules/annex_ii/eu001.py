"""EU001 (Annex II, Section A): exports to Australia, Canada, Iceland, Japan, New Zealand,
Norway, Switzerland (with Liechtenstein), the United Kingdom and the United States. No condition
beyond the exclusions turns on facts outside the input."""

from __future__ import annotations

from dualuse.rules.annex_ii.common import UgeaRule, register, section

RULE = register(UgeaRule("EU001", section("A", "EU001")))
