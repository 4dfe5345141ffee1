"""Secondary evidence that raises or lowers a name score: birth date, country, identifiers,
entity kind and legal form. Each returns (effect on the score, explanation) or None when it has
nothing to say (one side lacks the fact)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dualuse.screening.countries import country_code

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})[./ -](\d{1,2})[./ -](\d{4})$")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_DMONY = re.compile(r"^(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{4})$")
_IDENT = re.compile(r"[^0-9A-Z]+")

Effect = tuple[float, dict[str, object]]


def normalise_date(value: str) -> str | None:
    """An ISO date prefix ('1971', '1971-05', '1971-05-03') from the forms lists use; None if
    the text holds no usable date. Zero day or month ('00/00/1980') means unknown."""
    text = value.strip().lower()
    if not text:
        return None
    m = _DATE.match(text)
    if m:
        y, mo, d = m.groups()
    else:
        m2 = _DMY.match(text)
        if m2:
            d, mo, y = m2.groups()
        else:
            m3 = _DMONY.match(text)
            if not m3 or m3.group(2) not in _MONTHS:
                found = re.search(r"\b(1[89]\d\d|20\d\d)\b", text)
                return found.group(1) if found else None
            d, mo, y = m3.group(1), str(_MONTHS[m3.group(2)]), m3.group(3)
    if not mo or int(mo) == 0 or int(mo) > 12:
        return y
    if not d or int(d) == 0 or int(d) > 31:
        return f"{y}-{int(mo):02d}"
    return f"{y}-{int(mo):02d}-{int(d):02d}"


def birth_date_effect(query: str | None, listed: Iterable[str]) -> Effect | None:
    if not query:
        return None
    q = normalise_date(query)
    dates = [d for d in listed if d]
    if not q or not dates:
        return None
    qparts = q.split("-")
    best = -1.0
    for d in dates:
        parts = d.split("-")
        if parts[0] != qparts[0]:
            try:
                if abs(int(parts[0]) - int(qparts[0])) <= 1:
                    best = max(best, -0.1)  # off by one year: a common transcription slip
            except ValueError:
                pass
            continue
        common = min(len(parts), len(qparts))
        if parts[:common] == qparts[:common]:
            best = max(best, 0.05 if common == 3 else 0.03)
        else:
            best = max(best, -0.12)
    effect = best if best > -1.0 else -0.2
    return effect, {"query": q, "list": dates[:5]}


def country_effect(query: str | None, listed: Iterable[str]) -> Effect | None:
    if not query:
        return None
    codes = {country_code(c) for c in listed if c}
    codes.discard("")
    if not codes:
        return None
    q = country_code(query)
    effect = 0.03 if q in codes else -0.1
    return effect, {"query": q, "list": sorted(codes)[:8]}


def normalise_identifier(value: str) -> str:
    return _IDENT.sub("", value.upper())


def identifier_effect(query: Iterable[str], listed: Iterable[str], score: float) -> Effect | None:
    q = {normalise_identifier(x) for x in query}
    q = {x for x in q if len(x) >= 5}
    if not q:
        return None
    listed_norm = {normalise_identifier(x) for x in listed}
    hit = q & listed_norm
    if hit:
        return (1.0 - score) * 0.7, {"matched": sorted(hit)}
    q_imo = {x for x in q if x.startswith("IMO")}
    l_imo = {x for x in listed_norm if x.startswith("IMO")}
    if q_imo and l_imo:
        return -0.2, {"query": sorted(q_imo), "list": sorted(l_imo)}
    return None


_COMPATIBLE = {
    ("Person", "Organization"): False,
    ("Person", "Vessel"): False,
    ("Person", "Aircraft"): False,
    ("Organization", "Vessel"): False,
    ("Organization", "Aircraft"): False,
    ("Vessel", "Aircraft"): False,
}


def schema_effect(query: str | None, listed: str, score: float) -> Effect | None:
    if not query or query == "LegalEntity" or listed == "LegalEntity" or query == listed:
        return None
    key = (query, listed) if (query, listed) in _COMPATIBLE else (listed, query)
    if _COMPATIBLE.get(key, True):
        return None
    return -0.3 * score, {"query": query, "list": listed}


def legal_form_effect(query: frozenset[str], listed: frozenset[str]) -> Effect | None:
    q = query - {"company"}
    c = listed - {"company"}
    if not q or not c or q & c:
        return None
    return -0.35, {"query": sorted(q), "list": sorted(c)}
