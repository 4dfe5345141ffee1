"""The JSON API's happy paths for a machine client (an exporter's ERP with a token), and its
errors: bad input 400 naming the field, illegal transition 409, not yours 404."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dualuse.service.organisations.models import ApiToken
from dualuse.service.web.demo import load_demo


@pytest.fixture
def clients(db: Any, screening_runs: Any) -> dict[str, Client]:
    load_demo(dt.date.today())
    users = get_user_model().objects
    out = {}
    for name in ("exporter1", "exporter2", "caseworker", "customs"):
        raw = ApiToken.issue(users.get(username=name), "test")[1]
        out[name] = Client(headers={"authorization": f"Bearer {raw}"})
    return out


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, body, content_type="application/json")


def test_check_then_apply_then_submit(clients: dict[str, Client]) -> None:
    erp = clients["exporter1"]
    check = _post(
        erp,
        "/api/checks",
        {
            "destination": "US",
            "items": [{"control_code": "6A003.b.4", "description": "thermal core"}],
            "parties": [{"role": "end_user", "name": "Example Optics Inc", "country": "US"}],
        },
    )
    assert check.status_code == 201, check.content
    body = check.json()
    assert body["outcome"] == "authorisation_required"
    assert body["legal_bases"] == ["Regulation (EU) 2021/821, Art. 3(1)"]
    assert body["screening_status"] == "clear" and body["data_version"]
    assert erp.get(f"/api/checks/{body['id']}").json()["id"] == body["id"]
    assert clients["exporter2"].get(f"/api/checks/{body['id']}").status_code == 404

    app = _post(
        erp,
        "/api/applications",
        {
            "kind": "individual",
            "destinations": ["US"],
            "end_use": "inspection",
            "check_id": body["id"],
            "parties": [
                {
                    "role": "end_user",
                    "name": "Example Optics Inc",
                    "country": "US",
                    "address": "1 Optics Way",
                }
            ],
            "items": [
                {
                    "control_code": "6A003.b.4",
                    "description": "core",
                    "quantity": "3",
                    "unit": "pieces",
                    "value_eur": "9000.50",
                }
            ],
        },
    )
    assert app.status_code == 201, app.content
    ref = app.json()["reference"]
    # the check's end-user carried over, next to the one given here
    assert [p["name"] for p in app.json()["parties"]] == ["Example Optics Inc"] * 2
    assert app.json()["items"][0]["value_eur"] == "9000.50"
    assert clients["caseworker"].get(f"/api/applications/{ref}").status_code == 404  # a draft
    refused = _post(erp, f"/api/applications/{ref}/submit", None)
    assert refused.status_code == 409 and "end-use statement" in refused.json()["detail"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = erp.post(
        f"/api/applications/{ref}/documents",
        {"kind": "end_use_statement", "file": SimpleUploadedFile("x.exe", b"MZ..")},
    )
    assert bad.status_code == 400 and bad.json()["field"] == "file"
    doc = erp.post(
        f"/api/applications/{ref}/documents",
        {"kind": "end_use_statement", "file": SimpleUploadedFile("eus.pdf", b"%PDF-1.4\n%%EOF\n")},
    )
    assert doc.status_code == 201 and doc.json()["content_type"] == "application/pdf"
    submitted = _post(erp, f"/api/applications/{ref}/submit", None)
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert clients["caseworker"].get(f"/api/applications/{ref}").status_code == 200


def test_bad_input_names_the_field(clients: dict[str, Client]) -> None:
    r = _post(
        clients["exporter1"],
        "/api/checks",
        {"destination": "XX", "items": [{"control_code": "6A003.b.4"}]},
    )
    assert r.status_code == 400 and r.json()["field"] == "destination"
    r = _post(
        clients["exporter1"],
        "/api/applications",
        {
            "kind": "individual",
            "destinations": ["US"],
            "end_use": "x",
            "items": [
                {
                    "control_code": "9Z999",
                    "description": "x",
                    "quantity": "1",
                    "unit": "p",
                    "value_eur": "1",
                }
            ],
        },
    )
    assert r.status_code == 400 and r.json()["field"] == "control_code"
    assert "9Z999" in r.json()["detail"]
    assert r.status_code == 400
    r = _post(clients["exporter1"], "/api/checks", {"items": "nope"})
    assert r.status_code == 422


def test_licence_use_by_customs_and_remaining(clients: dict[str, Client]) -> None:
    licences = clients["exporter1"].get("/api/licences").json()
    number = licences[0]["number"]
    item = licences[0]["items"][0]
    assert clients["exporter2"].get(f"/api/licences/{number}").status_code == 404
    r = _post(
        clients["customs"],
        f"/api/licences/{number}/uses",
        {
            "item_id": item["id"],
            "quantity": "2",
            "value_eur": "6000",
            "exported_on": dt.date.today().isoformat(),
            "declaration_ref": "26NLAPI000000001A9",
            "destination": "US",
        },
    )
    assert r.status_code == 201, r.content
    after = r.json()["items"][0]
    assert float(after["quantity_remaining"]) == float(item["quantity_remaining"]) - 2
    too_much = _post(
        clients["customs"],
        f"/api/licences/{number}/uses",
        {
            "item_id": item["id"],
            "quantity": "1000",
            "value_eur": "1",
            "exported_on": dt.date.today().isoformat(),
            "declaration_ref": "26NLAPI000000002A8",
            "destination": "US",
        },
    )
    assert too_much.status_code == 400 and too_much.json()["field"] == "quantity"


def test_requirements_and_notifications(clients: dict[str, Client]) -> None:
    reqs = clients["exporter2"].get("/api/requirements").json()
    assert reqs and reqs[0]["basis"] == "4(1)(a)" and reqs[0]["destinations"] == ["PK"]
    assert clients["exporter1"].get("/api/requirements").json() == []
    n = _post(
        clients["exporter2"],
        "/api/notifications",
        {
            "kind": "destination_change",
            "items": "CNC parts",
            "destination": "AE",
            "facts": "the buyer may re-route to PK",
        },
    )
    assert n.status_code == 201 and n.json()["status"] == "submitted"


def test_erp_answers_a_request_for_information(clients: dict[str, Client]) -> None:
    erp = clients["exporter1"]
    waiting = next(
        a for a in erp.get("/api/applications").json() if a["state"] == "awaiting_information"
    )
    rfi = waiting["information_requests"][0]
    assert rfi["answered_at"] is None and rfi["question"]
    r = _post(
        erp,
        f"/api/applications/{waiting['reference']}/answers",
        {"request_id": rfi["id"], "answer": "Research institute, civil only"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "in_assessment"
    assert r.json()["information_requests"][0]["answer"] == "Research institute, civil only"
    again = _post(
        erp,
        f"/api/applications/{waiting['reference']}/answers",
        {"request_id": rfi["id"], "answer": "again"},
    )
    assert again.status_code == 409


def test_check_with_several_destinations_takes_the_most_severe(clients: dict[str, Client]) -> None:
    r = _post(
        clients["exporter1"],
        "/api/checks",
        {"destinations": ["US", "RU"], "items": [{"control_code": "6A003.b.4"}]},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    per = {p["destination"]: p for p in body["per_destination"]}
    assert per["US"]["outcome"] == "authorisation_required"
    assert per["US"]["legal_bases"] == ["Regulation (EU) 2021/821, Art. 3(1)"]
    assert per["RU"]["outcome"] == "prohibited"
    assert body["outcome"] == "prohibited" and body["determination"]["outcome"] == "prohibited"
    # without any destination the engine names the missing field; nothing is stored
    r = _post(clients["exporter1"], "/api/checks", {"items": [{"control_code": "6A003.b.4"}]})
    assert r.status_code == 400 and r.json()["field"] == "destination"


def test_check_form_takes_comma_separated_destinations(clients: dict[str, Client]) -> None:
    web = Client(headers={"accept-language": "en"})
    web.force_login(get_user_model().objects.get(username="exporter1"))
    r = web.post(
        "/exporter/checks/",
        {"activity": "export", "destination": "us, ru", "items": "6A003.b.4; thermal core"},
    )
    assert r.status_code == 302, r.content[:500]
    page = web.get(r["Location"]).content.decode()
    assert 'data-outcome="prohibited"' in page
    assert 'data-destination="US" data-outcome="authorisation_required"' in page
    assert 'data-destination="RU" data-outcome="prohibited"' in page


def test_check_returns_and_stores_the_engines_own_determination(
    clients: dict[str, Client],
) -> None:
    """Pins a check's content: what the API returns and stores is the pure engine's determination
    for the same transaction, one per destination (guards request-path optimisations)."""
    from dualuse.engine import determine, parse_transaction
    from dualuse.service.checks.models import TransactionCheck
    from dualuse.service.lawdata import catalogue_on

    r = _post(
        clients["exporter1"],
        "/api/checks",
        {
            "destinations": ["US", "RU"],
            "items": [{"control_code": "6A003.b.4", "description": "thermal core"}],
            "parties": [{"role": "end_user", "name": "Example Optics Inc", "country": "US"}],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    stored = TransactionCheck.objects.get(pk=body["id"])
    expected = {}
    for dest in ("US", "RU"):
        tx_data = {k: v for k, v in stored.transaction.items() if k != "destinations"}
        tx = parse_transaction({**tx_data, "destination": dest})
        expected[dest] = determine(tx, catalogue_on(tx.as_of)).to_dict()
    per = {p["destination"]: p["determination"] for p in body["per_destination"]}
    assert json.loads(json.dumps(expected)) == per
    assert body["determination"] == per["RU"] == stored.determination
    assert body["determination"]["outcome"] == "prohibited"
    assert {p["destination"]: p["determination"] for p in stored.per_destination} == per
