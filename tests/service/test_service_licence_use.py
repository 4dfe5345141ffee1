"""Writing exports off against a licence: once per declaration (MRN), never under a customs hold
(Art. 21(3)) until it is released (decided, or by silence under Art. 21(4)), never in the future,
and corrected only by audited reversal entries. Two simultaneous write-offs of one MRN deplete
once (on PostgreSQL, where the row lock is real)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from service_factories import granted_licence, mrn

from dualuse.errors import InputError
from dualuse.service.audit.chain import verify
from dualuse.service.audit.models import AuditEvent
from dualuse.service.cases.clock import add_working_days
from dualuse.service.cases.workflow import IllegalTransitionError
from dualuse.service.licences import operations as lic
from dualuse.service.licences.models import ExportHold, LicenceUse
from dualuse.service.organisations.models import ApiToken

TODAY = timezone.localdate()
MRN_A = mrn(f"{TODAY:%y}NL000000000AAAA")
MRN_B = mrn(f"{TODAY:%y}NL000000000BBBB")


@pytest.fixture
def world(make_actor: Any, make_org: Any, screening_runs: Any) -> dict[str, Any]:
    authority = make_org("authority", "CDIU")
    ex = make_actor("exporter_user")
    cw = make_actor("caseworker", authority)
    sr = make_actor("senior_caseworker", authority)
    licence = granted_licence(ex, cw, sr, TODAY)
    return {
        "ex": ex,
        "cw": cw,
        "customs": make_actor("customs_officer"),
        "licence": licence,
        "item": licence.items.get(),
    }


def _write_off(w: dict[str, Any], declaration: str, qty: str = "2", **kw: Any) -> lic.WriteOff:
    args: dict[str, Any] = {
        "quantity": Decimal(qty),
        "value_eur": Decimal("5000"),
        "exported_on": TODAY,
        "declaration_ref": declaration,
        "destination": "US",
        "today": TODAY,
    }
    return lic.record_use(w["customs"], w["item"], **{**args, **kw})


def _hold(w: dict[str, Any], declaration: str, today: dt.date = TODAY) -> ExportHold:
    return lic.hold_export(
        w["customs"],
        exporter=w["ex"].organisation,
        declaration_ref=declaration,
        destination="US",
        items="thermal cameras",
        ground="21(3)(b)",
        facts="the consignee is linked to a listed party",
        licence=w["licence"],
        today=today,
    )


def _remaining(w: dict[str, Any]) -> Decimal:
    w["item"].refresh_from_db()
    return w["item"].quantity_remaining


def test_the_same_declaration_twice_depletes_once(world: dict[str, Any]) -> None:
    first = _write_off(world, MRN_A)
    assert first.created and _remaining(world) == Decimal("8.000")
    again = _write_off(world, MRN_A.lower(), qty="3")  # the same MRN, however typed
    assert not again.created and again.use.pk == first.use.pk
    assert _remaining(world) == Decimal("8.000")
    assert LicenceUse.objects.count() == 1
    assert AuditEvent.objects.filter(action="licence.use").count() == 1
    # another declaration does deplete
    assert _write_off(world, MRN_B).created and _remaining(world) == Decimal("6.000")


def test_a_held_declaration_is_not_written_off_until_released(world: dict[str, Any]) -> None:
    hold = _hold(world, MRN_A)
    with pytest.raises(IllegalTransitionError, match=r"customs holds declaration") as refused:
        _write_off(world, MRN_A)
    assert refused.value.provision == "Regulation (EU) 2021/821, Art. 21(3)-(4)"
    assert _remaining(world) == Decimal("10.000") and not LicenceUse.objects.exists()
    assert _write_off(world, MRN_B).created  # another declaration is not held
    with pytest.raises(IllegalTransitionError, match="already held"):
        _hold(world, MRN_A)
    lic.decide_hold(world["cw"], hold, outcome="released", note="no concern", today=TODAY)
    assert _write_off(world, MRN_A).created and _remaining(world) == Decimal("6.000")


def test_a_hold_without_a_reply_releases_by_silence(world: dict[str, Any]) -> None:
    held_on = TODAY - dt.timedelta(days=30)
    hold = _hold(world, MRN_A, today=held_on)
    assert hold.reply_due == add_working_days(held_on, 10) < TODAY
    assert hold.status(TODAY) == "released_by_silence"
    assert _write_off(world, MRN_A).created  # Art. 21(4): released without a reply in time


def test_a_stopped_export_reverses_what_was_written_off_under_it(world: dict[str, Any]) -> None:
    _write_off(world, MRN_A, qty="4")
    hold = _hold(world, MRN_A)  # customs holds after the write-off (goods not yet gone)
    lic.decide_hold(world["cw"], hold, outcome="stopped", note="Art. 4(1) decision", today=TODAY)
    assert _remaining(world) == Decimal("10.000")
    reversal = LicenceUse.objects.get(reverses__isnull=False)
    assert reversal.quantity == Decimal("-4") and "export stopped" in reversal.reasons
    with pytest.raises(IllegalTransitionError, match="stopped the export"):
        _write_off(world, MRN_A)  # nor is its repeat answered as if the export went
    event = AuditEvent.objects.get(action="hold.stopped")
    assert event.before == {"status": "held"} and event.after["reversed_entries"] == [reversal.pk]


@pytest.mark.parametrize(
    ("change", "field", "why"),
    [
        ({"declaration_ref": "hello"}, "declaration_ref", "not a Movement Reference Number"),
        ({"exported_on": TODAY + dt.timedelta(days=180)}, "exported_on", "in the future"),
        ({"quantity": Decimal("11")}, "quantity", "only 10.000 pieces remain"),
        ({"quantity": Decimal("-1")}, "quantity", "must be positive"),
        ({"destination": "CN"}, "destination", "does not cover destination CN"),
    ],
)
def test_bad_write_offs_are_refused_and_change_nothing(
    world: dict[str, Any], change: dict[str, Any], field: str, why: str
) -> None:
    with pytest.raises(InputError, match=why) as refused:
        _write_off(world, MRN_A, **change)
    assert refused.value.field == field
    assert not LicenceUse.objects.exists() and _remaining(world) == Decimal("10.000")


def test_a_correction_is_a_reversal_never_an_edit(world: dict[str, Any]) -> None:
    first = _write_off(world, MRN_A, qty="4").use
    reversal = lic.correct_use(
        world["ex"], first, reasons="4 was typed, 3 went", quantity=Decimal("3")
    )
    assert reversal.reverses_id == first.pk and reversal.quantity == Decimal("-4")
    corrected = LicenceUse.objects.get(replaces=first)
    assert corrected.quantity == Decimal("3") and corrected.declaration_ref == MRN_A
    first.refresh_from_db()
    assert first.quantity == Decimal("4")  # the original entry stands as written
    assert _remaining(world) == Decimal("7.000")
    event = AuditEvent.objects.get(action="licence.use_correct")
    assert event.before["quantity_used"] == "4.000" and event.after["quantity_used"] == "3.000"
    with pytest.raises(IllegalTransitionError, match="only a standing write-off"):
        lic.correct_use(world["ex"], first, reasons="again")
    with pytest.raises(InputError, match=r"only 10\.000 pieces remain"):  # its own 3 count again
        lic.correct_use(world["ex"], corrected, reasons="x", quantity=Decimal("11"))
    with pytest.raises(InputError, match="say why"):
        lic.correct_use(world["ex"], corrected, reasons=" ")
    lic.correct_use(world["customs"], corrected, reasons="the export did not take place")
    assert _remaining(world) == Decimal("10.000")
    # the repeat of the declaration still returns its first write-off: nothing depletes again
    assert not _write_off(world, MRN_A).created and _remaining(world) == Decimal("10.000")
    assert verify().ok


def test_another_exporter_cannot_write_off_or_correct(
    world: dict[str, Any], make_actor: Any
) -> None:
    stranger = make_actor("exporter_user")
    with pytest.raises(IllegalTransitionError, match="another exporter"):
        lic.record_use(stranger, world["item"], quantity=Decimal(1), value_eur=Decimal(1),
                       exported_on=TODAY, declaration_ref=MRN_A, destination="US", today=TODAY)
    use = _write_off(world, MRN_A).use
    with pytest.raises(IllegalTransitionError, match="another exporter"):
        lic.correct_use(stranger, use, reasons="x")


def _api(actor: Any) -> Client:
    raw = ApiToken.issue(actor.user, "erp")[1]
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_api_write_off_is_idempotent_and_refuses_holds(world: dict[str, Any]) -> None:
    client, number = _api(world["customs"]), world["licence"].number
    body = {
        "item_id": world["item"].pk,
        "quantity": "2",
        "value_eur": "5000",
        "exported_on": TODAY.isoformat(),
        "declaration_ref": MRN_A,
        "destination": "US",
    }
    path = f"/api/licences/{number}/uses"
    first = client.post(path, body, content_type="application/json")
    assert first.status_code == 201 and first.json()["repeated"] is False
    again = client.post(path, {**body, "quantity": "5"}, content_type="application/json")
    assert again.status_code == 200 and again.json()["repeated"] is True
    assert again.json()["write_off"]["id"] == first.json()["write_off"]["id"]
    assert again.json()["items"][0]["quantity_remaining"] == "8.000"
    hello = client.post(path, {**body, "declaration_ref": "hello"}, content_type="application/json")
    assert hello.status_code == 400 and hello.json()["field"] == "declaration_ref"
    future = (TODAY + dt.timedelta(days=1)).isoformat()
    ahead = client.post(path, {**body, "declaration_ref": MRN_B, "exported_on": future},
                        content_type="application/json")
    assert ahead.status_code == 400 and ahead.json()["field"] == "exported_on"
    _hold(world, MRN_B)
    held = client.post(path, {**body, "declaration_ref": MRN_B}, content_type="application/json")
    assert held.status_code == 409 and "Art. 21(3)" in held.json()["provision"]
    use_id = first.json()["write_off"]["id"]
    fix = client.post(f"{path}/{use_id}/correction", {"reasons": "typo", "quantity": "1"},
                      content_type="application/json")
    assert fix.status_code == 201, fix.content
    assert fix.json()["write_off"]["kind"] == "reversal"
    assert [e["kind"] for e in fix.json()["ledger"]] == ["write_off", "reversal", "correction"]
    assert fix.json()["items"][0]["quantity_remaining"] == "9.000"
    assert LicenceUse.objects.count() == 3


def test_the_web_form_refuses_hello_and_a_repeat_says_so(world: dict[str, Any]) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(world["customs"].user)
    path = f"/licences/{world['licence'].pk}/"
    form = {
        "action": "use",
        "item": world["item"].pk,
        "quantity": "2",
        "value_eur": "5000",
        "exported_on": TODAY.isoformat(),
        "destination": "US",
    }
    page = client.post(path, {**form, "declaration_ref": "hello"}, follow=True).content.decode()
    assert "is not a Movement Reference Number" in page and not LicenceUse.objects.exists()
    page = client.post(path, {**form, "declaration_ref": MRN_A, "exported_on": ""},
                       follow=True).content.decode()
    assert "the date of export is needed" in page and not LicenceUse.objects.exists()
    client.post(path, {**form, "declaration_ref": MRN_A})
    page = client.post(path, {**form, "declaration_ref": MRN_A}, follow=True).content.decode()
    assert f"Declaration {MRN_A} was already written off" in page
    assert LicenceUse.objects.count() == 1 and _remaining(world) == Decimal("8.000")
    for hostile in ({"item": "x"}, {"item": "999999"}, {"action": "correct", "use": "'; --"}):
        assert client.post(path, {**form, **hostile}).status_code in (302, 404)


def test_customs_sees_the_exporters_registrations_bar_and_requirements(
    world: dict[str, Any], make_actor: Any, make_org: Any
) -> None:
    ex, cw = world["ex"], world["cw"]
    senior = make_actor("senior_caseworker", cw.organisation)
    lic.register_ugea(ex, ugea="EU001", today=TODAY)
    lic.impose_requirement(cw, ex.organisation, basis="4(1)(a)", destinations=["PK"],
                           reasons="WMD concern", today=TODAY)
    lic.bar_from_ugeas(senior, ex.organisation, reasons="repeated violations")
    _hold(world, MRN_A)
    client = Client(headers={"accept-language": "en"})
    client.force_login(world["customs"].user)
    page = client.get("/customs/declarations/", {"mrn": MRN_A}).content.decode()
    assert 'id="declaration-held"' in page and "Held since" in page
    assert "Barred from Union general export authorisations" in page
    assert "repeated violations" in page
    assert "EU001" in page and "Awaiting acknowledgement" in page
    assert "Art. 4(1)(a)" in page and "PK" in page and world["licence"].number in page
    bad = client.get("/customs/declarations/", {"mrn": "hello"}).content.decode()
    assert "is not a Movement Reference Number" in bad and 'id="exporter-panel"' not in bad
    unknown = client.get("/customs/declarations/", {"eori": "NL999"}).content.decode()
    assert "No exporter with EORI NL999" in unknown
    exporter_client = Client()
    exporter_client.force_login(ex.user)
    assert exporter_client.get("/customs/declarations/", {"mrn": MRN_A}).status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_write_offs_of_one_mrn_deplete_once(
    make_actor: Any, make_org: Any, screening_runs: Any
) -> None:
    from django.db import connections
    from service_factories import purge_audit_trail

    authority = make_org("authority", "CDIU")
    ex = make_actor("exporter_user")
    cw = make_actor("caseworker", authority)
    licence = granted_licence(ex, cw, make_actor("senior_caseworker", authority), TODAY)
    customs = make_actor("customs_officer")
    item = licence.items.get()
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def write_off() -> None:
        try:
            barrier.wait()
            results.append(lic.record_use(
                customs, item, quantity=Decimal("3"), value_eur=Decimal("900"),
                exported_on=TODAY, declaration_ref=MRN_A, destination="US", today=TODAY,
            ).created)
        except Exception as exc:  # a failure is a result too: the test then names it
            results.append(exc)
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=write_off) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(results, key=str) == [False, True], results
        item.refresh_from_db()
        assert item.quantity_remaining == Decimal("7.000")
        assert LicenceUse.objects.filter(item=item).count() == 1
    finally:
        purge_audit_trail()
