"""Annex II: the authority acknowledges a UGEA registration within 10 working days of receipt
(Dutch public holidays skipped), or refuses it with reasons; subject to Art. 12(7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from dualuse.errors import InputError
from dualuse.service.audit.chain import verify
from dualuse.service.audit.models import AuditEvent
from dualuse.service.cases.workflow import IllegalTransitionError
from dualuse.service.licences import operations as lic


def _client(actor: Any) -> Client:
    c = Client(headers={"accept-language": "en"})
    c.force_login(actor.user)
    return c


@pytest.fixture
def world(make_actor: Any, make_org: Any) -> dict[str, Any]:
    authority = make_org("authority", "CDIU")
    return {
        "ex": make_actor("exporter_user"),
        "cw": make_actor("caseworker", authority),
        "senior": make_actor("senior_caseworker", authority),
    }


def test_queue_shows_the_working_day_deadline_and_acknowledges(world: dict[str, Any]) -> None:
    ex, cw = world["ex"], world["cw"]
    reg = lic.register_ugea(ex, ugea="EU001")
    # received Fri 24 April 2026: King's Day (27 Apr) and Liberation Day (5 May) do not count
    reg.registered_at = timezone.make_aware(dt.datetime(2026, 4, 24, 10, 0))
    reg.save()
    assert reg.status == "pending"
    assert lic.acknowledgement_deadline(reg) == dt.date(2026, 5, 12)
    page = _client(cw).get("/authority/ugea-registrations/").content.decode()
    assert f'data-registration="{reg.pk}"' in page and "2026-05-12" in page
    assert "overdue" in page  # the deadline is long past on the test's today

    r = _client(cw).post(
        "/authority/ugea-registrations/", {"registration": reg.pk, "action": "acknowledge"}
    )
    assert r.status_code == 302
    reg.refresh_from_db()
    assert reg.status == "acknowledged" and reg.decided_by == cw.user
    event = AuditEvent.objects.filter(action="ugea.acknowledge").get()
    assert event.before == {"status": "pending"} and event.after["status"] == "acknowledged"
    assert verify().ok
    # leaves the queue; the exporter sees it acknowledged; no second decision
    assert (
        f'data-registration="{reg.pk}"'
        not in _client(cw).get("/authority/ugea-registrations/").content.decode()
    )
    assert 'class="ack-acknowledged"' in _client(ex).get("/exporter/ugea/").content.decode()
    with pytest.raises(IllegalTransitionError, match="already acknowledged"):
        lic.refuse_registration(cw, reg, reasons="late second thoughts")


def test_refusal_needs_reasons_and_a_barred_exporter_cannot_be_acknowledged(
    world: dict[str, Any],
) -> None:
    ex, cw, senior = world["ex"], world["cw"], world["senior"]
    reg = lic.register_ugea(ex, ugea="EU003")
    lic.bar_from_ugeas(senior, ex.organisation, reasons="diversion suspected")
    with pytest.raises(IllegalTransitionError) as err:
        lic.acknowledge_registration(cw, reg)
    assert "12(7)" in str(err.value.provision)
    with pytest.raises(InputError) as bad:
        lic.refuse_registration(cw, reg, reasons="  ")
    assert bad.value.field == "reasons"
    reg.refresh_from_db()
    assert reg.status == "pending" and not AuditEvent.objects.filter(action="ugea.refuse")
    # through the page: no reasons changes nothing; with reasons it is refused and audited
    c = _client(cw)
    c.post("/authority/ugea-registrations/", {"registration": reg.pk, "action": "refuse"})
    reg.refresh_from_db()
    assert reg.status == "pending"
    c.post(
        "/authority/ugea-registrations/",
        {"registration": reg.pk, "action": "refuse", "reasons": "Art. 12(7) bar in force"},
    )
    reg.refresh_from_db()
    assert reg.status == "refused" and reg.refusal_reasons == "Art. 12(7) bar in force"
    assert AuditEvent.objects.filter(action="ugea.refuse").get().after["reasons"] == (
        "Art. 12(7) bar in force"
    )
    page = _client(ex).get("/exporter/ugea/").content.decode()
    assert 'class="ack-refused"' in page and "Art. 12(7) bar in force" in page


def test_only_the_authority_decides(world: dict[str, Any]) -> None:
    ex = world["ex"]
    reg = lic.register_ugea(ex, ugea="EU001")
    r = _client(ex).post(
        "/authority/ugea-registrations/", {"registration": reg.pk, "action": "acknowledge"}
    )
    assert r.status_code == 403
    with pytest.raises(PermissionDenied, match="your role does not allow this"):
        lic.acknowledge_registration(ex, reg)
    reg.refresh_from_db()
    assert reg.status == "pending"


def test_first_use_deadlines_follow_annex_ii_part_3(world: dict[str, Any]) -> None:
    ex = world["ex"]
    today = dt.date(2026, 12, 1)
    eu007 = lic.register_ugea(
        ex, ugea="EU007", planned_first_export=dt.date(2027, 3, 1), today=today
    )
    due = eu007.first_use(today)
    assert due.due == dt.date(2027, 1, 30) and due.met is None  # 30 days before, not yet due
    assert due.citation == "Regulation (EU) 2021/821, Annex II, Section G, EU007, Part 3, point 6"
    assert eu007.first_use(dt.date(2027, 2, 1)).met is False  # past the day, not notified

    eu001 = lic.register_ugea(ex, ugea="EU001")
    assert eu001.first_use(today).due is None  # nothing is due before the first export
    eu001.registered_at = dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC)  # registered in September
    eu001.save()
    lic.notify_first_use(ex, eu001, first_export_on=dt.date(2026, 10, 1), today=today)
    late = eu001.first_use(today)
    assert late.due == dt.date(2026, 10, 31) and late.met is False  # 30 days after; notified late
    assert "Section A, EU001, Part 3" in late.citation

    page = _client(ex).get("/exporter/ugea/").content.decode()
    assert "Annex II, Section G, EU007, Part 3, point 6" in page and "2027-01-30" in page
    assert "notify at least 10 days before the first export" in page  # EU008's rule, offered
