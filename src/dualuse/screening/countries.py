"""Country names as lists write them ('Russian Federation', 'IRAN', 'Korea, North', 'RU') to
ISO 3166-1 alpha-2, using the law's own country table (`dualuse.law.loader.load_countries`)."""

from __future__ import annotations

from functools import lru_cache

from dualuse.law.loader import load_countries
from dualuse.screening.text import fold

# Names lists use that the ISO table does not spell that way.
_EXTRA = {
    "russia": "RU", "iran": "IR", "syria": "SY", "north korea": "KP", "korea north": "KP",
    "democratic peoples republic of korea": "KP", "dprk": "KP", "south korea": "KR",
    "korea south": "KR", "republic of korea": "KR", "burma": "MM", "myanmar": "MM",
    "congo democratic republic of the": "CD", "democratic republic of the congo": "CD",
    "drc": "CD", "congo": "CG", "republic of the congo": "CG", "ivory coast": "CI",
    "cote d ivoire": "CI", "uk": "GB", "united kingdom": "GB", "great britain": "GB",
    "usa": "US", "united states of america": "US", "united states": "US", "laos": "LA",
    "vietnam": "VN", "viet nam": "VN", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "moldova": "MD", "taiwan": "TW", "palestinian": "PS", "palestine": "PS", "west bank": "PS",
    "gaza": "PS", "gaza strip": "PS", "kosovo": "XK", "turkey": "TR", "turkiye": "TR",
    "czech republic": "CZ", "macedonia": "MK", "swaziland": "SZ", "cape verde": "CV",
    "brunei": "BN", "vatican": "VA", "crimea": "UA", "soviet union": "SU", "ussr": "SU",
}


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in load_countries().values():
        table[country.iso2.lower()] = country.iso2
        table[country.iso3.lower()] = country.iso2
        for name in (country.name, country.official_name):
            if name:
                table[fold(name)] = country.iso2
    table.pop("", None)
    table.update(_EXTRA)
    return table


@lru_cache(maxsize=4096)
def country_code(value: str) -> str:
    """ISO alpha-2 for a country name or code; the folded text itself if unknown."""
    key = fold(value)
    if not key:
        return ""
    return _table().get(key, key.upper() if len(key) == 2 else key)
