"""The licence document is a decision of the competent authority: it follows the boxes of the
models in Annex III of Regulation (EU) 2021/821 (Section A for export authorisations, with its
attachment 1bis for the write-offs; Section B for brokering services and technical assistance),
every box in the model's order with its number and title (the bundled Annex III data), empty where
the service holds nothing for it; it is dated in the Netherlands, produced in the holder's
language and prints every script as written (the PDF's text is extracted and compared)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader
from service_factories import assess_all, mrn, ready_application

from dualuse import OJ_DISCLAIMER
from dualuse.law.annex_iii import FormSheet, load_annex_iii
from dualuse.service.audit.models import AuditEvent
from dualuse.service.cases import operations as ops
from dualuse.service.licences import document
from dualuse.service.licences import operations as lic
from dualuse.service.licences.document import build_document, licence_pdf

TODAY = dt.date(2026, 11, 27)
CHINESE = "西北工业大学"
ARABIC = "شركة الخليج للأبحاث"
CYRILLIC = "ООО Северная Оптика"


@pytest.fixture
def licence(make_actor: Any, make_org: Any, screening_runs: Any) -> Any:
    authority = make_org("authority", "CDIU", address="Postbus 30003, 9700 RD Groningen")
    ex = make_actor("exporter_user", make_org("exporter", "Delft Optics B.V.",
                                              address="Mekelweg 1, Delft"))
    cw = make_actor("caseworker", authority)
    app = ready_application(ex, TODAY, end_user=CHINESE, destination="US")
    ops.add_party(ex, app, role="intermediate_consignee", name=ARABIC, country="AE",
                  address="Dubai", today=TODAY)
    ops.add_party(ex, app, role="agent", name=CYRILLIC, country="RS", today=TODAY)
    ops.submit(ex, app, today=TODAY)
    ops.assign(cw, app, cw.user)
    assess_all(cw, app)
    ops.draft_decision(cw, app, kind="grant", reasons="ok", conditions="No re-export to RU",
                       validity_months=24, today=TODAY)
    ops.approve_draft(make_actor("senior_caseworker", authority), app, today=TODAY)
    app.refresh_from_db()
    lic = app.licence
    # approved at 23:30 UTC on 30 November: 1 December in Amsterdam
    lic.issued_at = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)
    lic.save()
    return lic


def _text(pdf: bytes) -> str:
    """The PDF's text, with the line breaks of its table cells read as spaces."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _labels(sheet: FormSheet, language: str, items: int) -> list[str]:
    """Every box of a model's sheet as "N. Title", in the model's order; the item boxes once per
    item (Section A: 13-18, Section B: 13-17), the write-off boxes 23-27 under each item."""
    section_items = range(13, 19) if sheet.box(1).title.en == "Exporter" else range(13, 18)

    def label(n: int) -> str:
        return f"{n}. {sheet.box(n).title.in_language(language)}"

    out: list[str] = []
    for box in sheet.boxes:
        if box.number == section_items[0]:
            for _ in range(items):
                out += [label(n) for n in section_items]
                if sheet.id == "1bis":
                    out += [label(n) for n in range(23, 28)]
        elif box.number not in section_items and box.number not in range(23, 28):
            out.append(label(box.number))
    return out


def _in_order(text: str, expected: list[str]) -> list[int]:
    """Where each of `expected` is found in `text`, each after the one before."""
    at, found = 0, []
    for label in expected:
        where = text.find(label, at)
        assert where >= 0, f"{label!r} not found (in order) after {text[max(0, at - 80):at]!r}"
        found.append(where)
        at = where + len(label)
    return found


def _between(text: str, first: str, then: str) -> str:
    start = text.index(first) + len(first)
    return text[start:text.index(then, start)].strip()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_box_of_section_a_and_its_attachment_in_order(licence: Any, language: str) -> None:
    licence.language = language
    licence.save()
    text = _text(licence_pdf(licence))
    form = load_annex_iii().form("A")
    head = [w.in_language(language) for w in form.heading] + [form.intro[1].in_language(language)]
    expected = head + _labels(form.sheet("form"), language, items=1)
    expected += [w.in_language(language) for w in form.sheet("form").pre_printed[:1]]
    expected += [w.in_language(language) for w in form.sheet("form").issuing_authority]
    at = _in_order(text, expected)
    attachment = text[at[-1]:]
    _in_order(attachment, ["1 Bis", *_labels(form.sheet("1bis"), language, items=1)])
    # Boxes the service holds nothing for are printed empty under their title, never invented.
    sheet = form.sheet("form")
    title = {n: f"{n}. {sheet.box(n).title.in_language(language)}" for n in range(1, 23)}
    code = "Code:"
    assert _between(text, title[8], title[9]) == code  # country of consignment
    assert _between(text, title[11], title[12]) == code  # entry into the export procedure
    assert _between(text, title[14], title[15]) == code  # country of origin
    assert _between(text, title[20], title[21]) == ""  # contract date
    assert _between(text, title[21], title[22]) == ""  # customs export procedure
    assert _between(text, title[12], title[13]).startswith("Code: US")
    assert _between(text, title[15], title[16]) == "90258080"
    assert _between(text, title[16], title[17]) == "6A003.b.4"


def test_the_pdf_prints_every_script_and_what_the_licence_says(licence: Any) -> None:
    text = _text(licence_pdf(licence))
    for name in (CHINESE, ARABIC, CYRILLIC):
        assert name in text, name
    assert "?" not in text.replace("(?)", "")
    assert "Individuele uitvoervergunning" in text  # the holder is established in NL: Dutch
    assert "Delft Optics B.V." in text and "Mekelweg 1, Delft" in text
    assert "CDIU" in text and "Postbus 30003, 9700 RD Groningen" in text
    consignees = _between(text, "5. Ontvanger", "6. Afgevende autoriteit")
    assert consignees.startswith(f"{CHINESE} — US") and ARABIC in consignees
    assert "Tussenontvanger) — Dubai, AE" in consignees  # the model has no box of its own
    assert f"7. Agent/vertegenwoordiger (indien niet de exporteur) {CYRILLIC} — RS Nr.:" in text
    assert "10.000 pieces" in text and "EUR 25000.00" in text
    assert licence.valid_to.isoformat() in text
    assert "No re-export to RU" in text
    assert "Afgegeven op 2026-12-01" in text and "2026-11-30" not in text
    assert "Datum: 2026-12-01" in text  # the issuing authority's date
    assert "decision of the" not in text and OJ_DISCLAIMER[:40] not in text


def test_the_attachment_records_each_write_off(licence: Any, make_actor: Any) -> None:
    customs = make_actor("customs_officer")
    item = licence.items.get()
    declaration = mrn("26NL000000000AAAA")
    lic.record_use(customs, item, quantity=Decimal(4), value_eur=Decimal(10000),
                   exported_on=dt.date(2026, 12, 3), declaration_ref=declaration,
                   destination="US", today=dt.date(2026, 12, 4))
    use = item.uses.get()
    lic.correct_use(customs, use, reasons="four were two", quantity=Decimal(2))
    rows = build_document(licence).sheets[1].parts[2].deductions.rows  # 1, 2, then the item
    assert [r[0] for r in rows] == ["4.000 pieces; EUR 10000.00", "-4.000 pieces; EUR -10000.00",
                                    "2.000 pieces; EUR 10000.00"]
    # box 24: in part 1 the quantity still available, in part 2 the quantity deducted
    assert [r[1] for r in rows] == ["1. 6.000 pieces\n2. 4.000 pieces",
                                    "1. 10.000 pieces\n2. -4.000 pieces",
                                    "1. 8.000 pieces\n2. 2.000 pieces"]
    assert all(r[2] == "" and r[4] == "NL" and declaration in r[3] for r in rows)
    assert "four were two" in rows[1][3]
    text = _text(licence_pdf(licence))
    assert f"Uitvoeraangifte MRN {declaration} van 2026-12-03" in text


def test_brokering_follows_section_b(make_actor: Any, make_org: Any, screening_runs: Any) -> None:
    authority = make_org("authority", "CDIU")
    ex = make_actor("exporter_user", make_org("exporter", "Rotterdam Brokers B.V."))
    cw = make_actor("caseworker", authority)
    app = ready_application(ex, TODAY, kind="brokering")
    app.items_location = "Warehouse 4, Jebel Ali, AE"  # Art. 13(2)
    app.save()
    ops.add_party(ex, app, role="purchaser", name="Gulf Trading LLC", country="AE", today=TODAY)
    ops.submit(ex, app, today=TODAY)
    ops.assign(cw, app, cw.user)
    assess_all(cw, app)
    ops.draft_decision(cw, app, kind="grant", reasons="ok", validity_months=12, today=TODAY)
    ops.approve_draft(make_actor("senior_caseworker", authority), app, today=TODAY)
    app.refresh_from_db()
    licence = app.licence
    licence.language = "en"
    licence.save()
    text = _text(licence_pdf(licence))
    form = load_annex_iii().form("B")
    _in_order(text, [*(w.en for w in form.heading), *_labels(form.sheet("form"), "en", items=1)])
    assert "1bis" not in text.lower().replace(" ", "") and "23. " not in text
    sheet = form.sheet("form")

    def title(n: int) -> str:
        return f"{n}. {sheet.box(n).title.en}"

    assert _between(text, title(5), title(6)) == ""  # exporter in the originating third country
    assert _between(text, title(8), title(9)) == "Code (1): NL"
    assert _between(text, title(9), title(10)) == "Warehouse 4, Jebel Ali, AE Code (1):"
    assert _between(text, title(11), title(12)) == "Code (1): US"
    assert _between(text, title(12), title(13)).startswith("Gulf Trading LLC (Purchaser) — AE")
    assert "(1) See Regulation (EC) No 1172/95 (OJ L 118, 25.5.1995, p. 10)." in text
    assert "Valid throughout the customs territory of the Union (Art. 13(2)" in text


def test_a_transfer_says_annex_iii_has_no_model_for_it(licence: Any) -> None:
    licence.kind = "intra_eu_transfer"
    licence.language = "en"
    licence.save()
    doc = build_document(licence)
    assert doc.model_note.startswith("Annex III of Regulation (EU) 2021/821 has no model")
    assert doc.heading == ("EUROPEAN UNION",) and doc.intro == ()
    assert doc.model == "Regulation (EU) 2021/821, Annex III, Section A"


def test_the_holder_chooses_english_and_the_change_is_audited(
    licence: Any, make_actor: Any
) -> None:
    holder = Client(headers={"accept-language": "nl"})
    holder.force_login(licence.exporter.members.first().user)
    holder.post(f"/licences/{licence.pk}/", {"action": "language", "language": "en"})
    licence.refresh_from_db()
    assert licence.language == "en"
    event = AuditEvent.objects.get(action="licence.language")
    assert event.before == {"language": "nl"} and event.after == {"language": "en"}
    text = _text(holder.get(f"/licences/{licence.pk}/document.pdf").content)
    assert "Individual export authorisation" in text and "6. Issuing authority" in text
    assert "Issued on 2026-12-01" in text and "Exporteur" not in text
    page = holder.get(f"/licences/{licence.pk}/document/").content.decode()
    assert 'lang="en"' in page and "Issuing authority" in page and CHINESE in page
    # the page shows the same boxes in the same order
    form = load_annex_iii().form("A")
    _in_order(page, _labels(form.sheet("form"), "en", 1))
    assert OJ_DISCLAIMER not in page and "besluit van de bevoegde autoriteit" in page  # nl page
    # others cannot change it, and nonsense is refused without a change
    holder.post(f"/licences/{licence.pk}/", {"action": "language", "language": "xx"})
    licence.refresh_from_db()
    assert licence.language == "en"
    customs = Client()
    customs.force_login(make_actor("customs_officer").user)
    assert customs.post(f"/licences/{licence.pk}/",
                        {"action": "language", "language": "nl"}).status_code == 403


def test_without_its_fonts_the_pdf_is_refused_clearly(
    licence: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    monkeypatch.setattr(document, "FONT_DIRS", ())
    settings.PDF_FONT_DIRS = ()
    client = Client(headers={"accept-language": "en"})
    client.force_login(licence.exporter.members.first().user)
    r = client.get(f"/licences/{licence.pk}/document.pdf")
    assert r.status_code == 503 and "fonts-dejavu-core" in r.content.decode()
    assert CHINESE in r.content.decode()  # the same content, as a page


def test_long_conditions_and_descriptions_break_across_pages(licence: Any) -> None:
    licence.conditions = "No re-export without prior consent. " * 600 + "END-OF-CONDITIONS"
    item = licence.items.get()
    item.description = "Thermal imaging core, " * 120 + "END-OF-DESCRIPTION"
    item.save()
    pdf = licence_pdf(licence)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 2
    text = _text(pdf)
    assert "END-OF-CONDITIONS" in text and "END-OF-DESCRIPTION" in text and "90258080" in text


def test_what_the_service_fills_are_boxes_of_the_models(licence: Any) -> None:
    builder = document._Builder(licence)
    for section, filled in (("A", builder.section_a()), ("B", builder.section_b())):
        numbers = {b.number for b in load_annex_iii().form(section).sheet("form").boxes}
        assert set(filled) <= numbers - set(document.ITEM_BOXES[section]), section
