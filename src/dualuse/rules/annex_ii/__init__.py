"""Annex II: the Union general export authorisations EU001-EU008, one module each."""

from dualuse.rules.annex_ii import eu001, eu002, eu003, eu004, eu005, eu006, eu007, eu008
from dualuse.rules.annex_ii.common import ugea_rules

__all__ = ["eu001", "eu002", "eu003", "eu004", "eu005", "eu006", "eu007", "eu008", "ugea_rules"]
