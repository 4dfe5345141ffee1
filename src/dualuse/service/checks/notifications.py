# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The exporter's notifications to the competent authority (Arts 4(2), 5(2), 6(2), 8(2); a possible
other destination under an ad hoc requirement) and the authority's handling of them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dualuse.errors import InputError
from dualuse.service.audit.chain import record
from dualuse.service.checks.models import Notification, NotificationKind, NotificationStatus
from dualuse.service.lawdata import catalogue_on
from dualuse.service.licences.models import AdHocRequirement
from dualuse.service.organisations.access import Actor, check_role
from dualuse.service.organisations.roles import AUTHORITY_ROLES, EXPORTER_ROLES
from dualuse.service.web.helpers import today


@transaction.atomic
def submit_notification(
    actor: Actor, *, kind: str, items: str, destination: str, end_user: str, facts: str
) -> Notification:
    check_role(actor, EXPORTER_ROLES)
    if kind not in NotificationKind.values:
        raise InputError(f"unknown notification {kind!r}", field="kind")
    if not items.strip() or not facts.strip():
        raise InputError("say which items and what you are aware of", field="facts")
    iso2 = destination.strip().upper()
    catalogue_on(today()).country(iso2)
    n = Notification.objects.create(
        exporter=actor.organisation,
        submitted_by=actor.user,
        kind=kind,
        items=items,
        destination=iso2,
        end_user=end_user,
        facts=facts,
    )
    record(
        actor=actor,
        action="notification.submit",
        obj=n,
        case_ref=f"notification:{n.pk}",
        after={"kind": kind, "destination": iso2, "end_user": end_user},
    )
    return n


@transaction.atomic
def handle_notification(actor: Actor, n: Notification, *, status: str, response: str) -> None:
    check_role(actor, AUTHORITY_ROLES)
    if n.status != NotificationStatus.SUBMITTED:
        raise InputError("this notification was already handled", field="status")
    if status not in {
        str(NotificationStatus.NO_ACTION),
        str(NotificationStatus.REQUIREMENT_IMPOSED),
    }:
        raise InputError(f"unknown outcome {status!r}", field="status")
    if (
        status == str(NotificationStatus.REQUIREMENT_IMPOSED)
        and not AdHocRequirement.objects.filter(
            exporter=n.exporter, imposed_at__gte=n.submitted_at, withdrawn_at__isnull=True
        ).exists()
    ):
        raise InputError(
            "impose the authorisation requirement on the exporter first", field="status"
        )
    n.status, n.response = status, response
    n.handled_by, n.handled_at = actor.user, timezone.now()
    n.save()
    record(
        actor=actor,
        action="notification.handle",
        obj=n,
        case_ref=f"notification:{n.pk}",
        before={"status": NotificationStatus.SUBMITTED},
        after={"status": status},
    )
