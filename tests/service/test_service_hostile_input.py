"""Each role with wrong and hostile input on the check, application, case and advice pages and
the API operations of issue 11: a clear refusal, never a 500, and nothing changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dualuse.service.audit.models import AuditEvent
from dualuse.service.cases.models import Application
from dualuse.service.checks.models import TransactionCheck
from dualuse.service.organisations.models import ApiToken
from dualuse.service.web.demo import load_demo


@pytest.fixture
def world(db: Any, screening_runs: Any) -> dict[str, Any]:
    load_demo(dt.date.today())
    users = get_user_model().objects
    out: dict[str, Any] = {}
    for name in ("exporter1", "exporter2", "caseworker", "senior", "adviser", "customs"):
        c = Client(headers={"accept-language": "en"})
        c.force_login(users.get(username=name))
        out[name] = c
    raw = ApiToken.issue(users.get(username="exporter2"), "erp")[1]
    out["api2"] = Client(headers={"authorization": f"Bearer {raw}"})
    out["own"] = Application.objects.filter(exporter__eori="NL800000001", state="granted").get()
    out["draft"] = Application.objects.get(state="draft")  # exporter2's
    return out


def _messages(r: Any) -> str:
    return r.content.decode()


@pytest.mark.parametrize(("form", "says"), [
    ({"destination": "'; DROP TABLE checks; --", "item-0-description": "x"}, "unknown country"),
    ({"destination": "US", "item-0-description": "x", "end_user_name": "X",
      "end_user_country": "Atlantis"}, "unknown country"),
    ({"destination": "US", "item-0-description": "x", "end_user_country": "US"},
     "a party needs a name"),
    ({"destination": "US", "item-0-control_code": "9Z999"}, "unknown Annex I code"),
    ({"destination": "US", "item-0-national_measure": "NOPE"}, "no national measure"),
    ({"destination": "US", "item-0-description": "x", "as_of": "1999-12-31"}, "1999-12-31"),
    ({"destination": "US", "item-0-description": "x", "as_of": "yesterday"}, "as_of"),
    ({"destination": "US", "item-0-description": "x", "activity": "smuggling"}, "activity"),
    ({"destination": "US", "item-0-description": "x", "aware_of": "curiosity"}, "aware_of"),
    ({"destination": "US", "item-0-product": "999999"}, "no such product"),
    ({"destination": "US"}, "items"),
    ({"destination": ", ".join(["US", "JP", "CH", "NO", "CA", "AU", "NZ", "KR", "SG", "BR", "AR",
                                "MX", "ZA", "IN", "CN", "TR", "IL", "EG", "MA", "TN", "KE"]),
      "item-0-description": "x"}, "at most 20 destinations"),
])
def test_the_check_form_refuses_and_stores_nothing(
    world: dict[str, Any], form: dict[str, str], says: str
) -> None:
    before = TransactionCheck.objects.count()
    r = world["exporter1"].post("/exporter/checks/", form)
    assert r.status_code == 200
    assert says in _messages(r), _messages(r)[-3000:]
    assert TransactionCheck.objects.count() == before


def test_names_are_shown_as_text_never_as_markup(world: dict[str, Any]) -> None:
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    r = world["exporter1"].post("/exporter/checks/", {
        "destination": "US", "item-0-description": evil, "end_user_name": evil,
        "end_user_country": "US"})
    page = world["exporter1"].get(r["Location"]).content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_item_rows_are_bounded(world: dict[str, Any]) -> None:
    r = world["exporter1"].post("/exporter/checks/", {"item_rows": "999999999", "add_row": "1"})
    assert r.status_code == 200 and _messages(r).count('name="item-') <= 200 * 6


def test_another_organisations_objects_are_not_found(world: dict[str, Any]) -> None:
    ex1, ex2 = world["exporter1"], world["exporter2"]
    foreign_check = TransactionCheck.objects.filter(exporter__eori="NL800000001").first()
    assert ex2.post(f"/exporter/checks/{foreign_check.pk}/", {}).status_code == 404
    own = world["own"]
    item = own.items.first()
    events = AuditEvent.objects.count()
    for action, extra in (("update_item", {"item": item.pk}), ("remove_party", {"party": "1"}),
                          ("remove_document", {"document": "x"})):
        assert ex2.post(f"/exporter/applications/{own.pk}/", {"action": action, **extra}
                        ).status_code == 404
    # a real id of another application, on one's own application: not found either
    draft = world["draft"]
    r = ex2.post(f"/exporter/applications/{draft.pk}/", {"action": "remove_item",
                                                         "item": item.pk})
    assert r.status_code == 404
    # the owner, on a granted case: refused with a message
    r = ex1.post(f"/exporter/applications/{own.pk}/", {"action": "remove_item", "item": item.pk},
                 follow=True)
    assert "only a draft" in _messages(r)
    assert AuditEvent.objects.count() == events and own.items.filter(pk=item.pk).exists()


def test_other_roles_cannot_use_the_exporters_forms(world: dict[str, Any]) -> None:
    own = world["own"]
    for role in ("caseworker", "senior", "adviser", "customs"):
        assert world[role].post("/exporter/checks/", {"destination": "US"}).status_code == 403
        assert world[role].post(f"/exporter/applications/{own.pk}/",
                                {"action": "remove_item", "item": "1"}).status_code == 403
    # the adviser may not see a case nobody asked advice on
    assert world["adviser"].get(f"/advice/{world['draft'].pk}/").status_code == 404


def test_the_case_page_refuses_bad_ids_and_unknown_actions(world: dict[str, Any]) -> None:
    case = Application.objects.get(state="submitted")
    cw = world["caseworker"]
    for post in ({"action": "review_match", "party": "1; DROP"}, {"action": "assign",
                                                                  "assignee": "me"},
                 {"action": "consultation", "consultation": ""}, {"action": "x" * 500}):
        assert cw.post(f"/authority/cases/{case.pk}/", post).status_code in (302, 404)
    r = cw.post(f"/authority/cases/{case.pk}/", {"action": "approve"})
    assert r.status_code == 403  # four eyes: approving is the senior's


def test_the_api_refuses_bad_edits(world: dict[str, Any]) -> None:
    api, draft, own = world["api2"], world["draft"], world["own"]
    ref = draft.reference
    cases = [
        ("post", f"/api/applications/{ref}/items", {"description": "x", "quantity": "-1",
                                                    "unit": "p", "value_eur": "1"}, 400),
        ("post", f"/api/applications/{ref}/items", {"description": "x", "quantity": "abc",
                                                    "unit": "p", "value_eur": "1"}, 422),
        ("post", f"/api/applications/{ref}/parties", {"role": "spy", "name": "x",
                                                      "country": "US"}, 422),
        ("post", f"/api/applications/{ref}/parties", {"role": "end_user", "name": "x",
                                                      "country": "XX"}, 400),
        ("put", f"/api/applications/{ref}", {"destinations": [], "end_use": "x"}, 422),
        ("put", f"/api/applications/{ref}", {"destinations": ["CH"], "end_use": "x",
                                             "facts": {"aware_of": ["gossip"]}}, 422),
        ("delete", f"/api/applications/{ref}/documents/999999", None, 404),
        ("delete", f"/api/applications/{own.reference}/items/{own.items.first().pk}", None,
         404),
        ("post", "/api/checks", {"items": [{"control_code": None}], "destinations": ["US"] * 21},
         422),
    ]
    events = AuditEvent.objects.count()
    for method, path, body, status in cases:
        call = getattr(api, method)
        r = call(path, body, content_type="application/json") if body is not None else call(path)
        assert r.status_code == status, (method, path, r.status_code, r.content[:300])
    assert AuditEvent.objects.count() == events
