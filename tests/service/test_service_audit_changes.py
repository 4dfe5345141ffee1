"""Audit records that are true: "before" is taken before the change. The assignment records the old
assignee as before and the new one as after; every event of a full run through the case, licence,
customs, measures and UGEA operations that has a "before" differs from its "after" in what the
operation changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from service_factories import assess_all, mrn, ready_application

from dualuse.service.audit.chain import verify
from dualuse.service.audit.models import AuditEvent
from dualuse.service.cases import operations as ops
from dualuse.service.licences import operations as lic

TODAY = timezone.localdate()


def test_reassignment_records_the_old_assignee_as_before(
    make_actor: Any, make_org: Any, screening_runs: Any
) -> None:
    authority = make_org("authority", "CDIU")
    ex = make_actor("exporter_user")
    first, second = make_actor("caseworker", authority), make_actor("caseworker", authority)
    app = ready_application(ex, TODAY)
    ops.submit(ex, app, today=TODAY)
    ops.assign(first, app, first.user)
    ops.assign(first, app, second.user)
    initial, handover = AuditEvent.objects.filter(action="application.assign").order_by("seq")
    assert initial.before == {"state": "submitted", "assigned_to": None}
    assert initial.after["assigned_to"] == first.user.pk
    assert handover.before == {"state": "in_assessment", "assigned_to": first.user.pk}
    assert handover.after["assigned_to"] == second.user.pk
    assert handover.after["assignee"] == second.user.get_username()


def test_every_change_has_a_before_that_differs_from_its_after(
    make_actor: Any, make_org: Any, screening_runs: Any
) -> None:
    authority = make_org("authority", "CDIU")
    ex = make_actor("exporter_user")
    cw, cw2 = make_actor("caseworker", authority), make_actor("caseworker", authority)
    sr = make_actor("senior_caseworker", authority)
    customs = make_actor("customs_officer")
    # a case through information request, reassignment and approval
    app = ready_application(ex, TODAY)
    ops.submit(ex, app, today=TODAY)
    ops.assign(cw, app, cw.user)
    rfi = ops.request_information(cw, app, question="Who owns the end-user?")
    ops.answer_information(ex, app, rfi, answer="Acme Holdings")
    ops.assign(cw, app, cw2.user)
    assess_all(cw2, app)
    ops.draft_decision(cw2, app, kind="grant", reasons="ok", validity_months=24, today=TODAY)
    ops.return_draft(sr, app, note="conditions missing")
    ops.draft_decision(cw2, app, kind="grant", reasons="ok", conditions="no re-export",
                       validity_months=24, today=TODAY)
    ops.approve_draft(sr, app, today=TODAY)
    app.refresh_from_db()
    licence = app.licence
    item = licence.items.get()
    # the licence: write-off, correction, language, suspension and modification
    use = lic.record_use(customs, item, quantity=Decimal(2), value_eur=Decimal(100),
                         exported_on=TODAY, declaration_ref=mrn(f"{TODAY:%y}NL0000000AUDITA"),
                         destination="US", today=TODAY).use
    lic.correct_use(ex, use, reasons="typo", quantity=Decimal(1))
    lic.set_document_language(ex, licence, language="en")
    lic.act_on_licence(sr, licence, event="suspend", reasons="customs signal")
    lic.act_on_licence(sr, licence, event="reinstate", reasons="cleared")
    lic.act_on_licence(sr, licence, event="modify", reasons="extension",
                       valid_to=licence.valid_from + dt.timedelta(days=400))
    # customs, measures and UGEAs
    hold = lic.hold_export(customs, exporter=ex.organisation,
                           declaration_ref=mrn(f"{TODAY:%y}NL00000000HOLDA"), destination="US",
                           items="cameras", ground="21(3)(b)", facts="tip-off", today=TODAY)
    lic.extend_hold(cw, hold, today=TODAY)
    lic.decide_hold(cw, hold, outcome="released", note="no concern", today=TODAY)
    req = lic.impose_requirement(cw, ex.organisation, basis="4(1)(a)", destinations=["PK"],
                                 reasons="WMD concern", today=TODAY)
    lic.withdraw_requirement(cw, req, reasons="concern resolved")
    reg = lic.register_ugea(ex, ugea="EU001", today=TODAY)
    lic.notify_first_use(ex, reg, first_export_on=TODAY, today=TODAY)
    lic.acknowledge_registration(cw, reg)
    lic.refuse_registration(cw, lic.register_ugea(ex, ugea="EU003", today=TODAY), reasons="no")
    lic.bar_from_ugeas(sr, ex.organisation, reasons="suspicion")
    lic.lift_ugea_bar(sr, ex.organisation, reasons="audited")

    events = list(AuditEvent.objects.order_by("seq"))
    changes = [e for e in events if e.before is not None]
    same = [(e.action, e.before) for e in changes if _compared(e.before, e.after)]
    assert not same, same
    assert {e.action for e in changes} >= {
        "application.assign", "application.answer_information", "licence.use",
        "licence.use_correct", "licence.language", "licence.suspend", "licence.modify",
        "hold.extend", "hold.released", "requirement.withdraw", "ugea.first_use",
        "ugea.acknowledge", "ugea.refuse", "ugea.lift_bar",
    }
    assert verify().ok


def _compared(before: Any, after: Any) -> bool:
    """True when nothing the event records as before differs in its after."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return bool(before == after)
    shared = [k for k in before if k in after]
    return bool(shared) and all(before[k] == after[k] for k in shared)
