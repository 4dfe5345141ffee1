"""Authority page actions through the views (forms posted as a browser would)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from service_factories import pdf, ready_application

from dualuse.service.cases import operations as ops
from dualuse.service.cases.workflow import IllegalTransitionError
from dualuse.service.denials.operations import record_notified


def _client(actor: Any) -> Client:
    c = Client(headers={"accept-language": "en"})
    c.force_login(actor.user)
    return c


def test_consultation_reply_and_match_review_from_the_case_page(
    make_actor: Any, make_org: Any, screening_runs: Any
) -> None:
    today = dt.date.today()
    authority = make_org("authority", "CDIU")
    ex = make_actor("exporter_user")
    cw = make_actor("caseworker", authority)
    app = ops.create_application(
        ex,
        kind="individual",
        destinations=["AE"],
        end_use="x",
        located_in_member_states=["DE"],
        today=today,
    )
    ops.add_party(
        ex,
        app,
        role="end_user",
        name="Sanctioned Trading LLC",
        country="AE",
        address="Dubai",
        today=today,
    )
    ops.add_item(
        ex,
        app,
        control_code="6A003.b.4",
        description="core",
        quantity=Decimal(1),
        unit="pieces",
        value_eur=Decimal(1),
        today=today,
    )
    ops.add_document(ex, app, kind="end_use_statement", upload=pdf())
    ops.submit(ex, app, today=today)
    ops.assign(cw, app, cw.user)
    page = _client(cw).get(f"/authority/cases/{app.pk}/").content.decode()
    assert "Consultation of member states (Art. 14(1))" in page
    assert "Record review" in page  # the possible match can be reviewed
    consultation = app.consultations.get()
    party = app.parties.get()
    client = _client(cw)
    r = client.post(
        f"/authority/cases/{app.pk}/",
        {
            "action": "consultation",
            "consultation": consultation.pk,
            "reply": "no_objection",
            "note": "none",
        },
    )
    assert r.status_code == 302
    consultation.refresh_from_db()
    assert consultation.reply == "no_objection"
    client.post(
        f"/authority/cases/{app.pk}/",
        {
            "action": "review_match",
            "party": party.pk,
            "conclusion": "discounted",
            "note": "different entity",
        },
    )
    party.refresh_from_db()
    assert party.screening["review"]["conclusion"] == "discounted"
    page = client.get(f"/authority/cases/{app.pk}/").content.decode()
    assert "Reviewed" in page and "different entity" in page


def test_denial_shows_review_date_and_later_cases_show_it(
    make_actor: Any, make_org: Any, screening_runs: Any
) -> None:
    today = dt.date.today()
    authority = make_org("authority", "CDIU")
    ex = make_actor("exporter_user")
    cw = make_actor("caseworker", authority)
    sr = make_actor("senior_caseworker", authority)
    first = ready_application(ex, today, destination="AE", end_user="Gulf Optics")
    ops.submit(ex, first, today=today)
    ops.assign(cw, first, cw.user)
    ops.draft_decision(cw, first, kind="deny", reasons="diversion risk", today=today)
    ops.approve_draft(sr, first, today=today)
    page = _client(cw).get(f"/authority/cases/{first.pk}/").content.decode()
    assert "To notify to the other member states and the Commission (Art. 16(1))" in page
    denial = first.denials.get()
    record_notified(cw, denial, sent_on=today, reference="DUeS-1")
    page = _client(cw).get(f"/authority/cases/{first.pk}/").content.decode()
    assert "Review by (Art. 16(2))" in page and str(today.year + 3) in page
    mine = _client(ex).get(f"/exporter/applications/{first.pk}/").content.decode()
    assert "diversion risk" in mine and "You may object" in mine
    second = ready_application(ex, today, destination="AE", end_user="Other Optics")
    ops.submit(ex, second, today=today)
    page = _client(cw).get(f"/authority/cases/{second.pk}/").content.decode()
    # same item and destination, another end-user: shown for information
    assert "Denials to examine (Art. 16(5))" in page and denial.reference in page
    assert "same item and destination only" in page


def test_exporter_admin_manages_own_users_only(make_actor: Any) -> None:
    from django.contrib.auth import get_user_model

    admin = make_actor("exporter_admin")
    other = make_actor("exporter_user")  # another organisation
    client = _client(admin)
    r = client.post(
        "/exporter/users/", {"username": "new.user", "role": "exporter_user", "password": "short"}
    )
    assert not get_user_model().objects.filter(username="new.user").exists()  # weak password
    client.post(
        "/exporter/users/",
        {
            "username": "new.user",
            "role": "exporter_user",
            "password": "a long enough passphrase 42",
        },
    )
    new = get_user_model().objects.get(username="new.user")
    assert new.membership.organisation == admin.organisation
    client.post(
        "/exporter/users/",
        {"username": "boss", "role": "caseworker", "password": "a long enough passphrase 42"},
    )
    assert not get_user_model().objects.filter(username="boss").exists()
    r = client.post(
        "/exporter/users/", {"action": "deactivate", "member": other.user.membership.pk}
    )
    assert r.status_code == 404
    client.post("/exporter/users/", {"action": "deactivate", "member": new.membership.pk})
    new.refresh_from_db()
    assert not new.is_active


def test_records_export_lists_exports_with_keeping_period(db: Any, screening_runs: Any) -> None:
    import csv
    import io

    from django.contrib.auth import get_user_model

    from dualuse.service.web.demo import load_demo

    load_demo(dt.date.today())
    client = Client()
    client.force_login(get_user_model().objects.get(username="exporter1"))
    r = client.get("/exporter/records.csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert len(rows) == 1 and rows[0]["declaration"] == f"{dt.date.today():%y}NL0000DEMO" + (
        f"{dt.date.today():%m%d}A"
    ) + rows[0]["declaration"][-1]
    assert rows[0]["entry"] == "write_off"
    assert rows[0]["quantity"] == "5.000" and rows[0]["control_code"] == "6A003.b.4"
    assert rows[0]["destination"] == "US"
    assert rows[0]["keep_until"] == f"{dt.date.today().year + 5}-12-31"
    other = Client()
    other.force_login(get_user_model().objects.get(username="exporter2"))
    assert len(other.get("/exporter/records.csv").content.decode().splitlines()) == 1  # header


def test_product_page_suggests_codes_from_the_classification_assistant(
    make_actor: Any,
) -> None:
    from dualuse.service.catalogue.operations import add_product

    ex = make_actor("exporter_user")
    p = add_product(
        ex,
        reference="TIC",
        name="Thermal imaging camera core",
        description="Uncooled microbolometer focal plane array camera core",
        cn_code="",
    )
    page = _client(ex).get(f"/exporter/products/{p.pk}/?suggest=1").content.decode()
    assert "6A003" in page
    assert "you classify, and the competent authority decides" in page


def test_security_headers(db: Any) -> None:
    r = Client().get("/login/")
    assert "script-src 'self'" in r["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in r["Content-Security-Policy"]
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "csrftoken" in r.cookies or b"csrfmiddlewaretoken" in r.content


def test_admin_changes_are_audited(db: Any, screening_runs: Any) -> None:
    from django.contrib.auth import get_user_model

    from dualuse.service.audit.chain import verify
    from dualuse.service.audit.models import AuditEvent
    from dualuse.service.organisations.models import Organisation
    from dualuse.service.web.demo import load_demo

    load_demo(dt.date.today())
    client = Client()
    client.force_login(get_user_model().objects.get(username="sysadmin"))
    org = Organisation.objects.get(eori="NL800000002")
    r = client.post(
        f"/admin/organisations/organisation/{org.pk}/change/",
        {
            "kind": "exporter",
            "name": org.name,
            "eori": org.eori,
            "member_state": "NL",
            "address": "",
            "icp_status": "verified",
            "created_at_0": "2026-01-01",
            "created_at_1": "00:00:00",
        },
    )
    assert r.status_code == 302, r.content[:500]
    event = AuditEvent.objects.filter(action="admin.change").get()
    assert event.before["icp_status"] == "none" and event.after["icp_status"] == "verified"
    assert event.actor_label.startswith("sysadmin")
    assert verify().ok


def test_case_page_shows_the_engines_obligations(db: Any, screening_runs: Any) -> None:
    from django.contrib.auth import get_user_model

    from dualuse.service.cases.models import Application
    from dualuse.service.web.demo import load_demo

    load_demo(dt.date.today())
    app = Application.objects.get(state="granted")
    obligations = app.determination.per_destination[0]["determination"]["obligations"]
    assert obligations
    client = Client(headers={"accept-language": "en"})
    client.force_login(get_user_model().objects.get(username="caseworker"))
    page = client.get(f"/authority/cases/{app.pk}/").content.decode()
    assert obligations[0]["obligation"][:40] in page


def test_notification_handled_as_requirement_imposed_only_after_imposing(
    make_actor: Any, make_org: Any
) -> None:
    from dualuse.errors import InputError
    from dualuse.service.checks.notifications import handle_notification, submit_notification
    from dualuse.service.licences.operations import impose_requirement

    today = dt.date.today()
    ex = make_actor("exporter_user")
    cw = make_actor("caseworker", make_org("authority", "CDIU"))
    n = submit_notification(
        ex,
        kind="art_4_2",
        items="CNC parts",
        destination="PK",
        end_user="Karachi Labs",
        facts="the buyer mentioned enrichment",
    )
    with pytest.raises(InputError, match="impose the authorisation requirement"):
        handle_notification(cw, n, status="requirement_imposed", response="done")
    impose_requirement(
        cw,
        ex.organisation,
        basis="4(1)(a)",
        destinations=["PK"],
        item_description="CNC parts",
        reasons="the notification",
        today=today,
    )
    handle_notification(cw, n, status="requirement_imposed", response="decision sent")
    n.refresh_from_db()
    assert n.status == "requirement_imposed"
    page = _client(ex).get("/exporter/").content.decode()
    assert "CNC parts" in page  # the requirement imposed is on the exporter's overview


def test_overview_shows_first_use_notification_due(make_actor: Any) -> None:
    from dualuse.service.licences.operations import register_ugea

    ex = make_actor("exporter_user")
    planned = dt.date.today() + dt.timedelta(days=60)
    register_ugea(ex, ugea="EU007", planned_first_export=planned)
    page = _client(ex).get("/exporter/").content.decode()
    due = planned - dt.timedelta(days=30)
    assert "EU007" in page and due.isoformat() in page
    assert "at least 30 days before the first export" in page


def test_senior_assigns_a_case_to_a_caseworker(
    make_actor: Any, make_org: Any, screening_runs: Any
) -> None:
    today = dt.date.today()
    authority = make_org("authority", "CDIU")
    ex = make_actor("exporter_user")
    cw = make_actor("caseworker", authority)
    sr = make_actor("senior_caseworker", authority)
    app = ready_application(ex, today)
    ops.submit(ex, app, today=today)
    client = _client(sr)
    client.post(f"/authority/cases/{app.pk}/", {"action": "assign", "assignee": cw.user.pk})
    app.refresh_from_db()
    assert app.assigned_to == cw.user and app.state == "in_assessment"
    client.post(f"/authority/cases/{app.pk}/", {"action": "assign", "assignee": ex.user.pk})
    app.refresh_from_db()
    assert app.assigned_to == cw.user  # cases go to authority staff only


def test_customs_hold_is_answered_within_ten_working_days(make_actor: Any, make_org: Any) -> None:
    from dualuse.errors import InputError
    from dualuse.service.cases.clock import add_working_days
    from dualuse.service.licences.models import ExportHold

    today = dt.date.today()
    ex = make_actor("exporter_user")
    customs = make_actor("customs_officer")
    cw = make_actor("caseworker", make_org("authority", "CDIU"))
    client = _client(customs)
    r = client.post(
        "/holds/",
        {
            "action": "hold",
            "eori": "NL000000000",
            "declaration_ref": "MRN",
            "destination": "RU",
            "items": "x",
            "ground": "21(3)(b)",
            "facts": "y",
        },
    )
    assert not ExportHold.objects.exists()  # unknown exporter: nothing held
    client.post(
        "/holds/",
        {
            "action": "hold",
            "eori": ex.organisation.eori,
            "declaration_ref": "26NLHOLD00000001A8",
            "destination": "AM",
            "items": "CNC spindles",
            "ground": "21(3)(b)",
            "facts": "consignee linked to a listed party",
        },
    )
    hold = ExportHold.objects.get()
    assert hold.reply_due == add_working_days(today, 10)
    assert hold.status(add_working_days(today, 11)) == "released_by_silence"
    _client(cw).post("/holds/", {"action": "extend", "hold": hold.pk})
    hold.refresh_from_db()
    assert hold.extended and hold.reply_due == add_working_days(today, 30)
    page = _client(cw).get("/holds/").content.decode()
    assert "26NLHOLD00000001A8" in page and r.status_code == 302
    from dualuse.service.licences.operations import decide_hold

    with pytest.raises(InputError):
        decide_hold(cw, hold, outcome="maybe", note="x", today=today)
    decide_hold(cw, hold, outcome="stopped", note="Art. 4(1) decision follows", today=today)
    with pytest.raises(IllegalTransitionError):
        decide_hold(cw, hold, outcome="released", note="x", today=today)
    assert hold.status(today) == "stopped"


def test_each_destination_gets_its_own_determination_and_the_worst_decides(
    make_actor: Any, make_org: Any, screening_runs: Any
) -> None:
    """One engine determination per destination, of the application itself; a Russia ban on a
    listed item (Regulation (EU) 833/2014) makes the whole application prohibited, and a
    prohibited application is not submitted (the provision is named)."""
    today = dt.date.today()
    ex = make_actor("exporter_user")
    app = ready_application(ex, today, destination="US")
    ops.update_application(ex, app, destinations=["US", "Russia"], end_use=app.end_use,
                           today=today)
    det = app.determination
    rows = {p["destination"]: p for p in det.per_destination}
    assert set(rows) == {"US", "RU"}
    assert rows["US"]["outcome"] == "authorisation_required"
    assert any("Art. 3(1)" in b for b in rows["US"]["legal_bases"])
    assert rows["RU"]["outcome"] == "prohibited"
    assert any("833/2014" in b for b in rows["RU"]["legal_bases"])
    assert det.outcome == "prohibited" and det.reason == "changed"
    assert det.transaction["destinations"] == ["US", "RU"]
    with pytest.raises(IllegalTransitionError, match=r"RU is prohibited \(Council Regulation"):
        ops.submit(ex, app, today=today)
    app.refresh_from_db()
    assert app.state == "draft"
    page = _client(ex).get(f"/exporter/applications/{app.pk}/").content.decode()
    assert 'data-destination="US" data-outcome="authorisation_required"' in page
    assert 'data-destination="RU" data-outcome="prohibited"' in page
    # the item's CN code 9025 80 80 is also in Annex XXIII (Art. 3k(1)): both provisions named
    assert ("the export to RU is prohibited (Council Regulation (EU) No 833/2014, Art. 2(1); "
            "Council Regulation (EU) No 833/2014, Art. 3k(1), Annex XXIII)") in page


