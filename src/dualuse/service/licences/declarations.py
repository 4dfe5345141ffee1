"""The Movement Reference Number (MRN) of an export declaration: structure and check character.

Structure (Commission Implementing Regulation (EU) 2015/2447, Annex B, data element "MRN"):
two digits for the year the declaration was accepted, the ISO code of the Member State that
accepted it, twelve characters unique per year and Member State, one letter for the procedure,
one check character; eighteen in all, e.g. 06DE586600006143E1.

Check character (DG TAXUD, "Check character algorithm for the MRN and GRN", DGXXI/0879/99
Rev.1, after ISO 6346): each of the first seventeen characters gets a value (digits as
themselves; letters from A=10 upwards, skipping the multiples of 11), is multiplied by 2 to the
power of its position (0 to 16), the sum is divided by 11 and the remainder is the check
character, 10 written as 0.

An MRN names one declaration: customs holds it (Art. 21(3) of Regulation (EU) 2021/821) and it is
written off against a licence once.
"""

from __future__ import annotations

import datetime as dt
import re
import string

from dualuse.errors import InputError
from dualuse.law import Catalogue

MRN_LENGTH = 18
_SHAPE = re.compile(r"^[0-9]{2}[A-Z]{2}[0-9A-Z]{12}[A-Z][0-9]$")


def _letter_values() -> dict[str, int]:
    values, n = {}, 10
    for letter in string.ascii_uppercase:
        if n % 11 == 0:
            n += 1
        values[letter] = n
        n += 1
    return values


_VALUES = {**{d: int(d) for d in string.digits}, **_letter_values()}


def check_character(first17: str) -> str:
    """The check character of the first seventeen characters of an MRN."""
    total = sum(_VALUES[c] * 2**i for i, c in enumerate(first17))
    return str(total % 11 % 10)


def parse_mrn(raw: str, *, catalogue: Catalogue, exported_on: dt.date | None = None) -> str:
    """The MRN as customs writes it (upper case, no spaces), or InputError saying what is wrong."""
    mrn = re.sub(r"[\s-]", "", raw or "").upper()
    field = "declaration_ref"
    if not mrn:
        raise InputError("the export declaration's MRN is needed", field=field)
    if len(mrn) != MRN_LENGTH or not _SHAPE.match(mrn):
        raise InputError(
            f"{raw.strip()!r} is not a Movement Reference Number: 18 characters, two digits of the "
            "year, the Member State's code, 12 letters or digits, the procedure letter and a check "
            "digit (e.g. 26NL000000000001A2)",
            field=field,
        )
    country = mrn[2:4]
    if not any(c.iso2 == country and c.eu_member_state for c in catalogue.countries()):
        raise InputError(
            f"MRN {mrn}: {country} is not a Member State's customs code; an export declaration is "
            "accepted by the customs of a Member State",
            field=field,
        )
    expected = check_character(mrn[:17])
    if mrn[17] != expected:
        raise InputError(
            f"MRN {mrn}: the check digit is {mrn[17]}, the first 17 characters give {expected}: "
            "a character was mistyped",
            field=field,
        )
    if exported_on is not None and 2000 + int(mrn[:2]) > exported_on.year:
        raise InputError(
            f"MRN {mrn} was issued in 20{mrn[:2]}, after the export date {exported_on}",
            field=field,
        )
    return mrn
