"""EU002 (Annex II, Section B): exports of certain dual-use items (the items of Part 1) to
Argentina, South Africa, South Korea and Turkey."""

from __future__ import annotations

from dualuse.rules.annex_ii.common import UgeaRule, register, section

RULE = register(UgeaRule("EU002", section("B", "EU002")))
