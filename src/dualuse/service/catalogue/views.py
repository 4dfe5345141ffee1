# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The exporter's product catalogue: classification records (code, rationale, who, when, which
Annex I version), the assistant's verdict and suggestions, and the Art. 2(20) assessment with
its Art. 5 due-diligence record."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualuse.service.catalogue.models import Product
from dualuse.service.catalogue.operations import (
    add_product,
    assess_cyber_surveillance,
    classify,
    cyber_questionnaire,
    product_description,
    suggest_codes,
)
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
    q = cyber_questionnaire()
    if request.method == "POST":
        if request.POST.get("action") == "cyber":
            answers = {qid: request.POST.get(f"q_{qid}", "") for qid in q.questions}
            done = [int(v) for v in request.POST.getlist("done") if v.isdigit()]
            rec = perform(request, assess_cyber_surveillance, actor, p, answers=answers,
                          done=done, note=request.POST.get("note", ""))
            if rec is not None:
                messages.success(request, _("Cyber-surveillance assessment recorded."))
            return redirect(f"{reverse('product', args=[p.pk])}#cyber")
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
        suggestions = perform(request, suggest_codes, product_description(p))
    current = p.current_cyber_assessment
    prefill = dict(current.answers) if current is not None else {}
    if not prefill:
        c = p.current_classification
        if c is not None:
            prefill["listed"] = "yes" if c.control_code else "no"
        families = (suggestions or {}).get("cyber_surveillance_families") or []
        unlisted = [f for f in families if f not in ("interception", "intrusion_software")]
        if unlisted:
            prefill["family"] = unlisted[0]
    questions = [
        {"id": qu.id, "text": qu.text, "help": qu.help, "citation": qu.citation,
         "options": qu.options, "value": prefill.get(qu.id, "")}
        for qu in q.questions.values()
    ]
    return render(request, "catalogue/product.html", {
        "product": p,
        "suggestions": suggestions,
        "assessment": current,
        "questionnaire": q,
        "questions": questions,
        "checklist": list(enumerate(q.checklist)),
    })
