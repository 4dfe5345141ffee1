# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The authority's screening alerts: hits that re-screening after a list change found on parties
of open cases and active licences, until reviewed (case page) or acknowledged (here)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualuse.service.cases.models import Party
from dualuse.service.lists import rescreen
from dualuse.service.lists.models import ListChange
from dualuse.service.organisations.access import Actor, require_roles
from dualuse.service.organisations.roles import AUTHORITY_ROLES
from dualuse.service.web.helpers import perform


@require_roles(*AUTHORITY_ROLES)
@require_http_methods(["GET", "POST"])
def screening_alerts(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        raw = request.POST.get("party", "")
        party = get_object_or_404(Party, pk=int(raw) if raw.isdigit() else 0)
        done = perform(
            request, lambda: rescreen.acknowledge(actor, party, note=request.POST.get("note", ""))
        )
        if done is not None:
            messages.success(request, _("Saved."))
        return redirect("screening_alerts")
    return render(
        request,
        "lists/alerts.html",
        {"alerts": rescreen.open_alerts(), "changes": ListChange.objects.all()[:20]},
    )
