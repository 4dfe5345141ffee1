"""Hypothesis strategies: transactions over real codes and countries of the bundled law."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from dualuse.law import load_law

_CAT = load_law().as_of(date(2026, 6, 1))
# A spread of real codes: every UGEA's items, Annex IV, Section I, plain listed ones, "Not used".
CODES = sorted({
    "5A002.a.1", "5A002.a.2", "5A002.a", "5D002.c.1", "5E002.a", "5A004.a", "5A001.c",
    "5A001.b.2", "5E001.a", "5A001.j", "1A001", "1C003.b", "3A001.a.3", "1C350.1", "1C350.4",
    "1C450.a.4", "1C351.a", "0A001", "0C001", "1C239", "9E001", "2B001", "2D001", "2E001",
    "4D004", "6A001", "6A002", "9A011", "9A012", "3B501.m", "8A001.c.1.c", "1C010.a",
    *[e.code for e in _CAT.entries()[::97]],
})
THIRD = ["US", "JP", "NO", "CH", "GB", "AR", "KR", "TR", "ZA", "CN", "IN", "BR", "SG", "AE",
         "UA", "IL", "PK", "RU", "BY", "IR", "KP", "SY", "MM", "VE", "IQ", "SS", "HT", "AM",
         "EG", "MX"]
MEMBERS = ["NL", "DE", "FR", "BE", "ES", "IT", "LT", "FI", "PL"]
USES = ["wmd", "military_end_use", "illegal_military_parts", "human_rights"]
CIRCS = ["return_after_repair", "exhibition", "intra_group", "free_zone"]
DATES = [date(2023, 1, 12), date(2024, 6, 1), date(2025, 7, 20), date(2025, 9, 29),
         date(2025, 9, 30), date(2025, 10, 24), date(2025, 11, 14), date(2025, 11, 15),
         date(2026, 6, 1)]
# CN codes against the sanctions goods lists: Annex VII Part B (8542 31 90, 8466 93 90), a
# heading (8466) and a chapter (25) of Annex XXIII, its 'ex' entries (8421 31 00; 4011 except
# 4011 30 00), Annex XXIIIG (2501 00 91), Art. 3k(3ak) (6902 10 00), Art. 3k(5a) (8417 20 10),
# common high priority items (8482 10 10), Iran's Annex II (8532 21 00, ex 9006 30 00), none.
CN_CODES = ["85423190", "84669390", "84662090", "25309000", "84213100", "40113000", "40111000",
            "25010091", "69021000", "84172010", "84821010", "85322100", "90063000", "01012100"]


def _known(code: str | None, day: date) -> bool:
    return code is None or load_law().as_of(day).has_code(code)


@st.composite
def items(draw: st.DrawFn, day: date) -> dict[str, Any]:
    code = draw(st.one_of(st.none(), st.sampled_from(CODES)).filter(lambda c: _known(c, day)))
    return {"control_code": code, "cyber_surveillance": draw(st.booleans()),
            "cn_code": draw(st.one_of(st.none(), st.sampled_from(CN_CODES)))}


@st.composite
def transactions(draw: st.DrawFn, activities: tuple[str, ...] = (
        "export", "transfer", "brokering", "technical_assistance", "transit")) -> dict[str, Any]:
    day = draw(st.sampled_from(DATES))
    activity = draw(st.sampled_from(activities))
    ms = draw(st.sampled_from(MEMBERS))
    if activity == "transfer":
        dest = draw(st.sampled_from([m for m in MEMBERS if m != ms]))
    else:
        dest = draw(st.sampled_from(THIRD))
    # Where the items are, which brokering (Art. 2(7)) and transit (Art. 2(11)) read: a third
    # country, a member state (brokering only: not Art. 2(7) brokering) or not given.
    origins: list[str | None] = [None]
    if activity == "brokering":
        origins += [*THIRD[:8], "PK", *MEMBERS[:3]]
    elif activity == "transit":
        origins += THIRD[:8]
    origin = draw(st.sampled_from(origins))
    return {
        "as_of": day.isoformat(), "activity": activity, "exporter": {"member_state": ms},
        "destination": dest, "origin": origin,
        "items": draw(st.lists(items(day), min_size=1, max_size=4)),
        "informed_of": draw(st.lists(st.sampled_from(USES), unique=True, max_size=2)),
        "aware_of": draw(st.lists(st.sampled_from(USES), unique=True, max_size=2)),
        "circumstances": draw(st.lists(st.sampled_from(CIRCS), unique=True, max_size=2)),
    }
