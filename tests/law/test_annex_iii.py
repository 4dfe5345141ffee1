"""Annex III of Regulation (EU) 2021/821 as bundled data: the model forms' boxes, counted, in
order, with their verbatim English titles and provenance, and exactly what the importer makes of
the saved Official Journal copy."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from dualuse.law.annex_iii import load_annex_iii

DATA = resources.files("dualuse.data")
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _raw() -> dict[str, Any]:
    return json.loads(DATA.joinpath("annex_iii.json").read_text(encoding="utf-8"))


def _form(section: str) -> dict[str, Any]:
    return next(f for f in _raw()["forms"] if f["section"] == section)


def _sheet(section: str, sheet: str) -> dict[str, Any]:
    return next(s for s in _form(section)["sheets"] if s["id"] == sheet)


def test_the_models_and_their_boxes_are_counted_and_in_order() -> None:
    assert [f["section"] for f in _raw()["forms"]] == ["A", "B", "C"]
    a, bis, b = _sheet("A", "form"), _sheet("A", "1bis"), _sheet("B", "form")
    assert [x["number"] for x in a["boxes"]] == list(range(1, 23))
    assert [x["number"] for x in b["boxes"]] == list(range(1, 20))
    assert [x["number"] for x in bis["boxes"]] == [1, 2, *range(13, 19), *range(23, 28)]
    # the forms read in their numbers' order; the attachment's grid reads 23, 26, 27 / 24, 25
    assert a["reading_order"] == list(range(1, 23)) and b["reading_order"] == list(range(1, 20))
    assert bis["reading_order"] == [1, 2, *range(13, 19), 23, 26, 27, 24, 25]
    assert bis["item_blocks"] == 10 and bis["deduction_lines"] == 8
    assert [e["number"] for e in _form("C")["elements"]] == list(range(1, 7))
    assert _form("A")["referred_to_in"] == "Article 12(2)"
    assert _form("B")["referred_to_in"] == "Article 13(5)"
    assert _form("C")["referred_to_in"] == "point (b) of Article 12(6)"


def test_titles_are_the_official_journal_wording() -> None:
    a = {x["number"]: x for x in _sheet("A", "form")["boxes"]}
    b = {x["number"]: x for x in _sheet("B", "form")["boxes"]}
    assert a[8]["title"]["en"] == "Country of consignment"
    assert a[11]["title"]["en"] == (
        "Member State of intended entry into the customs export procedure")
    assert a[15]["title"]["en"] == ("Harmonised System or Combined Nomenclature Code (if "
                                    "applicable with 8 digit; CAS number if available)")
    assert a[22]["title"]["en"] == (
        "Additional information required by national legislation (to be specified on the form)")
    assert b[1]["title"]["en"] == "Broker/ Provider of technical assistance/ Applicant"
    assert b[12]["title"]["en"] == "Third parties involved, e.g. agents (if applicable)"
    assert [f["en"] for f in a[1]["fields"]] == ["No"] == [f["en"] for f in a[7]["fields"]]
    assert {n for n, x in a.items() if [f["en"] for f in x["fields"]] == ["Code"]} == {
        8, 10, 11, 12, 14}
    assert a[13]["footnotes"] == ["1"]
    notes = {n["number"]: n for n in _form("A")["footnotes"]}
    assert notes["1"]["text"]["en"].startswith("If needed, this description may be given")
    assert notes["2"]["text"] is None and "not reproduce" in notes["2"]["note"]
    bis = {x["number"]: x for x in _sheet("A", "1bis")["boxes"]}
    assert bis[15]["variants"] == ["Commodity code"] and bis[24]["parts"] == ["1.", "2."]


def test_every_wording_has_its_dutch_and_the_dutch_is_marked_a_translation() -> None:
    raw = _raw()
    assert raw["translations"]["nl"]["source"] == "project_translation"
    for section in ("A", "B"):
        form = _form(section)
        wordings = [form["title"], form["label"], *form["heading"], *form["intro"]]
        for sheet in form["sheets"]:
            wordings += [x["title"] for x in sheet["boxes"]]
            wordings += [f for x in sheet["boxes"] for f in x["fields"]]
            wordings += sheet.get("pre_printed", []) + sheet.get("issuing_authority", [])
        assert all(w["en"] and w["nl"] for w in wordings), section
        assert [w["en"] for w in wordings if w["nl"] == w["en"]] == ["Code"] * len(
            [w for w in wordings if w["en"] == "Code"]), section
    assert load_annex_iii().dutch_is_translation


def test_provenance_citation_and_manifest() -> None:
    raw = _raw()
    assert raw["source"]["repository"] == "legalize-dev/legalize-eu"
    assert raw["source"]["path"] == "eu/a5/32021R0821.md"
    assert re.fullmatch(r"[0-9a-f]{40}", raw["source"]["commit"])
    assert raw["official_journal"] == "OJ L 206, 11.6.2021, p. 1"
    assert raw["citation"] == {"instrument": "32021R0821", "annex": "III"}
    assert raw["valid_from"] == "2021-09-09" and raw["valid_to"] is None
    manifest = json.loads(DATA.joinpath("MANIFEST.json").read_text(encoding="utf-8"))
    assert date.fromisoformat(raw["last_verified_on"]) <= date.fromisoformat(
        manifest["imported_on"])
    assert manifest["files"]["annex_iii.json"] == hashlib.sha256(
        DATA.joinpath("annex_iii.json").read_bytes()).hexdigest()
    registry = {r["id"] for r in json.loads(DATA.joinpath("instruments.json").read_text())}
    assert raw["citation"]["instrument"] in registry
    assert load_annex_iii().form("A").citation.render() == (
        "Regulation (EU) 2021/821, Annex III, Section A")


def test_the_data_is_what_the_importer_makes_of_the_saved_copy() -> None:
    spec = importlib.util.spec_from_file_location("import_annex_iii",
                                                  SCRIPTS / "import_annex_iii.py")
    assert spec and spec.loader
    importer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(importer)
    raw = _raw()
    assert importer.annex_iii(raw["last_verified_on"]) == raw
    copy = (SCRIPTS / "sources" / "32021R0821_annex_iii.md").read_text(encoding="utf-8")
    assert copy.startswith("ANNEX III\n\nMODELS FOR AUTHORISATION FORMS\n")
    assert copy.rstrip().endswith("- 6.Conditions and requirements")
