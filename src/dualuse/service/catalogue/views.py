# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The exporter's product catalogue and classification records (code, rationale, who, when, which
Annex I version)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualuse.errors import InputError
from dualuse.service.audit.chain import record
from dualuse.service.catalogue.models import ClassificationRecord, Product
from dualuse.service.lawdata import catalogue_on
from dualuse.service.organisations.access import Actor, check_role, require_roles
from dualuse.service.organisations.roles import EXPORTER_ROLES
from dualuse.service.web.helpers import perform, today


@transaction.atomic
def add_product(
    actor: Actor, *, reference: str, name: str, description: str, cn_code: str
) -> Product:
    check_role(actor, EXPORTER_ROLES)
    if not reference.strip() or not name.strip():
        raise InputError("a product needs a reference and a name", field="reference")
    if Product.objects.filter(exporter=actor.organisation, reference=reference.strip()).exists():
        raise InputError(f"reference {reference!r} is already in the catalogue", field="reference")
    p = Product.objects.create(
        exporter=actor.organisation,
        reference=reference.strip(),
        name=name.strip(),
        description=description,
        cn_code=cn_code.strip(),
    )
    record(
        actor=actor,
        action="product.add",
        obj=p,
        case_ref=f"product:{p.pk}",
        after={"reference": p.reference, "name": p.name},
    )
    return p


@transaction.atomic
def classify(
    actor: Actor, product: Product, *, control_code: str, rationale: str
) -> ClassificationRecord:
    check_role(actor, EXPORTER_ROLES)
    if product.exporter_id != actor.organisation.pk:
        raise InputError("this product belongs to another exporter", field="product")
    cat = catalogue_on(today())
    code = control_code.strip()
    if code:
        cat.entry(code)
    if not rationale.strip():
        raise InputError("a classification states its rationale", field="rationale")
    before = product.current_classification
    rec = ClassificationRecord.objects.create(
        product=product,
        control_code=code,
        annex_i_version=cat.annex_i_version.id,
        rationale=rationale,
        classified_by=actor.user,
    )
    record(
        actor=actor,
        action="product.classify",
        obj=rec,
        case_ref=f"product:{product.pk}",
        before={"control_code": before.control_code} if before else None,
        after={"control_code": code, "annex_i_version": rec.annex_i_version},
    )
    return rec


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


def suggest_codes(description: str) -> list[dict[str, Any]]:
    """Annex I suggestions from the classification assistant (dualuse.classify): aids for the
    exporter, who classifies."""
    from dualuse.classify_cache import get_classifier

    results: list[dict[str, Any]] = (
        get_classifier(today()).classify(description, top=5).as_contract()["results"]
    )
    return results
