"""The as-of catalogue: the law in force on a day, and nothing else."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from dualuse.errors import CoverageError, InputError, UnknownCodeError, UnknownCountryError
from dualuse.law import load_law
from dualuse.law.codes import normalise, suggest

LAW = load_law()
NOW = LAW.as_of(date(2026, 6, 1))


def test_entry_with_ancestors_notes_and_definitions() -> None:
    e = NOW.entry("5A002.a.1")
    assert e.text.startswith('Items having "information security" as a primary function')
    assert [a.code for a in NOW.ancestors("5A002.a.1")] == ["5A002", "5A002.a"]
    assert e.category_part == 2 and e.regime == "Wassenaar"
    notes = NOW.notes_for("5A002.a.1")
    assert any("Cryptography Note" in n.text for n in notes)
    assert {"Information security"} <= {d.term for d in NOW.definitions_for("5A002.a.1")}
    assert e.citation.render() == (
        "Regulation (EU) 2021/821, Annex I, 5A002.a.1 "
        "(Annex I as replaced by Delegated Regulation (EU) 2025/2003)"
    )


def test_technology_entries_get_the_general_technology_note() -> None:
    kinds = {n.doc_type for n in NOW.notes_for("9E003.a")}
    assert "general_technology_note" in kinds
    assert "general_software_note" not in kinds
    assert "nuclear_technology_note" in {n.doc_type for n in NOW.notes_for("0E001")}


def test_the_list_in_force_changes_on_the_day_the_delegated_act_applies() -> None:
    before, on, after = (LAW.as_of(date(2025, 11, d)) for d in (14, 15, 16))
    assert len(before.entries()) == 3297
    assert len(on.entries()) == len(after.entries()) == 3420
    # 3B501 is an EU-only control introduced by Delegated Regulation (EU) 2025/2003.
    assert not before.has_code("3B501") and on.has_code("3B501")
    assert on.entry("3B501").regime == "EU"
    assert before.annex_i_version.act == "32024R2547"
    assert on.annex_i_version.act == "32025R2003"


def test_wording_of_earlier_versions_is_kept() -> None:
    # 4D001.b.1's APP threshold rose from 15 to 24 WT with Delegated Regulation (EU) 2023/2616.
    assert "15 Weighted TeraFLOPS" in LAW.as_of(date(2023, 12, 15)).entry("4D001.b.1").text
    assert "24 Weighted TeraFLOPS" in LAW.as_of(date(2023, 12, 16)).entry("4D001.b.1").text


def test_dates_outside_coverage_are_errors_never_fallbacks() -> None:
    with pytest.raises(CoverageError) as exc:
        LAW.as_of(date(2022, 1, 6))
    # The refusal names the reason: the original 2021 list could not be obtained.
    assert "2022-01-07 onwards" in str(exc.value)
    assert "original Annex I of Regulation (EU) 2021/821" in str(exc.value)
    assert "consolidated texts" in str(exc.value)
    with pytest.raises(CoverageError, match="the Regulation applies from 2021-09-09"):
        LAW.as_of(date(2021, 1, 1))
    assert LAW.as_of(date(2022, 1, 7)).annex_i_version.act == "32022R0001"
    assert LAW.as_of(date(2023, 1, 11)).annex_i_version.act == "32022R0001"
    assert LAW.as_of(date(2023, 1, 12)).annex_i_version.act == "32023R0066"


def test_definitions_and_notes_per_version_as_far_as_the_texts_carry_them() -> None:
    old = LAW.as_of(date(2022, 6, 1))
    assert not old.definitions_complete and old.definitions_available
    # "Spacecraft" (9) in 2022/1 is "active and passive satellites and space probes"; in
    # 2025/2003 (5 9) "a craft designed to operate in, persist in or transit through space".
    craft = old.definition("Spacecraft")
    assert craft is not None and craft.categories == ("9",)
    assert craft.text == "means active and passive satellites and space probes."
    assert craft.citation.render().startswith("Delegated Regulation (EU) 2022/1")
    now_craft = NOW.definition("Spacecraft")
    assert now_craft is not None and now_craft.categories == ("5", "9")
    # Terms before the obtained pages are not claimed for 2022/1 ...
    assert old.definition("Accuracy") is None and NOW.definition("Accuracy") is not None
    # ... and 2023/66 carries no definitions in its pages at all.
    assert not LAW.as_of(date(2023, 6, 1)).definitions()
    assert "obtained pages start after the definitions" in \
        LAW.as_of(date(2023, 6, 1)).annex_i_version.definitions.scope
    # Category and section notes whose wording is in the act's pages are dated with it.
    assert {n.doc_type for n in old.note_documents()} >= {"section_note"}
    assert NOW.annex_i_version.definitions.complete and NOW.annex_i_version.notes.complete


def test_unknown_code_suggests_close_codes() -> None:
    with pytest.raises(UnknownCodeError) as exc:
        NOW.entry("5A002.a.9")
    assert exc.value.suggestions and all(s.startswith("5A002.a") for s in exc.value.suggestions)
    assert NOW.entry("5a002A1").code == "5A002.a.1"
    assert normalise("5a002.A.1.") == "5A002.a.1"
    assert suggest("5A0021", NOW.codes())[0].startswith("5A002")


def test_listed_and_not_used() -> None:
    not_used = next(e for e in NOW.entries() if e.not_used)
    assert NOW.has_code(not_used.code) and not NOW.is_listed(not_used.code)
    assert NOW.is_listed("6A003.b.4")
    assert not NOW.has_code("6A999")


def test_annex_iv_parts_and_partial_listings() -> None:
    crypt = NOW.annex_iv("5A004.a")
    assert crypt is not None and crypt.part == "I" and crypt.verified
    ricin = NOW.annex_iv("1C351.d.4")
    assert ricin is not None and ricin.part == "II"
    sub = NOW.annex_iv("1C239.a") if NOW.has_code("1C239.a") else NOW.annex_iv("1C239")
    assert sub is not None and sub.listed_code == "1C239"
    partial = NOW.annex_iv("9A106")
    assert partial is not None and partial.scope == "partial" and "9A106.c" in (partial.note or "")
    assert NOW.annex_iv("5A002.a.1") is None
    assert NOW.annex_iv("0C001") is None  # Category 0 except 0C001


def test_ugea_destinations_items_and_section_i() -> None:
    eu001 = NOW.ugea("EU001")
    assert eu001.covers_destination("US") and not eu001.covers_destination("CN")
    assert NOW.section_i_exclusion("1C351.d.4") is not None
    eu008 = NOW.ugea("EU008")
    assert eu008.destination_type == "all_except"
    assert not eu008.covers_destination("CN") and eu008.covers_destination("BR")
    with pytest.raises(InputError):
        NOW.ugea("EU009")


def test_russia_leaves_eu003_to_eu005_with_delegated_regulation_2022_699() -> None:
    raw = next(u for u in LAW.data.ugeas_raw if u["id"] == "EU005")
    ru = [d for d in raw["destinations"]["destinations"] if d["iso2"] == "RU"]
    assert ru and ru[0]["valid_to"] == "2022-05-04"
    assert ru[0]["removed_by"]["instrument"] == "32022R0699"
    assert not NOW.ugea("EU005").covers_destination("RU")


def test_destinations_embargoes_and_bans() -> None:
    assert NOW.is_member_state("NL") and not NOW.is_member_state("GB")
    assert NOW.country("gf").eu_customs_territory  # French Guiana: outermost region
    assert not NOW.country("GL").eu_customs_territory
    with pytest.raises(UnknownCountryError):
        NOW.country("XX")
    ru = NOW.arms_embargo("RU")
    assert ru is not None and ru.art_4_1_b_relevant and ru.country_wide
    assert NOW.arms_embargo("US") is None
    assert NOW.sanctions_bans("US") == ()
    # Iran's dual-use ban was re-imposed on 30 September 2025 (snapback).
    assert LAW.as_of(date(2025, 9, 29)).sanctions_bans("IR") == ()
    assert LAW.as_of(date(2025, 9, 30)).sanctions_bans("IR")


def test_national_measures_by_member_state_and_date() -> None:
    ids = {m.id for m in NOW.national_measures("NL")}
    assert {"NL-SME-2023", "NL-CATCHALL"} <= ids
    assert "NL-SME-2023" not in {m.id for m in LAW.as_of(date(2023, 8, 31))
                                 .national_measures("NL")}


def test_articles_verbatim() -> None:
    art = LAW.article("3(1)")
    assert art.text == (
        "An authorisation shall be required for the export of dual-use items listed in Annex I."
    )
    assert art.citation.render() == "Regulation (EU) 2021/821, Art. 3(1)"
    assert "arms embargo" in LAW.article("4(1)").text
    with pytest.raises(InputError):
        LAW.article("33")


def test_views_are_immutable() -> None:
    e = NOW.entry("5A002")
    with pytest.raises(FrozenInstanceError):
        e.text = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        NOW._entries["X"] = e  # type: ignore[index]
