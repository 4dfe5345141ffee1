"""UGEA registrations through the API: the exporter registers and notifies first use (Annex II,
Part 3), the authority acknowledges within 10 working days or refuses with reasons, subject to the
Art. 12(7) bar. Every refusal is a 4xx that changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dualuse.service.audit.chain import verify
from dualuse.service.audit.models import AuditEvent
from dualuse.service.licences import operations as lic
from dualuse.service.licences.models import UgeaRegistration
from dualuse.service.organisations.models import ApiToken


def _token_client(actor: Any) -> Client:
    raw = ApiToken.issue(actor.user, "erp")[1]
    return Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})


def _session_client(actor: Any) -> Client:
    c = Client(headers={"accept-language": "en"})
    c.force_login(actor.user)
    return c


def _post(client: Client, path: str, body: Any = None) -> Any:
    return client.post(path, body or {}, content_type="application/json")


@pytest.fixture
def world(make_actor: Any, make_org: Any) -> dict[str, Any]:
    authority = make_org("authority", "CDIU")
    ex, other = make_actor("exporter_user"), make_actor("exporter_admin")
    cw = make_actor("caseworker", authority)
    return {
        "ex": ex,
        "erp": _token_client(ex),
        "other": _token_client(other),
        "cw": _session_client(cw),
        "senior": make_actor("senior_caseworker", authority),
        "customs": _token_client(make_actor("customs_officer")),
    }


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_exporter_registers_and_notifies_first_use(world: dict[str, Any]) -> None:
    erp, other = world["erp"], world["other"]
    first_export = timezone.localdate() + dt.timedelta(days=90)
    planned = {"ugea": "EU007", "planned_first_export": first_export.isoformat()}
    r = _post(erp, "/api/ugea-registrations", planned)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "pending"
    # EU007: notify at least 30 days before the first export
    assert body["first_use"]["due"] == (first_export - dt.timedelta(days=30)).isoformat()
    assert body["first_use"]["citation"] == (
        "Regulation (EU) 2021/821, Annex II, Section G, EU007, Part 3, point 6"
    )
    assert body["first_use"]["rule"] == "notify at least 30 days before the first export"
    event = AuditEvent.objects.get(action="ugea.register")
    assert event.after["ugea"] == "EU007" and event.object_id == str(body["id"])

    # a second registration for the same UGEA, or an unknown one, is refused and changes nothing
    again = _post(erp, "/api/ugea-registrations", {"ugea": "EU007"})
    assert again.status_code == 409 and again.json()["field"] == "ugea"
    unknown = _post(erp, "/api/ugea-registrations", {"ugea": "EU009"})
    assert unknown.status_code == 400 and unknown.json()["field"] == "ugea"
    assert UgeaRegistration.objects.count() == 1 and _events("ugea.register") == 1

    eu001 = _post(erp, "/api/ugea-registrations", {"ugea": "EU001"}).json()
    assert eu001["first_use"]["due"] is None  # nothing due before the first export
    # registered in September: a first export on 1 October is notified (late) in December
    UgeaRegistration.objects.filter(pk=eu001["id"]).update(
        registered_at=dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC)
    )
    listed = erp.get("/api/ugea-registrations").json()
    assert [x["ugea"] for x in listed] == ["EU001", "EU007"]
    assert other.get("/api/ugea-registrations").json() == []  # another exporter sees none

    path = f"/api/ugea-registrations/{eu001['id']}/first-use"
    assert _post(other, path, {"first_export_on": "2026-10-01"}).status_code == 404
    done = _post(erp, path, {"first_export_on": "2026-10-01"})
    assert done.status_code == 200, done.content
    first_use = done.json()["first_use"]
    assert first_use["due"] == "2026-10-31" and "Section A, EU001, Part 3" in first_use["citation"]
    assert done.json()["first_use_notified_on"] == timezone.localdate().isoformat()
    assert _events("ugea.first_use") == 1
    assert _post(erp, path, {"first_export_on": "2026-10-02"}).status_code == 409
    assert _events("ugea.first_use") == 1
    assert verify().ok


def test_authority_lists_pending_with_deadline_and_acknowledges(world: dict[str, Any]) -> None:
    ex, cw = world["ex"], world["cw"]
    reg = lic.register_ugea(ex, ugea="EU001")
    # received Fri 24 April 2026: King's Day (27 Apr) and Liberation Day (5 May) do not count
    reg.registered_at = timezone.make_aware(dt.datetime(2026, 4, 24, 10, 0))
    reg.save()
    pending = cw.get("/api/authority/ugea-registrations")
    assert pending.status_code == 200
    (row,) = pending.json()
    assert row["id"] == reg.pk and row["exporter"] == ex.organisation.name
    assert row["acknowledgement_due"] == "2026-05-12" and row["overdue"] is True
    assert row["acknowledgement_citation"] == (
        "Regulation (EU) 2021/821, Annex II, Section A, EU001, Part 3, point 3"
    )
    assert row["barred"] is False

    path = f"/api/authority/ugea-registrations/{reg.pk}/acknowledge"
    done = _post(cw, path)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "acknowledged"
    event = AuditEvent.objects.get(action="ugea.acknowledge")
    assert event.before == {"status": "pending"} and event.after["status"] == "acknowledged"
    assert cw.get("/api/authority/ugea-registrations").json() == []
    # decided once: a second decision is a conflict and records nothing
    assert _post(cw, path).status_code == 409
    refuse = f"/api/authority/ugea-registrations/{reg.pk}/refuse"
    assert _post(cw, refuse, {"reasons": "second thoughts"}).status_code == 409
    assert _events("ugea.acknowledge") == 1 and _events("ugea.refuse") == 0
    # the exporter sees it acknowledged
    assert world["erp"].get("/api/ugea-registrations").json()[0]["status"] == "acknowledged"
    assert verify().ok


def test_barred_exporter_is_refused_not_acknowledged(world: dict[str, Any]) -> None:
    ex, cw = world["ex"], world["cw"]
    reg = lic.register_ugea(ex, ugea="EU001")
    lic.bar_from_ugeas(world["senior"], ex.organisation, reasons="diversion suspected")
    assert cw.get("/api/authority/ugea-registrations").json()[0]["barred"] is True

    r = _post(cw, f"/api/authority/ugea-registrations/{reg.pk}/acknowledge")
    assert r.status_code == 409
    provision = r.json()["provision"]
    assert "Annex II, Section A, EU001, Part 3, point 3" in provision
    assert "Art. 12(7)" in provision
    reg.refresh_from_db()
    assert reg.status == "pending" and _events("ugea.acknowledge") == 0

    refuse = f"/api/authority/ugea-registrations/{reg.pk}/refuse"
    blank = _post(cw, refuse, {"reasons": "   "})
    assert blank.status_code == 400 and blank.json()["field"] == "reasons"
    assert _post(cw, refuse, {}).status_code == 422  # reasons missing altogether
    reg.refresh_from_db()
    assert reg.status == "pending" and _events("ugea.refuse") == 0

    done = _post(cw, refuse, {"reasons": "Art. 12(7) bar in force"})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "refused"
    event = AuditEvent.objects.get(action="ugea.refuse")
    assert event.after["reasons"] == "Art. 12(7) bar in force"
    mine = world["erp"].get("/api/ugea-registrations").json()[0]
    assert mine["status"] == "refused" and mine["refusal_reasons"] == "Art. 12(7) bar in force"


def test_only_the_authority_decides_and_only_exporters_register(world: dict[str, Any]) -> None:
    reg = lic.register_ugea(world["ex"], ugea="EU003")
    ack = f"/api/authority/ugea-registrations/{reg.pk}/acknowledge"
    refuse = f"/api/authority/ugea-registrations/{reg.pk}/refuse"
    for who in ("erp", "other", "customs"):
        client = world[who]
        assert client.get("/api/authority/ugea-registrations").status_code == 403, who
        assert _post(client, ack).status_code == 403, who
        assert _post(client, refuse, {"reasons": "not mine to refuse"}).status_code == 403, who
    anonymous = Client()
    assert anonymous.get("/api/authority/ugea-registrations").status_code == 401
    assert _post(anonymous, ack).status_code == 401
    customs = world["customs"]
    assert customs.get("/api/ugea-registrations").status_code == 403
    assert _post(customs, "/api/ugea-registrations", {"ugea": "EU001"}).status_code == 403
    assert _post(world["cw"], "/api/ugea-registrations", {"ugea": "EU001"}).status_code == 403
    # an unknown registration is not found, for the authority too
    absent = _post(world["cw"], "/api/authority/ugea-registrations/999999/acknowledge")
    assert absent.status_code == 404
    reg.refresh_from_db()
    assert reg.status == "pending"
    assert UgeaRegistration.objects.count() == 1
    assert _events("ugea.acknowledge") == _events("ugea.refuse") == 0
