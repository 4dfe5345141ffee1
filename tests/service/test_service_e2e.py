"""End-to-end journeys in headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

1. An exporter checks a transaction, applies from the check, answers a request for information;
   a caseworker assesses, a senior approves; the licence shows its remaining quantity, which drops
   when customs writes an export off.
2. A denial, after Foreign Affairs advises against.
3. An ad hoc requirement imposed by the authority changes the exporter's next check.
4. The pages speak Dutch to a Dutch browser.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browsing import Session, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_chromium()

from playwright.sync_api import Browser, Page, expect  # noqa: E402


@pytest.fixture
def session(browser: Browser, live_server: Any, logins: dict[str, str]) -> Session:
    return Session(browser, live_server.url, logins)


def _post_form(page: Page, action: str) -> Any:
    return page.locator(f"form:has(input[name=action][value={action}])")


def test_journey_check_apply_rfi_assess_approve_licence(session: Session, tmp_path: Path) -> None:
    ex = session.login("exporter1")
    ex.goto(session.base + "/exporter/checks/")
    ex.get_by_label("Countries of destination (ISO codes, comma-separated)").fill("US")
    ex.locator("#items").fill("6A003.b.4; thermal imaging core")
    ex.get_by_label("End-user", exact=True).fill("Example Optics Inc (demo)")
    ex.get_by_label("End-user country (ISO code)").fill("US")
    ex.get_by_role("button", name="Check", exact=True).click()
    expect(ex.locator("#outcome")).to_have_attribute("data-outcome", "authorisation_required")
    expect(ex.locator("#outcome")).to_have_text("Authorisation required")
    expect(ex.locator("main")).to_contain_text("Art. 3(1)")
    ex.get_by_role("link", name="Apply for a licence from this check").click()
    expect(ex.locator("#destinations")).to_have_value("US")
    ex.locator("#end_use").fill("Industrial inspection")
    ex.get_by_role("button", name="Create draft").click()
    expect(ex.locator("#state")).to_have_text("Draft")
    form = _post_form(ex, "add_party")
    form.get_by_label("Role").select_option("end_user")
    form.get_by_label("Name").fill("Example Optics Inc (demo)")
    form.get_by_label("Address (exact location)").fill("1 Optics Way, Boston")
    form.get_by_label("Country (ISO code)").fill("US")
    form.get_by_role("button", name="Add party").click()
    form = _post_form(ex, "add_item")
    form.get_by_label("Control code (Annex I)").fill("6A003.b.4")
    form.get_by_label("Description").fill("Thermal imaging core")
    form.get_by_label("Quantity").fill("10")
    form.get_by_label("Unit").fill("pieces")
    form.get_by_label("Value (EUR)").fill("30000")
    form.get_by_role("button", name="Add item").click()
    expect(ex.locator("main")).to_contain_text("Thermal imaging core")
    statement = tmp_path / "end-use-statement.pdf"
    statement.write_bytes(b"%PDF-1.4\n%%EOF\n")
    form = _post_form(ex, "add_document")
    form.get_by_label("File").set_input_files(str(statement))
    form.get_by_role("button", name="Upload").click()
    expect(ex.locator("main")).to_contain_text("end-use-statement.pdf")
    ex.get_by_role("button", name="Submit application").click()
    expect(ex.locator(".messages")).to_have_text("Saved.")
    expect(ex.locator("#state")).to_have_text("Submitted")
    reference = ex.locator("h1").inner_text().split(" ")[0]

    cw = session.login("caseworker")
    cw.goto(session.base + "/authority/")
    cw.get_by_role("link", name=reference).first.click()
    expect(cw.locator("main")).to_contain_text("No match")  # party screening ran
    cw.get_by_role("button", name="Assign to me").click()
    expect(cw.locator("#state")).to_have_text("In assessment")
    cw.get_by_label("Request information from the exporter (stops the clock)").fill(
        "Who owns the end-user?"
    )
    cw.get_by_role("button", name="Send request").click()
    expect(cw.locator("#state")).to_have_text("Awaiting information from the exporter")
    expect(cw.locator(".clock")).to_contain_text("clock stopped")

    ex.goto(ex.url)
    ex.get_by_label("Your answer").fill("Example Holdings, listed in Boston")
    ex.get_by_role("button", name="Send answer").click()
    expect(ex.locator("#state")).to_have_text("In assessment")

    cw.reload()
    for form in cw.locator("form:has(input[name=action][value=assess])").all():
        form.get_by_label("Note").fill("No concern found")
        form.get_by_role("button", name="Record").click()
    expect(cw.locator(".blockers")).to_have_count(0)
    cw.locator("#d-reasons").fill("No concerns under Art. 15")
    cw.locator("#d-cond").fill("No re-export")
    cw.get_by_role("button", name="Submit draft for approval").click()
    expect(cw.locator("#state")).to_have_text("Decision drafted: awaiting approval")

    sr = session.login("senior")
    sr.goto(session.base + "/authority/")
    sr.get_by_role("link", name=reference).first.click()
    sr.get_by_role("button", name="Approve decision").click()
    expect(sr.locator("#state")).to_have_text("Granted")
    sr.get_by_role("link", name=re.compile(r"^Licence NL-DU-")).click()
    expect(sr.locator("#licence-items .remaining-qty")).to_have_text("10.000 pieces")
    number = sr.locator("h1").inner_text().removeprefix("Licence ").strip()

    customs = session.login("customs")
    customs.goto(session.base + f"/licences/?q={number}")
    customs.get_by_role("link", name=number).click()
    customs.get_by_label("Quantity").fill("4")
    customs.get_by_label("Value (EUR)").fill("12000")
    customs.get_by_label("Export declaration (MRN)").fill("26NL0000000E2E01A6")
    customs.get_by_role("button", name="Record export").click()
    expect(customs.locator("#licence-items .remaining-qty")).to_have_text("6.000 pieces")

    ex.goto(session.base + "/exporter/")
    expect(ex.locator("main")).to_contain_text("6.000 pieces")
    pdf = ex.request.get(session.base + sr.url.removeprefix(session.base) + "document.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")


def test_journey_denial_after_foreign_affairs_advice(session: Session) -> None:
    # The demo's PK case is waiting for Foreign Affairs.
    fa = session.login("adviser")
    fa.goto(session.base + "/advice/")
    fa.locator("main table a").first.click()
    reference = fa.locator("h1").inner_text().split()[-1]
    fa.get_by_label("Recommendation").select_option("objection")
    fa.get_by_label("Advice and reasons").fill("Unacceptable risk of diversion to a WMD programme")
    fa.get_by_role("button", name="Give advice").click()
    expect(fa.locator(".messages")).to_contain_text("Advice given")

    cw = session.login("caseworker")
    cw.goto(session.base + "/authority/")
    cw.get_by_role("link", name=reference).first.click()
    expect(cw.locator("main")).to_contain_text("PK")
    expect(cw.locator("main")).to_contain_text("Objection: deny")
    cw.locator("#d-kind").select_option("deny")
    cw.locator("#d-reasons").fill("Art. 15(1)(d): risk of diversion; Foreign Affairs objects")
    cw.get_by_role("button", name="Submit draft for approval").click()
    expect(cw.locator("#state")).to_have_text("Decision drafted: awaiting approval")
    # four eyes: the caseworker cannot approve
    expect(cw.get_by_role("button", name="Approve decision")).to_have_count(0)

    sr = session.login("senior")
    sr.goto(cw.url)
    sr.get_by_role("button", name="Approve decision").click()
    expect(sr.locator("#state")).to_have_text("Denied")
    sr.get_by_role("link", name="Full history (audit trail)").click()
    expect(sr.locator("main")).to_contain_text("application.approve_denial")


def test_journey_ad_hoc_requirement_changes_next_check(session: Session) -> None:
    def check_pk(page: Page) -> str:
        page.goto(session.base + "/exporter/checks/")
        page.get_by_label("Countries of destination (ISO codes, comma-separated)").fill("IN")
        page.locator("#items").fill("; CNC lathe, not listed")
        page.get_by_role("button", name="Check", exact=True).click()
        return page.locator("#outcome").get_attribute("data-outcome") or ""

    ex = session.login("exporter1-admin")
    assert check_pk(ex) == "no_authorisation_required"

    cw = session.login("caseworker")
    cw.goto(session.base + "/authority/exporters/")
    cw.get_by_role("link", name="Photonics Delft B.V. (demo)").click()
    cw.get_by_label("Legal basis").select_option("4(1)(a)")
    cw.get_by_label("Destinations (ISO codes; empty: any)").fill("IN")
    cw.get_by_label("Items (description)").fill("machine tools, not listed")
    cw.locator("#r-reasons").fill("Indications of use in a WMD programme")
    cw.get_by_role("button", name="Impose").click()
    expect(cw.locator(".messages")).to_contain_text("Saved")

    assert check_pk(ex) == "authorisation_required"
    expect(ex.locator("main")).to_contain_text("Art. 4(1)(a)")
    ex.goto(session.base + "/exporter/")
    expect(ex.locator("main")).to_contain_text("Bsg Art. 3(2)")


def test_pages_speak_dutch(browser: Browser, live_server: Any, logins: dict[str, str]) -> None:
    nl = Session(browser, live_server.url, logins, locale="nl-NL")
    page = nl.login("exporter1")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("nav")).to_contain_text("Nieuwe aanvraag")


def test_licence_search_filters_in_place_with_htmx(session: Session) -> None:
    page = session.login("customs")
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto(session.base + "/licences/")
    expect(page.locator("#licence-table tbody tr")).to_have_count(1)
    url = page.url
    page.get_by_label("Licence number or exporter").press_sequentially("no such licence")
    expect(page.locator("#licence-table tbody")).to_contain_text("None.")
    assert page.url == url  # swapped in place, no navigation
    assert not violations
