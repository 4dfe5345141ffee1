# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Licence pages (holder, authority, customs), the licence document, and the authority's measures
on exporters (ad hoc requirements, Art. 12(7) bar) and the exporter's UGEA registrations."""

from __future__ import annotations

from decimal import Decimal
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
from dualuse.service.licences.declarations import parse_mrn
from dualuse.service.licences.document import (
    DocumentUnavailableError,
    build_document,
    licence_pdf,
)
from dualuse.service.licences.models import (
    HOLD_GROUNDS,
    HOLD_OUTCOMES,
    REQUIREMENT_BASES,
    LicenceItem,
    LicenceUse,
    UgeaRegistration,
)
from dualuse.service.lists.rescreen import open_alerts
from dualuse.service.organisations.access import Actor, require_roles
from dualuse.service.organisations.models import Organisation
from dualuse.service.organisations.roles import AUTHORITY_ROLES, EXPORTER_ROLES, Role
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
        post = request.POST
        if action == "use":
            item = get_object_or_404(LicenceItem, pk=_pk(post.get("item")), licence=obj)
            written = perform(
                request,
                lambda: lic.record_use(
                    actor,
                    item,
                    quantity=decimal_field(request, "quantity"),
                    value_eur=decimal_field(request, "value_eur"),
                    exported_on=_required_date(request, "exported_on"),
                    declaration_ref=post.get("declaration_ref", ""),
                    destination=post.get("destination", ""),
                    today=today(),
                ),
            )
            if written is not None and not written.created:
                u = written.use
                messages.warning(
                    request,
                    _(
                        "Declaration %(mrn)s was already written off on %(day)s (%(qty)s %(unit)s,"
                        " EUR %(value)s): nothing was written off again."
                    )
                    % {
                        "mrn": u.declaration_ref,
                        "day": u.recorded_at.date().isoformat(),
                        "qty": u.quantity,
                        "unit": item.unit,
                        "value": u.value_eur,
                    },
                )
                return redirect("licence", pk=obj.pk)
            done: Any = written
        elif action == "correct":
            use = get_object_or_404(LicenceUse, pk=_pk(post.get("use")), item__licence=obj)
            done = perform(
                request,
                lambda: lic.correct_use(
                    actor,
                    use,
                    reasons=post.get("reasons", ""),
                    quantity=_optional_decimal(request, "quantity"),
                    value_eur=_optional_decimal(request, "value_eur"),
                ),
            )
        elif action == "language":
            done = perform(
                request,
                lambda: lic.set_document_language(actor, obj, language=post.get("language", "")),
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
            "ledger": LicenceUse.objects.filter(item__licence=obj).select_related(
                "item", "recorded_by", "reverses", "replaces"
            ),
            "can_use": actor.role in (*EXPORTER_ROLES, Role.CUSTOMS_OFFICER),
            "can_act": actor.role == Role.SENIOR_CASEWORKER,
            "is_holder": actor.role in EXPORTER_ROLES,
            "today": today(),
            "alerts": [] if actor.role in EXPORTER_ROLES else [
                p for p in open_alerts() if p.application_id == obj.application_id
            ],
        },
    )


def _pk(raw: str | None) -> int:
    """A posted object id; anything else is no object (404), never a 500."""
    return int(raw) if raw and raw.isdigit() else 0


def _required_date(request: HttpRequest, name: str) -> Any:
    day = date_field(request, name)
    if day is None:
        raise InputError("the date of export is needed", field=name)
    return day


def _optional_decimal(request: HttpRequest, name: str) -> Decimal | None:
    return decimal_field(request, name) if request.POST.get(name, "").strip() else None


@require_roles(*LICENCE_READERS)
def licence_document(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    obj = get_object_or_404(lic.visible_licences(actor), pk=pk)
    return render(
        request, "licences/document.html", {"licence": obj, "doc": build_document(obj)}
    )


@require_roles(*LICENCE_READERS)
def licence_document_pdf(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    obj = get_object_or_404(lic.visible_licences(actor), pk=pk)
    try:
        pdf = licence_pdf(obj)
    except DocumentUnavailableError as exc:
        messages.error(request, str(exc))
        response = render(
            request, "licences/document.html", {"licence": obj, "doc": build_document(obj)}
        )
        response.status_code = 503
        return response
    response = HttpResponse(pdf, content_type="application/pdf")
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
                    destinations=split_list(post.get("destinations", "")),
                    item_description=post.get("item_description", ""),
                    reasons=post.get("reasons", ""),
                    today=today(),
                ),
            )
        elif action == "withdraw":
            req = get_object_or_404(lic.active_requirements(org), pk=_pk(post.get("requirement")))
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
            reg = get_object_or_404(regs, pk=_pk(post.get("registration")))
            done = perform(
                request,
                lambda: lic.notify_first_use(
                    actor,
                    reg,
                    first_export_on=date_field(request, "first_export_on"),
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
                    today=today(),
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
        reg = get_object_or_404(pending, pk=_pk(post.get("registration")))
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
                    destination=post.get("destination", ""),
                    items=post.get("items", ""),
                    ground=post.get("ground", ""),
                    facts=post.get("facts", ""),
                    licence=licence,
                    today=t,
                )

            done = perform(request, suspend)
        else:
            hold = get_object_or_404(mine, pk=_pk(post.get("hold")))
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


# -- customs: checking an export declaration (Art. 21) -----------------------------------------


@require_roles(Role.CUSTOMS_OFFICER, *AUTHORITY_ROLES)
def declaration_check(request: HttpRequest, actor: Actor) -> HttpResponse:
    """One declaration (MRN) and its exporter as customs checks them: holds and write-offs under
    the MRN, and the exporter's licences, UGEA registrations, Art. 12(7) bar and ad hoc
    requirements."""
    t = today()
    raw_mrn = request.GET.get("mrn", "").strip()
    eori = request.GET.get("eori", "").strip().upper()
    context: dict[str, Any] = {"mrn_input": raw_mrn, "eori_input": eori, "searched": False}
    if raw_mrn or eori:
        context["searched"] = True
        exporter = None
        if raw_mrn:
            try:
                mrn = parse_mrn(raw_mrn, catalogue=catalogue_on(t))
            except InputError as exc:
                context["mrn_error"] = str(exc)
            else:
                entries = list(lic.declaration_entries(mrn))
                holds_on = list(lic.visible_holds(actor).filter(declaration_ref=mrn))
                context.update(
                    mrn=mrn,
                    entries=entries,
                    holds=[{"hold": h, "status": h.status(t)} for h in holds_on],
                    blocking=lic.declaration_holds(mrn, t),
                )
                known = [e.item.licence.exporter for e in entries] + [h.exporter for h in holds_on]
                exporter = known[0] if known else None
        if eori:
            exporter = Organisation.objects.filter(kind="exporter", eori=eori).first()
            if exporter is None:
                context["eori_error"] = _("No exporter with EORI %(eori)s.") % {"eori": eori}
        if exporter is not None:
            context["exporter"] = exporter
            context["panel"] = lic.exporter_panel(exporter, t)
    context["grounds"] = HOLD_GROUNDS
    return render(request, "licences/declaration.html", context)
