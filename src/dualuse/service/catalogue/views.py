# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The exporter's product catalogue and classification records (code, rationale, who, when, which
Annex I version)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualuse.service.catalogue.models import Product
from dualuse.service.catalogue.operations import add_product, classify, suggest_codes
from dualuse.service.organisations.access import Actor, require_roles
from dualuse.service.organisations.roles import EXPORTER_ROLES
from dualuse.service.web.helpers import perform


@require_roles(*EXPORTER_ROLES)
@require_http_methods(["GET", "POST"])
def products(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        p = perform(
            request,
            add_product,
            actor,
            reference=request.POST.get("reference", ""),
            name=request.POST.get("name", ""),
            description=request.POST.get("description", ""),
            cn_code=request.POST.get("cn_code", ""),
        )
        if p is not None:
            return redirect("product", pk=p.pk)
    return render(
        request,
        "catalogue/products.html",
        {
            "products": Product.objects.filter(exporter=actor.organisation).prefetch_related(
                "classifications"
            ),
        },
    )


@require_roles(*EXPORTER_ROLES)
@require_http_methods(["GET", "POST"])
def product(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    p = get_object_or_404(Product, pk=pk, exporter=actor.organisation)
    if request.method == "POST":
        rec = perform(
            request,
            classify,
            actor,
            p,
            control_code=request.POST.get("control_code", ""),
            rationale=request.POST.get("rationale", ""),
        )
        if rec is not None:
            messages.success(request, _("Classification recorded."))
        return redirect("product", pk=p.pk)
    suggestions = None
    if request.GET.get("suggest"):
        suggestions = perform(request, suggest_codes, f"{p.name}. {p.description}")
    return render(request, "catalogue/product.html", {"product": p, "suggestions": suggestions})
