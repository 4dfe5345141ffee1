"""Journeys in headless Chromium for customs holds and depletion, UGEA dates, the list store and
the licence document:

1. Customs checks a declaration, sees the exporter's registrations, bar and requirements, holds
   the MRN; the held MRN cannot be written off until the authority releases it.
2. The same MRN twice depletes once; a correction is a reversal entry.
3. An EU007 first export planned a week ahead is refused; five weeks ahead is registered.
4. A list change flags a licensed end-user to the caseworker, who acknowledges it; an exact hit on
   an exporter's check reads as an exact match above the determination.
5. The holder takes the licence document in English; the PDF carries the boxes of Annex III.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from browsing import Session, require_chromium
from service_factories import mrn

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_chromium()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

TODAY = dt.date.today()
HELD = mrn(f"{TODAY:%y}NL00000000E2EHA")
TWICE = mrn(f"{TODAY:%y}NL00000000E2ETA")


@pytest.fixture
def session(browser: Browser, live_server: Any, logins: dict[str, str]) -> Session:
    return Session(browser, live_server.url, logins)


def _licence_page(page: Page, session: Session) -> None:
    page.goto(session.base + "/licences/")
    page.locator("#licence-table tbody a").first.click()


def _write_off(page: Page, declaration: str, quantity: str) -> None:
    form = page.locator("form:has(input[name=action][value=use])")
    form.get_by_label("Quantity").fill(quantity)
    form.get_by_label("Value (EUR)").fill("3000")
    form.get_by_label("Export declaration (MRN)").fill(declaration)
    form.get_by_role("button", name="Record export").click()


def test_journey_a_held_mrn_cannot_be_written_off(session: Session) -> None:
    customs = session.login("customs")
    customs.get_by_role("link", name="Check a declaration").click()
    customs.get_by_label("Export declaration (MRN)").fill("hello")
    customs.get_by_role("button", name="Check").click()
    expect(customs.locator("#mrn-error")).to_contain_text("is not a Movement Reference Number")
    customs.get_by_label("Export declaration (MRN)").fill(HELD)
    customs.get_by_label("Exporter's EORI").fill("NL800000001")
    customs.get_by_role("button", name="Check").click()
    expect(customs.locator("#declaration-free")).to_be_visible()
    expect(customs.locator("#no-ugea-bar")).to_be_visible()
    expect(customs.locator("#panel-licences")).to_contain_text("NL-DU-")
    customs.get_by_role("link", name="Suspend this export and consult the authority").click()
    expect(customs.locator("#h-eori")).to_have_value("NL800000001")
    expect(customs.locator("#h-mrn")).to_have_value(HELD)
    customs.get_by_label("Destination (ISO code)").fill("US")
    customs.get_by_label("Items concerned").fill("thermal imaging cores")
    customs.get_by_label("Grounds for suspicion").fill("consignee linked to a listed party")
    customs.get_by_role("button", name="Suspend and consult the authority").click()
    expect(customs.locator(".messages")).to_contain_text("Saved")

    _licence_page(customs, session)
    before = customs.locator("#licence-items .remaining-qty").inner_text()
    _write_off(customs, HELD, "2")
    expect(customs.locator(".messages")).to_contain_text(f"customs holds declaration {HELD}")
    expect(customs.locator("#licence-items .remaining-qty")).to_have_text(before)
    licence_url = customs.url

    cw = session.login("caseworker")
    cw.get_by_role("link", name="Held exports").click()
    row = cw.locator("tr", has_text=HELD)
    row.get_by_label("Decision").select_option("released")
    row.get_by_label("Reasons").fill("no concern after checking the consignee")
    row.get_by_role("button", name="Decide").click()
    expect(cw.locator(".messages")).to_contain_text("Saved")

    customs.goto(licence_url)
    _write_off(customs, HELD, "2")
    expect(customs.locator(".messages")).to_have_text("Saved.")
    expect(customs.locator("#licence-items .remaining-qty")).not_to_have_text(before)
    expect(customs.locator(f"#ledger tr[data-mrn='{HELD}']")).to_have_count(1)


def test_journey_the_same_mrn_twice_depletes_once(session: Session) -> None:
    ex = session.login("exporter1")
    _licence_page(ex, session)
    expect(ex.locator("#licence-items .remaining-qty")).to_have_text("15.000 pieces")
    _write_off(ex, TWICE, "2")
    expect(ex.locator("#licence-items .remaining-qty")).to_have_text("13.000 pieces")
    _write_off(ex, TWICE.lower(), "2")
    expect(ex.locator(".messages")).to_contain_text(f"Declaration {TWICE} was already written off")
    expect(ex.locator("#licence-items .remaining-qty")).to_have_text("13.000 pieces")
    row = ex.locator(f"#ledger tr.entry-write_off[data-mrn='{TWICE}']")
    row.get_by_text("Correct", exact=True).click()
    row.get_by_label("Corrected quantity (empty: reverse the write-off)").fill("1")
    row.get_by_label("Reasons").fill("one camera stayed behind")
    row.get_by_role("button", name="Record correction").click()
    expect(ex.locator("#licence-items .remaining-qty")).to_have_text("14.000 pieces")
    expect(ex.locator(f"#ledger tr.entry-reversal[data-mrn='{TWICE}']")).to_contain_text("-2.000")
    expect(ex.locator(f"#ledger tr.entry-correction[data-mrn='{TWICE}']")).to_contain_text("1.000")


def test_journey_ugea_dates_are_checked(session: Session) -> None:
    ex = session.login("exporter2")
    ex.get_by_role("link", name="General authorisations").click()
    ex.get_by_label("UGEA").select_option("EU007")
    ex.get_by_label("Planned first export").fill((TODAY + dt.timedelta(days=7)).isoformat())
    ex.get_by_role("button", name="Register").click()
    earliest = (TODAY + dt.timedelta(days=30)).isoformat()
    expect(ex.locator(".messages")).to_contain_text(f"planned on {earliest} or later")
    expect(ex.locator("main table tbody")).to_contain_text("None.")
    ex.get_by_label("UGEA").select_option("EU007")
    ex.get_by_label("Planned first export").fill((TODAY + dt.timedelta(days=35)).isoformat())
    ex.get_by_role("button", name="Register").click()
    expect(ex.locator("main table tbody")).to_contain_text("EU007")
    expect(ex.locator("main table tbody")).to_contain_text("Awaiting acknowledgement")


def test_journey_a_list_change_flags_the_caseworker(session: Session, settings: Any) -> None:
    from pathlib import Path

    from django.contrib.auth import get_user_model

    from dualuse.batch.lists_update import store_list
    from dualuse.service.checks.determine import run_check
    from dualuse.service.lists.middleware import check_now
    from dualuse.service.organisations.access import actor_of
    from dualuse.service.web.demo import DEMO_LIST

    amended = DEMO_LIST + "DEMO-9,Example Optics Inc (demo),Organization,US,DEMO LIST - added\n"
    result = store_list(Path(settings.SCREENING_LISTS_DIR), "demo_list",
                        {"demo-list-made-up-parties.csv": amended.encode()})
    assert result.status == "updated"
    check_now()
    cw = session.login("caseworker")  # the service notices the change on this request
    cw.get_by_role("link", name="Screening alerts").click()
    row = cw.locator("#alerts tbody tr", has_text="Example Optics Inc (demo)").first
    expect(row).to_contain_text("Exact match")
    expect(row).to_contain_text("NL-DU-")
    row.get_by_label("Note").fill("licence holder asked for the end-user's ownership")
    row.get_by_role("button", name="Acknowledge").click()
    expect(cw.locator(".messages")).to_contain_text("Saved")
    expect(cw.locator("#list-changes")).to_contain_text("demo_list")

    exporter = actor_of(get_user_model().objects.get(username="exporter1"))
    check = run_check(
        exporter,
        {"activity": "export", "destination": "US",
         "items": [{"control_code": None, "description": "garden hose"}]},
        [{"role": "end_user", "name": "Sanctioned Trading LLC", "country": "IR"}],
        today=TODAY,
    )
    ex = session.login("exporter1")
    ex.goto(session.base + f"/exporter/checks/{check.pk}/")
    expect(ex.locator("#screening-alert")).to_be_visible()
    expect(ex.locator("#check-screening")).to_contain_text("Exact match on a list")
    alert_box = ex.locator("#screening-alert").bounding_box()
    outcome_box = ex.locator("#outcome").bounding_box()
    assert alert_box and outcome_box and alert_box["y"] < outcome_box["y"]


def test_journey_the_licence_document_in_the_holders_language(session: Session) -> None:
    from pypdf import PdfReader

    ex = session.login("exporter1")
    _licence_page(ex, session)
    ex.get_by_label("Language of the licence document").select_option("en")
    ex.locator("form:has(input[name=action][value=language])").get_by_role("button").click()
    ex.get_by_role("link", name="Licence document").click()
    doc = ex.locator("article.licence-doc")
    expect(doc).to_have_attribute("lang", "en")
    expect(doc).to_contain_text("6. Issuing authority")
    expect(doc).to_contain_text("CDIU (demo)")
    expect(doc).not_to_contain_text("decision of the competent authority")
    pdf = ex.request.get(ex.url.removesuffix("document/") + "document.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Individual export authorisation" in text and "12. Country of final destination" in text
    assert "Example Optics Inc (demo)" in text and "6A003.b.4" in text
