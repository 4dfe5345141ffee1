"""Annex III of Regulation (EU) 2021/821, the models for authorisation forms, as law data.

Read by `scripts/import_reference.py` (a maintainer's step, never at run time or in tests other
than the check that the data file is what this importer makes of the saved copy):

    uv run python scripts/import_reference.py --reference ../shared/reference --today YYYY-MM-DD

The source is a saved copy of the Official Journal text as published in the stored public
repository `legalize-dev/legalize-eu` (`scripts/sources/32021R0821_annex_iii.md`: the text from
the heading "ANNEX III" to the heading "ANNEX IV", unchanged). Its tables are the form layouts
flattened to Markdown: a merged cell is repeated in every row and column it spans. The boxes are
read from the cells in reading order ("N. Title"), each box once, with its sub-fields ("No",
"Code") and footnotes; every other cell must be one of the form's known unnumbered elements, or
the import fails.

The Dutch Official Journal text of Annex III could not be obtained (the stored copies of the Dutch
Regulation hold the Articles only): the Dutch titles below are the project's translation, in the
vocabulary of the Dutch text of the Regulation (ontvanger, eindgebruiker, tussenhandelaar,
verlener van technische bijstand, ingezeten of gevestigd), and the data says so.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCE_COPY = ROOT / "scripts" / "sources" / "32021R0821_annex_iii.md"
SOURCE = {
    "repository": "legalize-dev/legalize-eu",
    "path": "eu/a5/32021R0821.md",
    "commit": "0514a88938017093c9efcbd3835d9759b47c22f3",
    "text_last_updated": "2023-05-26",
    "read": "characters 744,000-776,000 of 793,883 (Annex III follows Section I of Annex II)",
    "copy": "scripts/sources/32021R0821_annex_iii.md",
}
OFFICIAL_JOURNAL = "OJ L 206, 11.6.2021, p. 1"
REG = "32021R0821"
APPLIES_FROM = "2021-09-09"

# Dutch: the project's translation (see the module docstring), one per English wording so that a
# wording the forms repeat reads the same everywhere.
DUTCH = {
    # Section and form headings
    "MODELS FOR AUTHORISATION FORMS": "MODELLEN VOOR VERGUNNINGSFORMULIEREN",
    "Model for individual or global export authorisation forms":
        "Model voor formulieren voor individuele of globale uitvoervergunningen",
    "Model for brokering services / technical assistance authorisation forms":
        "Model voor formulieren voor vergunningen voor tussenhandeldiensten/technische bijstand",
    "EUROPEAN UNION": "EUROPESE UNIE",
    "EXPORT OF DUAL-USE ITEMS (Reg. (EU) 2021/821)":
        "UITVOER VAN PRODUCTEN VOOR TWEEËRLEI GEBRUIK (Verord. (EU) 2021/821)",
    "PROVISION OF BROKERING SERVICES / TECHNICAL ASSISTANCE (Reg. (EU) 2021/821)":
        "VERLENING VAN TUSSENHANDELDIENSTEN/TECHNISCHE BIJSTAND (Verord. (EU) 2021/821)",
    "LICENCE": "VERGUNNING",
    "When granting the export authorisations, Member States will strive to ensure the visibility "
    "of the nature of the authorisation (individual or global) on the form issued.":
        "Bij de verlening van uitvoervergunningen streven de lidstaten ernaar de aard van de "
        "vergunning (individueel of globaal) op het afgegeven formulier zichtbaar te maken.",
    "This export authorisation is valid in all Member States of the European Union until its "
    "expiry date.":
        "Deze uitvoervergunning is tot de vervaldatum geldig in alle lidstaten van de Europese "
        "Unie.",
    # Section A boxes
    "Exporter": "Exporteur",
    "Identification number": "Identificatienummer",
    "Expiry date (if applicable)": "Vervaldatum (indien van toepassing)",
    "Contact point details": "Gegevens van het contactpunt",
    "Consignee": "Ontvanger",
    "Issuing authority": "Afgevende autoriteit",
    "Agent/Representative (if different from exporter)":
        "Agent/vertegenwoordiger (indien niet de exporteur)",
    "Country of consignment": "Land van verzending",
    "End-user (if different from consignee)": "Eindgebruiker (indien niet de ontvanger)",
    "Member State of current or future location of the items":
        "Lidstaat waar de producten zich bevinden of zullen bevinden",
    "Member State of intended entry into the customs export procedure":
        "Lidstaat waar de producten onder de douaneregeling bij uitvoer zullen worden geplaatst",
    "Country of final destination": "Land van eindbestemming",
    "Description of the items": "Omschrijving van de producten",
    "Country of origin": "Land van oorsprong",
    "Harmonised System or Combined Nomenclature Code (if applicable with 8 digit; CAS number if "
    "available)":
        "Code van het geharmoniseerd systeem of de gecombineerde nomenclatuur (indien van "
        "toepassing, met 8 cijfers; CAS-nummer indien beschikbaar)",
    "Control list No (for listed items)": "Nummer op de controlelijst (voor vermelde producten)",
    "Currency and Value": "Munteenheid en waarde",
    "Quantity of the items": "Hoeveelheid van de producten",
    "End-use": "Eindgebruik",
    "Contract date (if applicable)": "Datum van het contract (indien van toepassing)",
    "Customs export procedure": "Douaneregeling bij uitvoer",
    "Additional information required by national legislation (to be specified on the form)":
        "Aanvullende informatie vereist door de nationale wetgeving (op het formulier te "
        "vermelden)",
    # Section A, attachment 1bis
    "Commodity code (if applicable with 8 digit; CAS number if available)":
        "Goederencode (indien van toepassing, met 8 cijfers; CAS-nummer indien beschikbaar)",
    "Net quantity/value (Net mass/other unit with indication of unit)":
        "Nettohoeveelheid/-waarde (nettomassa/andere eenheid, met vermelding van de eenheid)",
    "In numbers": "In cijfers",
    "In words for quantity/value deducted": "In letters, voor de afgeschreven hoeveelheid/waarde",
    "Customs document (Type and number) or extract (No) and date of deduction":
        "Douanedocument (soort en nummer) of uittreksel (nr.) en datum van afschrijving",
    "Member state, name and signature, stamp of deduction":
        "Lidstaat, naam en handtekening, stempel van afschrijving",
    "Note: In part 1 of column 24, write the quantity still available and in part 2 of column 24, "
    "write the quantity deducted on this occasion.":
        "Opmerking: vermeld in deel 1 van kolom 24 de nog beschikbare hoeveelheid en in deel 2 "
        "van kolom 24 de bij deze gelegenheid afgeschreven hoeveelheid.",
    # Section B boxes
    "Broker/ Provider of technical assistance/ Applicant":
        "Tussenhandelaar/verlener van technische bijstand/aanvrager",
    "Exporter in originating third country (if applicable)":
        "Exporteur in het derde land van herkomst (indien van toepassing)",
    "Member State in which the broker / provider of technical assistance is resident or "
    "established":
        "Lidstaat waar de tussenhandelaar/verlener van technische bijstand ingezeten of "
        "gevestigd is",
    "Originating country/ Country of location of the items subject of brokering services":
        "Land van herkomst/land waar de producten waarop de tussenhandeldiensten betrekking "
        "hebben zich bevinden",
    "End-user in third country of destination (if different from consignee)":
        "Eindgebruiker in het derde land van bestemming (indien niet de ontvanger)",
    "Country of destination": "Land van bestemming",
    "Third parties involved, e.g. agents (if applicable)":
        "Betrokken derden, bv. agenten (indien van toepassing)",
    "Description of the items / technical assistance.":
        "Omschrijving van de producten/technische bijstand.",
    "Harmonised System or Combined Nomenclature Code (if applicable)":
        "Code van het geharmoniseerd systeem of de gecombineerde nomenclatuur (indien van "
        "toepassing)",
    "Control list No (if applicable)": "Nummer op de controlelijst (indien van toepassing)",
    "Quantity of the items (if applicable)": "Hoeveelheid van de producten (indien van toepassing)",
    # Unnumbered elements and sub-fields
    "Available for pre-printed information": "Ruimte voor voorgedrukte informatie",
    "At discretion of Member States": "Naar keuze van de lidstaten",
    "For completion by issuing authority": "In te vullen door de afgevende autoriteit",
    "Signature": "Handtekening",
    "Issuing Authority": "Afgevende autoriteit",
    "Stamp": "Stempel",
    "Date": "Datum",
    "No": "Nr.",
    "Code": "Code",
    # Footnotes
    "If needed, this description may be given in one or more attachments to this form (1bis). "
    "In this case, indicate the exact number of attachments in this box. The description should "
    "be as precise as possible and integrate, where relevant, the CAS or other references for "
    "chemical items in particular.":
        "Zo nodig kan deze omschrijving in een of meer bijlagen bij dit formulier (1bis) worden "
        "gegeven. Vermeld in dat geval in dit vak het precieze aantal bijlagen. De omschrijving "
        "moet zo nauwkeurig mogelijk zijn en, waar relevant, met name voor chemische producten "
        "het CAS-nummer of andere referenties bevatten.",
    "See Regulation (EC) No 1172/95 (OJ L 118, 25.5.1995, p. 10).":
        "Zie Verordening (EG) nr. 1172/95 (PB L 118 van 25.5.1995, blz. 10).",
}

# Section A's introduction addresses the Member States in its first sentence; the second is said
# of the form ("This export authorisation is valid ...") and is printed on it.
GUIDANCE = {
    "When granting the export authorisations, Member States will strive to ensure the visibility "
    "of the nature of the authorisation (individual or global) on the form issued.",
}

# Cells the Markdown joined from separate lines of the form: the parts, in order.
JOINED = {
    "Available for pre-printed information At discretion of Member States": (
        "pre_printed", ("Available for pre-printed information", "At discretion of Member States"),
    ),
    "For completion by issuing authority Signature Issuing Authority": (
        "issuing_authority",
        ("For completion by issuing authority", "Signature", "Issuing Authority"),
    ),
    "Stamp": ("issuing_authority", ("Stamp",)),
    "Date": ("issuing_authority", ("Date",)),
}
MARGIN = {"", "1", "LICENCE", "1 Bis"}  # the copy number and the vertical "LICENCE" of a sheet
BOX = re.compile(r"^(\d{1,2})\. (.+?)(?: \[\^(E\d+)\])?$")
SUBFIELD = re.compile(r"^(No|Code)(?:<sup>(\d)</sup>| \[\^(E\d+)\])?$")
FOOTNOTE = re.compile(r"^\[\^(E\d+)\]: \(<sup>(\d+)</sup>\)\n (.+)$", re.M)
SECTION = re.compile(r"^([ABC])\. \*\*(.+)\*\*$", re.M)


def both(english: str) -> dict[str, str]:
    """An English wording with its Dutch translation (the importer fails on one not translated)."""
    if english not in DUTCH:
        raise ValueError(f"Annex III: no Dutch translation for {english!r}")
    return {"en": english, "nl": DUTCH[english]}


def _rows(table: str) -> list[list[str]]:
    rows = []
    for line in table.splitlines():
        if line.startswith("|") and not line.startswith("| ---"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def _form(letter: str, title: str, body: str, notes: dict[str, tuple[str, str]]) -> dict[str, Any]:
    referred = re.search(r"^\(referred to in (.+?) of this Regulation\)$", body, re.M)
    assert referred, f"Section {letter}: no '(referred to in ...)' line"
    table_at = body.index("\n|")
    intro = [p.strip() for p in body[referred.end():table_at].split("\n\n") if p.strip()]
    rows = _rows(body[table_at:])
    heading = list(dict.fromkeys(c.strip("*") for c in rows[0] if c))
    # Columns after the heading's last are outside the form's grid (the B table has one more).
    width = max(i for i, c in enumerate(rows[0]) if c) + 1
    sheets: list[dict[str, Any]] = [{"id": "form", "copy": "1", "boxes": [], "note": None}]
    unattributed: list[str] = []
    for row in rows[1:]:
        if row[0] == "1 Bis":
            sheets.append({"id": "1bis", "copy": "1 Bis", "boxes": [], "note": None,
                           "item_blocks": 0, "deduction_lines": 0})
        sheet = sheets[-1]
        boxes = {b["number"]: b for b in sheet["boxes"]}
        for col, cell in enumerate(row):
            if (col == 0 and cell in MARGIN) or not cell:
                continue
            if col >= width:
                unattributed.append(cell)
                continue
            if col > 0 and cell == row[col - 1]:  # a merged cell, repeated
                continue
            box, sub = BOX.match(cell), SUBFIELD.match(cell)
            if box:
                number, text, note_id = int(box[1]), box[2], box[3]
                if number not in boxes:
                    boxes[number] = {"number": number, "title": both(text), "fields": [],
                                     "footnotes": [], "variants": []}
                    sheet["boxes"].append(boxes[number])
                elif text != boxes[number]["title"]["en"] and text not in boxes[number]["variants"]:
                    boxes[number]["variants"].append(text)
                if number == 14 and sheet["id"] == "1bis":
                    sheet["item_blocks"] += 1
                if note_id and notes[note_id][0] not in boxes[number]["footnotes"]:
                    boxes[number]["footnotes"].append(notes[note_id][0])
            elif sub:
                # A sub-field belongs to the box in the column before it, in the same row.
                owner = BOX.match(row[col - 1]) if col > 0 else None
                if owner is None:
                    unattributed.append(cell)
                    continue
                field = {**both(sub[1]),
                         "footnote": sub[2] or (notes[sub[3]][0] if sub[3] else None)}
                if field not in boxes[int(owner[1])]["fields"]:
                    boxes[int(owner[1])]["fields"].append(field)
            elif cell in JOINED:
                part, texts = JOINED[cell]
                sheet.setdefault(part, [])
                sheet[part] += [both(t) for t in texts if both(t) not in sheet[part]]
            elif cell.startswith("Note: "):
                sheet["note"] = both(cell)
            elif cell in ("1.", "2.") and col == 0 and sheet["id"] == "1bis":
                boxes[24].setdefault("parts", [])
                if cell not in boxes[24]["parts"]:
                    boxes[24]["parts"].append(cell)
                sheet["deduction_lines"] += cell == "1."
            else:
                raise ValueError(f"Annex III Section {letter}: unknown cell {cell!r}")
    for sheet in sheets:
        reading = [b["number"] for b in sheet["boxes"]]
        sheet["reading_order"] = reading
        # The numbers give the order; the 1bis grid is read 23, 26, 27 / 24, 25 across its rows.
        sheet["boxes"].sort(key=lambda b: b["number"])
    footnotes = []
    for number, text in sorted(notes.values()):
        at = [f"{s['id']}, box {b['number']}" for s in sheets for b in s["boxes"]
              if number in b["footnotes"]]
        at += [f"{s['id']}, box {b['number']}, {f['en']}" for s in sheets for b in s["boxes"]
               for f in b["fields"] if f["footnote"] == number]
        footnotes.append({"number": number, "text": both(text), "at": sorted(set(at))})
    missing = sorted({f["footnote"] for s in sheets for b in s["boxes"] for f in b["fields"]
                      if f["footnote"] and f["footnote"] not in {n for n, _ in notes.values()}})
    footnotes += [{"number": n, "text": None, "at": sorted({
        f"{s['id']}, box {b['number']}, {f['en']}" for s in sheets for b in s["boxes"]
        for f in b["fields"] if f["footnote"] == n}),
        "note": "the source copy marks this footnote but does not reproduce its text"}
        for n in missing]
    return {
        "section": letter,
        "title": both(title),
        "referred_to_in": referred[1],
        "citation": {"instrument": REG, "annex": "III", "section": letter},
        "intro": [{**both(p), "printed": p not in GUIDANCE} for p in intro],
        "heading": [both(h) for h in heading],
        "label": both("LICENCE"),
        "sheets": sheets,
        "footnotes": footnotes,
        "unattributed": (
            [{"cell": c, "count": unattributed.count(c), "note": "a cell of the source table's "
              "last column, repeated down the rows as a merged cell; the source does not say "
              "which box it belongs to"} for c in dict.fromkeys(unattributed)]
        ),
    }


def _elements(letter: str, title: str, body: str) -> dict[str, Any]:
    referred = re.search(r"^\(referred to in (.+?) of this Regulation\)$", body, re.M)
    assert referred, f"Section {letter}: no '(referred to in ...)' line"
    elements: list[dict[str, Any]] = []
    for block in body[referred.end():].split("\n\n"):
        block = block.strip()
        if not block:
            continue
        item = re.match(r"^- (\d)\.(.+)$", block)
        if item:
            elements.append({"number": int(item[1]), "title": item[2], "texts": []})
        elif elements:
            elements[-1]["texts"].append(block.removeprefix("- "))
    return {
        "section": letter,
        "title": {"en": title, "nl": None},
        "referred_to_in": referred[1],
        "citation": {"instrument": REG, "annex": "III", "section": letter},
        "elements": elements,
        "note": "Not a licence form: what a national general export authorisation published in a "
        "national Official Journal contains. Not translated: the service does not publish "
        "national general export authorisations.",
    }


def annex_iii(today: str, copy: Path = SOURCE_COPY) -> dict[str, Any]:
    text = copy.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n\n")
    title = rest.split("\n\n", 1)[0]
    assert head == "ANNEX III" and title == "MODELS FOR AUTHORISATION FORMS", "not Annex III"
    assert "ANNEX IV" not in text, "the copy runs into Annex IV"
    notes = {m[1]: (m[2], m[3].strip()) for m in FOOTNOTE.finditer(text)}
    parts = SECTION.split(text)
    forms = []
    for i in range(1, len(parts), 3):
        letter, section_title, body = parts[i], parts[i + 1], FOOTNOTE.sub("", parts[i + 2])
        local = {k: v for k, v in notes.items() if f"[^{k}]" in parts[i + 2]}
        forms.append(_elements(letter, section_title, body) if letter == "C"
                     else _form(letter, section_title, body, local))
    assert [f["section"] for f in forms] == ["A", "B", "C"], "Sections A, B and C"
    data = {
        "annex": "III",
        "title": both(title),
        "valid_from": APPLIES_FROM,
        "valid_to": None,
        "citation": {"instrument": REG, "annex": "III"},
        "official_journal": OFFICIAL_JOURNAL,
        "source": SOURCE,
        "last_verified_on": today,
        "provenance": "Official Journal text of Regulation (EU) 2021/821, consolidated to "
        f"{SOURCE['text_last_updated']} (the delegated acts of Art. 17 amend Annexes I, II and IV, "
        f"not Annex III), via {SOURCE['repository']} {SOURCE['path']} "
        f"@{SOURCE['commit'][:8]}, saved unchanged as {SOURCE['copy']}",
        "translations": {
            "nl": {
                "source": "project_translation",
                "note": "The Dutch Official Journal text of Annex III could not be obtained; the "
                "Dutch wordings are the project's translation, in the vocabulary of the Dutch text "
                "of the Regulation. Replace them with the Dutch Official Journal wording when it "
                "is obtained.",
            }
        },
        "forms": forms,
    }
    unused = set(DUTCH) - set(_english(data))
    assert not unused, f"Dutch wordings for no Annex III text: {sorted(unused)}"
    return data


def _english(node: Any) -> list[str]:
    """Every English wording that carries a Dutch one, anywhere in `node`."""
    if isinstance(node, dict):
        own = [node["en"]] if "en" in node and "nl" in node else []
        return own + [t for v in node.values() for t in _english(v)]
    if isinstance(node, list):
        return [t for v in node for t in _english(v)]
    return []
