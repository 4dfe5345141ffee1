# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Issuing licences and acting on them, writing off exports, and the authority's measures on an
exporter (ad hoc requirements, the Art. 12(7) UGEA bar) and UGEA registrations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dualuse.errors import InputError
from dualuse.law import UGEA_IDS
from dualuse.service.audit.chain import record
from dualuse.service.cases.clock import add_months, add_working_days
from dualuse.service.cases.models import Application, DraftDecision, PartyRole
from dualuse.service.cases.operations import assign_reference, provisional_reference
from dualuse.service.cases.workflow import (
    IllegalTransitionError,
    LicenceEvent,
    LicenceState,
    licence_next_state,
)
from dualuse.service.checks.ad_hoc_scope import validate_scope
from dualuse.service.lawdata import catalogue_on
from dualuse.service.licences.models import (
    HOLD_GROUNDS,
    HOLD_OUTCOMES,
    REQUIREMENT_BASES,
    AdHocRequirement,
    ExportHold,
    Licence,
    LicenceAction,
    LicenceItem,
    LicenceUse,
    RegistrationStatus,
    UgeaBar,
    UgeaRegistration,
)
from dualuse.service.organisations.access import Actor, check_role
from dualuse.service.organisations.models import Organisation
from dualuse.service.organisations.roles import (
    AUTHORITY_ROLES,
    EXPORTER_ROLES,
    OrganisationKind,
    Role,
)


def visible_licences(actor: Actor) -> QuerySet[Licence]:
    """Exporters see their own; the authority and customs (proof at export, Art. 21) see all."""
    qs = Licence.objects.select_related("exporter", "application")
    if actor.role in EXPORTER_ROLES:
        return qs.filter(exporter=actor.organisation)
    if actor.role in AUTHORITY_ROLES or actor.role == Role.CUSTOMS_OFFICER:
        return qs
    return qs.none()


def _licence_snapshot(licence: Licence) -> dict[str, Any]:
    return {
        "status": licence.status,
        "valid_to": licence.valid_to,
        "conditions": licence.conditions,
        "version": licence.version,
    }


@transaction.atomic
def issue_licence(
    actor: Actor, app: Application, draft: DraftDecision, *, today: dt.date
) -> Licence:
    check_role(actor, [Role.SENIOR_CASEWORKER])
    if draft.approved_at is None or draft.kind != "grant":
        raise IllegalTransitionError("a licence is issued from an approved grant only")
    licence = Licence.objects.create(
        number=provisional_reference(),
        application=app,
        exporter=app.exporter,
        kind=app.kind,
        destinations=list(app.destinations),
        end_users=[f"{p.name} ({p.country})" for p in app.parties.filter(role=PartyRole.END_USER)],
        conditions=draft.conditions,
        valid_from=today,
        valid_to=add_months(today, draft.validity_months or 24),
        approved_by=actor.user,
    )
    assign_reference(licence, "number", "NL-DU", today.year)
    for item in app.items.all():
        LicenceItem.objects.create(
            licence=licence,
            control_code=item.control_code,
            description=item.description,
            unit=item.unit,
            quantity=item.quantity,
            value_eur=item.value_eur,
        )
    record(
        actor=actor,
        action="licence.issue",
        obj=licence,
        case_ref=app.audit_ref,
        after={"number": licence.number, **_licence_snapshot(licence)},
    )
    return licence


# Art. 16(1): annulling, suspending or revoking an authorisation is notified like a refusal.
NOTIFIABLE = {
    LicenceEvent.ANNUL: "annulled",
    LicenceEvent.SUSPEND: "suspended",
    LicenceEvent.REVOKE: "revoked",
}


@transaction.atomic
def act_on_licence(
    actor: Actor,
    licence: Licence,
    *,
    event: str,
    reasons: str,
    valid_to: dt.date | None = None,
    conditions: str | None = None,
) -> Licence:
    """Suspend, reinstate, modify, revoke or annul (Art. 16(1)); a senior caseworker decides."""
    check_role(actor, [Role.SENIOR_CASEWORKER])
    try:
        ev = LicenceEvent(event)
    except ValueError:
        raise InputError(f"unknown licence action {event!r}", field="event") from None
    if not reasons.strip():
        raise InputError("a decision on a licence states its reasons", field="reasons")
    before = _licence_snapshot(licence)
    licence.status = licence_next_state(LicenceState(licence.status), ev).value
    if ev == LicenceEvent.MODIFY:
        if valid_to is None and conditions is None:
            raise InputError("a modification changes validity or conditions", field="valid_to")
        if valid_to is not None:
            limit = add_months(licence.valid_from, 48 if licence.kind == "large_project" else 24)
            if valid_to > limit or valid_to < licence.valid_from:
                raise InputError(
                    f"validity ends by {limit} at the latest (Art. 12(3))", field="valid_to"
                )
            licence.valid_to = valid_to
        if conditions is not None:
            licence.conditions = conditions
        licence.version += 1
    licence.save()
    LicenceAction.objects.create(
        licence=licence, event=ev.value, reasons=reasons, taken_by=actor.user
    )
    record(
        actor=actor,
        action=f"licence.{ev.value}",
        obj=licence,
        case_ref=licence.application.audit_ref,
        before=before,
        after={**_licence_snapshot(licence), "reasons": reasons},
    )
    if ev in NOTIFIABLE:  # Art. 16(1): into the denial register, to notify the member states
        from dualuse.service.denials.operations import register_own_denial

        register_own_denial(actor, licence.application, decision=NOTIFIABLE[ev], reasons=reasons,
                            today=timezone.localdate())
    return licence


@transaction.atomic
def record_use(
    actor: Actor,
    item: LicenceItem,
    *,
    quantity: Decimal,
    value_eur: Decimal,
    exported_on: dt.date,
    declaration_ref: str,
    destination: str,
) -> LicenceUse:
    """Write an export off against a licence: refused beyond what remains, outside validity or
    to a destination the licence does not name."""
    check_role(actor, [*EXPORTER_ROLES, Role.CUSTOMS_OFFICER])
    item = LicenceItem.objects.select_for_update().select_related("licence").get(pk=item.pk)
    licence = item.licence
    if actor.role in EXPORTER_ROLES and licence.exporter_id != actor.organisation.pk:
        raise IllegalTransitionError("this licence belongs to another exporter", field="licence")
    if licence.status != LicenceState.ACTIVE:
        raise IllegalTransitionError(f"licence {licence.number} is {licence.status}")
    if not licence.valid_from <= exported_on <= licence.valid_to:
        raise IllegalTransitionError(
            f"licence {licence.number} is valid {licence.valid_from} to {licence.valid_to}"
        )
    if quantity <= 0 or value_eur < 0:
        raise InputError("quantity must be positive and value not negative", field="quantity")
    if quantity > item.quantity_remaining:
        raise InputError(f"only {item.quantity_remaining} {item.unit} remain", field="quantity")
    if value_eur > item.value_remaining:
        raise InputError(f"only EUR {item.value_remaining} remains", field="value_eur")
    dest = destination.strip().upper()
    if dest not in licence.destinations:
        raise InputError(
            f"licence {licence.number} does not cover destination {dest or '(none)'}; it covers "
            f"{', '.join(licence.destinations)}",
            field="destination",
        )
    if not declaration_ref.strip():
        raise InputError("the export declaration (MRN) is needed", field="declaration_ref")
    before = {"quantity_used": item.quantity_used, "value_used": item.value_used}
    item.quantity_used += quantity
    item.value_used += value_eur
    item.save()
    use = LicenceUse.objects.create(
        item=item,
        quantity=quantity,
        value_eur=value_eur,
        exported_on=exported_on,
        declaration_ref=declaration_ref.strip(),
        destination=dest,
        recorded_by=actor.user,
    )
    record(
        actor=actor,
        action="licence.use",
        obj=use,
        case_ref=licence.application.audit_ref,
        before=before,
        after={
            "quantity_used": item.quantity_used,
            "value_used": item.value_used,
            "declaration": use.declaration_ref,
        },
    )
    return use


def _exporter(org: Organisation) -> Organisation:
    if org.kind != OrganisationKind.EXPORTER:
        raise InputError("measures are imposed on exporters", field="exporter")
    return org


@transaction.atomic
def impose_requirement(
    actor: Actor,
    exporter: Organisation,
    *,
    basis: str,
    control_codes: Iterable[str] = (),
    end_users: Iterable[str] = (),
    destinations: Iterable[str] = (),
    item_description: str = "",
    reasons: str,
    today: dt.date,
) -> AdHocRequirement:
    """An ad hoc authorisation requirement by decision (Arts 4(1), 5(1), 9; Bsg Art. 3, 4)."""
    check_role(actor, AUTHORITY_ROLES)
    _exporter(exporter)
    if basis not in {b for b, _label in REQUIREMENT_BASES}:
        raise InputError(f"unknown basis {basis!r}", field="basis")
    if not reasons.strip():
        raise InputError("a decision states its reasons", field="reasons")
    codes, dests = validate_scope(catalogue_on(today), control_codes, destinations)
    users = [u.strip() for u in end_users if u.strip()]
    if not (codes or users or dests or item_description.strip()):
        raise InputError("name the items, end-users or destinations concerned", field="scope")
    req = AdHocRequirement.objects.create(
        exporter=exporter,
        basis=basis,
        control_codes=codes,
        end_users=users,
        destinations=dests,
        item_description=item_description,
        reasons=reasons,
        imposed_by=actor.user,
    )
    record(
        actor=actor,
        action="requirement.impose",
        obj=req,
        case_ref=f"exporter:{exporter.pk}",
        after={
            "basis": basis,
            "control_codes": codes,
            "end_users": users,
            "destinations": dests,
            "reasons": reasons,
        },
    )
    return req


@transaction.atomic
def withdraw_requirement(actor: Actor, req: AdHocRequirement, *, reasons: str) -> None:
    check_role(actor, AUTHORITY_ROLES)
    if req.withdrawn_at is not None:
        raise IllegalTransitionError("this requirement was already withdrawn")
    req.withdrawn_at = timezone.now()
    req.save()
    record(
        actor=actor,
        action="requirement.withdraw",
        obj=req,
        case_ref=f"exporter:{req.exporter_id}",
        after={"reasons": reasons},
    )


def active_requirements(exporter: Organisation) -> QuerySet[AdHocRequirement]:
    return AdHocRequirement.objects.filter(exporter=exporter, withdrawn_at__isnull=True)


@transaction.atomic
def bar_from_ugeas(actor: Actor, exporter: Organisation, *, reasons: str) -> UgeaBar:
    """Art. 12(7): reasonable suspicion about the exporter's ability to comply."""
    check_role(actor, [Role.SENIOR_CASEWORKER])
    _exporter(exporter)
    if not reasons.strip():
        raise InputError("state the reasonable suspicion (Art. 12(7))", field="reasons")
    bar = UgeaBar.objects.create(exporter=exporter, reasons=reasons, imposed_by=actor.user)
    record(
        actor=actor,
        action="ugea.bar",
        obj=bar,
        case_ref=f"exporter:{exporter.pk}",
        after={"reasons": reasons},
    )
    return bar


@transaction.atomic
def lift_ugea_bar(actor: Actor, exporter: Organisation, *, reasons: str) -> UgeaBar:
    check_role(actor, [Role.SENIOR_CASEWORKER])
    bar = UgeaBar.objects.filter(exporter=exporter, lifted_at__isnull=True).last()
    if bar is None:
        raise IllegalTransitionError("this exporter is not barred from UGEAs")
    if not reasons.strip():
        raise InputError("say why the bar is lifted", field="reasons")
    bar.lifted_at = timezone.now()
    bar.save()
    record(
        actor=actor,
        action="ugea.lift_bar",
        obj=bar,
        case_ref=f"exporter:{exporter.pk}",
        before={"barred": True},
        after={"barred": False, "reasons": reasons},
    )
    return bar


def ugea_barred(exporter: Organisation) -> bool:
    return UgeaBar.objects.filter(exporter=exporter, lifted_at__isnull=True).exists()


@transaction.atomic
def register_ugea(
    actor: Actor, *, ugea: str, planned_first_export: dt.date | None = None
) -> UgeaRegistration:
    check_role(actor, EXPORTER_ROLES)
    if ugea not in UGEA_IDS:
        raise InputError(f"unknown Union general export authorisation {ugea!r}", field="ugea")
    if ugea_barred(actor.organisation):
        raise IllegalTransitionError(
            "the competent authority has barred this exporter from using Union general export "
            "authorisations",
            provision="Regulation (EU) 2021/821, Art. 12(7)",
        )
    taken = IllegalTransitionError(f"already registered for {ugea}", field="ugea")
    if UgeaRegistration.objects.filter(exporter=actor.organisation, ugea=ugea).exists():
        raise taken
    try:
        with transaction.atomic():  # a concurrent registration hits the unique constraint
            reg = UgeaRegistration.objects.create(
                exporter=actor.organisation,
                ugea=ugea,
                registered_by=actor.user,
                planned_first_export=planned_first_export,
            )
    except IntegrityError:
        raise taken from None
    record(
        actor=actor,
        action="ugea.register",
        obj=reg,
        case_ref=f"exporter:{actor.organisation.pk}",
        after={"ugea": ugea, "planned_first_export": planned_first_export},
    )
    return reg


@transaction.atomic
def notify_first_use(
    actor: Actor, reg: UgeaRegistration, *, first_export_on: dt.date, today: dt.date
) -> UgeaRegistration:
    check_role(actor, EXPORTER_ROLES)
    if reg.exporter_id != actor.organisation.pk:
        raise IllegalTransitionError("this registration belongs to another exporter")
    if reg.first_use_notified_on is not None:
        raise IllegalTransitionError("first use was already notified")
    reg.first_export_on, reg.first_use_notified_on = first_export_on, today
    reg.save()
    record(
        actor=actor,
        action="ugea.first_use",
        obj=reg,
        case_ref=f"exporter:{reg.exporter_id}",
        after={"first_export_on": first_export_on, "notified_on": today},
    )
    return reg


HOLD_DAYS = 10  # Art. 21(4): the authority replies within 10 working days ...
HOLD_MAX_DAYS = 30  # ... extended at its request to 30 in exceptional circumstances


@transaction.atomic
def hold_export(
    actor: Actor,
    *,
    exporter: Organisation,
    declaration_ref: str,
    destination: str,
    items: str,
    ground: str,
    facts: str,
    today: dt.date,
    licence: Licence | None = None,
) -> ExportHold:
    """Customs suspends an export and consults the competent authority (Art. 21(3)-(4))."""
    check_role(actor, [Role.CUSTOMS_OFFICER])
    _exporter(exporter)
    if ground not in {g for g, _label in HOLD_GROUNDS}:
        raise InputError(f"unknown ground {ground!r}", field="ground")
    if not declaration_ref.strip() or not items.strip() or not facts.strip():
        raise InputError(
            "the declaration, the items and the grounds for suspicion are needed", field="facts"
        )
    dest = destination.strip().upper()
    catalogue_on(today).country(dest)
    if licence is not None and licence.exporter_id != exporter.pk:
        raise InputError("that licence belongs to another exporter", field="licence")
    hold = ExportHold.objects.create(
        exporter=exporter,
        licence=licence,
        declaration_ref=declaration_ref.strip(),
        destination=dest,
        items=items,
        ground=ground,
        facts=facts,
        held_by=actor.user,
        held_on=today,
        reply_due=add_working_days(today, HOLD_DAYS),
    )
    record(
        actor=actor,
        action="hold.suspend",
        obj=hold,
        case_ref=f"exporter:{exporter.pk}",
        after={"declaration": hold.declaration_ref, "ground": ground, "reply_due": hold.reply_due},
    )
    return hold


@transaction.atomic
def extend_hold(actor: Actor, hold: ExportHold, *, today: dt.date) -> ExportHold:
    check_role(actor, AUTHORITY_ROLES)
    if hold.outcome or hold.extended or today > hold.reply_due:
        raise IllegalTransitionError("only an open hold within its period is extended once")
    before = {"reply_due": hold.reply_due}
    hold.reply_due, hold.extended = add_working_days(hold.held_on, HOLD_MAX_DAYS), True
    hold.save()
    record(
        actor=actor,
        action="hold.extend",
        obj=hold,
        case_ref=f"exporter:{hold.exporter_id}",
        before=before,
        after={"reply_due": hold.reply_due},
    )
    return hold


@transaction.atomic
def decide_hold(
    actor: Actor, hold: ExportHold, *, outcome: str, note: str, today: dt.date
) -> ExportHold:
    check_role(actor, AUTHORITY_ROLES)
    if hold.outcome:
        raise IllegalTransitionError("this hold was already decided")
    if today > hold.reply_due:
        raise IllegalTransitionError(
            f"no reply by {hold.reply_due}: the items were released (Art. 21(4))"
        )
    if outcome not in {o for o, _label in HOLD_OUTCOMES} or not note.strip():
        raise InputError("decide 'released' or 'stopped' and say why", field="outcome")
    hold.outcome, hold.note, hold.decided_by, hold.decided_on = outcome, note, actor.user, today
    hold.save()
    record(
        actor=actor,
        action=f"hold.{outcome}",
        obj=hold,
        case_ref=f"exporter:{hold.exporter_id}",
        after={"outcome": outcome, "note": note},
    )
    return hold


def visible_holds(actor: Actor) -> QuerySet[ExportHold]:
    if actor.role in AUTHORITY_ROLES or actor.role == Role.CUSTOMS_OFFICER:
        return ExportHold.objects.select_related("exporter", "licence")
    return ExportHold.objects.none()


def acknowledgement_deadline(reg: UgeaRegistration) -> dt.date:
    """Annex II, Part 3: the authority acknowledges a registration without delay, at the latest
    within the working days the law data gives (10), counted from receipt."""
    received = timezone.localdate(reg.registered_at)
    rule = catalogue_on(received).ugea(reg.ugea).registration
    return add_working_days(received, rule.acknowledgement_working_days)


def visible_registrations(actor: Actor) -> QuerySet[UgeaRegistration]:
    """Exporters see their own registrations; the authority sees every exporter's."""
    qs = UgeaRegistration.objects.select_related("exporter")
    if actor.role in EXPORTER_ROLES:
        return qs.filter(exporter=actor.organisation)
    if actor.role in AUTHORITY_ROLES:
        return qs
    return qs.none()


def pending_registrations(actor: Actor) -> QuerySet[UgeaRegistration]:
    check_role(actor, AUTHORITY_ROLES)
    return UgeaRegistration.objects.filter(status=RegistrationStatus.PENDING).order_by(
        "registered_at", "pk"
    )


def _decide_registration(
    actor: Actor, reg: UgeaRegistration, status: str, action: str, reasons: str
) -> UgeaRegistration:
    check_role(actor, AUTHORITY_ROLES)
    # locked: two caseworkers (or app servers) deciding at once cannot both succeed
    reg = UgeaRegistration.objects.select_for_update().get(pk=reg.pk)
    if reg.status != RegistrationStatus.PENDING:
        raise IllegalTransitionError(f"this registration is already {reg.status}")
    before = reg.status
    reg.status, reg.refusal_reasons = status, reasons
    reg.decided_at, reg.decided_by = timezone.now(), actor.user
    reg.save()
    record(
        actor=actor,
        action=action,
        obj=reg,
        case_ref=f"exporter:{reg.exporter_id}",
        before={"status": before},
        after={"status": status, "ugea": reg.ugea, "reasons": reasons},
    )
    return reg


@transaction.atomic
def acknowledge_registration(actor: Actor, reg: UgeaRegistration) -> UgeaRegistration:
    """Acknowledge receipt; an exporter barred under Art. 12(7) cannot be acknowledged."""
    check_role(actor, AUTHORITY_ROLES)
    if ugea_barred(reg.exporter):
        rule = catalogue_on(timezone.localdate(reg.registered_at)).ugea(reg.ugea).registration
        raise IllegalTransitionError(
            "the exporter is barred from using Union general export authorisations: refuse the "
            "registration instead",
            provision=f"{rule.citation.render()}, subject to Regulation (EU) 2021/821, Art. 12(7)",
        )
    return _decide_registration(actor, reg, "acknowledged", "ugea.acknowledge", "")


@transaction.atomic
def refuse_registration(actor: Actor, reg: UgeaRegistration, *, reasons: str) -> UgeaRegistration:
    """Refuse, only with reasons (e.g. an Art. 12(7) bar)."""
    check_role(actor, AUTHORITY_ROLES)
    if not reasons.strip():
        raise InputError("state why the registration is refused", field="reasons")
    return _decide_registration(actor, reg, "refused", "ugea.refuse", reasons.strip())
