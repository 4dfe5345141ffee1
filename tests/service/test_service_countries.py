"""Country pickers: a name in Dutch or English or an ISO code, resolved on the server; typing
"Germany" never stores GE (Georgia); an unknown country is refused with the nearest names."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from service_factories import mrn

from dualuse.errors import UnknownCountryError
from dualuse.service.web.countries import country_name, options, resolve_countries, resolve_country

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "dualuse" / "service" / "templates"


@pytest.mark.parametrize(("typed", "code"), [
    ("Germany", "DE"), ("germany", "DE"), ("Duitsland", "DE"), ("DE", "DE"), ("de", "DE"),
    ("Germany (DE)", "DE"), ("Duitsland (DE)", "DE"), ("GE", "GE"), ("Georgia", "GE"),
    ("Georgië", "GE"), ("Russia", "RU"), ("Russian Federation", "RU"), ("Rusland", "RU"),
    ("Verenigde Staten", "US"), ("USA", "US"), ("Côte d'Ivoire", "CI"), ("Ivoorkust", "CI"),
    ("Virgin Islands, British", "VG"), ("UK", "GB"), ("EL", "GR"),
])
def test_names_and_codes_resolve(typed: str, code: str) -> None:
    assert resolve_country(typed) == code


@pytest.mark.parametrize("typed", ["Germny", "ZZ", "ZZZ", "Germany (GE)", "Holland-ish", ""])
def test_what_is_no_country_is_refused_with_the_field(typed: str) -> None:
    with pytest.raises(UnknownCountryError) as err:
        resolve_country(typed, field="end_user_country")
    assert err.value.field == "end_user_country"
    if typed == "Germny":
        assert "Germany (DE)" in str(err.value) or "Duitsland (DE)" in str(err.value)
    if typed == "Germany (GE)":
        assert "not GE" in str(err.value)


def test_several_and_names_with_commas() -> None:
    assert resolve_countries("Germany, Virgin Islands, British (VG); Japan") == ["DE", "VG", "JP"]
    assert resolve_countries(["Duitsland", "DE", "us"]) == ["DE", "US"]
    with pytest.raises(UnknownCountryError) as err:
        resolve_countries("Japan, Germny")
    assert err.value.field == "countries[1]"


def test_names_in_both_languages() -> None:
    with translation.override("nl"):
        assert country_name("DE") == "Duitsland"
        assert ("DE", "Duitsland (DE)") in options()
    with translation.override("en"):
        assert country_name("DE") == "Germany"
        assert ("GE", "Georgia (GE)") in options()
    assert len(options("en")) == len(options("nl")) == 249


def test_no_country_input_is_cut_to_two_letters() -> None:
    """A two-letter limit on a country field is what turned "Germany" into GE."""
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'maxlength="2"', text), path
        plain = re.findall(r'<input[^>]*name="([a-z_]*(?:country|destination)[a-z_]*)"', text)
        assert not plain, f"{path}: {plain} not country pickers"


@pytest.fixture
def world(db: Any, screening_runs: Any) -> dict[str, Any]:
    from dualuse.service.web.demo import load_demo

    load_demo(dt.date.today())
    users = get_user_model().objects

    def client(name: str) -> Client:
        c = Client(headers={"accept-language": "en"})
        c.force_login(users.get(username=name))
        return c

    return {n: client(n) for n in ("exporter1", "exporter2", "caseworker", "customs")}


def test_every_country_form_stores_the_code_of_the_name_typed(world: dict[str, Any]) -> None:
    from dualuse.service.cases.models import Application
    from dualuse.service.checks.models import Notification, TransactionCheck
    from dualuse.service.denials.models import Denial
    from dualuse.service.licences.models import ExportHold, Licence

    ex = world["exporter1"]
    r = ex.post("/exporter/checks/", {
        "activity": "export", "destination": "Zwitserland, Japan", "item-0-description": "pump",
        "end_user_name": "Berlin Pumpen GmbH", "end_user_country": "Germany"})
    assert r.status_code == 302, r.content.decode()[:2000]
    check = TransactionCheck.objects.filter(exporter__eori="NL800000001").first()
    assert check.destinations == ["CH", "JP"] and check.screening[0]["country"] == "DE"
    before = TransactionCheck.objects.count()
    page = ex.post("/exporter/checks/", {"destination": "Germny",
                                         "item-0-description": "pump"}).content.decode()
    assert "unknown country" in page and "did you mean" in page
    assert TransactionCheck.objects.count() == before

    r = ex.post("/exporter/applications/new/", {
        "kind": "individual", "destinations": "United States (US)", "end_use": "x"})
    app = Application.objects.filter(exporter__eori="NL800000001").first()
    assert r.status_code == 302 and app.destinations == ["US"]
    ex.post(f"/exporter/applications/{app.pk}/", {
        "action": "add_party", "role": "end_user", "name": "Berlin Optik GmbH",
        "country": "Germany"})
    assert app.parties.get().country == "DE"

    ex.post("/notifications/", {"kind": "art_4_2", "items": "pump", "destination": "Iran",
                                "facts": "told"})
    assert Notification.objects.filter(destination="IR").exists()

    licence = Licence.objects.filter(exporter__eori="NL800000001").first()
    world["customs"].post("/holds/", {
        "action": "hold", "eori": "NL800000001", "licence": licence.number,
        "declaration_ref": mrn("26NL0000000000HLD"), "destination": "Verenigde Staten",
        "items": "cores", "ground": "21(3)(b)", "facts": "tip-off"})
    assert ExportHold.objects.get().destination == "US"

    world["caseworker"].post("/authority/denials/", {
        "action": "receive", "issuing_member_state": "Germany", "reference": "DE-X-1",
        "decision": "refused", "activity": "export", "control_codes": "6A003.b.4",
        "items": "cores", "destinations": "Pakistan, Iran", "reasons": "risk",
        "decided_on": "2026-01-01"})
    received = Denial.objects.get(reference="DE-X-1")
    assert received.issuing_member_state == "DE" and received.destinations == ["PK", "IR"]
