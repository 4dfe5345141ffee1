# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Application pages: the exporter's application and the authority's case, queue and audit view."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualuse.errors import InputError
from dualuse.service.audit.models import AuditEvent
from dualuse.service.cases import determination
from dualuse.service.cases import operations as ops
from dualuse.service.cases.models import (
    KIND_CHOICES,
    AdviceRecommendation,
    Application,
    Consideration,
    ConsultationReply,
    DocumentKind,
    Finding,
    PartyRole,
)
from dualuse.service.cases.workflow import State, submission_problems
from dualuse.service.checks.determine import visible_checks
from dualuse.service.denials import operations as denials
from dualuse.service.denials.models import ConsultedReply, Denial
from dualuse.service.lawdata import catalogue_on
from dualuse.service.organisations.access import Actor, require_roles
from dualuse.service.organisations.roles import AUTHORITY_ROLES, EXPORTER_ROLES, Role
from dualuse.service.web.countries import resolve_country
from dualuse.service.web.helpers import (
    decimal_field,
    int_field,
    perform,
    pk_field,
    today,
)

OPEN_STATES = [
    State.SUBMITTED,
    State.IN_ASSESSMENT,
    State.AWAITING_INFORMATION,
    State.AWAITING_ADVICE,
    State.DECISION_DRAFTED,
]


# -- exporter ------------------------------------------------------------------------------


def _upload(request: HttpRequest) -> Any:
    if "file" not in request.FILES:
        raise InputError("choose a file to upload", field="file")
    return request.FILES["file"]


def _item_fields(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    return {
        "control_code": post.get("control_code", ""),
        "description": post.get("description", ""),
        "quantity": decimal_field(request, "quantity"),
        "unit": post.get("unit", ""),
        "value_eur": decimal_field(request, "value_eur"),
        "cn_code": post.get("cn_code", "").strip(),
        "cyber_surveillance": post.get("cyber_surveillance") == "on",
        "national_measure": post.get("national_measure", ""),
    }


def _party_fields(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    return {
        "role": post.get("role", ""),
        "name": post.get("name", ""),
        "country": post.get("country", ""),
        "address": post.get("address", ""),
    }


def _facts_fields(request: HttpRequest) -> dict[str, Any]:
    """The transaction's facts from the application form, in the engine's words."""
    post = request.POST
    facts: dict[str, Any] = {k: post.getlist(k) for k in ("informed_of", "aware_of",
                                                           "circumstances")}
    for key in ("origin", "purchasing_country"):
        if post.get(key, "").strip():
            facts[key] = resolve_country(post[key], field=key)
    return facts


def _measures(actor: Actor) -> list[tuple[str, str]]:
    return [
        (m.id, f"{m.id}: {m.citation.instrument_title or m.citation.instrument}")
        for m in catalogue_on(today()).national_measures(actor.organisation.member_state)
    ]


@require_roles(*EXPORTER_ROLES)
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    check = None
    check_id = request.GET.get("check") or request.POST.get("check")
    if check_id and str(check_id).isdigit():
        check = get_object_or_404(visible_checks(actor), pk=int(check_id))
    if request.method == "POST":
        app = perform(
            request,
            lambda: ops.create_application(
                actor,
                kind=request.POST.get("kind", ""),
                destinations=[request.POST.get("destinations", "")],
                end_use=request.POST.get("end_use", ""),
                located_in_member_states=[request.POST.get("located_in", "")],
                items_location=request.POST.get("items_location", ""),
                project_duration_months=int_field(request, "project_duration_months"),
                check=check,
                today=today(),
            ),
        )
        if app is not None:
            messages.success(
                request, _("Draft application %(ref)s created.") % {"ref": app.reference}
            )
            return redirect("application", pk=app.pk)
    initial_dest: list[str] = []
    if check is not None:
        initial_dest = check.destinations
    return render(
        request,
        "cases/application_new.html",
        {
            "kinds": KIND_CHOICES,
            "check": check,
            "initial_destination": initial_dest,
        },
    )


@require_roles(*EXPORTER_ROLES)
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    app = get_object_or_404(ops.visible_applications(actor), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        t = today()
        post = request.POST
        handlers: dict[str, Any] = {
            "add_party": lambda: ops.add_party(actor, app, **_party_fields(request), today=t),
            "update_party": lambda: ops.update_party(
                actor,
                app,
                get_object_or_404(app.parties, pk=pk_field(post, "party")),
                **_party_fields(request),
                today=t,
            ),
            "remove_party": lambda: ops.remove_party(
                actor, app, get_object_or_404(app.parties, pk=pk_field(post, "party")), today=t
            )
            or True,
            "add_item": lambda: ops.add_item(actor, app, **_item_fields(request), today=t),
            "update_item": lambda: ops.update_item(
                actor,
                app,
                get_object_or_404(app.items, pk=pk_field(post, "item")),
                **_item_fields(request),
                today=t,
            ),
            "remove_item": lambda: ops.remove_item(
                actor, app, get_object_or_404(app.items, pk=pk_field(post, "item")), today=t
            )
            or True,
            "update": lambda: ops.update_application(
                actor,
                app,
                destinations=[post.get("destinations", "")],
                end_use=post.get("end_use", ""),
                located_in_member_states=[post.get("located_in", "")],
                items_location=post.get("items_location", ""),
                project_duration_months=int_field(request, "project_duration_months"),
                facts=_facts_fields(request),
                today=t,
            ),
            "add_document": lambda: ops.add_document(
                actor, app, kind=post.get("kind", ""), upload=_upload(request)
            ),
            "remove_document": lambda: ops.remove_document(
                actor, app, get_object_or_404(app.documents, pk=pk_field(post, "document"))
            )
            or True,
            "submit": lambda: ops.submit(actor, app, today=t),
            "withdraw": lambda: ops.withdraw(actor, app),
            "answer": lambda: ops.answer_information(
                actor,
                app,
                get_object_or_404(app.information_requests, pk=pk_field(post, "request")),
                answer=post.get("answer", ""),
            ),
        }
        handler = handlers.get(action or "")
        if handler is None:
            messages.error(request, _("Unknown action."))
        else:
            if perform(request, handler) is not None:
                messages.success(request, _("Saved."))
        return redirect("application", pk=app.pk)
    t = today()
    det = determination.current(actor, app, today=t)
    draft = app.state == State.DRAFT
    rfi = app.state == State.AWAITING_INFORMATION
    return render(
        request,
        "cases/application.html",
        {
            "app": app,
            "det": det,
            "party_roles": PartyRole.choices,
            "document_kinds": DocumentKind.choices,
            "problems": submission_problems(ops.facts_of(app, t)) if draft else [],
            "requests": app.information_requests.all(),
            "decision": app.drafts.filter(approved_at__isnull=False).last(),
            "clock": app.clock_reading(t),
            "parties_editable": draft or rfi,
            "items_editable": draft,
            "documents_editable": draft,
            "can_upload": draft or rfi,
            "measures": _measures(actor),
            "facts_form": _facts_form(app),
        },
    )


def _facts_form(app: Application) -> dict[str, Any]:
    from dualuse.service.checks.views import CIRCUMSTANCE_LABELS, END_USE_LABELS

    facts = app.facts or {}
    return {
        "end_uses": list(END_USE_LABELS.items()),
        "circumstances": list(CIRCUMSTANCE_LABELS.items()),
        "informed_of": facts.get("informed_of", []),
        "aware_of": facts.get("aware_of", []),
        "chosen_circumstances": facts.get("circumstances", []),
        "origin": facts.get("origin", ""),
        "purchasing_country": facts.get("purchasing_country", ""),
    }


# -- authority -----------------------------------------------------------------------------


@require_roles(*AUTHORITY_ROLES)
def queue(request: HttpRequest, actor: Actor) -> HttpResponse:
    cases = ops.visible_applications(actor).filter(state__in=OPEN_STATES).order_by("submitted_on")
    t = today()
    rows = [{"app": a, "clock": a.clock_reading(t)} for a in cases]
    return render(
        request,
        "cases/queue.html",
        {
            "unassigned": [r for r in rows if r["app"].assigned_to_id is None],
            "mine": [r for r in rows if r["app"].assigned_to_id == actor.user.pk],
            "to_approve": [r for r in rows if r["app"].state == State.DECISION_DRAFTED],
            "all_open": rows,
        },
    )


def _authority_action(request: HttpRequest, actor: Actor, app: Application) -> None:
    post = request.POST
    t = today()
    action = post.get("action", "")
    handlers: dict[str, Any] = {
        "assign_me": lambda: ops.assign(actor, app, actor.user),
        "assign": lambda: ops.assign(
            actor, app, get_object_or_404(get_user_model(), pk=pk_field(post, "assignee"))
        ),
        "request_information": lambda: ops.request_information(
            actor, app, question=post.get("question", "")
        ),
        "request_advice": lambda: ops.request_advice(actor, app, question=post.get("question", "")),
        "assess": lambda: ops.assess(
            actor,
            app,
            consideration=post.get("consideration", ""),
            finding=post.get("finding", ""),
            note=post.get("note", ""),
        ),
        "draft": lambda: ops.draft_decision(
            actor,
            app,
            kind=post.get("kind", ""),
            reasons=post.get("reasons", ""),
            conditions=post.get("conditions", ""),
            validity_months=int_field(request, "validity_months"),
            today=t,
        ),
        "approve": lambda: ops.approve_draft(actor, app, today=t),
        "return": lambda: ops.return_draft(actor, app, note=post.get("note", "")),
        "rescreen": lambda: ops.rescreen(actor, app, today=t),
        "consultation": lambda: ops.record_consultation(
            actor,
            app,
            get_object_or_404(app.consultations, pk=pk_field(post, "consultation")),
            reply=post.get("reply", ""),
            note=post.get("note", ""),
            extend_to_working_days=int_field(request, "extend_to"),
            today=t,
        ),
        "denial_not_identical": lambda: denials.find_not_identical(
            actor, app, get_object_or_404(Denial, pk=pk_field(post, "denial")),
            note=post.get("note", ""),
        ),
        "denial_consult": lambda: denials.consult(
            actor, app, get_object_or_404(Denial, pk=pk_field(post, "denial")), today=t
        ),
        "denial_reply": lambda: denials.record_reply(
            actor,
            get_object_or_404(app.denial_examinations, pk=pk_field(post, "examination")),
            reply=post.get("reply", ""),
            note=post.get("note", ""),
            extend_to_working_days=int_field(request, "extend_to"),
            today=t,
        ),
        "review_match": lambda: ops.review_match(
            actor,
            app,
            get_object_or_404(app.parties, pk=pk_field(post, "party")),
            conclusion=post.get("conclusion", ""),
            note=post.get("note", ""),
        ),
    }
    handler = handlers.get(action)
    if handler is None:
        messages.error(request, _("Unknown action."))
    elif perform(request, handler) is not None:
        messages.success(request, _("Saved."))


@require_roles(*AUTHORITY_ROLES)
@require_http_methods(["GET", "POST"])
def case(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    app = get_object_or_404(ops.visible_applications(actor), pk=pk)
    if request.method == "POST":
        _authority_action(request, actor, app)
        return redirect("case", pk=app.pk)
    t = today()
    det = determination.current(actor, app, today=t)
    done = {e.consideration: e for e in app.checklist.all()}
    checklist = [
        {"key": key, "label": label, "entry": done.get(key)}
        for key, label in Consideration.choices
        if key in ops.required_considerations(app)
    ]
    staff = get_user_model().objects.filter(membership__role__in=list(AUTHORITY_ROLES))
    return render(
        request,
        "cases/case.html",
        {
            "app": app,
            "det": det,
            "history": app.determinations.all()[:50],
            "clock": app.clock_reading(t),
            "checklist": checklist,
            "findings": Finding.choices,
            "blockers": ops.decision_blockers(app, t) if app.state == State.IN_ASSESSMENT else [],
            "draft": app.drafts.filter(approved_at__isnull=True, returned_at__isnull=True).last(),
            "staff": staff,
            "is_senior": actor.role == Role.SENIOR_CASEWORKER,
            "events": AuditEvent.objects.filter(case_ref=app.audit_ref)[:200],
            "recommendations": AdviceRecommendation.choices,
            "consultation_replies": ConsultationReply.choices,
            "today": t,
            "denial_candidates": denials.candidates(app),
            "own_denials": [(d, denials.review_due(d)) for d in app.denials.all()],
            "denial_replies": ConsultedReply.choices,
        },
    )


@require_roles(*AUTHORITY_ROLES, *EXPORTER_ROLES)
def case_audit(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    app = get_object_or_404(ops.visible_applications(actor), pk=pk)
    events = AuditEvent.objects.filter(case_ref=app.audit_ref).select_related("actor")
    return render(request, "cases/audit.html", {"app": app, "events": events})


@require_roles(*AUTHORITY_ROLES, *EXPORTER_ROLES, Role.FOREIGN_AFFAIRS_ADVISER)
def document(request: HttpRequest, actor: Actor, pk: int, doc: int) -> HttpResponse:
    """An uploaded document, to whoever may see its application; served as an attachment with
    the content type checked at upload."""
    app = get_object_or_404(ops.visible_applications(actor), pk=pk)
    d = get_object_or_404(app.documents, pk=doc)
    return FileResponse(
        d.file.open("rb"), as_attachment=True, filename=d.original_name, content_type=d.content_type
    )


# -- Foreign Affairs -----------------------------------------------------------------------


@require_roles(Role.FOREIGN_AFFAIRS_ADVISER)
def advice_queue(request: HttpRequest, actor: Actor) -> HttpResponse:
    apps = ops.visible_applications(actor).filter(state=State.AWAITING_ADVICE)
    done = ops.visible_applications(actor).exclude(state=State.AWAITING_ADVICE)[:50]
    return render(request, "cases/advice_queue.html", {"open": apps, "done": done})


@require_roles(Role.FOREIGN_AFFAIRS_ADVISER)
@require_http_methods(["GET", "POST"])
def advice(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    app = get_object_or_404(ops.visible_applications(actor), pk=pk)
    pending = app.advice_requests.filter(given_at__isnull=True).last()
    if request.method == "POST" and pending is not None:
        done = perform(
            request,
            ops.give_advice,
            actor,
            app,
            pending,
            recommendation=request.POST.get("recommendation", ""),
            advice=request.POST.get("advice", ""),
        )
        if done is not None:
            messages.success(request, _("Advice given."))
            return redirect("advice_queue")
        return redirect("advice", pk=app.pk)
    return render(
        request,
        "cases/advice.html",
        {
            "app": app,
            "det": determination.current(actor, app, today=today()),
            "pending": pending,
            "recommendations": AdviceRecommendation.choices,
        },
    )
