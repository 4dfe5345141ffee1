# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Licence pages (holder, authority, customs), the licence document, and the authority's measures
on exporters (ad hoc requirements, Art. 12(7) bar) and the exporter's UGEA registrations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualuse.errors import InputError
from dualuse.law import UGEA_IDS
from dualuse.service.lawdata import catalogue_on
from dualuse.service.licences import operations as lic
from dualuse.service.licences.deadlines import describe
from dualuse.service.licences.document import licence_pdf
from dualuse.service.licences.models import (
    HOLD_GROUNDS,
    HOLD_OUTCOMES,
    REQUIREMENT_BASES,
    LicenceItem,
    UgeaRegistration,
)
from dualuse.service.organisations.access import Actor, require_roles
from dualuse.service.organisations.models import Organisation
from dualuse.service.organisations.roles import AUTHORITY_ROLES, EXPORTER_ROLES, Role
from dualuse.service.web.countries import resolve_countries, resolve_country
from dualuse.service.web.helpers import date_field, decimal_field, perform, split_list, today

LICENCE_READERS = (*EXPORTER_ROLES, *AUTHORITY_ROLES, Role.CUSTOMS_OFFICER)


@require_roles(*LICENCE_READERS)
def licence_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    licences = lic.visible_licences(actor)
    q = request.GET.get("q", "").strip()
    if q:
        licences = licences.filter(Q(number__icontains=q) | Q(exporter__name__icontains=q))
    return render(request, "licences/list.html", {"licences": licences[:200], "q": q})


@require_roles(*LICENCE_READERS)
@require_http_methods(["GET", "POST"])
def licence(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    obj = get_object_or_404(lic.visible_licences(actor), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "use":
            item = get_object_or_404(LicenceItem, pk=request.POST.get("item"), licence=obj)
            done = perform(
                request,
                lambda: lic.record_use(
                    actor,
                    item,
                    quantity=decimal_field(request, "quantity"),
                    value_eur=decimal_field(request, "value_eur"),
                    exported_on=date_field(request, "exported_on") or today(),
                    declaration_ref=request.POST.get("declaration_ref", ""),
                    destination=resolve_country(
                        request.POST.get("destination", ""), field="destination"
                    ),
                ),
            )
        else:
            done = perform(
                request,
                lambda: lic.act_on_licence(
                    actor,
                    obj,
                    event=action,
                    reasons=request.POST.get("reasons", ""),
                    valid_to=date_field(request, "valid_to"),
                    conditions=request.POST.get("conditions") or None,
                ),
            )
        if done is not None:
            messages.success(request, _("Saved."))
        return redirect("licence", pk=obj.pk)
    return render(
        request,
        "licences/detail.html",
        {
            "licence": obj,
            "det": obj.application.determination,
            "can_use": actor.role in (*EXPORTER_ROLES, Role.CUSTOMS_OFFICER),
            "can_act": actor.role == Role.SENIOR_CASEWORKER,
        },
    )


@require_roles(*LICENCE_READERS)
def licence_document(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    obj = get_object_or_404(lic.visible_licences(actor), pk=pk)
    return render(request, "licences/document.html", {"licence": obj})


@require_roles(*LICENCE_READERS)
def licence_document_pdf(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    obj = get_object_or_404(lic.visible_licences(actor), pk=pk)
    response = HttpResponse(licence_pdf(obj), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{obj.number}.pdf"'
    return response


# -- authority measures on exporters -------------------------------------------------------


@require_roles(*AUTHORITY_ROLES)
def exporters(request: HttpRequest, actor: Actor) -> HttpResponse:
    orgs = Organisation.objects.filter(kind="exporter")
    return render(request, "licences/exporters.html", {"exporters": orgs})


@require_roles(*AUTHORITY_ROLES)
@require_http_methods(["GET", "POST"])
def exporter_measures(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk, kind="exporter")
    if request.method == "POST":
        post = request.POST
        action = post.get("action")
        if action == "impose":
            done = perform(
                request,
                lambda: lic.impose_requirement(
                    actor,
                    org,
                    basis=post.get("basis", ""),
                    control_codes=split_list(post.get("control_codes", "")),
                    end_users=[u for u in post.get("end_users", "").splitlines() if u.strip()],
                    destinations=resolve_countries(
                        post.get("destinations", ""), field="destinations"
                    ),
                    item_description=post.get("item_description", ""),
                    reasons=post.get("reasons", ""),
                    today=today(),
                ),
            )
        elif action == "withdraw":
            req = get_object_or_404(lic.active_requirements(org), pk=post.get("requirement"))
            done = perform(
                request,
                lambda: (
                    lic.withdraw_requirement(actor, req, reasons=post.get("reasons", "")) or True
                ),
            )
        elif action == "lift_bar":
            done = perform(
                request, lambda: lic.lift_ugea_bar(actor, org, reasons=post.get("reasons", ""))
            )
        elif action == "bar":
            done = perform(
                request, lambda: lic.bar_from_ugeas(actor, org, reasons=post.get("reasons", ""))
            )
        else:
            done = None
            messages.error(request, _("Unknown action."))
        if done is not None:
            messages.success(request, _("Saved."))
        return redirect("exporter_measures", pk=org.pk)
    return render(
        request,
        "licences/measures.html",
        {
            "org": org,
            "requirements": org.adhoc_requirements.all(),
            "bases": REQUIREMENT_BASES,
            "barred": lic.ugea_barred(org),
            "registrations": org.ugea_registrations.all(),
            "is_senior": actor.role == Role.SENIOR_CASEWORKER,
        },
    )


# -- exporter: Union general export authorisations -----------------------------------------


@require_roles(*EXPORTER_ROLES)
@require_http_methods(["GET", "POST"])
def ugea_registrations(request: HttpRequest, actor: Actor) -> HttpResponse:
    regs = UgeaRegistration.objects.filter(exporter=actor.organisation)
    if request.method == "POST":
        post = request.POST
        if post.get("action") == "first_use":
            reg = get_object_or_404(regs, pk=post.get("registration"))
            done = perform(
                request,
                lambda: lic.notify_first_use(
                    actor,
                    reg,
                    first_export_on=date_field(request, "first_export_on") or today(),
                    today=today(),
                ),
            )
        else:
            done = perform(
                request,
                lambda: lic.register_ugea(
                    actor,
                    ugea=post.get("ugea", ""),
                    planned_first_export=date_field(request, "planned_first_export"),
                ),
            )
        if done is not None:
            messages.success(request, _("Saved."))
        return redirect("ugea_registrations")
    t = today()
    rows = [
        {
            "reg": r,
            "deadline": r.first_use(t),
        }
        for r in regs
    ]
    return render(
        request,
        "licences/ugea.html",
        {
            "rows": rows,
            "ugeas": [(u, describe(catalogue_on(t).ugea(u).first_use_notification))
                      for u in UGEA_IDS],
            "barred": lic.ugea_barred(actor.organisation),
            "requirements": lic.active_requirements(actor.organisation),
        },
    )


# -- authority: acknowledging UGEA registrations (Annex II) ----------------------------------


@require_roles(*AUTHORITY_ROLES)
@require_http_methods(["GET", "POST"])
def ugea_queue(request: HttpRequest, actor: Actor) -> HttpResponse:
    pending = lic.pending_registrations(actor).select_related("exporter")
    if request.method == "POST":
        post = request.POST
        reg = get_object_or_404(pending, pk=post.get("registration"))
        if post.get("action") == "acknowledge":
            done = perform(request, lambda: lic.acknowledge_registration(actor, reg))
        elif post.get("action") == "refuse":
            done = perform(
                request,
                lambda: lic.refuse_registration(actor, reg, reasons=post.get("reasons", "")),
            )
        else:
            done = None
            messages.error(request, _("Unknown action."))
        if done is not None:
            messages.success(request, _("Saved."))
        return redirect("ugea_queue")
    t = today()
    rows = []
    for r in pending:
        deadline = lic.acknowledgement_deadline(r)
        rows.append(
            {
                "reg": r,
                "deadline": deadline,
                "overdue": deadline < t,
                "barred": lic.ugea_barred(r.exporter),
            }
        )
    return render(request, "licences/ugea_queue.html", {"rows": rows})


# -- customs: exports held under Art. 21(3) ------------------------------------------------


@require_roles(Role.CUSTOMS_OFFICER, *AUTHORITY_ROLES)
@require_http_methods(["GET", "POST"])
def holds(request: HttpRequest, actor: Actor) -> HttpResponse:
    mine = lic.visible_holds(actor)
    t = today()
    if request.method == "POST":
        post = request.POST
        action = post.get("action")
        if action == "hold":

            def suspend() -> Any:
                eori = post.get("eori", "").strip().upper()
                exporter = Organisation.objects.filter(kind="exporter", eori=eori).first()
                if exporter is None:
                    raise InputError(f"no exporter with EORI {eori!r}", field="eori")
                number = post.get("licence", "").strip()
                licence = lic.visible_licences(actor).filter(number=number).first()
                if number and licence is None:
                    raise InputError(f"no licence {number!r}", field="licence")
                return lic.hold_export(
                    actor,
                    exporter=exporter,
                    declaration_ref=post.get("declaration_ref", ""),
                    destination=resolve_country(post.get("destination", ""), field="destination"),
                    items=post.get("items", ""),
                    ground=post.get("ground", ""),
                    facts=post.get("facts", ""),
                    licence=licence,
                    today=t,
                )

            done = perform(request, suspend)
        else:
            hold = get_object_or_404(mine, pk=post.get("hold"))
            if action == "extend":
                done = perform(request, lambda: lic.extend_hold(actor, hold, today=t))
            else:
                done = perform(
                    request,
                    lambda: lic.decide_hold(
                        actor,
                        hold,
                        outcome=post.get("outcome", ""),
                        note=post.get("note", ""),
                        today=t,
                    ),
                )
        if done is not None:
            messages.success(request, _("Saved."))
        return redirect("holds")
    return render(
        request,
        "licences/holds.html",
        {
            "rows": [{"hold": h, "status": h.status(t)} for h in mine[:200]],
            "grounds": HOLD_GROUNDS,
            "outcomes": HOLD_OUTCOMES,
        },
    )
