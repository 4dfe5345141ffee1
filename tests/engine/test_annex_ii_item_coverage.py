"""Annex II item lists as the engine (and `dualuse law show`) reads them."""

from __future__ import annotations

from datetime import date

from dualuse.law import load_law
from dualuse.rules.annex_ii.coverage import item_coverage

NOW = load_law().as_of(date(2026, 6, 1))


def _cover(code: str) -> dict[str, tuple[str, str]]:
    return {c.ugea: (c.status, " ".join(c.reasons)) for c in item_coverage(NOW, code)}


def test_item_lists_section_i_and_whole_sections() -> None:
    assert _cover("5A002.a.1")["EU001"][0] == "covered"
    status, reason = _cover("1C351.d.4")["EU001"]
    assert status == "excluded" and "Section I" in reason
    assert _cover("1C010.a")["EU002"][0] == "excluded"
    assert _cover("3A001.a.3")["EU002"][0] == "covered"
    status, reason = _cover("9E003.a")["EU003"]
    assert status == "excluded" and "Sections D and E" in reason
    assert _cover("9A001")["EU007"][0] == "excluded"
