"""The CN code flows from the service into the engine: an API check's items, the web check form
and a submitted application's items (a TARIC code's first 8 digits); a bad one is a 400 naming
the field, and the undetermined outcome reads in both languages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from dualuse.service.checks.models import TransactionCheck
from dualuse.service.checks.views import check_input_from_form
from dualuse.service.organisations.models import ApiToken
from dualuse.service.web.demo import load_demo
from dualuse.service.web.templatetags.dualuse_tags import outcome_label


@pytest.fixture
def erp(db: Any, screening_runs: Any) -> Client:
    load_demo(dt.date.today())
    raw = ApiToken.issue(get_user_model().objects.get(username="exporter1"), "test")[1]
    return Client(headers={"authorization": f"Bearer {raw}"})


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, body, content_type="application/json")


def test_api_check_passes_the_cn_code_to_the_engine(erp: Client) -> None:
    r = _post(erp, "/api/checks", {
        "as_of": "2025-11-01", "destination": "RU",
        "items": [{"control_code": None, "description": "work holders", "cn_code": "8466 20 90"}],
    })
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["outcome"] == "prohibited"
    assert body["legal_bases"] == ["Council Regulation (EU) No 833/2014, Art. 3k(1), Annex XXIII"]
    stored = TransactionCheck.objects.get(pk=body["id"])
    assert stored.determination["input"]["items"][0]["cn_code"] == "84662090"
    r = _post(erp, "/api/checks", {"as_of": "2025-11-01", "destination": "RU",
                                   "items": [{"control_code": None}]})
    assert r.status_code == 201 and r.json()["outcome"] == "undetermined"
    asked = {q["id"] for q in r.json()["determination"]["missing_facts"]}
    assert "sanctions.RU.items[0].cn_code" in asked


def test_api_check_refuses_a_malformed_cn_code(erp: Client) -> None:
    r = _post(erp, "/api/checks", {"destination": "RU",
                                   "items": [{"control_code": None, "cn_code": "8466-20"}]})
    assert r.status_code == 400 and r.json()["field"] == "items[0].cn_code"
    assert not TransactionCheck.objects.filter(transaction__destination="RU").exists()


class _Post(dict[str, Any]):
    def getlist(self, key: str) -> list[str]:
        return []


def test_check_form_reads_each_rows_optional_cn_code() -> None:
    data, _ = check_input_from_form(_Post({
        "destination": "RU", "item_rows": "3",
        "item-0-description": "spare parts", "item-0-cn_code": "8466 20 90",
        "item-1-control_code": "5A002.a.1", "item-1-description": "router",
        "item-2-description": "gloves",
    }))
    assert [(i["control_code"], i["description"], i.get("cn_code")) for i in data["items"]] == [
        (None, "spare parts", "8466 20 90"),
        ("5A002.a.1", "router", None),
        (None, "gloves", None),
    ]


def test_application_items_carry_their_cn_code_into_the_determination(erp: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = _post(erp, "/api/applications", {
        "kind": "individual", "destinations": ["KZ"], "end_use": "bearings for a mill",
        "parties": [{"role": "end_user", "name": "Almaty Mill LLP", "country": "KZ",
                     "address": "1 Mill Road"}],
        "items": [{"control_code": "", "description": "ball bearings", "quantity": "100",
                   "unit": "pieces", "value_eur": "1200", "cn_code": "8482101090"}],
    })
    assert app.status_code == 201, app.content
    ref = app.json()["reference"]
    erp.post(f"/api/applications/{ref}/documents",
             {"kind": "end_use_statement",
              "file": SimpleUploadedFile("eus.pdf", b"%PDF-1.4\n%%EOF\n")})
    submitted = _post(erp, f"/api/applications/{ref}/submit", None)
    assert submitted.status_code == 200, submitted.content
    from dualuse.service.cases.models import Application

    det = Application.objects.get(reference=ref).determination
    assert det.transaction["items"][0]["cn_code"] == "84821010"
    kinds = {o["kind"] for o in det.per_destination[0]["determination"]["obligations"]}
    assert "contractual_clause" in kinds  # Art. 12g(1): bearings are common high priority items


def test_the_undetermined_outcome_has_a_label_in_both_languages() -> None:
    with translation.override("en"):
        assert outcome_label("undetermined") == "Undetermined: facts needed"
    with translation.override("nl"):
        assert outcome_label("undetermined") == "Onbepaald: gegevens nodig"


def test_an_unknown_application_state_filter_is_a_400_not_a_database_error(erp: Client) -> None:
    # Found by the API fuzz run on PostgreSQL (a NUL byte in the filter reached the query).
    r = erp.get("/api/applications", {"state": "dr\x00aft"})
    assert r.status_code == 400 and r.json()["field"] == "state"
    assert erp.get("/api/applications", {"state": "draft"}).status_code == 200


def test_the_check_page_takes_the_cn_code_the_determination_asks_for(
    db: Any, screening_runs: Any
) -> None:
    load_demo(dt.date.today())
    web = Client()
    web.force_login(get_user_model().objects.get(username="exporter1"))
    r = web.post("/exporter/checks/", {"destination": "RU", "as_of": "2025-11-01",
                                       "item-0-description": "work holders"})
    assert r.status_code == 302, r.content
    first = TransactionCheck.objects.latest("pk")
    assert first.outcome == "undetermined"
    page = web.get(r["Location"]).content.decode()
    assert 'name="cn_code:0"' in page and 'name="answer:sanctions.RU.items[0].cn_code"' not in page
    web.post(r["Location"], {"cn_code:0": "8466-20"})  # malformed: refused, no new check
    assert TransactionCheck.objects.latest("pk") == first
    web.post(r["Location"], {"cn_code:0": "8466 20 90"})
    again = TransactionCheck.objects.latest("pk")
    assert again != first and again.outcome == "prohibited"
    assert again.determination["input"]["items"][0]["cn_code"] == "84662090"
    assert "Council Regulation (EU) No 833/2014, Art. 3k(1), Annex XXIII" in again.legal_bases
