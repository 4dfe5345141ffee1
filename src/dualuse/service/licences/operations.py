# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Issuing licences and acting on them, writing off exports, and the authority's measures on an
exporter (ad hoc requirements, the Art. 12(7) UGEA bar) and UGEA registrations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from dualuse.errors import InputError
from dualuse.law import UGEA_IDS
from dualuse.law.model import FirstUseNotification
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
from dualuse.service.lawdata import catalogue_on
from dualuse.service.licences.declarations import parse_mrn
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


def holder_language(exporter: Organisation) -> str:
    """The language the licence is produced in: Dutch for a holder established in the
    Netherlands, English otherwise; the holder may change it (`set_document_language`)."""
    return "nl" if exporter.member_state == "NL" else "en"


@transaction.atomic
def set_document_language(actor: Actor, licence: Licence, *, language: str) -> Licence:
    check_role(actor, EXPORTER_ROLES)
    if licence.exporter_id != actor.organisation.pk:
        raise IllegalTransitionError("this licence belongs to another exporter", field="licence")
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise InputError(f"no licence document in language {language!r}", field="language")
    if language == licence.language:
        return licence
    before = {"language": licence.language}
    licence.language = language
    licence.save(update_fields=["language"])
    record(
        actor=actor,
        action="licence.language",
        obj=licence,
        case_ref=licence.application.audit_ref,
        before=before,
        after={"language": language},
    )
    return licence


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
        language=holder_language(app.exporter),
    )
    assign_reference(licence, "number", "NL-DU", today.year)
    for item in app.items.all():
        LicenceItem.objects.create(
            licence=licence,
            control_code=item.control_code,
            cn_code=item.cn_code,
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


class WriteOff:
    """The result of a write-off: the ledger entry and whether this call made it (False: the
    declaration was already written off against this item, and that entry is returned)."""

    def __init__(self, use: LicenceUse, created: bool) -> None:
        self.use, self.created = use, created


def declaration_holds(mrn: str, today: dt.date) -> list[ExportHold]:
    """Holds on a declaration that still block it: held (no reply yet, within the period) or
    stopped. Released ones (decided, or by silence under Art. 21(4)) do not."""
    return [
        h
        for h in ExportHold.objects.filter(declaration_ref=mrn).order_by("held_on", "pk")
        if h.status(today) in {"held", "stopped"}
    ]


def _refuse_if_held(mrn: str, today: dt.date) -> None:
    for hold in declaration_holds(mrn, today):
        if hold.status(today) == "stopped":
            raise IllegalTransitionError(
                f"customs held declaration {mrn} on {hold.held_on} and the authority stopped the "
                "export: nothing is written off under it",
                field="declaration_ref",
                provision="Regulation (EU) 2021/821, Art. 21(3)",
            )
        raise IllegalTransitionError(
            f"customs holds declaration {mrn} since {hold.held_on}: nothing is written off under "
            f"it until it is released, at the latest when the authority has not replied by "
            f"{hold.reply_due}",
            field="declaration_ref",
            provision="Regulation (EU) 2021/821, Art. 21(3)-(4)",
        )


def _recompute(item: LicenceItem) -> None:
    """What is used is the sum of the ledger, never a running total edited in place."""
    sums = item.uses.aggregate(q=Sum("quantity"), v=Sum("value_eur"))
    item.quantity_used = Decimal(sums["q"] or 0).quantize(Decimal("0.001"))
    item.value_used = Decimal(sums["v"] or 0).quantize(Decimal("0.01"))
    item.save(update_fields=["quantity_used", "value_used"])


def _used(item: LicenceItem) -> dict[str, Any]:
    return {"quantity_used": item.quantity_used, "value_used": item.value_used}


def _locked_item(actor: Actor, item: LicenceItem) -> LicenceItem:
    # The item's row lock serialises every ledger change of the item: of two simultaneous
    # write-offs of one declaration, the second waits and then finds the first.
    item = LicenceItem.objects.select_for_update().select_related("licence").get(pk=item.pk)
    if actor.role in EXPORTER_ROLES and item.licence.exporter_id != actor.organisation.pk:
        raise IllegalTransitionError("this licence belongs to another exporter", field="licence")
    return item


def _check_amounts(item: LicenceItem, quantity: Decimal, value_eur: Decimal, *,
                   released: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0))) -> None:
    if not (quantity.is_finite() and value_eur.is_finite()):
        raise InputError("quantity and value are numbers", field="quantity")
    if quantity <= 0 or value_eur < 0:
        raise InputError("quantity must be positive and value not negative", field="quantity")
    if quantity > item.quantity_remaining + released[0]:
        left = item.quantity_remaining + released[0]
        raise InputError(f"only {left} {item.unit} remain", field="quantity")
    if value_eur > item.value_remaining + released[1]:
        raise InputError(f"only EUR {item.value_remaining + released[1]} remains",
                         field="value_eur")


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
    today: dt.date,
) -> WriteOff:
    """Write an export off against a licence item, once per declaration: a repeat of the same
    MRN returns the first write-off and depletes nothing. Refused for a malformed MRN, a
    declaration customs holds (Art. 21(3)), an export date in the future or outside validity,
    beyond what remains, or to a destination the licence does not name."""
    check_role(actor, [*EXPORTER_ROLES, Role.CUSTOMS_OFFICER])
    item = _locked_item(actor, item)
    licence = item.licence
    if exported_on > today:
        raise InputError(
            f"the export date {exported_on} is in the future: an export is written off when it "
            "has taken place",
            field="exported_on",
        )
    mrn = parse_mrn(declaration_ref, catalogue=catalogue_on(today), exported_on=exported_on)
    _refuse_if_held(mrn, today)
    first = LicenceUse.objects.filter(
        item=item, declaration_ref=mrn, reverses__isnull=True, replaces__isnull=True
    ).first()
    if first is not None:
        return WriteOff(first, created=False)
    if licence.status != LicenceState.ACTIVE:
        raise IllegalTransitionError(f"licence {licence.number} is {licence.status}")
    if not licence.valid_from <= exported_on <= licence.valid_to:
        raise IllegalTransitionError(
            f"licence {licence.number} is valid {licence.valid_from} to {licence.valid_to}"
        )
    _check_amounts(item, quantity, value_eur)
    dest = destination.strip().upper()
    if dest not in licence.destinations:
        raise InputError(
            f"licence {licence.number} does not cover destination {dest or '(none)'}; it covers "
            f"{', '.join(licence.destinations)}",
            field="destination",
        )
    before = _used(item)
    use = LicenceUse.objects.create(
        item=item,
        quantity=quantity,
        value_eur=value_eur,
        exported_on=exported_on,
        declaration_ref=mrn,
        destination=dest,
        recorded_by=actor.user,
    )
    _recompute(item)
    record(
        actor=actor,
        action="licence.use",
        obj=use,
        case_ref=licence.application.audit_ref,
        before=before,
        after={**_used(item), "declaration": mrn, "quantity": quantity, "value_eur": value_eur},
    )
    return WriteOff(use, created=True)


def _follow_up(
    actor: Actor, use: LicenceUse, *, quantity: Decimal, value_eur: Decimal, reasons: str,
    **link: LicenceUse,
) -> LicenceUse:
    """A new entry under the same declaration as `use`: its reversal or its corrected entry."""
    return LicenceUse.objects.create(
        item=use.item,
        quantity=quantity,
        value_eur=value_eur,
        exported_on=use.exported_on,
        declaration_ref=use.declaration_ref,
        destination=use.destination,
        recorded_by=actor.user,
        reasons=reasons,
        **link,
    )


def _reversal(actor: Actor, use: LicenceUse, reasons: str) -> LicenceUse:
    return _follow_up(actor, use, quantity=-use.quantity, value_eur=-use.value_eur,
                      reasons=reasons, reverses=use)


@transaction.atomic
def correct_use(
    actor: Actor,
    use: LicenceUse,
    *,
    reasons: str,
    quantity: Decimal | None = None,
    value_eur: Decimal | None = None,
) -> LicenceUse:
    """Correct a write-off: an audited reversal entry (the negated amounts) and, when new amounts
    are given, a replacing entry for the same declaration. Nothing is edited or deleted; what
    remains is recomputed. Returns the reversal."""
    check_role(actor, [*EXPORTER_ROLES, Role.CUSTOMS_OFFICER])
    item = _locked_item(actor, use.item)
    use = LicenceUse.objects.select_for_update().get(pk=use.pk)
    if not use.standing:
        raise IllegalTransitionError(
            "only a standing write-off is corrected: this entry is a reversal or was reversed",
            field="use",
        )
    if not reasons.strip():
        raise InputError("say why the write-off is corrected", field="reasons")
    replace = quantity is not None or value_eur is not None
    if replace:
        quantity = use.quantity if quantity is None else quantity
        value_eur = use.value_eur if value_eur is None else value_eur
        if (quantity, value_eur) == (use.quantity, use.value_eur):
            raise InputError("the corrected amounts are the ones written off", field="quantity")
        _check_amounts(item, quantity, value_eur, released=(use.quantity, use.value_eur))
    before = {**_used(item), "entry": use.pk}
    reversal = _reversal(actor, use, reasons.strip())
    after: dict[str, Any] = {"reversal": reversal.pk, "reasons": reasons.strip()}
    if replace:
        assert quantity is not None and value_eur is not None
        replacement = _follow_up(actor, use, quantity=quantity, value_eur=value_eur,
                                 reasons=reasons.strip(), replaces=use)
        after["replacement"] = replacement.pk
    _recompute(item)
    record(
        actor=actor,
        action="licence.use_correct",
        obj=use,
        case_ref=item.licence.application.audit_ref,
        before=before,
        after={**_used(item), **after, "declaration": use.declaration_ref},
    )
    return reversal


def declaration_entries(mrn: str) -> QuerySet[LicenceUse]:
    """Every ledger entry under a declaration, on any licence."""
    return LicenceUse.objects.filter(declaration_ref=mrn).select_related(
        "item__licence__exporter", "recorded_by"
    )


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
    cat = catalogue_on(today)
    dests = [d.strip().upper() for d in destinations if d.strip()]
    for iso2 in dests:
        cat.country(iso2)
    codes = [c.strip() for c in control_codes if c.strip()]
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
    if not reasons.strip():
        raise InputError("a decision states its reasons", field="reasons")
    req.withdrawn_at = timezone.now()
    req.save()
    record(
        actor=actor,
        action="requirement.withdraw",
        obj=req,
        case_ref=f"exporter:{req.exporter_id}",
        before={"in_force": True},
        after={"in_force": False, "withdrawn_at": req.withdrawn_at, "reasons": reasons},
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


def _first_export_rule(ugea: str, day: dt.date) -> FirstUseNotification:
    return catalogue_on(day).ugea(ugea).first_use_notification


def _check_planned_first_export(ugea: str, planned: dt.date, today: dt.date) -> None:
    """Annex II, Part 3: EU007 and EU008 are notified a number of days (the law data's) before
    the first export; the registration is that notice, so the first export is planned no
    earlier. No first export is planned in the past."""
    rule = _first_export_rule(ugea, today)
    if planned < today:
        raise InputError(
            f"the planned first export {planned} is in the past", field="planned_first_export"
        )
    if rule.timing == "before_first_export" and rule.due(planned) < today:
        earliest = today + dt.timedelta(days=rule.days)
        raise InputError(
            f"{ugea}: the first use is notified at least {rule.days} days before the first export, "
            f"so the first export is planned on {earliest} or later",
            field="planned_first_export",
            provision=rule.citation.render(),
        )


@transaction.atomic
def register_ugea(
    actor: Actor,
    *,
    ugea: str,
    planned_first_export: dt.date | None = None,
    today: dt.date | None = None,
) -> UgeaRegistration:
    check_role(actor, EXPORTER_ROLES)
    today = today or timezone.localdate()
    if ugea not in UGEA_IDS:
        raise InputError(f"unknown Union general export authorisation {ugea!r}", field="ugea")
    if ugea_barred(actor.organisation):
        raise IllegalTransitionError(
            "the competent authority has barred this exporter from using Union general export "
            "authorisations",
            provision="Regulation (EU) 2021/821, Art. 12(7)",
        )
    if planned_first_export is not None:
        _check_planned_first_export(ugea, planned_first_export, today)
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
    actor: Actor, reg: UgeaRegistration, *, first_export_on: dt.date | None, today: dt.date
) -> UgeaRegistration:
    """Notify the first use (Annex II, Part 3). The date is that of the first export: for
    EU001-EU006 an export that took place (not before the registration, not in the future);
    for EU007 and EU008 the planned one, at least the law data's days after this notice."""
    check_role(actor, EXPORTER_ROLES)
    UgeaRegistration.objects.select_for_update().get(pk=reg.pk)  # one notification at a time
    reg.refresh_from_db()
    if reg.exporter_id != actor.organisation.pk:
        raise IllegalTransitionError("this registration belongs to another exporter")
    if reg.first_use_notified_on is not None:
        raise IllegalTransitionError("first use was already notified")
    if reg.status == RegistrationStatus.REFUSED:
        raise IllegalTransitionError(
            f"the registration for {reg.ugea} was refused: the authorisation is not used"
        )
    if ugea_barred(actor.organisation):
        raise IllegalTransitionError(
            "the competent authority has barred this exporter from using Union general export "
            "authorisations",
            provision="Regulation (EU) 2021/821, Art. 12(7)",
        )
    field = "first_export_on"
    if first_export_on is None:
        raise InputError("the date of the first export is needed", field=field)
    registered = timezone.localdate(reg.registered_at)
    if first_export_on < registered:
        raise InputError(
            f"the first export {first_export_on} is before the registration on {registered}",
            field=field,
        )
    rule = _first_export_rule(reg.ugea, today)
    if rule.timing == "before_first_export":
        _check_planned_first_export(reg.ugea, first_export_on, today)
    elif first_export_on > today:
        raise InputError(
            f"the first export {first_export_on} is in the future: {reg.ugea}'s first use is "
            f"notified after it, within {rule.days} days",
            field=field,
            provision=rule.citation.render(),
        )
    before = {"first_export_on": reg.first_export_on, "notified_on": reg.first_use_notified_on}
    reg.first_export_on, reg.first_use_notified_on = first_export_on, today
    reg.save()
    record(
        actor=actor,
        action="ugea.first_use",
        obj=reg,
        case_ref=f"exporter:{reg.exporter_id}",
        before=before,
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
    if not items.strip() or not facts.strip():
        raise InputError("the items and the grounds for suspicion are needed", field="facts")
    cat = catalogue_on(today)
    mrn = parse_mrn(declaration_ref, catalogue=cat)
    dest = destination.strip().upper()
    if not dest:
        raise InputError("the country of destination is needed", field="destination")
    cat.country(dest)
    if licence is not None and licence.exporter_id != exporter.pk:
        raise InputError("that licence belongs to another exporter", field="licence")
    if declaration_holds(mrn, today):
        raise IllegalTransitionError(
            f"declaration {mrn} is already held", field="declaration_ref"
        )
    hold = ExportHold.objects.create(
        exporter=exporter,
        licence=licence,
        declaration_ref=mrn,
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
    before = {"status": hold.status(today)}
    hold.outcome, hold.note, hold.decided_by, hold.decided_on = outcome, note, actor.user, today
    hold.save()
    reversed_entries = []
    if outcome == "stopped":
        # The goods do not leave under this declaration: a write-off made before the hold is
        # reversed, so the licence shows what was really exported.
        entries = declaration_entries(hold.declaration_ref)
        items = LicenceItem.objects.select_for_update().filter(
            pk__in=entries.values("item_id")
        )
        for item in items:
            for use in entries.filter(item=item):
                if use.standing:
                    reason = f"export stopped after customs hold of {hold.held_on} (Art. 21(3))"
                    reversed_entries.append(_reversal(actor, use, reason).pk)
            _recompute(item)
    record(
        actor=actor,
        action=f"hold.{outcome}",
        obj=hold,
        case_ref=f"exporter:{hold.exporter_id}",
        before=before,
        after={"status": outcome, "note": note, "reversed_entries": reversed_entries},
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


def exporter_panel(exporter: Organisation, today: dt.date) -> dict[str, Any]:
    """What customs needs on an exporter when checking a declaration (Art. 21(1)): its licences,
    the Art. 12(7) bar, ad hoc requirements in force and UGEA registrations (an unregistered or
    refused EU007/EU008 cannot be used; a barred exporter can use none)."""
    return {
        "bar": UgeaBar.objects.filter(exporter=exporter, lifted_at__isnull=True).first(),
        "requirements": list(active_requirements(exporter)),
        "registrations": [
            {"reg": r, "deadline": r.first_use(today)}
            for r in UgeaRegistration.objects.filter(exporter=exporter).order_by("ugea")
        ],
        "licences": list(
            Licence.objects.filter(exporter=exporter).prefetch_related("items").order_by(
                "status", "-issued_at"
            )
        ),
    }
