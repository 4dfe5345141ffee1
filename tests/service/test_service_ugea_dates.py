"""UGEA registration dates a person can get right (Annex II, Part 3): EU007 and EU008 are notified
the law data's number of days before the first export (30 and 10), so a first export planned
sooner is refused; the first use is notified with its date, not before the registration, and for
EU001-EU006 not in the future. Web and API give the same refusal and store nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dualuse.errors import InputError
from dualuse.service.audit.models import AuditEvent
from dualuse.service.lawdata import catalogue_on
from dualuse.service.licences import operations as lic
from dualuse.service.licences.models import UgeaRegistration
from dualuse.service.organisations.models import ApiToken

TODAY = timezone.localdate()


def _days(ugea: str) -> int:
    return catalogue_on(TODAY).ugea(ugea).first_use_notification.days


@pytest.fixture
def ex(make_actor: Any) -> Any:
    return make_actor("exporter_admin")


def _web(actor: Any) -> Client:
    c = Client(headers={"accept-language": "en"})
    c.force_login(actor.user)
    return c


def _api(actor: Any) -> Client:
    return Client(headers={"authorization": f"Bearer {ApiToken.issue(actor.user, 'erp')[1]}"})


def test_the_law_data_gives_30_and_10_days() -> None:
    assert (_days("EU007"), _days("EU008")) == (30, 10)


@pytest.mark.parametrize("ugea", ["EU007", "EU008"])
def test_a_first_export_planned_too_soon_is_refused_on_web_and_api(ex: Any, ugea: str) -> None:
    too_soon = TODAY + dt.timedelta(days=_days(ugea) - 1)
    earliest = TODAY + dt.timedelta(days=_days(ugea))
    page = _web(ex).post(
        "/exporter/ugea/", {"ugea": ugea, "planned_first_export": too_soon.isoformat()},
        follow=True,
    ).content.decode()
    assert f"so the first export is planned on {earliest} or later" in page
    r = _api(ex).post(
        "/api/ugea-registrations",
        {"ugea": ugea, "planned_first_export": too_soon.isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "planned_first_export"
    assert f"Annex II, Section {'G' if ugea == 'EU007' else 'H'}, {ugea}, Part 3" in (
        r.json()["provision"]
    )
    assert not UgeaRegistration.objects.exists()
    assert not AuditEvent.objects.filter(action="ugea.register").exists()
    ok = _api(ex).post(
        "/api/ugea-registrations",
        {"ugea": ugea, "planned_first_export": earliest.isoformat()},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["first_use"]["due"] == TODAY.isoformat()


def test_the_period_is_read_from_the_law_data(ex: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    rule = catalogue_on(TODAY).ugea("EU007").first_use_notification
    monkeypatch.setattr(lic, "_first_export_rule",
                        lambda ugea, day: dataclasses.replace(rule, days=45))
    with pytest.raises(InputError, match="at least 45 days before the first export"):
        lic.register_ugea(ex, ugea="EU007", today=TODAY,
                          planned_first_export=TODAY + dt.timedelta(days=40))


def test_a_planned_first_export_in_the_past_is_refused(ex: Any) -> None:
    with pytest.raises(InputError, match="is in the past"):
        lic.register_ugea(ex, ugea="EU001", today=TODAY,
                          planned_first_export=TODAY - dt.timedelta(days=1))


def test_first_use_needs_a_date_not_before_registration_nor_in_the_future(ex: Any) -> None:
    reg = lic.register_ugea(ex, ugea="EU001", today=TODAY)
    web, api = _web(ex), _api(ex)
    path = f"/api/ugea-registrations/{reg.pk}/first-use"
    page = web.post("/exporter/ugea/", {"action": "first_use", "registration": reg.pk,
                                        "first_export_on": ""}, follow=True).content.decode()
    assert "the date of the first export is needed" in page
    assert api.post(path, {}, content_type="application/json").status_code == 422
    before = TODAY - dt.timedelta(days=1)
    r = api.post(path, {"first_export_on": before.isoformat()}, content_type="application/json")
    assert r.status_code == 400 and "before the registration" in r.json()["detail"]
    ahead = (TODAY + dt.timedelta(days=5)).isoformat()
    r = api.post(path, {"first_export_on": ahead}, content_type="application/json")
    assert r.status_code == 400 and "in the future" in r.json()["detail"]
    page = web.post("/exporter/ugea/", {"action": "first_use", "registration": reg.pk,
                                        "first_export_on": ahead}, follow=True).content.decode()
    assert "in the future" in page
    for junk in ("hello", "2026-02-30", "<script>"):
        page = web.post("/exporter/ugea/", {"action": "first_use", "registration": reg.pk,
                                            "first_export_on": junk}, follow=True).content.decode()
        assert "not a date (YYYY-MM-DD)" in page and "<script>'" not in page  # escaped
    reg.refresh_from_db()
    assert reg.first_use_notified_on is None and reg.first_export_on is None
    assert not AuditEvent.objects.filter(action="ugea.first_use").exists()
    done = api.post(path, {"first_export_on": TODAY.isoformat()}, content_type="application/json")
    assert done.status_code == 200 and done.json()["first_use"]["met"] is True
    event = AuditEvent.objects.get(action="ugea.first_use")
    assert event.before == {"first_export_on": None, "notified_on": None}


def test_eu007_first_use_is_notified_ahead_of_the_export(ex: Any) -> None:
    reg = lic.register_ugea(ex, ugea="EU007", today=TODAY)
    with pytest.raises(InputError, match="at least 30 days before the first export"):
        lic.notify_first_use(ex, reg, first_export_on=TODAY + dt.timedelta(days=7), today=TODAY)
    lic.notify_first_use(ex, reg, first_export_on=TODAY + dt.timedelta(days=30), today=TODAY)
    assert reg.first_use(TODAY).met is True


def test_a_refused_or_barred_registration_is_not_used(ex: Any, make_actor: Any,
                                                      make_org: Any) -> None:
    authority = make_org("authority", "CDIU")
    reg = lic.register_ugea(ex, ugea="EU001", today=TODAY)
    lic.refuse_registration(make_actor("caseworker", authority), reg, reasons="wrong UGEA")
    from dualuse.service.cases.workflow import IllegalTransitionError

    with pytest.raises(IllegalTransitionError, match="was refused"):
        lic.notify_first_use(ex, reg, first_export_on=TODAY, today=TODAY)
    other = lic.register_ugea(ex, ugea="EU003", today=TODAY)
    lic.bar_from_ugeas(make_actor("senior_caseworker", authority), ex.organisation,
                       reasons="suspicion")
    with pytest.raises(IllegalTransitionError, match=r"Art\. 12\(7\)"):
        lic.notify_first_use(ex, other, first_export_on=TODAY, today=TODAY)
