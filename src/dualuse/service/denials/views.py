# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The authority's denial register pages (Art. 16); the Art. 16(5) actions on a case live on the
case page (cases.views) and call the same operations."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualuse.service.denials import operations as ops
from dualuse.service.denials.models import (
    OWN_MEMBER_STATE,
    Activity,
    Decision,
    DenialReview,
    Examination,
    ReviewOutcome,
)
from dualuse.service.organisations.access import Actor, require_roles
from dualuse.service.organisations.roles import AUTHORITY_ROLES
from dualuse.service.web.countries import resolve_countries, resolve_country
from dualuse.service.web.helpers import date_field, perform, split_list, today


@require_roles(*AUTHORITY_ROLES)
@require_http_methods(["GET", "POST"])
def denials(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        post = request.POST
        action = post.get("action", "")
        if action == "receive":
            done = perform(request, lambda: ops.record_received_denial(
                actor,
                issuing_member_state=resolve_country(
                    post.get("issuing_member_state", ""), field="issuing_member_state"
                ),
                reference=post.get("reference", ""),
                decision=post.get("decision", ""),
                activity=post.get("activity", ""),
                control_codes=split_list(post.get("control_codes", "")),
                items=post.get("items", ""),
                destinations=resolve_countries(post.get("destinations", ""),
                                               field="destinations"),
                end_users=[n for n in post.get("end_users", "").splitlines() if n.strip()],
                reasons=post.get("reasons", ""),
                decided_on=date_field(request, "decided_on"),
                received_on=date_field(request, "received_on") or today(),
            ))
        elif action == "import":
            upload = request.FILES.get("notifications")
            done = perform(request, lambda: ops.import_notifications(
                actor, upload.read(ops.MAX_IMPORT_BYTES + 1) if upload else b"",
                received_on=today(),
            ))
        elif action == "grant_notified":
            exam = get_object_or_404(Examination, pk=post.get("examination"))
            done = perform(request, lambda: ops.record_grant_notified(
                actor, exam, sent_on=date_field(request, "sent_on"),
                reference=post.get("reference", ""),
            ))
        else:
            messages.error(request, _("Unknown action."))
            done = None
        if done is not None:
            messages.success(request, _("Saved."))
        return redirect("denials")
    register = ops.register(actor)
    rows = [{"denial": d, "review_due": ops.review_due(d)} for d in register]
    return render(request, "denials/register.html", {
        "rows": rows, "outbox": ops.outbox(actor), "today": today(),
        "decisions": Decision.choices, "activities": Activity.choices,
    })


@require_roles(*AUTHORITY_ROLES)
@require_http_methods(["GET", "POST"])
def denial(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    d = get_object_or_404(ops.register(actor), pk=pk)
    if request.method == "POST":
        post = request.POST
        action = post.get("action", "")
        handlers = {
            "notified": lambda: ops.record_notified(
                actor, d, sent_on=date_field(request, "sent_on"),
                reference=post.get("reference", ""),
            ),
            "review": lambda: ops.review(
                actor, d, outcome=post.get("outcome", ""),
                explanation=post.get("explanation", ""), today=today(),
            ),
            "review_notified": lambda: ops.record_review_notified(
                actor, get_object_or_404(DenialReview, pk=post.get("review"), denial=d),
                sent_on=date_field(request, "sent_on"), reference=post.get("reference", ""),
            ),
        }
        handler = handlers.get(action)
        if handler is None:
            messages.error(request, _("Unknown action."))
        elif perform(request, handler) is not None:
            messages.success(request, _("Saved."))
        return redirect("denial", pk=d.pk)
    return render(request, "denials/denial.html", {
        "d": d, "review_due": ops.review_due(d), "outcomes": ReviewOutcome.choices,
        "examinations": d.examinations.select_related("application"), "today": today(),
    })


@require_roles(*AUTHORITY_ROLES)
def denial_notification(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """The notification of our denial as a JSON document, for the Art. 23(6) system."""
    d = get_object_or_404(ops.register(actor).filter(issuing_member_state=OWN_MEMBER_STATE),
                          pk=pk)
    response = HttpResponse(
        json.dumps(ops.notification(d), indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{d.reference}.json"'
    return response
