"""EU006 (Annex II, Section F): Chemicals of Part 1 to the destinations of Part 2."""

from __future__ import annotations

from dualuse.rules.annex_ii.common import UgeaRule, register, section

RULE = register(UgeaRule("EU006", section("F", "EU006")))
