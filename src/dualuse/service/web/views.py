# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Home (each role's start page), the exporter's overview and its Art. 27 records export."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dualuse.service.cases.operations import visible_applications
from dualuse.service.checks.models import Notification
from dualuse.service.licences.models import LicenceUse, UgeaRegistration
from dualuse.service.licences.operations import active_requirements, ugea_barred, visible_licences
from dualuse.service.organisations.access import Actor, request_actor, require_roles
from dualuse.service.organisations.roles import AUTHORITY_ROLES, EXPORTER_ROLES, Role
from dualuse.service.web.helpers import today

START = {
    Role.CASEWORKER: "queue",
    Role.SENIOR_CASEWORKER: "queue",
    Role.FOREIGN_AFFAIRS_ADVISER: "advice_queue",
    Role.CUSTOMS_OFFICER: "licences",
    Role.SYSTEM_ADMIN: "admin:index",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if actor is None:
        return render(request, "web/no_role.html", status=403)
    if actor.role in EXPORTER_ROLES:
        return redirect("dashboard")
    return redirect(START[actor.role])


@require_roles(*EXPORTER_ROLES)
def dashboard(request: HttpRequest, actor: Actor) -> HttpResponse:
    t = today()
    apps = visible_applications(actor)
    return render(
        request,
        "web/dashboard.html",
        {
            "applications": [{"app": a, "clock": a.clock_reading(t)} for a in apps[:100]],
            "licences": visible_licences(actor).prefetch_related("items")[:100],
            "requirements": active_requirements(actor.organisation),
            "barred": ugea_barred(actor.organisation),
            "notifications": Notification.objects.filter(exporter=actor.organisation)[:20],
            "ugea": [
                {
                    "reg": r,
                    "deadline": r.first_use(t),
                }
                for r in UgeaRegistration.objects.filter(
                    exporter=actor.organisation, first_use_notified_on__isnull=True
                )
            ],
        },
    )


def keep_years(kind: str) -> int:
    return 3 if kind == "intra_eu_transfer" else 5


@require_roles(*EXPORTER_ROLES)
def records_export(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Art. 27(1): exports with description, quantity, exporter, consignee, end-use and end-user;
    kept at least 5 years from the end of the calendar year of export (Art. 27(3)), 3 years for
    intra-Union transfers (Art. 27(4))."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dualuse-records-art27.csv"'
    w = csv.writer(response)
    w.writerow(
        [
            "licence",
            "exported_on",
            "declaration",
            "control_code",
            "description",
            "quantity",
            "unit",
            "value_eur",
            "exporter",
            "eori",
            "destination",
            "end_users",
            "end_use",
            "keep_until",
            "entry",
        ]
    )
    uses = (
        LicenceUse.objects.filter(item__licence__exporter=actor.organisation)
        .select_related("item__licence__application", "item__licence__exporter")
        .order_by("exported_on", "pk")
    )
    for u in uses:
        licence = u.item.licence
        w.writerow(
            [
                licence.number,
                u.exported_on.isoformat(),
                u.declaration_ref,
                u.item.control_code,
                u.item.description,
                u.quantity,
                u.item.unit,
                u.value_eur,
                licence.exporter.name,
                licence.exporter.eori,
                u.destination or " ".join(licence.destinations),
                "; ".join(licence.end_users),
                licence.application.end_use,
                # Art. 27(3): 5 years after the year of export; Art. 27(4): 3 for intra-EU
                f"{u.exported_on.year + keep_years(licence.kind)}-12-31",
                u.kind,  # write_off, reversal (negative amounts) or correction
            ]
        )
    return response


__all__ = ["AUTHORITY_ROLES", "dashboard", "home", "records_export"]
