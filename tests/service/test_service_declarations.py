"""The Movement Reference Number of an export declaration: structure and check character
(Implementing Regulation (EU) 2015/2447, Annex B; DG TAXUD's check character algorithm after
ISO 6346). Real MRNs from published examples pass; "hello", a mistyped character and an MRN of a
non-member state are refused with what is wrong."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.errors import InputError
from dualuse.service.lawdata import catalogue_on
from dualuse.service.licences.declarations import check_character, parse_mrn

CAT = catalogue_on(dt.date(2026, 12, 1))


@pytest.mark.parametrize(
    ("published", "check"),
    [
        ("06DE586600006143E1", "1"),  # a German AES export MRN, as published with its layout
        ("10NL5663962BE1E825", "5"),  # a Dutch one (pre-UCC layout: no procedure letter)
    ],
)
def test_check_character_of_published_mrns(published: str, check: str) -> None:
    assert check_character(published[:17]) == check == published[17]


def test_a_valid_mrn_is_normalised() -> None:
    assert parse_mrn(" 06de 5866-00006143 e1 ", catalogue=CAT) == "06DE586600006143E1"


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("hello", "not a Movement Reference Number"),
        ("", "MRN is needed"),
        ("26NL00000000000001", "not a Movement Reference Number"),  # no procedure letter
        ("26NL000000000001A", "not a Movement Reference Number"),  # 17 characters
        ("06DE586600006143E2", "check digit is 2, the first 17 characters give 1"),
        ("06DE586600006134E1", "check digit"),  # two digits swapped
        ("26US000000000001A" + check_character("26US000000000001A"), "not a Member State"),
    ],
)
def test_malformed_mrns_are_refused_saying_why(raw: str, why: str) -> None:
    with pytest.raises(InputError, match=why) as refused:
        parse_mrn(raw, catalogue=CAT)
    assert refused.value.field == "declaration_ref"


def test_an_mrn_issued_after_the_export_date_is_refused() -> None:
    first17 = "27NL000000000001A"
    with pytest.raises(InputError, match="issued in 2027, after the export date 2026-12-01"):
        parse_mrn(first17 + check_character(first17), catalogue=CAT,
                  exported_on=dt.date(2026, 12, 1))


ALNUM = string.digits + string.ascii_uppercase


@given(
    year=st.integers(0, 99),
    member_state=st.sampled_from(["NL", "DE", "BE", "FR", "IT", "PL"]),
    body=st.text(alphabet=ALNUM, min_size=12, max_size=12),
    procedure=st.sampled_from(string.ascii_uppercase),
    last=st.sampled_from(string.digits),
)
def test_exactly_the_computed_check_digit_is_accepted(
    year: int, member_state: str, body: str, procedure: str, last: str
) -> None:
    first17 = f"{year:02d}{member_state}{body}{procedure}"
    if last == check_character(first17):
        assert parse_mrn(first17 + last, catalogue=CAT) == first17 + last
    else:
        with pytest.raises(InputError, match="check digit"):
            parse_mrn(first17 + last, catalogue=CAT)
