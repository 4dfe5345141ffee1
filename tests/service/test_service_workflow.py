"""Application and licence workflows through the domain operations: journeys and refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from service_factories import assess_all, pdf, ready_application

from dualuse.errors import InputError, UnknownCodeError
from dualuse.service.audit.chain import verify
from dualuse.service.audit.models import AuditEvent
from dualuse.service.cases import operations as ops
from dualuse.service.cases.workflow import (
    WORKFLOWS,
    Event,
    IllegalTransitionError,
    Kind,
    State,
)
from dualuse.service.licences import operations as lic


@pytest.fixture
def people(make_actor: Any, make_org: Any) -> dict[str, Any]:
    authority = make_org("authority", "CDIU")
    return {
        "exporter": make_actor("exporter_user"),
        "caseworker": make_actor("caseworker", authority),
        "senior": make_actor("senior_caseworker", authority),
        "senior2": make_actor("senior_caseworker", authority),
        "adviser": make_actor("fa_adviser"),
        "customs": make_actor("customs_officer"),
    }


def test_every_type_has_its_machine_and_refuses_unknown_moves() -> None:
    assert set(WORKFLOWS) == set(Kind)
    wf = WORKFLOWS[Kind.INDIVIDUAL]
    with pytest.raises(IllegalTransitionError, match="not allowed"):
        wf.next_state(State.DRAFT, Event.APPROVE_GRANT)
    with pytest.raises(IllegalTransitionError):
        wf.next_state(State.GRANTED, Event.WITHDRAW)
    # intra-EU transfers have no Foreign Affairs advice step
    with pytest.raises(IllegalTransitionError):
        WORKFLOWS[Kind.INTRA_EU_TRANSFER].next_state(State.IN_ASSESSMENT, Event.REQUEST_ADVICE)
    assert WORKFLOWS[Kind.LARGE_PROJECT].max_validity_months == 48


def test_grant_journey_issues_licence_with_remaining_quantity(
    people: dict[str, Any], today: dt.date, screening_runs: Any
) -> None:
    ex, cw, sr = people["exporter"], people["caseworker"], people["senior"]
    app = ready_application(ex, today, destination="US")
    ops.submit(ex, app, today=today)
    assert app.state == "submitted"
    assert {p.screening_status for p in app.parties.all()} == {"clear"}
    assert not app.screening_blocked
    # submitted without a check: the case gets the engine's determination
    assert app.check_ref.outcome == "authorisation_required"
    assert app.check_ref.legal_bases == ["Regulation (EU) 2021/821, Art. 3(1)"]
    ops.assign(cw, app, cw.user)
    rfi = ops.request_information(cw, app, question="Who is the end-user's parent company?")
    assert app.state == "awaiting_information"
    assert not app.clock_reading(today).running
    ops.answer_information(ex, app, rfi, answer="Acme Holdings, Delaware")
    assess_all(cw, app)
    ops.draft_decision(
        cw,
        app,
        kind="grant",
        reasons="no concerns",
        conditions="no re-export",
        validity_months=24,
        today=today,
    )
    with pytest.raises(IllegalTransitionError, match="four eyes"):
        ops.approve_draft(_as_drafter(sr, cw), app, today=today)
    ops.approve_draft(sr, app, today=today)
    app.refresh_from_db()
    assert app.state == "granted"
    licence = app.licence
    assert licence.number.startswith(f"NL-DU-{today.year}-")
    assert licence.valid_to == dt.date(2028, 11, 27)
    item = licence.items.get()
    lic.record_use(
        people["customs"],
        item,
        quantity=Decimal("4"),
        value_eur=Decimal("10000"),
        exported_on=today,
        declaration_ref="26NL000000000001A2",
        today=today,
        destination="US",
    )
    item.refresh_from_db()
    assert item.quantity_remaining == Decimal("6.000")
    with pytest.raises(InputError, match="does not cover destination CN") as wrong:
        lic.record_use(
            people["customs"],
            item,
            quantity=Decimal("1"),
            value_eur=Decimal("1"),
            exported_on=today,
            declaration_ref="26NL000000000009A5",
            today=today,
            destination="CN",
        )
    assert wrong.value.field == "destination"
    assert item.value_remaining == Decimal("15000.00")
    with pytest.raises(InputError, match=r"only 6\.000 pieces remain"):
        lic.record_use(
            ex,
            item,
            quantity=Decimal("7"),
            value_eur=Decimal("1"),
            exported_on=today,
            declaration_ref="26NL000000000002A1",
            today=today,
            destination="US",
        )
    actions = list(
        AuditEvent.objects.filter(case_ref=app.audit_ref).values_list("action", flat=True)
    )
    assert actions[0] == "application.create" and "licence.issue" in actions
    assert "application.approve_grant" in actions and actions[-1] == "licence.use"
    assert verify().ok


def _as_drafter(senior: Any, drafter: Any) -> Any:
    """The drafter, with a senior role: four eyes refuses them even so."""
    from dualuse.service.organisations.access import Actor

    return Actor(user=drafter.user, organisation=drafter.organisation, role=senior.role)


def test_denial_journey_with_foreign_affairs_advice(
    people: dict[str, Any], today: dt.date, screening_runs: Any
) -> None:
    ex, cw, sr, fa = people["exporter"], people["caseworker"], people["senior"], people["adviser"]
    app = ready_application(ex, today, destination="AE")
    ops.submit(ex, app, today=today)
    ops.assign(cw, app, cw.user)
    assess_all(cw, app)
    with pytest.raises(IllegalTransitionError, match="Foreign Affairs advice needed"):
        ops.draft_decision(cw, app, kind="grant", reasons="ok", today=today)
    req = ops.request_advice(cw, app, question="Diversion risk?")
    assert app in ops.visible_applications(fa)
    ops.give_advice(fa, app, req, recommendation="objection", advice="diversion risk to RU")
    ops.draft_decision(
        cw, app, kind="deny", reasons="Art. 15(1)(d): risk of diversion", today=today
    )
    ops.approve_draft(sr, app, today=today)
    assert app.state == "denied"
    from dualuse.service.licences.models import Licence

    assert not Licence.objects.filter(application=app).exists()


def test_screening_that_cannot_run_blocks_the_case(people: dict[str, Any], today: dt.date) -> None:
    ex, cw = people["exporter"], people["caseworker"]
    app = ready_application(ex, today)  # no screening fixture: the screening core is absent
    ops.submit(ex, app, today=today)
    assert app.screening_blocked
    assert all(p.screening_status == "unavailable" for p in app.parties.all())
    assert "no sanctions or restricted-party lists" in app.parties.first().screening["error"]
    ops.assign(cw, app, cw.user)
    assess_all(cw, app)
    with pytest.raises(IllegalTransitionError, match="screening could not run"):
        ops.draft_decision(cw, app, kind="grant", reasons="ok", today=today)


def test_listed_party_is_a_possible_match(
    people: dict[str, Any], today: dt.date, screening_runs: Any
) -> None:
    ex = people["exporter"]
    app = ready_application(ex, today, destination="AE", end_user="Sanctioned Trading L.L.C.")
    ops.submit(ex, app, today=today)
    end_user = app.parties.get(role="end_user")
    assert end_user.screening_status == "possible_match"
    assert end_user.screening["matches"][0]["list_id"] == "T-1"
    cw = people["caseworker"]
    ops.assign(cw, app, cw.user)
    ops.request_advice(cw, app, question="?")
    ops.give_advice(
        people["adviser"],
        app,
        app.advice_requests.get(),
        recommendation="no_objection",
        advice="none",
    )
    assess_all(cw, app)
    with pytest.raises(IllegalTransitionError, match="not yet reviewed"):
        ops.draft_decision(cw, app, kind="grant", reasons="ok", today=today)
    ops.review_match(cw, app, end_user, conclusion="confirmed", note="same entity, same address")
    with pytest.raises(IllegalTransitionError, match="listed party"):
        ops.draft_decision(cw, app, kind="grant", reasons="ok", today=today)
    for party in app.parties.filter(screening_status="possible_match"):  # end-user and consignee
        ops.review_match(cw, app, party, conclusion="discounted", note="different company, FZE")
    ops.draft_decision(cw, app, kind="grant", reasons="ok", today=today)
    assert app.state == "decision_drafted"


def test_submission_guards_cite_their_provision(people: dict[str, Any], today: dt.date) -> None:
    ex = people["exporter"]
    app = ops.create_application(ex, kind="global", destinations=["US"], end_use="x", today=today)
    with pytest.raises(IllegalTransitionError) as err:
        ops.submit(ex, app, today=today)
    msg = str(err.value)
    assert "Art. 12(4)" in msg and "ICP evidence" in msg
    transfer = ops.create_application(
        ex, kind="intra_eu_transfer", destinations=["US"], end_use="x", today=today
    )
    ops.add_item(
        ex,
        transfer,
        control_code="6A003.b.4",
        description="camera",
        quantity=Decimal(1),
        unit="pieces",
        value_eur=Decimal(1),
        today=today,
    )
    with pytest.raises(IllegalTransitionError, match=r"member states only.*Annex IV"):
        ops.submit(ex, transfer, today=today)


def test_bad_input_names_the_field_and_changes_nothing(
    people: dict[str, Any], today: dt.date
) -> None:
    ex = people["exporter"]
    app = ops.create_application(
        ex, kind="individual", destinations=["US"], end_use="x", today=today
    )
    before = AuditEvent.objects.count()
    with pytest.raises(UnknownCodeError):
        ops.add_item(
            ex,
            app,
            control_code="6A003.b.99",
            description="x",
            quantity=Decimal(1),
            unit="pieces",
            value_eur=Decimal(1),
            today=today,
        )
    with pytest.raises(InputError, match="PDF, PNG or JPEG") as err:
        from django.core.files.uploadedfile import SimpleUploadedFile

        ops.add_document(
            ex, app, kind="other", upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00binary")
        )
    assert err.value.field == "file"
    with pytest.raises(InputError) as err2:
        ops.create_application(ex, kind="individual", destinations=["XX"], end_use="x", today=today)
    assert "XX" in str(err2.value)
    assert AuditEvent.objects.count() == before
    assert app.items.count() == 0 and app.documents.count() == 0


def test_roles_and_organisations_are_enforced(
    people: dict[str, Any], make_actor: Any, today: dt.date, screening_runs: Any
) -> None:
    ex, cw = people["exporter"], people["caseworker"]
    other = make_actor("exporter_admin")
    app = ready_application(ex, today)
    assert app not in ops.visible_applications(other)
    assert app not in ops.visible_applications(cw)  # drafts are the exporter's own
    with pytest.raises(IllegalTransitionError, match="another exporter"):
        ops.submit(other, app, today=today)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        ops.submit(cw, app, today=today)
    ops.submit(ex, app, today=today)
    with pytest.raises(PermissionDenied):
        ops.assign(ex, app, ex.user)
    with pytest.raises(PermissionDenied):
        ops.request_information(people["adviser"], app, question="?")
    assert app not in ops.visible_applications(people["customs"])


def test_licence_lifecycle_and_validity_limits(
    people: dict[str, Any], today: dt.date, screening_runs: Any
) -> None:
    ex, cw, sr = people["exporter"], people["caseworker"], people["senior"]
    app = ready_application(ex, today, kind="large_project")
    ops.submit(ex, app, today=today)
    ops.assign(cw, app, cw.user)
    assess_all(cw, app)
    with pytest.raises(InputError, match="1 to 48 months"):
        ops.draft_decision(cw, app, kind="grant", reasons="ok", validity_months=60, today=today)
    ops.draft_decision(cw, app, kind="grant", reasons="ok", validity_months=48, today=today)
    ops.approve_draft(sr, app, today=today)
    licence = app.licence
    assert licence.valid_to == dt.date(2030, 11, 27)
    lic.act_on_licence(sr, licence, event="suspend", reasons="Art. 21(3) customs signal")
    with pytest.raises(IllegalTransitionError, match="is suspended"):
        lic.record_use(
            ex,
            licence.items.get(),
            quantity=Decimal(1),
            value_eur=Decimal(1),
            exported_on=today,
            declaration_ref="26NL00000000LIFEA4",
            today=today,
            destination="US",
        )
    lic.act_on_licence(sr, licence, event="reinstate", reasons="cleared")
    lic.act_on_licence(sr, licence, event="revoke", reasons="conditions not observed")
    with pytest.raises(IllegalTransitionError, match="revoked"):
        lic.act_on_licence(sr, licence, event="reinstate", reasons="x")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        lic.act_on_licence(cw, licence, event="annul", reasons="x")


def test_ugea_bar_and_first_use_registration(people: dict[str, Any], today: dt.date) -> None:
    ex, sr = people["exporter"], people["senior"]
    reg = lic.register_ugea(ex, ugea="EU001")
    reg.registered_at = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=10),
                                                                dt.time(12)))
    reg.save()
    lic.notify_first_use(ex, reg, first_export_on=today - dt.timedelta(days=3), today=today)
    lic.bar_from_ugeas(sr, ex.organisation, reasons="repeated violations")
    with pytest.raises(IllegalTransitionError, match=r"Art\. 12\(7\)"):
        lic.register_ugea(ex, ugea="EU003")
    lic.lift_ugea_bar(sr, ex.organisation, reasons="ICP audited")
    assert lic.register_ugea(ex, ugea="EU003").ugea == "EU003"
    with pytest.raises(IllegalTransitionError, match="not barred"):
        lic.lift_ugea_bar(sr, ex.organisation, reasons="again")


def test_documents_upload_is_hashed(people: dict[str, Any], today: dt.date) -> None:
    ex = people["exporter"]
    app = ops.create_application(
        ex, kind="individual", destinations=["US"], end_use="x", today=today
    )
    doc = ops.add_document(ex, app, kind="end_use_statement", upload=pdf())
    assert doc.content_type == "application/pdf" and len(doc.sha256) == 64


def test_art_14_1_consultation_binds_and_silence_is_no_objection(
    people: dict[str, Any], today: dt.date, screening_runs: Any
) -> None:
    from dualuse.service.cases.clock import add_working_days

    ex, cw = people["exporter"], people["caseworker"]
    app = ops.create_application(
        ex,
        kind="individual",
        destinations=["US"],
        end_use="x",
        located_in_member_states=["DE", "BE"],
        today=today,
    )
    ops.add_party(
        ex, app, role="end_user", name="Acme", country="US", address="1 Main St", today=today
    )
    ops.add_item(
        ex,
        app,
        control_code="1C239",
        description="explosive",
        quantity=Decimal(1),
        unit="kg",
        value_eur=Decimal(100),
        today=today,
    )  # Annex IV: any destination
    ops.add_document(ex, app, kind="end_use_statement", upload=pdf())
    ops.submit(ex, app, today=today)
    be, de = app.consultations.order_by("member_state")
    assert (be.member_state, de.member_state) == ("BE", "DE")
    assert de.deadline == add_working_days(today, 10)
    ops.assign(cw, app, cw.user)
    assess_all(cw, app)
    blockers = ops.decision_blockers(app, today)
    assert any("consultation of DE open" in b for b in blockers)
    ops.record_consultation(cw, app, de, reply="objection", note="security interests", today=today)
    with pytest.raises(InputError, match="at most 30"):
        ops.record_consultation(cw, app, be, extend_to_working_days=40, today=today)
    ops.record_consultation(cw, app, be, extend_to_working_days=20, today=today)
    later = add_working_days(today, 21)
    blockers = ops.decision_blockers(app, later)
    assert any("DE objects" in b for b in blockers)
    assert not any("BE" in b for b in blockers)  # silence after the deadline: no objection
