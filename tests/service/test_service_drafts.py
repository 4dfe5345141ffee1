"""Drafts are editable (items, parties, documents, destinations and facts); during a request for
information the exporter uploads documents and corrects parties, and the question and answer stay
on both sides' case pages. Every change is audited with before and after, and determined again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from service_factories import pdf, ready_application

from dualuse.service.audit.models import AuditEvent
from dualuse.service.cases import operations as ops
from dualuse.service.cases.workflow import IllegalTransitionError


@pytest.fixture
def people(make_actor: Any, make_org: Any, screening_runs: Any) -> dict[str, Any]:
    authority = make_org("authority", "CDIU")
    return {
        "exporter": make_actor("exporter_user"),
        "other": make_actor("exporter_user"),
        "caseworker": make_actor("caseworker", authority),
    }


def _client(actor: Any) -> Client:
    c = Client(headers={"accept-language": "en"})
    c.force_login(actor.user)
    return c


ITEM = {"control_code": "6A003.b.4", "description": "thermal camera", "quantity": "3",
        "unit": "pieces", "value_eur": "9000", "cn_code": "90258080"}


def test_a_draft_is_edited_from_its_page(people: dict[str, Any]) -> None:
    today = dt.date.today()
    ex = people["exporter"]
    app = ready_application(ex, today, destination="US")
    web = _client(ex)
    url = f"/exporter/applications/{app.pk}/"
    item = app.items.get()
    r = web.post(url, {"action": "update_item", "item": item.pk, **ITEM,
                       "control_code": "", "description": "camera housing", "quantity": "5"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.control_code, item.description, item.quantity) == ("", "camera housing", 5)
    event = AuditEvent.objects.filter(action="item.update").get()
    assert event.before["control_code"] == "6A003.b.4" and event.after["control_code"] == ""
    assert app.determination.outcome == "no_authorisation_required"
    # the facts of the transaction: aware of a WMD end-use makes it an Art. 4(2) notification
    web.post(url, {"action": "update", "destinations": "Verenigde Staten, Canada",
                   "end_use": "research", "aware_of": ["wmd"]})
    app.refresh_from_db()
    assert app.destinations == ["US", "CA"] and app.facts == {"aware_of": ["wmd"]}
    assert app.determination.outcome == "notify_authority"
    assert "Regulation (EU) 2021/821, Art. 4(2)" in app.determination.legal_bases
    consignee = app.parties.get(role="consignee")
    web.post(url, {"action": "update_party", "party": consignee.pk, "role": "consignee",
                   "name": "Acme Logistics", "country": "Canada", "address": "Toronto"})
    consignee.refresh_from_db()
    assert (consignee.name, consignee.country) == ("Acme Logistics", "CA")
    web.post(url, {"action": "remove_party", "party": consignee.pk})
    assert not app.parties.filter(role="consignee").exists()
    doc = app.documents.get()
    web.post(url, {"action": "remove_document", "document": doc.pk})
    assert not app.documents.exists()
    assert AuditEvent.objects.filter(action="document.remove").get().before["sha256"] == doc.sha256
    web.post(url, {"action": "remove_item", "item": item.pk})
    assert not app.items.exists()
    assert app.determination.incomplete  # nothing left to determine: not 'no authorisation'
    # hostile or wrong input changes nothing and is never a 500
    for bad in ({"action": "remove_item", "item": "abc"}, {"action": "update_item", "item": "1x"},
                {"action": "remove_party", "party": ""}, {"action": "nonsense"}):
        assert web.post(url, bad).status_code in (302, 404)
    r = web.post(url, {"action": "update", "destinations": "Germny", "end_use": "x"},
                 follow=True)
    assert "unknown country" in r.content.decode()
    app.refresh_from_db()
    assert app.destinations == ["US", "CA"]


def test_another_exporter_cannot_touch_the_draft(people: dict[str, Any]) -> None:
    today = dt.date.today()
    app = ready_application(people["exporter"], today)
    item = app.items.get()
    intruder = _client(people["other"])
    r = intruder.post(f"/exporter/applications/{app.pk}/", {"action": "remove_item",
                                                           "item": item.pk})
    assert r.status_code == 404
    with pytest.raises(IllegalTransitionError):
        ops.remove_item(people["other"], app, item, today=today)
    assert app.items.count() == 1


def test_a_submitted_case_is_not_a_draft(people: dict[str, Any]) -> None:
    today = dt.date.today()
    ex = people["exporter"]
    app = ready_application(ex, today)
    ops.submit(ex, app, today=today)
    with pytest.raises(IllegalTransitionError, match="only a draft"):
        ops.remove_item(ex, app, app.items.get(), today=today)
    with pytest.raises(IllegalTransitionError, match="only a draft"):
        ops.remove_document(ex, app, app.documents.get())
    with pytest.raises(IllegalTransitionError, match="awaiting your information"):
        ops.add_document(ex, app, kind="other", upload=pdf())


def test_during_a_request_for_information_documents_and_parties(people: dict[str, Any]) -> None:
    today = dt.date.today()
    ex, cw = people["exporter"], people["caseworker"]
    app = ready_application(ex, today, destination="AE", end_user="Gulf Optics FZE")
    ops.submit(ex, app, today=today)
    ops.assign(cw, app, cw.user)
    ops.request_information(cw, app, question="Please send the signed end-use statement and "
                                              "the end-user's exact address.")
    web = _client(ex)
    url = f"/exporter/applications/{app.pk}/"
    page = web.get(url).content.decode()
    assert "Please send the signed end-use statement" in page and 'name="file"' in page
    r = web.post(url, {"action": "add_document", "kind": "end_use_statement",
                       "file": pdf("signed-statement.pdf")})
    assert r.status_code == 302
    assert app.documents.filter(original_name="signed-statement.pdf").exists()
    end_user = app.parties.get(role="end_user")
    web.post(url, {"action": "update_party", "party": end_user.pk, "role": "end_user",
                   "name": "Sanctioned Trading LLC", "country": "Verenigde Arabische Emiraten",
                   "address": "Plot 7, Jebel Ali"})
    end_user.refresh_from_db()
    assert end_user.address == "Plot 7, Jebel Ali" and end_user.country == "AE"
    assert end_user.screening_status == "possible_match"  # screened again at once
    # items stay as submitted during the request
    with pytest.raises(IllegalTransitionError):
        ops.remove_item(ex, app, app.items.get(), today=today)
    web.post(url, {"action": "answer", "request": app.information_requests.get().pk,
                   "answer": "Uploaded; the address is Plot 7, Jebel Ali."})
    app.refresh_from_db()
    assert app.state == "in_assessment"
    for client, page_url in ((web, url), (_client(cw), f"/authority/cases/{app.pk}/")):
        page = client.get(page_url).content.decode()
        assert "Please send the signed end-use statement" in page
        assert "Uploaded; the address is Plot 7, Jebel Ali." in page
        assert "signed-statement.pdf" in page


def test_the_api_edits_a_draft(people: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    from dualuse.service.organisations.models import ApiToken

    ex = people["exporter"]
    raw = ApiToken.issue(get_user_model().objects.get(pk=ex.user.pk), "erp")[1]
    api = Client(headers={"authorization": f"Bearer {raw}"})
    app = ready_application(ex, dt.date.today())
    ref = app.reference
    party = app.parties.get(role="consignee")
    r = api.put(f"/api/applications/{ref}/parties/{party.pk}",
                {"role": "consignee", "name": "Acme Freight", "country": "US", "stray": 1},
                content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "stray"
    r = api.put(f"/api/applications/{ref}/parties/{party.pk}",
                {"role": "consignee", "name": "Acme Freight", "country": "US"},
                content_type="application/json")
    assert r.status_code == 200
    assert {p["name"] for p in r.json()["parties"]} == {"Acme Optics Inc", "Acme Freight"}
    r = api.post(f"/api/applications/{ref}/items", {**ITEM, "control_code": "ZZZ"},
                 content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "control_code"
    r = api.put(f"/api/applications/{ref}", {
        "destinations": ["US"], "end_use": "research",
        "facts": {"informed_of": ["wmd"], "purchasing_country": "CA"}},
        content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["facts"] == {"informed_of": ["wmd"], "purchasing_country": "CA"}
    engine_input = r.json()["determination"]["per_destination"][0]["determination"]["input"]
    assert engine_input["informed_of"] == ["wmd"] and engine_input["purchasing_country"] == "CA"
    r = api.delete(f"/api/applications/{ref}/documents/{app.documents.get().pk}")
    assert r.status_code == 200 and r.json()["documents"] == []
