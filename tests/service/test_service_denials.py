"""Art. 16: our denials enter the register and are notified; other member states' denials are
recorded as received; before deciding, a case is examined against every valid denial (Art. 16(5)),
matched by item and end-user with the screening matcher; the issuing member state is consulted
(10 working days, extendable to 30; silence is 'not essentially identical'); denials are reviewed
every three years (Art. 16(2)); a grant after consultation is notified."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from service_factories import assess_all, ready_application

from dualuse.errors import InputError
from dualuse.service.audit.chain import verify
from dualuse.service.audit.models import AuditEvent
from dualuse.service.cases import operations as ops
from dualuse.service.cases.clock import add_working_days
from dualuse.service.cases.workflow import IllegalTransitionError
from dualuse.service.denials import operations as den
from dualuse.service.denials.matching import Facts, resemble, same_entry
from dualuse.service.denials.models import Denial
from dualuse.service.licences import operations as lic


@pytest.fixture
def people(make_actor: Any, make_org: Any) -> dict[str, Any]:
    authority = make_org("authority", "CDIU")
    return {
        "exporter": make_actor("exporter_user"),
        "caseworker": make_actor("caseworker", authority),
        "senior": make_actor("senior_caseworker", authority),
    }


def _received(cw: Any, today: dt.date, **kw: Any) -> Denial:
    values: dict[str, Any] = {
        "issuing_member_state": "DE", "reference": "DE-2026-0042", "decision": "refused",
        "activity": "export", "control_codes": ["6A003.b.4"], "items": "thermal cameras",
        "destinations": ["US"], "end_users": ["ACME OPTICS, INC."],
        "reasons": "risk of diversion to a military end-user",
        "decided_on": today - dt.timedelta(days=40), "received_on": today - dt.timedelta(days=30),
    }
    return den.record_received_denial(cw, **{**values, **kw})


def _in_assessment(people: dict[str, Any], today: dt.date, **kw: Any) -> Any:
    app = ready_application(people["exporter"], today, **kw)
    ops.submit(people["exporter"], app, today=today)
    ops.assign(people["caseworker"], app, people["caseworker"].user)
    assess_all(people["caseworker"], app)
    return app


def _denied(people: dict[str, Any], today: dt.date) -> Any:
    """A case to AE for Gulf Optics, refused by the caseworker and approved by the senior."""
    ex, cw = people["exporter"], people["caseworker"]
    app = ready_application(ex, today, destination="AE", end_user="Gulf Optics")
    ops.submit(ex, app, today=today)
    ops.assign(cw, app, cw.user)
    ops.draft_decision(cw, app, kind="deny", reasons="diversion risk", today=today)
    ops.approve_draft(people["senior"], app, today=today)
    return app


def test_same_entry_is_the_code_or_a_sub_item_of_it() -> None:
    assert same_entry("6A003.b.4", "6A003") and same_entry("6a003.b.4.", "6A003.b.4")
    assert not same_entry("6A003", "6A0031") and not same_entry("6A003", "6A002")
    tx = Facts(("6A003.b.4",), ("US",), ("Acme Optics Inc",))
    assert resemble(tx, Facts(("6A002",), ("US",), ("Acme Optics Inc",))) is None


def test_our_denial_is_registered_notified_and_shared(
    people: dict[str, Any], today: dt.date, screening_runs: Any
) -> None:
    cw = people["caseworker"]
    app = _denied(people, today)
    d = Denial.objects.get(application=app)
    assert (d.issuing_member_state, d.decision) == ("NL", "refused")
    assert d.reference == f"NL-DEN-2026-{d.pk:06d}"
    assert d.control_codes == ["6A003.b.4"] and d.end_users == ["Gulf Optics"]
    assert d in den.outbox(cw).denials and den.review_due(d) is None  # runs from notification
    event = AuditEvent.objects.get(action="denial.register")
    assert event.after["basis"] == "Regulation (EU) 2021/821, Art. 16(1)"

    page = Client()
    page.force_login(cw.user)
    doc = json.loads(page.get(f"/authority/denials/{d.pk}/notification.json").content)
    assert doc["basis"] == "Regulation (EU) 2021/821, Art. 16(1)"
    assert doc["destinations"] == ["AE"] and doc["control_codes"] == ["6A003.b.4"]

    with pytest.raises(InputError, match="reference"):
        den.record_notified(cw, d, sent_on=today, reference=" ")
    den.record_notified(cw, d, sent_on=today, reference="DUeS-123")
    assert d not in den.outbox(cw).denials
    assert den.review_due(d) == dt.date(2029, 11, 27)  # three years from notification
    with pytest.raises(IllegalTransitionError):
        den.record_notified(cw, d, sent_on=today, reference="again")
    assert verify().ok


def test_revoking_a_licence_is_a_notifiable_denial(
    people: dict[str, Any], today: dt.date, screening_runs: Any
) -> None:
    ex, cw, sr = people["exporter"], people["caseworker"], people["senior"]
    app = _in_assessment(people, today)
    ops.draft_decision(cw, app, kind="grant", reasons="no objection", today=today)
    ops.approve_draft(sr, app, today=today)
    lic.act_on_licence(sr, app.licence, event="revoke", reasons="end-user now listed")
    assert Denial.objects.get(application=app).decision == "revoked"
    assert ex  # the exporter's own view of denials is refused in the permission matrix


def test_a_received_denial_with_the_same_item_and_end_user_blocks_until_examined(
    people: dict[str, Any], today: dt.date, screening_runs: Any
) -> None:
    cw = people["caseworker"]
    d = _received(cw, today)
    app = _in_assessment(people, today, destination="US", end_user="Acme Optics Inc")
    [c] = den.candidates(app)
    assert c.denial == d and c.blocking and c.resemblance.must_examine
    assert c.resemblance.end_user is not None and c.resemblance.end_user["score"] >= 0.7
    assert ("6A003.b.4", "6A003.b.4") in c.resemblance.codes
    blockers = ops.decision_blockers(app, today)
    assert any("DE-2026-0042" in b and "Art. 16(5)" in b for b in blockers)
    with pytest.raises(IllegalTransitionError, match=r"Art\. 16"):
        ops.draft_decision(cw, app, kind="grant", reasons="fine", today=today)

    with pytest.raises(InputError, match="say why"):
        den.find_not_identical(cw, app, d, note="  ")
    den.find_not_identical(cw, app, d, note="different model, civil surveillance contract")
    assert not any("16(5)" in b for b in ops.decision_blockers(app, today))
    with pytest.raises(IllegalTransitionError, match="already examined"):
        den.consult(cw, app, d, today=today)
    event = AuditEvent.objects.get(action="denial.examined")
    assert event.after["basis"] == "Regulation (EU) 2021/821, Art. 16(5)"
    assert "end-user" in event.after["resemblance"]["grounds"]


def test_consultation_runs_ten_working_days_extendable_to_thirty(
    people: dict[str, Any], today: dt.date, screening_runs: Any
) -> None:
    cw, sr = people["caseworker"], people["senior"]
    d = _received(cw, today)
    app = _in_assessment(people, today)
    e = den.consult(cw, app, d, today=today)
    assert e.deadline == add_working_days(today, 10)
    assert any("consultation of DE" in b for b in ops.decision_blockers(app, today))
    with pytest.raises(InputError, match="at most 30"):
        den.record_reply(cw, e, extend_to_working_days=31, today=today)
    den.record_reply(cw, e, extend_to_working_days=30, today=today)
    assert e.deadline == add_working_days(today, 30)
    still_open = add_working_days(today, 29)
    assert any("DE-2026-0042" in b for b in ops.decision_blockers(app, still_open))
    after = add_working_days(today, 31)
    assert e.regarded_identical(after) is False  # silence: not essentially identical
    assert not any("DE-2026-0042" in b for b in ops.decision_blockers(app, after))

    ops.draft_decision(cw, app, kind="grant", reasons="consulted DE, no reply", today=after)
    ops.approve_draft(sr, app, today=after)
    [grant] = den.outbox(cw).grants  # Art. 16(5): a grant after consultation is notified
    assert grant == e
    den.record_grant_notified(cw, e, sent_on=after, reference="DUeS-9")
    assert not den.outbox(cw).grants


def test_item_and_destination_alone_are_shown_but_do_not_block(
    people: dict[str, Any], today: dt.date, screening_runs: Any
) -> None:
    cw = people["caseworker"]
    _received(cw, today)
    other_user = _in_assessment(people, today, destination="US", end_user="Tokyo Lens KK")
    [c] = den.candidates(other_user)
    assert not c.blocking and c.resemblance.destinations == ("US",)
    assert not any("16(5)" in b for b in ops.decision_blockers(other_user, today))
    unrelated = _in_assessment(people, today, destination="JP", end_user="Tokyo Lens KK",
                               code="2B001")
    assert den.candidates(unrelated) == []


def test_received_denials_are_validated_and_change_nothing_when_wrong(
    people: dict[str, Any], today: dt.date
) -> None:
    cw, ex = people["caseworker"], people["exporter"]
    for kw, field in [
        ({"issuing_member_state": "NL"}, "issuing_member_state"),
        ({"issuing_member_state": "US"}, "issuing_member_state"),
        ({"control_codes": ["9Z999"]}, "control_codes"),
        ({"destinations": ["XX"]}, "destinations"),
        ({"decided_on": today + dt.timedelta(days=1)}, "decided_on"),
        ({"reasons": ""}, "reasons"),
    ]:
        with pytest.raises(InputError) as err:
            _received(cw, today, **kw)
        assert err.value.field == field
    assert not Denial.objects.exists()
    _received(cw, today)
    with pytest.raises(InputError, match="already in the register"):
        _received(cw, today)
    with pytest.raises(PermissionDenied):
        _received(ex, today, reference="DE-2")


def test_reviews_every_three_years_and_the_third_is_explained(
    people: dict[str, Any], today: dt.date, screening_runs: Any
) -> None:
    ex, cw = people["exporter"], people["caseworker"]
    app = _denied(people, today)
    d = Denial.objects.get(application=app)
    with pytest.raises(IllegalTransitionError, match="notify"):
        den.review(cw, d, outcome="renewed", explanation="", today=today)
    den.record_notified(cw, d, sent_on=today, reference="DUeS-1")
    first = dt.date(2029, 11, 1)
    den.review(cw, d, outcome="renewed", explanation="", today=first)
    assert den.review_due(d) == dt.date(2032, 11, 1)
    den.review(cw, d, outcome="amended", explanation="", today=dt.date(2032, 10, 1))
    with pytest.raises(InputError, match="third review") as err:
        den.review(cw, d, outcome="renewed", explanation="", today=dt.date(2035, 9, 1))
    assert err.value.provision == "Regulation (EU) 2021/821, Art. 16(2)"
    assert len(den.outbox(cw).reviews) == 2  # each review result is notified
    den.review(cw, d, outcome="revoked", explanation="", today=dt.date(2035, 9, 1))
    d.refresh_from_db()
    assert d.status == "revoked" and den.review_due(d) is None
    # a revoked denial is no longer examined against new cases
    again = ready_application(ex, today, destination="AE", end_user="Gulf Optics")
    assert den.candidates(again) == []


def test_register_page_records_a_received_denial(
    people: dict[str, Any], today: dt.date
) -> None:
    c = Client(headers={"accept-language": "en"})
    c.force_login(people["caseworker"].user)
    r = c.post("/authority/denials/", {
        "action": "receive", "issuing_member_state": "fr", "reference": "FR-77",
        "decision": "refused", "activity": "brokering", "control_codes": "5A002.a",
        "destinations": "IR", "end_users": "Pars Electronics\n", "reasons": "WMD risk",
        "decided_on": "2026-10-01", "received_on": "2026-10-03",
    })
    assert r.status_code == 302
    d = Denial.objects.get(reference="FR-77")
    assert (d.issuing_member_state, d.destinations) == ("FR", ["IR"])
    assert d.end_users == ["Pars Electronics"]
    page = c.get("/authority/denials/").content.decode()
    assert f'data-denial="{d.pk}"' in page and "Pars Electronics" in page
    r = c.post("/authority/denials/", {"action": "receive", "issuing_member_state": "FR",
                                       "reference": "FR-78", "control_codes": "5A002.a"},
               follow=True)
    assert "unknown decision" in r.content.decode() and not Denial.objects.filter(
        reference="FR-78").exists()


def test_a_notification_document_imports_all_or_nothing(
    people: dict[str, Any], today: dt.date, screening_runs: Any
) -> None:
    cw = people["caseworker"]
    _denied(people, today)
    ours = den.notification(Denial.objects.get())
    # what another member state's instance would send us, in the same format
    theirs = {**ours, "issuing_member_state": "BE", "reference": "BE-2026-7"}
    bad = {**ours, "issuing_member_state": "BE", "reference": "BE-2026-8", "decision": "maybe"}
    c = Client(headers={"accept-language": "en"})
    c.force_login(cw.user)

    def upload(docs: Any) -> str:
        raw = docs if isinstance(docs, bytes) else json.dumps(docs).encode()
        f = SimpleUploadedFile("n.json", raw, "application/json")
        return c.post("/authority/denials/", {"action": "import", "notifications": f},
                      follow=True).content.decode()

    page = upload([theirs, bad])
    assert "notification 2 (BE-2026-8)" in page and "unknown decision" in page
    assert not Denial.objects.filter(issuing_member_state="BE").exists()  # nothing half-done
    upload([theirs])
    d = Denial.objects.get(issuing_member_state="BE")
    assert (d.reference, d.control_codes, d.destinations, d.end_users) == (
        "BE-2026-7", ["6A003.b.4"], ["AE"], ["Gulf Optics"])
    assert AuditEvent.objects.filter(action="denial.receive").count() == 1
    assert "not a JSON document" in upload(b"{nope")


def test_the_demo_shows_a_received_denial_to_examine(db: Any, screening_runs: Any) -> None:
    from dualuse.service.cases.models import Application
    from dualuse.service.web.demo import load_demo

    load_demo(dt.date.today())
    waiting = Application.objects.get(state="awaiting_information")
    [c] = den.candidates(waiting)
    assert c.denial.reference == "DE-DEMO-2026-017" and c.blocking  # same item and end-user
    own = Denial.objects.get(issuing_member_state="NL")
    assert own.notified_on is not None and den.review_due(own) is not None
