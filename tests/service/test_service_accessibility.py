"""Accessibility checks on every page a role sees (WCAG 2.1 AA, the parts a parser can check):
the page declares its language (3.1.1) and has a title (2.4.2), one h1, a skip link (2.4.1); every
form control has an accessible name (1.3.1, 4.1.2); tables have header cells (1.3.1); ids are
unique (4.1.1)."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from test_service_permissions import PAGES, ROLES

from dualuse.service.web.demo import load_demo

CONTROLS = {"input", "select", "textarea"}


class PageAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.title = ""
        self.h1 = 0
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str]] = []
        self.in_label = 0
        self.in_title = False
        self.tables = 0
        self.ths = 0
        self.skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "title":
            self.in_title = True
        elif tag == "h1":
            self.h1 += 1
        elif tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag == "a" and a.get("href") == "#main":
            self.skip = True
        elif tag == "table":
            self.tables += 1
        elif tag == "th":
            self.ths += 1
        elif tag in CONTROLS and a.get("type") not in {"hidden", "submit"}:
            self.controls.append({**a, "_wrapped": "1" if self.in_label else ""})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1
        elif tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data

    def problems(self) -> list[str]:
        out = []
        if self.lang not in {"nl", "en"}:
            out.append(f"html lang {self.lang!r}")
        if not self.title.removesuffix("· dualuse").strip():
            out.append("no title")
        if self.h1 != 1:
            out.append(f"{self.h1} h1 elements")
        if not self.skip:
            out.append("no skip link")
        for c in self.controls:
            named = c["_wrapped"] or c.get("id") in self.label_for or c.get("aria-label")
            if not named:
                out.append(f"unlabelled {c.get('name')!r}")
        if self.tables and self.ths < self.tables:
            out.append("table without header cells")
        dupes = {i for i in self.ids if self.ids.count(i) > 1}
        if dupes:
            out.append(f"duplicate ids {sorted(dupes)}")
        return out


def demo_world() -> dict[str, Any]:
    """The demo's objects that the page paths of the permission matrix need (exporter 1's)."""
    from dualuse.service.cases.models import Application
    from dualuse.service.catalogue.models import Product
    from dualuse.service.checks.models import TransactionCheck
    from dualuse.service.denials.models import Denial
    from dualuse.service.licences.models import Licence
    from dualuse.service.organisations.models import Organisation

    org1 = Organisation.objects.get(eori="NL800000001")
    granted = Application.objects.get(exporter=org1, state="granted")
    advice = Application.objects.get(state="awaiting_advice")
    return {
        "org1": org1.pk,
        "granted": granted.pk,
        "advice": advice.pk,
        "advice_doc": advice.documents.get().pk,
        "licence": Licence.objects.get(application=granted).pk,
        "mrn": Licence.objects.get(application=granted).items.get().uses.get().declaration_ref,
        "product": Product.objects.get(exporter=org1).pk,
        "check": TransactionCheck.objects.filter(exporter=org1).first().pk,
        "denial": Denial.objects.get(issuing_member_state="DE").pk,
        "own_denial": Denial.objects.get(issuing_member_state="NL").pk,
    }


def test_every_page_passes_the_checks(db: Any, screening_runs: Any) -> None:
    load_demo(dt.date.today())
    w = demo_world()
    users = get_user_model().objects
    failures = []
    audited = 0
    for role in ROLES[1:]:
        client = Client()
        client.force_login(users.get(username=role))
        for name, (build, allowed) in PAGES.items():
            if role not in allowed or name in {"records_export", "licence_pdf", "document"}:
                continue
            r = client.get(build(w), follow=True)
            if "text/html" not in r["Content-Type"] or r.request["PATH_INFO"].startswith("/admin/"):
                continue  # Django's own admin pages are not ours to audit
            audit = PageAudit()
            audit.feed(r.content.decode())
            audited += 1
            failures += [f"{name} as {role}: {p}" for p in audit.problems()]
    assert audited > 50
    assert not failures, "\n".join(failures)
