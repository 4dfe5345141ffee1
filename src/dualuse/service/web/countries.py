"""Countries as people type them: a name in Dutch or English, an ISO code, or a picker's
"Germany (DE)", resolved on the server to the ISO 3166-1 alpha-2 code the law data knows.

A name is never cut to two letters ("Germany" is DE, never GE, Georgia); what cannot be resolved
is refused with the nearest names. English names are the law data's own (what the engine's notes
say); Dutch names are CLDR's (Babel).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from babel import Locale
from django.utils.translation import get_language

from dualuse.errors import UnknownCountryError
from dualuse.law import load_law

LANGUAGES = ("en", "nl")
# Codes people use that ISO 3166-1 does not: the EU's own for Greece, the common one for the UK.
ALIASES = {"el": "GR", "uk": "GB"}
_MAX_COMMAS = 2  # the most commas a country's name holds ("Saint Helena, Ascension and ...")
_PICKED = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2})\)\s*$")


def fold(text: str) -> str:
    """What two spellings of one name share: no accents, case, punctuation or extra spaces."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


@lru_cache(maxsize=4)
def names(language: str) -> dict[str, str]:
    """ISO code -> the country's name in `language` (en or nl), for every country of the law."""
    countries = load_law().data.countries
    if language.startswith("nl"):
        cldr = Locale("nl").territories
        return {iso2: cldr.get(iso2, c.name) for iso2, c in countries.items()}
    return {iso2: c.name for iso2, c in countries.items()}


def country_name(iso2: str | None, language: str | None = None) -> str:
    """The name of a code in the reader's language; an unknown code is shown as given."""
    if not iso2:
        return ""
    code = str(iso2).strip().upper()
    return names(_language(language)).get(code, code)


def label(iso2: str, language: str | None = None) -> str:
    """How a picker shows a country: "Germany (DE)"."""
    return f"{country_name(iso2, language)} ({iso2})"


def label_list(codes: Iterable[str], language: str | None = None) -> str:
    return ", ".join(label(c, language) for c in codes if c)


def options(language: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of every country, in the reader's alphabetical order."""
    lang = _language(language)
    return sorted(((c, label(c, lang)) for c in names(lang)), key=lambda x: fold(x[1]))


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Folded name or code -> ISO code. A spelling two countries share is left out."""
    countries = load_law().data.countries
    cldr = {lang: Locale(lang).territories for lang in LANGUAGES}
    found: dict[str, set[str]] = {}
    for iso2, c in countries.items():
        spellings = [iso2, c.iso3, c.name, c.official_name or ""]
        spellings += [cldr[lang].get(iso2, "") for lang in LANGUAGES]
        for s in spellings:
            if s:
                found.setdefault(fold(s), set()).add(iso2)
    for alias, iso2 in ALIASES.items():
        found.setdefault(alias, set()).add(iso2)
    return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}


def resolve_country(text: str, *, field: str = "country") -> str:
    """The ISO code for what someone typed or picked; UnknownCountryError naming the field (with
    the nearest names) when it is no country of the law data."""
    raw = str(text or "").strip()
    picked = _PICKED.match(raw)
    if picked:
        code = picked["code"].upper()
        if code not in load_law().data.countries:
            raise _unknown(raw, field)
        name = picked["name"].strip()
        named = _index().get(fold(name)) if name else code
        if named is None:
            raise _unknown(raw, field)
        if named != code:
            raise UnknownCountryError(f"{name!r} is {label(named)}, not {code}", field=field)
        return code
    found = _index().get(fold(raw))
    if found is None:
        raise _unknown(raw, field)
    return found


def resolve_countries(values: str | Iterable[str], *, field: str = "countries") -> list[str]:
    """Several countries, comma-, semicolon- or line-separated (or a list), each resolved; the
    same country twice counts once. A name with a comma of its own ("Virgin Islands, British")
    is read whole."""
    if isinstance(values, str):
        fragments = [f for part in re.split(r"[;\n]", values) for f in part.split(",")]
    else:
        fragments = [f for v in values for f in str(v).split(",")]
    fragments = [f.strip() for f in fragments if f.strip()]
    out: list[str] = []
    i = 0
    while i < len(fragments):
        for j in range(min(len(fragments), i + _MAX_COMMAS + 1), i, -1):
            try:
                code = resolve_country(", ".join(fragments[i:j]), field=f"{field}[{len(out)}]")
            except UnknownCountryError:
                if j == i + 1:
                    raise
                continue
            if code not in out:
                out.append(code)
            i = j
            break
    return out


def _unknown(raw: str, field: str) -> UnknownCountryError:
    if not raw:
        return UnknownCountryError("choose a country", field=field)
    index = _index()
    near = difflib.get_close_matches(fold(raw), list(index), n=3, cutoff=0.7)
    hint = ""
    if near:
        hint = "; did you mean " + " or ".join(dict.fromkeys(label(index[k]) for k in near)) + "?"
    return UnknownCountryError(f"unknown country {raw!r}{hint}", field=field)


def _language(language: str | None) -> str:
    lang = (language or get_language() or "en").lower()
    return "nl" if lang.startswith("nl") else "en"
