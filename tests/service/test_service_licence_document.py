"""The licence document is a decision of the competent authority: it follows the boxes of the
model in Annex III, Section A of Regulation (EU) 2021/821 (issuing authority, exporter, consignee,
end-user, items with CN code, quantities and values, destination, validity, conditions), is dated
in the Netherlands, is produced in the holder's language and prints every script as written (the
PDF's text is extracted and compared)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader
from service_factories import assess_all, ready_application

from dualuse import OJ_DISCLAIMER
from dualuse.service.audit.models import AuditEvent
from dualuse.service.cases import operations as ops
from dualuse.service.licences import document
from dualuse.service.licences.document import licence_pdf

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


def test_the_pdf_prints_every_script_and_every_box(licence: Any) -> None:
    text = _text(licence_pdf(licence))
    for name in (CHINESE, ARABIC, CYRILLIC):
        assert name in text, name
    assert "?" not in text.replace("(?)", "")
    assert "Individuele uitvoervergunning" in text  # the holder is established in NL: Dutch
    for box in ("1. Exporteur", "2. Identificatienummer", "3. Vervaldatum", "5. Ontvanger",
                "6. Afgevende autoriteit", "11. Eindgebruiker", "12. Land van eindbestemming",
                "13. Tussenliggende ontvanger(s)", "20. Eindgebruik"):
        assert box in text, box
    assert "Delft Optics B.V." in text and "Mekelweg 1, Delft" in text
    assert "CDIU" in text and "Postbus 30003, 9700 RD Groningen" in text
    assert "90258080" in text and "6A003.b.4" in text  # CN code and control list number
    assert "10.000 pieces" in text and "EUR 25000.00" in text
    assert "US" in text and licence.valid_to.isoformat() in text
    assert "No re-export to RU" in text
    assert "Afgegeven op 2026-12-01" in text and "2026-11-30" not in text
    assert "decision of the" not in text and OJ_DISCLAIMER[:40] not in text


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
