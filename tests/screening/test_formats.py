"""List ingestion: every supported format read from the real snapshots, with the list's own
record ids, format detected from content, and malformed files rejected naming file and line."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from dualuse.errors import InputError
from dualuse.screening import ListSnapshot, diff_snapshots, read_lists


def _set(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_un_list_keeps_dataid_names_original_script_and_dates(un_snapshot: ListSnapshot) -> None:
    assert un_snapshot.list_name == "un_sc"
    assert un_snapshot.record_count == 1003
    assert sum(r.schema == "Person" for r in un_snapshot.records) == 730
    assert un_snapshot.published == "2026-02-27T00:00:09.554Z"
    badege = next(r for r in un_snapshot.records if r.list_id == "6907993")
    assert badege.names[0] == "ERIC BADEGE"
    assert badege.birth_dates == ("1971",)
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in n)
               for r in un_snapshot.records for n in r.names)


def test_ofac_sdn_set_joins_aliases_and_remarks(lists_dir: Path) -> None:
    [snap] = read_lists(_set(lists_dir / "ofac_sdn_2021-07"))
    assert (snap.list_name, snap.record_count) == ("ofac_sdn", 8976)
    bnc = next(r for r in snap.records if r.list_id == "306")
    assert "NATIONAL BANK OF CUBA" in bnc.names
    assert sum(len(r.names) for r in snap.records) == 20880  # primary names + distinct aliases
    assert any(r.birth_dates for r in snap.records if r.schema == "Person")


def test_ofac_consolidated_is_its_own_list(lists_dir: Path) -> None:
    [snap] = read_lists(_set(lists_dir / "ofac_consolidated_non_sdn_2025-12"))
    assert snap.list_name == "ofac_cons"
    haniya = next(r for r in snap.records if r.list_id == "9639")
    assert haniya.birth_dates == ("1962",) and len(haniya.names) >= 2


def test_us_csl_gzip_dpl_uk_and_ftm(lists_dir: Path) -> None:
    files = {p.name: p.read_bytes() for p in lists_dir.iterdir() if p.is_file()}
    snaps = {s.list_name: s for s in read_lists(files, skip_unrecognised=True)}
    assert snaps["us_csl"].record_count == 14160
    sources = {r.source for r in snaps["us_csl"].records}
    assert any("Entity List" in s for s in sources)
    assert snaps["bis_dpl"].record_count > 400
    assert all(r.list_id.startswith("dpl-") for r in snaps["bis_dpl"].records)
    uk = snaps["uk_ofsi"]
    assert any(r.list_id == "13349" and "Farooq AL-QAHTANI" in r.names[0] for r in uk.records)
    ftm = next(s for k, s in snaps.items() if k.startswith("ftm:"))
    assert ftm.record_count == 6  # the Address entity is not a party


def test_format_is_detected_from_content_not_name(un_snapshot: ListSnapshot,
                                                  lists_dir: Path) -> None:
    data = (lists_dir / "un_consolidated_2026-02-27.xml").read_bytes()
    [snap] = read_lists({"download.bin": gzip.compress(data)})
    assert snap.format == "un_consolidated_xml"
    assert snap.record_count == un_snapshot.record_count


EU_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-11-20T10:00:00">
 <sanctionEntity logicalId="13" euReferenceNumber="EU.27.28" unitedNationId="">
  <regulation programme="IRQ"/>
  <subjectType code="person" classificationCode="P"/>
  <nameAlias firstName="Saddam" lastName="Hussein Al-Tikriti"
             wholeName="Saddam Hussein Al-Tikriti"/>
  <nameAlias wholeName="Abu Ali"/>
  <citizenship countryIso2Code="IQ"/>
  <birthdate birthdate="1937-04-28" year="1937" countryIso2Code="IQ"/>
  <identification number="A1234567" identificationTypeCode="passport"/>
 </sanctionEntity>
 <sanctionEntity logicalId="1234" euReferenceNumber="EU.1.2">
  <subjectType code="enterprise" classificationCode="E"/>
  <nameAlias wholeName="Example Trading LLC"/>
 </sanctionEntity>
</export>"""


def test_eu_fsf_official_xml_schema() -> None:
    [snap] = read_lists({"content": EU_XML})
    assert (snap.list_name, snap.format, snap.published) == (
        "eu_fsf", "eu_fsf_xml", "2026-11-20T10:00:00")
    saddam = snap.records[0]
    assert saddam.list_id == "13" and saddam.schema == "Person"
    assert saddam.names == ("Saddam Hussein Al-Tikriti", "Abu Ali")
    assert saddam.birth_dates == ("1937-04-28",) and saddam.countries == ("IQ",)
    assert saddam.identifiers == ("A1234567",)
    assert snap.records[1].schema == "Organization"


def test_eu_fsf_csv_groups_aliases_by_logical_id() -> None:
    csv = ("Entity_LogicalId;Entity_SubjectType_ClassificationCode;NameAlias_WholeName;"
           "BirthDate_BirthDate;Citizenship_CountryIso2Code\n"
           "13;P;Saddam Hussein Al-Tikriti;1937-04-28;IQ\n13;P;Abu Ali;;\n"
           "1234;E;Example Trading LLC;;\n")
    [snap] = read_lists({"eu.csv": csv.encode()})
    assert [r.list_id for r in snap.records] == ["13", "1234"]
    assert snap.records[0].names == ("Saddam Hussein Al-Tikriti", "Abu Ali")


def test_user_list_csv() -> None:
    data = (b"id,name,schema,aliases,birth_date,country\n"
            b"C-1,Acme Dual-Use Trading GmbH,Organization,Acme DU;ADUT,,DE\n"
            b"C-2,Ivan Petrov,Person,,1970-02-03,RU\n")
    [snap] = read_lists({"denied_parties.csv": data})
    assert snap.list_name == "user:denied_parties"
    assert snap.records[0].names == ("Acme Dual-Use Trading GmbH", "Acme DU", "ADUT")
    assert snap.records[1].birth_dates == ("1970-02-03",)


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("un.xml", b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>\n<DATAID>1</DATAID>\n",
         "un.xml, line 3: malformed XML"),
        ("mine.csv", b"id,name,schema\nA,Acme,Organization\nB,Beta\n", "mine.csv, line 3"),
        ("mine.csv", b"id,name\nA,Acme\nA,Acme again\n", "mine.csv, line 3: id: 'A' appears"),
        ("mine.csv", b"id,name,schema\nA,Acme,Spaceship\n", "mine.csv, line 2: schema"),
        ("sdn.csv", b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\n', "sdn.csv"),
        ("notes.txt", b"hello world\n", "notes.txt: not a supported list format"),
    ],
)
def test_malformed_list_names_file_and_line(name: str, data: bytes, needle: str) -> None:
    with pytest.raises(InputError) as err:
        read_lists({name: data})
    assert needle in str(err.value)


def test_diff_reports_added_removed_amended(un_snapshot: ListSnapshot) -> None:
    recs = list(un_snapshot.records)
    changed = recs[1].__class__(recs[1].list_id, recs[1].schema, (*recs[1].names, "New Alias"))
    new = ListSnapshot("un_sc", un_snapshot.format, "x", tuple([changed, *recs[2:]]))
    d = diff_snapshots(un_snapshot, new)
    assert d.removed == (recs[0].list_id,)
    assert d.amended == (recs[1].list_id,)
    assert d.added == ()
    assert not diff_snapshots(un_snapshot, un_snapshot).amended


def test_uk_ofsi_2022_layout_with_last_updated_line() -> None:
    csv = ("Last Updated,28/11/2026\n"
           "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,DOB,"
           "Nationality,Passport Number,Country,Group Type,Alias Type,Regime,Group ID\n"
           "PETROV,Ivan,,,,,,,03/02/1970,Russia,,Russia,Individual,Primary name,Russia,15001\n"
           "PETROFF,Ivan,,,,,,,03/02/1970,Russia,,Russia,Individual,AKA,Russia,15001\n")
    [snap] = read_lists({"ConList.csv": csv.encode("cp1252")})
    [rec] = snap.records
    assert (snap.list_name, rec.list_id, rec.schema) == ("uk_ofsi", "15001", "Person")
    assert rec.names == ("Ivan PETROV", "Ivan PETROFF")
    assert rec.birth_dates == ("1970-02-03",)
