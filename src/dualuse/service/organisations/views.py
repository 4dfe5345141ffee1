# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""API tokens for machine clients: an exporter administrator issues and revokes them."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualuse.errors import InputError
from dualuse.service.audit.chain import record
from dualuse.service.organisations.access import Actor, require_roles
from dualuse.service.organisations.models import ApiToken
from dualuse.service.organisations.roles import Role
from dualuse.service.web.helpers import perform


@transaction.atomic
def issue_token(actor: Actor, name: str) -> str:
    if not name.strip():
        raise InputError("name the client that will use the token", field="name")
    token, raw = ApiToken.issue(actor.user, name.strip())
    record(
        actor=actor,
        action="token.issue",
        obj=token,
        case_ref=f"user:{actor.user.pk}",
        after={"name": token.name, "prefix": token.prefix},
    )
    return raw


@require_roles(Role.EXPORTER_ADMIN)
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest, actor: Actor) -> HttpResponse:
    mine = ApiToken.objects.filter(user=actor.user).order_by("-created_at")
    raw = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            token = get_object_or_404(mine, pk=request.POST.get("token"), revoked_at__isnull=True)
            token.revoked_at = timezone.now()
            token.save()
            record(
                actor=actor,
                action="token.revoke",
                obj=token,
                case_ref=f"user:{actor.user.pk}",
                after={"prefix": token.prefix},
            )
            messages.success(request, _("Token revoked."))
            return redirect("tokens")
        raw = perform(request, issue_token, actor, request.POST.get("name", ""))
    return render(request, "organisations/tokens.html", {"tokens": mine, "raw": raw})
