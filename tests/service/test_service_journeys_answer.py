"""Browser journeys (headless Chromium) for issue 11's answer: the service gives the engine's
whole answer at every step and fails closed.

1. A Russia check (a product picked from the catalogue) shows the sanctions note and the
   explanation tree; a conditional UGEA's questions are answered on the result page.
2. A listed item to RU can neither be submitted nor granted.
3. An ad hoc requirement binds a spelling variant of the end-user it names.
4. Country pickers take names in Dutch and English ("Duitsland" is DE, never GE).
5. A draft is edited; during a request for information the exporter uploads a document and
   corrects a party, and the question and answer stay on both sides' pages.

Set DUALUSE_SHOTS to a folder to keep screenshots of the pages.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from browsing import Session, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_chromium()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

BAN = "Council Regulation (EU) No 833/2014, Art. 2(1)"


@pytest.fixture
def session(browser: Browser, live_server: Any, logins: dict[str, str]) -> Session:
    return Session(browser, live_server.url, logins)


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("DUALUSE_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _form(page: Page, action: str) -> Any:
    return page.locator(f"form:has(input[name=action][value={action}])")


def _add_item(page: Page, code: str, description: str, quantity: str, value: str) -> None:
    form = _form(page, "add_item")
    form.get_by_label("Control code (Annex I)").fill(code)
    form.get_by_label("Description").fill(description)
    form.get_by_label("Quantity").fill(quantity)
    form.get_by_label("Unit").fill("pieces")
    form.get_by_label("Value (EUR)").fill(value)
    form.get_by_role("button", name="Add item").click()


def _check(page: Page, base: str, destination: str, *, code: str = "", description: str = "",
           end_user: str = "", country: str = "") -> None:
    """Fill in and send the check form (English labels)."""
    page.goto(base + "/exporter/checks/")
    page.get_by_label("Countries of destination").fill(destination)
    page.locator("#item-0-control_code").fill(code)
    page.locator("#item-0-description").fill(description)
    if end_user:
        page.get_by_label("End-user", exact=True).fill(end_user)
        page.get_by_label("End-user country").fill(country)
    page.get_by_role("button", name="Check", exact=True).click()


def test_russia_check_shows_the_sanctions_note_and_why(session: Session) -> None:
    ex = session.login("exporter1")
    ex.goto(session.base + "/exporter/checks/")
    ex.get_by_label("Countries of destination").fill("Russia")
    ex.locator("#item-0-product").select_option(label="TIC-640 Thermal imaging core 640x512 "
                                                      "(6A003.b.4)")
    ex.locator("#item-1-description").fill("ball valve, not listed")
    ex.locator("#item-1-cn_code").fill("8481 80 81")
    ex.get_by_label("End-user", exact=True).fill("Volkov Dual Systems")
    ex.get_by_label("End-user country").fill("Russian Federation")
    ex.get_by_role("button", name="Check", exact=True).click()
    expect(ex.locator("#outcome")).to_have_attribute("data-outcome", "prohibited")
    expect(ex.locator("#determination .bases")).to_contain_text(BAN)
    # the valve's CN code is under heading 8481, listed in Annex XXIII (Art. 3k(1))
    expect(ex.locator("#determination .bases")).to_contain_text("Art. 3k(1), Annex XXIII")
    expect(ex.locator("table.items tr[data-index='0']")).to_contain_text("6A003.b.4")
    expect(ex.locator("table.items tr[data-index='0']")).to_contain_text("Imaging cameras")
    expect(ex.locator("#screening-alert")).to_be_visible()  # a listed party resembles it
    expect(ex.locator(".hits")).to_contain_text("DEMO-2")
    ex.locator("details.explanation summary").first.click()
    ban = ex.locator("li[data-rule='sanctions.dual_use_ban'].applies").first
    expect(ban).to_contain_text("EU sanctions: ban on dual-use items to the destination")
    expect(ban).to_contain_text("applies: Prohibited")
    expect(ex.locator("li[data-rule='art04.1.a']").first).to_contain_text("does not apply")
    shot(ex, "check-russia")


def test_a_conditional_ugea_is_answered_on_the_result_page(session: Session) -> None:
    ex = session.login("exporter1")
    ex.goto(session.base + "/exporter/checks/")
    ex.get_by_label("Countries of destination").fill("China")
    ex.locator("#item-0-control_code").fill("5A002.a.1")
    ex.get_by_label("Export after repair or replacement (EU003)").check()
    ex.get_by_role("button", name="Check", exact=True).click()
    expect(ex.locator("tr[data-ugea='EU003']")).to_have_attribute("data-status", "conditional")
    questions = ex.locator("#answers fieldset[data-question^='EU003.']")
    expect(questions).to_have_count(4)
    for fieldset in questions.all():
        fieldset.get_by_label("Yes").check()
    ex.get_by_role("button", name="Check again with these answers").click()
    expect(ex.locator(".messages")).to_contain_text("Checked again with your answers")
    expect(ex.locator("tr[data-ugea='EU003']")).to_have_attribute("data-status", "available")
    expect(ex.locator("tr[data-ugea='EU003']")).to_contain_text("Obligations")
    expect(ex.locator("#answers")).to_have_count(0)


def test_a_listed_item_to_russia_can_neither_be_submitted_nor_granted(session: Session) -> None:
    ex = session.login("exporter1")
    _check(ex, session.base, "RU", description="ball valve, not listed",
           end_user="Volga Pumps OOO", country="Rusland")
    # no CN code: the sanctions' goods lists cannot be checked, and the page asks for it
    expect(ex.locator("#outcome")).to_have_attribute("data-outcome", "undetermined")
    expect(ex.locator("#answers input[name='cn_code:0']")).to_be_visible()
    ex.get_by_role("link", name="Apply for a licence from this check").click()
    ex.locator("#end_use").fill("Pumping station")
    ex.get_by_role("button", name="Create draft").click()
    expect(ex.locator("#undetermined")).to_be_visible()  # no items: not determined, not "free"
    _add_item(ex, "5A002.a.1", "encryption module", "2", "3000")
    expect(ex.locator("#determination")).to_have_attribute("data-outcome", "prohibited")
    expect(ex.locator("#problems")).to_contain_text(f"the export to RU is prohibited ({BAN})")
    ex.get_by_role("button", name="Submit application").click()
    expect(ex.locator(".messages .error")).to_contain_text("RU is prohibited")
    expect(ex.locator("#state")).to_have_text("Draft")
    shot(ex, "application-prohibited")

    # A case that reached a drafted grant before (the old bug's way) cannot be approved.
    from django.contrib.auth import get_user_model

    from dualuse.service.cases.models import Application, Item
    from dualuse.service.organisations.access import actor_of

    caseworker = actor_of(get_user_model().objects.get(username="caseworker"))
    app = Application.objects.get(state="awaiting_information")
    app.destinations = ["RU"]
    app.state = "decision_drafted"
    app.save()
    Item.objects.create(application=app, control_code="5A002.a.1", description="module",
                        quantity=Decimal(1), unit="pieces", value_eur=Decimal(1))
    app.drafts.create(kind="grant", reasons="no concerns", validity_months=24,
                      drafted_by=caseworker.user)
    senior = session.login("senior")
    senior.goto(session.base + f"/authority/cases/{app.pk}/")
    senior.get_by_role("button", name="Approve decision").click()
    expect(senior.locator(".messages .error")).to_contain_text(
        "a grant is impossible: the export to RU is prohibited")
    expect(senior.locator("#state")).to_have_text("Decision drafted: awaiting approval")
    assert not hasattr(Application.objects.get(pk=app.pk), "licence")


def test_an_ad_hoc_requirement_binds_a_spelling_variant(session: Session) -> None:
    cw = session.login("caseworker")
    cw.goto(session.base + "/authority/exporters/")
    cw.get_by_role("link", name="Photonics Delft B.V. (demo)").click()
    cw.get_by_label("Legal basis").select_option("4(1)(a)")
    cw.get_by_label("End-users (one per line; empty: any)").fill(
        "Northwest Polytechnical University")
    cw.get_by_label("Destinations (empty: any)").fill("China")
    cw.locator("#r-reasons").fill("Indications of use in a missile programme")
    cw.get_by_role("button", name="Impose").click()
    expect(cw.locator(".messages")).to_contain_text("Saved")
    # a code that does not exist is refused, not stored
    cw.get_by_label("Control codes (comma-separated; empty: any item)").fill("ZZZ")
    cw.locator("#r-reasons").fill("x")
    cw.get_by_role("button", name="Impose").click()
    expect(cw.locator(".messages .error")).to_contain_text("unknown Annex I code 'ZZZ'")

    ex = session.login("exporter1")
    _check(ex, session.base, "China (CN)", description="vacuum pump, not listed",
           end_user="Northwestern Polytechnical University", country="China")
    expect(ex.locator("#outcome")).to_have_attribute("data-outcome", "authorisation_required")
    expect(ex.locator("#determination .bases")).to_contain_text(
        "Regulation (EU) 2021/821, Art. 4(1)(a)")
    decision = ex.locator(".ad-hoc li[data-binds='true']")
    expect(decision).to_contain_text("resembles one the decision names")
    expect(ex.locator("#answers")).to_contain_text("another organisation than "
                                                   "Northwest Polytechnical University")
    shot(ex, "check-ad-hoc")


def test_country_pickers_take_names_in_dutch(
    browser: Browser, live_server: Any, logins: dict[str, str]
) -> None:
    nl = Session(browser, live_server.url, logins, locale="nl-NL")
    ex = nl.login("exporter1")
    ex.goto(nl.base + "/exporter/checks/")
    expect(ex.locator("#country-options option[value='Duitsland (DE)']")).to_have_count(1)
    destination = ex.locator("#destination")
    destination.fill("Japan (JP), ")
    destination.dispatch_event("input")
    expect(ex.locator("#destination-options option[value='Japan (JP), Zwitserland (CH)']")
           ).to_have_count(1)
    destination.fill("Japan (JP), Zwitserland (CH)")
    ex.locator("#item-0-description").fill("pomp")
    ex.get_by_label("Eindgebruiker", exact=True).fill("Berlin Pumpen GmbH")
    ex.get_by_label("Land van de eindgebruiker").fill("Duitsland")
    ex.get_by_role("button", name="Controleren", exact=True).click()
    expect(ex.locator("#per-destination tr[data-destination='JP']")).to_contain_text("Japan (JP)")
    expect(ex.locator("#per-destination tr[data-destination='CH']")).to_contain_text(
        "Zwitserland (CH)")
    expect(ex.locator("ul.screening")).to_contain_text("Duitsland")
    from dualuse.service.checks.models import TransactionCheck

    check = TransactionCheck.objects.filter(exporter__eori="NL800000001").first()
    assert check.screening[0]["country"] == "DE"  # never GE
    ex.goto(nl.base + "/exporter/checks/")
    ex.get_by_label("Landen van bestemming").fill("Japan")
    ex.locator("#item-0-description").fill("pomp")
    ex.get_by_label("Eindgebruiker", exact=True).fill("Berlin Pumpen GmbH")
    ex.get_by_label("Land van de eindgebruiker").fill("Germny")
    ex.get_by_role("button", name="Controleren", exact=True).click()
    expect(ex.locator(".messages .error")).to_contain_text("unknown country 'Germny'")


def test_draft_editing_and_a_request_for_information(session: Session, tmp_path: Path) -> None:
    from dualuse.service.cases.models import Application

    ex = session.login("exporter2")

    draft = Application.objects.get(state="draft")
    ex.goto(session.base + f"/exporter/applications/{draft.pk}/")
    _add_item(ex, "2B001", "five-axis spindle", "1", "5000")
    row = ex.locator("#items tbody tr").first
    row.get_by_text("Change this item").click()
    row.get_by_label("Quantity").fill("3")
    row.get_by_role("button", name="Save item").click()
    expect(ex.locator("#items")).to_contain_text("3.000 pieces")
    ex.locator("#items").get_by_role("button", name="Remove five-axis spindle").click()
    expect(ex.locator("#items")).to_contain_text("No items yet.")

    # case 2 of the demo waits for the exporter's information
    ex1 = session.login("exporter1")
    waiting = Application.objects.get(state="awaiting_information")
    ex1.goto(session.base + f"/exporter/applications/{waiting.pk}/")
    expect(ex1.locator("#information-requests")).to_contain_text(
        "Please describe the end-user's activities.")
    statement = tmp_path / "signed-end-use-statement.pdf"
    statement.write_bytes(b"%PDF-1.4\n%%EOF\n")
    upload = _form(ex1, "add_document")
    upload.get_by_label("Kind").select_option("end_use_statement")
    upload.get_by_label("File").set_input_files(str(statement))
    upload.get_by_role("button", name="Upload").click()
    expect(ex1.locator("#documents")).to_contain_text("signed-end-use-statement.pdf")
    party = ex1.locator("#parties tbody tr").first
    party.get_by_text("Correct this party").click()
    party.get_by_label("Address (exact location)").fill("Building 4, Dubai Science Park")
    party.get_by_role("button", name="Save party").click()
    expect(ex1.locator("#parties")).to_contain_text("Building 4, Dubai Science Park")
    ex1.get_by_label("Your answer").fill("Research on thermal imaging for firefighting.")
    ex1.get_by_role("button", name="Send answer").click()
    expect(ex1.locator("#state")).to_have_text("In assessment")
    answered = ex1.locator("#information-requests .answer")
    expect(answered).to_contain_text("Research on thermal imaging for firefighting.")
    shot(ex1, "application-after-rfi")

    cw = session.login("caseworker")
    cw.goto(session.base + f"/authority/cases/{waiting.pk}/")
    expect(cw.locator("#information-requests")).to_contain_text(
        "Please describe the end-user's activities.")
    expect(cw.locator("#information-requests")).to_contain_text(
        "Research on thermal imaging for firefighting.")
    expect(cw.locator("main")).to_contain_text("signed-end-use-statement.pdf")
    expect(cw.locator("#parties")).to_contain_text("Building 4, Dubai Science Park")
    shot(cw, "case-page")
