"""The permission matrix: every page and API endpoint × every role and a foreign organisation.

The demo world (made through the real operations) supplies one object of each kind belonging to
exporter 1; `exporter2` is the foreign organisation. A cell is ALLOWED (the page or endpoint
answers) or REFUSED (anonymous: login redirect or 401; others: 403, or 404 for an object that is
not theirs to see). The test also fails when a URL or API operation exists that the matrix does
not cover, so a new view cannot slip in unauthorised.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from dualuse.service.api.endpoints import api
from dualuse.service.cases import operations as ops
from dualuse.service.cases.models import Application
from dualuse.service.catalogue.models import Product
from dualuse.service.checks.models import TransactionCheck
from dualuse.service.denials.models import Denial
from dualuse.service.licences.models import Licence
from dualuse.service.licences.operations import register_ugea
from dualuse.service.organisations.access import actor_of
from dualuse.service.organisations.models import Organisation
from dualuse.service.web.demo import load_demo

ANON = "anonymous"
ROLES = [
    ANON,
    "exporter1-admin",
    "exporter1",
    "exporter2",
    "caseworker",
    "senior",
    "adviser",
    "customs",
    "sysadmin",
]
OWNER = {"exporter1-admin", "exporter1"}
EXPORTERS = OWNER | {"exporter2"}
AUTHORITY = {"caseworker", "senior"}
LOGGED_IN = set(ROLES) - {ANON}

# name -> (path builder over the world, who is allowed)
PAGES: dict[str, tuple[Any, set[str]]] = {
    "home": (lambda w: "/", LOGGED_IN),
    "login": (lambda w: "/login/", set(ROLES)),
    "dashboard": (lambda w: "/exporter/", EXPORTERS),
    "records_export": (lambda w: "/exporter/records.csv", EXPORTERS),
    "products": (lambda w: "/exporter/products/", EXPORTERS),
    "product": (lambda w: f"/exporter/products/{w['product']}/", OWNER),
    "checks": (lambda w: "/exporter/checks/", EXPORTERS),
    "check": (lambda w: f"/exporter/checks/{w['check']}/", OWNER),
    "application_new": (lambda w: "/exporter/applications/new/", EXPORTERS),
    "application": (lambda w: f"/exporter/applications/{w['granted']}/", OWNER),
    "ugea_registrations": (lambda w: "/exporter/ugea/", EXPORTERS),
    "tokens": (lambda w: "/exporter/tokens/", {"exporter1-admin", "exporter2"}),
    "members": (lambda w: "/exporter/users/", {"exporter1-admin", "exporter2"}),
    "notifications": (lambda w: "/notifications/", EXPORTERS | AUTHORITY),
    "queue": (lambda w: "/authority/", AUTHORITY),
    "case": (lambda w: f"/authority/cases/{w['granted']}/", AUTHORITY),
    "case_audit": (lambda w: f"/cases/{w['granted']}/audit/", AUTHORITY | OWNER),
    "document": (
        lambda w: f"/cases/{w['advice']}/documents/{w['advice_doc']}/",
        AUTHORITY | OWNER | {"adviser"},
    ),
    "exporters": (lambda w: "/authority/exporters/", AUTHORITY),
    "ugea_queue": (lambda w: "/authority/ugea-registrations/", AUTHORITY),
    "exporter_measures": (lambda w: f"/authority/exporters/{w['org1']}/", AUTHORITY),
    "denials": (lambda w: "/authority/denials/", AUTHORITY),
    "denial": (lambda w: f"/authority/denials/{w['denial']}/", AUTHORITY),
    "denial_notification": (
        lambda w: f"/authority/denials/{w['own_denial']}/notification.json",
        AUTHORITY,
    ),
    "advice_queue": (lambda w: "/advice/", {"adviser"}),
    "advice": (lambda w: f"/advice/{w['advice']}/", {"adviser"}),
    "licences": (lambda w: "/licences/", EXPORTERS | AUTHORITY | {"customs"}),
    "holds": (lambda w: "/holds/", AUTHORITY | {"customs"}),
    "declaration_check": (
        lambda w: f"/customs/declarations/?mrn={w['mrn']}&eori=NL800000001",
        AUTHORITY | {"customs"},
    ),
    "screening_alerts": (lambda w: "/authority/screening-alerts/", AUTHORITY),
    "licence": (lambda w: f"/licences/{w['licence']}/", OWNER | AUTHORITY | {"customs"}),
    "licence_document": (
        lambda w: f"/licences/{w['licence']}/document/",
        OWNER | AUTHORITY | {"customs"},
    ),
    "licence_pdf": (
        lambda w: f"/licences/{w['licence']}/document.pdf",
        OWNER | AUTHORITY | {"customs"},
    ),
}
# Pages outside the matrix on purpose: logout (POST only, ends any session), language switch,
# Django admin (its own staff check, tested below).
NOT_IN_MATRIX = {"logout", "set_language"}

# (method, path builder, body, allowed)
API: dict[str, tuple[str, Any, Any, set[str]]] = {
    "health": ("get", lambda w: "/api/health", None, set(ROLES)),
    "me": ("get", lambda w: "/api/me", None, LOGGED_IN),
    "create_check": (
        "post",
        lambda w: "/api/checks",
        {"destination": "US", "items": [{"control_code": "6A003.b.4"}]},
        EXPORTERS,
    ),
    "get_check": ("get", lambda w: f"/api/checks/{w['check']}", None, OWNER),
    "list_applications": (
        "get",
        lambda w: "/api/applications",
        None,
        EXPORTERS | AUTHORITY | {"adviser"},
    ),
    "get_application": (
        "get",
        lambda w: f"/api/applications/{w['granted_ref']}",
        None,
        OWNER | AUTHORITY,
    ),
    "create_application": (
        "post",
        lambda w: "/api/applications",
        {"kind": "individual", "destinations": ["US"], "end_use": "research"},
        EXPORTERS,
    ),
    "change_application": (
        "put",
        lambda w: f"/api/applications/{w['draft_ref']}",
        {"destinations": ["CH", "NO"], "end_use": "spare parts"},
        {"exporter2"},
    ),
    "add_application_item": (
        "post",
        lambda w: f"/api/applications/{w['draft_ref']}/items",
        {"control_code": "2B001", "description": "lathe", "quantity": "1", "unit": "p",
         "value_eur": "1"},
        {"exporter2"},
    ),
    "change_application_item": (
        "put",
        lambda w: f"/api/applications/{w['draft_ref']}/items/{w['draft_item']}",
        {"control_code": "", "description": "spare part", "quantity": "2", "unit": "p",
         "value_eur": "1"},
        {"exporter2"},
    ),
    "remove_application_item": (
        "delete",
        lambda w: f"/api/applications/{w['draft_ref']}/items/{w['draft_item']}",
        None,
        {"exporter2"},
    ),
    "add_application_party": (
        "post",
        lambda w: f"/api/applications/{w['draft_ref']}/parties",
        {"role": "consignee", "name": "Swiss Machines AG", "country": "CH"},
        {"exporter2"},
    ),
    "change_application_party": (
        "put",
        lambda w: f"/api/applications/{w['draft_ref']}/parties/{w['draft_party']}",
        {"role": "end_user", "name": "Swiss Machines AG", "country": "CH"},
        {"exporter2"},
    ),
    "remove_application_party": (
        "delete",
        lambda w: f"/api/applications/{w['draft_ref']}/parties/{w['draft_party']}",
        None,
        {"exporter2"},
    ),
    "remove_document": (
        "delete",
        lambda w: f"/api/applications/{w['draft_ref']}/documents/{w['draft_doc']}",
        None,
        {"exporter2"},
    ),
    "submit_application": (
        "post",
        lambda w: f"/api/applications/{w['draft_ref']}/submit",
        None,
        {"exporter2"},
    ),
    "answer_information": (
        "post",
        lambda w: f"/api/applications/{w['rfi_ref']}/answers",
        None,
        OWNER,
    ),
    "upload_document": (
        "post",
        lambda w: f"/api/applications/{w['draft_ref']}/documents",
        None,
        {"exporter2"},
    ),
    "list_licences": ("get", lambda w: "/api/licences", None, EXPORTERS | AUTHORITY | {"customs"}),
    "get_licence": (
        "get",
        lambda w: f"/api/licences/{w['licence_no']}",
        None,
        OWNER | AUTHORITY | {"customs"},
    ),
    "record_use": (
        "post",
        lambda w: f"/api/licences/{w['licence_no']}/uses",
        None,
        OWNER | {"customs"},
    ),
    "correct_use": (
        "post",
        lambda w: f"/api/licences/{w['licence_no']}/uses/{w['use']}/correction",
        {"reasons": "quantity mistyped", "quantity": "4"},
        OWNER | {"customs"},
    ),
    "my_requirements": ("get", lambda w: "/api/requirements", None, EXPORTERS),
    "notify": (
        "post",
        lambda w: "/api/notifications",
        {"kind": "art_4_2", "items": "camera", "destination": "PK", "facts": "told by buyer"},
        EXPORTERS,
    ),
    "list_ugea_registrations": ("get", lambda w: "/api/ugea-registrations", None, EXPORTERS),
    "register_for_ugea": (
        "post",
        lambda w: "/api/ugea-registrations",
        {"ugea": "EU002"},
        EXPORTERS,
    ),
    "notify_ugea_first_use": (
        "post",
        lambda w: f"/api/ugea-registrations/{w['ugea_ack']}/first-use",
        {"first_export_on": dt.date.today().isoformat()},
        OWNER,
    ),
    "pending_ugea_registrations": (
        "get",
        lambda w: "/api/authority/ugea-registrations",
        None,
        AUTHORITY,
    ),
    "acknowledge_ugea_registration": (
        "post",
        lambda w: f"/api/authority/ugea-registrations/{w['ugea_ack']}/acknowledge",
        None,
        AUTHORITY,
    ),
    "refuse_ugea_registration": (
        "post",
        lambda w: f"/api/authority/ugea-registrations/{w['ugea_refuse']}/refuse",
        {"reasons": "registered for the wrong authorisation"},
        AUTHORITY,
    ),
    "classify_description": (
        "post",
        lambda w: "/api/classify",
        {"description": "thermal imaging camera"},
        EXPORTERS,
    ),
    "list_products": ("get", lambda w: "/api/products", None, EXPORTERS),
    "get_product": ("get", lambda w: f"/api/products/{w['product']}", None, OWNER),
    "classify_product": (
        "get",
        lambda w: f"/api/products/{w['product']}/classification",
        None,
        OWNER,
    ),
    "record_cyber_assessment": (
        "post",
        lambda w: f"/api/products/{w['product']}/cyber-surveillance",
        {"answers": {"listed": "no", "family": "location_tracking",
                     "specially_designed": "no"}},
        OWNER,
    ),
}
# An allowed role may meet 409 where the role before it in ROLES already made the change once (a
# registration is made, notified and decided once) or the demo's state forbids it (the draft
# lacks ICP evidence; a request for information is answered only once; a write-off is corrected
# once, after which it no longer stands).
ONCE_ONLY = {
    "submit_application",
    "correct_use",
    "answer_information",
    "register_for_ugea",
    "notify_ugea_first_use",
    "acknowledge_ugea_registration",
    "refuse_ugea_registration",
}


@pytest.fixture
def world(db: Any, screening_runs: Any) -> dict[str, Any]:
    today = dt.date.today()
    load_demo(today)
    org1 = Organisation.objects.get(eori="NL800000001")
    draft = Application.objects.get(state="draft")
    exporter2 = actor_of(get_user_model().objects.get(username="exporter2"))
    draft_item = ops.add_item(exporter2, draft, control_code="", description="spare part",
                              quantity=Decimal(1), unit="p", value_eur=Decimal(1), today=today)
    draft_party = ops.add_party(exporter2, draft, role="end_user", name="Swiss Machines AG",
                                country="CH", today=today)
    draft_doc = ops.add_document(exporter2, draft, kind="other",
                                 upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"))
    granted = Application.objects.get(exporter=org1, state="granted")
    licence = Licence.objects.get(application=granted)
    owner = actor_of(get_user_model().objects.get(username="exporter1"))
    return {
        "ugea_ack": register_ugea(owner, ugea="EU001").pk,
        "ugea_refuse": register_ugea(owner, ugea="EU003").pk,
        "org1": org1.pk,
        "granted": granted.pk,
        "granted_ref": granted.reference,
        "draft_ref": draft.reference,
        "draft_item": draft_item.pk,
        "draft_party": draft_party.pk,
        "draft_doc": draft_doc.pk,
        "advice": Application.objects.get(state="awaiting_advice").pk,
        "rfi_ref": Application.objects.get(state="awaiting_information").reference,
        "rfi": Application.objects.get(state="awaiting_information").information_requests.get().pk,
        "advice_doc": Application.objects.get(state="awaiting_advice").documents.get().pk,
        "licence": licence.pk,
        "licence_no": licence.number,
        "item": licence.items.get().pk,
        "use": licence.items.get().uses.get().pk,
        "mrn": licence.items.get().uses.get().declaration_ref,
        "product": Product.objects.get(exporter=org1).pk,
        "check": TransactionCheck.objects.filter(exporter=org1).first().pk,
        "denial": Denial.objects.get(issuing_member_state="DE").pk,
        "own_denial": Denial.objects.get(issuing_member_state="NL").pk,
    }


def _client(role: str) -> Client:
    client = Client()
    if role != ANON:
        client.force_login(get_user_model().objects.get(username=role))
    return client


def _named_page_urls() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in {"admin", "api"}:
                    continue
                walk(p.url_patterns, p.namespace)
            elif isinstance(p, URLPattern) and p.name and namespace is None:
                names.add(p.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_matrix_covers_every_page_and_api_operation() -> None:
    assert _named_page_urls() - NOT_IN_MATRIX == set(PAGES)
    schema = api.get_openapi_schema()
    operations = {
        re.sub(r"^dualuse_service_api_[a-z]+_", "", op["operationId"])
        for path in schema["paths"].values()
        for op in path.values()
    }
    assert operations == set(API), operations ^ set(API)


def _refused(role: str, status: int, location: str) -> bool:
    if role == ANON:
        return status in (401, 403) or (status == 302 and "/login/" in location)
    return status in (403, 404)


def test_permission_matrix(world: dict[str, Any]) -> None:
    failures = []
    cells = 0
    clients = {role: _client(role) for role in ROLES}
    for name, (build, allowed) in PAGES.items():
        path = build(world)
        for role in ROLES:
            cells += 1
            r = clients[role].get(path)
            refused = _refused(role, r.status_code, r.get("Location", ""))
            answered = r.status_code in (200, 302) and not refused
            if (answered if role in allowed else refused) is False:
                failures.append(f"page {name} {path} as {role}: {r.status_code}")
    for name, (method, build, body, allowed) in API.items():
        path = build(world)
        if name == "upload_document":
            body = "multipart"
        if name == "answer_information":
            body = {"request_id": world["rfi"], "answer": "our answer"}
        if name == "record_use":
            body = {
                "item_id": world["item"],
                "quantity": "1",
                "value_eur": "1",
                "exported_on": dt.date.today().isoformat(),
                "declaration_ref": "26NLPERMISSIONSMA0",
                "destination": "US",
            }
        for role in ROLES:
            cells += 1
            client = clients[role]
            if method == "get":
                r = client.get(path)
            elif method == "delete":
                r = client.delete(path)
            elif method == "put":
                r = client.put(path, body, content_type="application/json")
            elif body == "multipart":
                upload = SimpleUploadedFile("eus.pdf", b"%PDF-1.4\n%%EOF\n")
                r = client.post(path, {"kind": "end_use_statement", "file": upload})
            else:
                r = client.post(path, body, content_type="application/json")
            refused = _refused(role, r.status_code, "")
            answered = r.status_code < 300 or (r.status_code == 409 and name in ONCE_ONLY)
            ok = answered if role in allowed else refused
            if not ok:
                failures.append(f"api {name} {path} as {role}: {r.status_code} {r.content[:120]!r}")
    assert not failures, "\n".join(failures)
    assert cells == (len(PAGES) + len(API)) * len(ROLES)


def test_admin_is_for_the_system_administrator_only(world: dict[str, Any]) -> None:
    for role in ROLES:
        r = _client(role).get("/admin/")
        assert (r.status_code == 200) == (role == "sysadmin"), role


def test_api_token_authenticates_as_its_user_only(world: dict[str, Any]) -> None:
    from dualuse.service.organisations.models import ApiToken

    user = get_user_model().objects.get(username="exporter2")
    token, raw = ApiToken.issue(user, "ERP")
    client = Client()
    me = client.get("/api/me", headers={"authorization": f"Bearer {raw}"})
    assert me.status_code == 200 and me.json()["username"] == "exporter2"
    foreign = client.get(
        f"/api/licences/{world['licence_no']}", headers={"authorization": f"Bearer {raw}"}
    )
    assert foreign.status_code == 404
    assert client.get("/api/me", headers={"authorization": "Bearer du_x_y"}).status_code == 401
    token.revoked_at = token.created_at
    token.save()
    assert client.get("/api/me", headers={"authorization": f"Bearer {raw}"}).status_code == 401
