"""WCAG 2.1 AA in a real browser: axe-core (the copy shipped by axe-playwright-python) runs its
WCAG 2.0 and 2.1 level A and AA rules on every page of the permission matrix, as one role allowed
to see it (the login page anonymously), on pages in further case states, in Dutch and English, and
on each page again after its htmx interaction has swapped new content in. Any violation fails the
test, reported by rule, impact and the selectors of the offending elements."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import Session, require_chromium
from test_service_accessibility import demo_world
from test_service_permissions import ANON, PAGES, ROLES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_chromium()

from playwright.sync_api import Page, expect  # noqa: E402

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}}
AXE = Axe()
# Not HTML (CSV, PDF, an uploaded file): nothing for axe to read.
NOT_PAGES = {"records_export", "licence_pdf", "document", "denial_notification"}
# Pages in the two languages (the rest in English): the start page and a case page per side.
BOTH_LANGUAGES = {"login", "dashboard", "application", "case"}


def axe_findings(page: Page, where: str) -> list[str]:
    """One line per offending element: where, rule id, impact, the rule's help, its selectors.

    A violation fails, and so does a result axe could not decide ("incomplete", e.g. the contrast
    of text whose background it cannot see): an unverified criterion is not a met one."""
    results = AXE.run(page, options=AXE_OPTIONS).response
    return [
        f"{where}: {kind} {rule['id']} ({rule['impact']}) {rule['help']}: "
        + " > ".join(map(str, node["target"]))
        for kind in ("violations", "incomplete")
        for rule in results[kind]
        for node in rule["nodes"]
    ]


def _viewer(allowed: set[str]) -> str:
    return next(role for role in ROLES if role in allowed and role != ANON)


def _more_states(w: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Case pages in states with forms the matrix's granted case no longer shows."""
    from dualuse.service.cases.models import Application

    def pk(**filters: Any) -> int:
        return int(Application.objects.get(**filters).pk)

    waiting = pk(state="awaiting_information")
    return {
        "application (draft)": ("exporter2", f"/exporter/applications/{pk(state='draft')}/"),
        "application (answer)": ("exporter1", f"/exporter/applications/{waiting}/"),
        "case (information)": ("caseworker", f"/authority/cases/{waiting}/"),
        "case (advice)": ("senior", f"/authority/cases/{w['advice']}/"),
        "case (submitted)": ("caseworker", f"/authority/cases/{pk(state='submitted')}/"),
        "advice (form)": ("adviser", f"/advice/{w['advice']}/"),
    }


class Pages:
    """One logged-in page per role and language, reused across the pages that role visits."""

    def __init__(self, browser: Any, base: str, logins: dict[str, str]) -> None:
        self.sessions = {lang: Session(browser, base, logins, locale) for lang, locale in LOCALES}
        self.base = base
        self.open: dict[tuple[str, str], Page] = {}

    def as_(self, role: str, lang: str) -> Page:
        if (role, lang) not in self.open:
            session = self.sessions[lang]
            if role == ANON:
                page = session.browser.new_context(locale=session.locale).new_page()
            else:
                page = session.login(role)
            self.open[role, lang] = page
        return self.open[role, lang]

    def visit(self, role: str, lang: str, path: str) -> Page:
        page = self.as_(role, lang)
        page.goto(self.base + path)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        # Contrast is judged on the colours our stylesheet sets: it must have loaded.
        expect(page.locator("body")).to_have_css("color", "rgb(27, 27, 27)")
        return page


LOCALES = [("en", "en-GB"), ("nl", "nl-NL")]


def test_every_page_passes_axe(browser: Any, live_server: Any, logins: dict[str, str]) -> None:
    w = demo_world()
    visits = [
        (name, ANON if name == "login" else _viewer(allowed), build(w))
        for name, (build, allowed) in PAGES.items()
        if name not in NOT_PAGES
    ]
    visits += [(name, role, path) for name, (role, path) in _more_states(w).items()]
    pages = Pages(browser, live_server.url, logins)
    failures: list[str] = []
    audited = 0
    for name, role, path in visits:
        for lang, _ in LOCALES:
            if lang == "nl" and name not in BOTH_LANGUAGES:
                continue
            page = pages.visit(role, lang, path)
            if page.url.startswith(live_server.url + "/admin/"):
                continue  # the system administrator's start page is Django's admin, not ours
            failures += axe_findings(page, f"{name} {path} as {role} ({lang})")
            audited += 1
    assert audited >= len(visits) + len(BOTH_LANGUAGES) - 1, audited
    assert not failures, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(failures)


def test_pages_after_htmx_swaps_pass_axe(
    browser: Any, live_server: Any, logins: dict[str, str]
) -> None:
    w = demo_world()
    pages = Pages(browser, live_server.url, logins)
    failures: list[str] = []

    # The licence search filters the table in place as the officer types.
    page = pages.visit("customs", "en", "/licences/")
    page.get_by_label("Licence number or exporter").press_sequentially("NL-DU")
    expect(page.locator("#licence-table tbody tr")).to_have_count(1)
    failures += axe_findings(page, "licence search, matches")
    page.get_by_label("Licence number or exporter").fill("no such licence")
    expect(page.locator("#licence-table tbody")).to_contain_text("None.")
    failures += axe_findings(page, "licence search, no match")

    # The product page swaps in Annex I suggestions from the classification assistant.
    page = pages.visit("exporter1", "en", f"/exporter/products/{w['product']}/")
    page.get_by_role("link", name="Suggest Annex I codes from the description").click()
    expect(page.locator("#suggestions li").first).to_be_visible()
    assert "suggest=1" not in page.url  # swapped in place, not followed as a link
    failures += axe_findings(page, "product suggestions")
    assert not failures, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(failures)


def test_the_check_reports_rule_impact_and_selector(browser: Any) -> None:
    # The same options on a page with known faults: the check is only as good as what it catches.
    page = browser.new_page()
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>faults</title></head><body><main>'
        '<h1>Faults</h1><p id="faint" style="color:#aaa">faint text</p>'
        '<input id="unnamed"><img id="pic" src="data:,"></main></body></html>'
    )
    found = "\n".join(axe_findings(page, "faults"))
    page.close()
    assert "faults: violations color-contrast (serious)" in found and "#faint" in found
    assert "label (critical)" in found and "#unnamed" in found
    assert "image-alt (critical)" in found and "#pic" in found
