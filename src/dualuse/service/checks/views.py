# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Transaction checks and the exporter's notifications; the authority handles notifications."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualuse.service.checks.determine import run_check, visible_checks
from dualuse.service.checks.models import Notification, NotificationKind, NotificationStatus
from dualuse.service.checks.notifications import handle_notification, submit_notification
from dualuse.service.organisations.access import Actor, require_roles
from dualuse.service.organisations.roles import AUTHORITY_ROLES, EXPORTER_ROLES
from dualuse.service.web.helpers import perform, split_list, today

ACTIVITIES = ("export", "transfer", "brokering", "technical_assistance", "transit")
END_USES = ("wmd", "military_end_use", "illegal_military_parts", "human_rights", "public_security")


_CN_CODE = re.compile(r"^\s*\d{4}[\s.]?\d{2}[\s.]?\d{2}\s*$")


def check_input_from_form(post: Any) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The check form: one item per line as `code; description; CN code` (empty code = not
    listed; the CN code is optional, recognised as the last part when it has 8 digits); one or
    more destinations, comma-separated, each determined on its own."""
    items = []
    for line in str(post.get("items", "")).splitlines():
        if not line.strip():
            continue
        code, _sep, description = line.partition(";")
        item: dict[str, Any] = {"control_code": code.strip() or None}
        rest, sep, last = description.rpartition(";")
        if sep and _CN_CODE.match(last):
            description, item["cn_code"] = rest, last.strip()
        item["description"] = description.strip()
        items.append(item)
    data: dict[str, Any] = {
        "as_of": post.get("as_of") or None,
        "activity": post.get("activity", "export"),
        "destinations": [d.upper() for d in split_list(str(post.get("destination", "")))],
        "items": items,
        "informed_of": post.getlist("informed_of"),
        "aware_of": post.getlist("aware_of"),
    }
    parties = [
        {
            "role": role,
            "name": post.get(f"{role}_name", "").strip(),
            "country": post.get(f"{role}_country", "").strip().upper(),
        }
        for role in ("end_user", "consignee")
        if post.get(f"{role}_name", "").strip()
    ]
    return data, parties


@require_roles(*EXPORTER_ROLES)
@require_http_methods(["GET", "POST"])
def checks(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        data, parties = check_input_from_form(request.POST)
        check = perform(request, run_check, actor, data, parties, today=today())
        if check is not None:
            return redirect("check", pk=check.pk)
    return render(
        request,
        "checks/list.html",
        {
            "checks": visible_checks(actor)[:100],
            "activities": ACTIVITIES,
            "end_uses": END_USES,
            "today": today(),
            "form": request.POST if request.method == "POST" else {},
        },
    )


@require_roles(*EXPORTER_ROLES)
def check(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    obj = get_object_or_404(visible_checks(actor), pk=pk)
    return render(request, "checks/detail.html", {"check": obj, "d": obj.determination})


@require_roles(*EXPORTER_ROLES, *AUTHORITY_ROLES)
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest, actor: Actor) -> HttpResponse:
    if actor.is_exporter:
        qs = Notification.objects.filter(exporter=actor.organisation)
    else:
        qs = Notification.objects.select_related("exporter")
    if request.method == "POST":
        post = request.POST
        if actor.is_exporter:
            done = perform(
                request,
                submit_notification,
                actor,
                kind=post.get("kind", ""),
                items=post.get("items", ""),
                destination=post.get("destination", ""),
                end_user=post.get("end_user", ""),
                facts=post.get("facts", ""),
            )
        else:
            n = get_object_or_404(qs, pk=post.get("notification"))
            done = perform(
                request,
                lambda: (
                    handle_notification(
                        actor, n, status=post.get("status", ""), response=post.get("response", "")
                    )
                    or n
                ),
            )
        if done is not None:
            messages.success(request, _("Saved."))
        return redirect("notifications")
    return render(
        request,
        "checks/notifications.html",
        {
            "notifications": qs[:200],
            "kinds": NotificationKind.choices,
            "outcomes": [
                (NotificationStatus.NO_ACTION, _("No authorisation requirement")),
                (NotificationStatus.REQUIREMENT_IMPOSED, _("Authorisation requirement imposed")),
            ],
        },
    )


__all__ = ["check", "checks", "notifications", "split_list"]
