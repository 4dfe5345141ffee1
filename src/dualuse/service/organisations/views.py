# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Login (throttled), the exporter administrator's users of their organisation, and API tokens
for machine clients."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualuse.service.audit.chain import record
from dualuse.service.organisations import throttle
from dualuse.service.organisations.access import Actor, require_roles
from dualuse.service.organisations.models import ApiToken, Membership
from dualuse.service.organisations.operations import add_member, issue_token, set_member_active
from dualuse.service.organisations.roles import EXPORTER_ROLES, Role
from dualuse.service.web.helpers import perform


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


@require_roles(Role.EXPORTER_ADMIN)
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, actor: Actor) -> HttpResponse:
    mine = Membership.objects.filter(organisation=actor.organisation).select_related("user")
    if request.method == "POST":
        post = request.POST
        if post.get("action") in {"activate", "deactivate"}:
            member = get_object_or_404(mine, pk=post.get("member"))
            done = perform(
                request,
                lambda: (
                    set_member_active(actor, member, active=post["action"] == "activate") or True
                ),
            )
        else:
            done = perform(
                request,
                add_member,
                actor,
                username=post.get("username", ""),
                role=post.get("role", ""),
                password=post.get("password", ""),
            )
        if done is not None:
            messages.success(request, _("Saved."))
        return redirect("members")
    return render(
        request,
        "organisations/members.html",
        {
            "members": mine,
            "roles": [(r.value, r.value) for r in EXPORTER_ROLES],
        },
    )


class ThrottledLoginView(LoginView):
    """Django's login, refusing a username from one address after 5 failures for 15 minutes;
    the count is in the database, shared by every app server (`throttle.py`)."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))
        address = str(request.META.get("REMOTE_ADDR", ""))
        if throttle.is_locked(username, address, now=timezone.now()):
            response = self.render_to_response(self.get_context_data(locked=True))
            response.status_code = 429
            return response
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            throttle.clear_failures(username, address)
        else:
            throttle.record_failure(username, address, now=timezone.now())
        return response
