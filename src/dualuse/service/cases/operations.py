# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""What exporters and the authority do to an application: each operation checks the actor's role
and organisation, fires the type's state machine, changes the data and appends an audit event, all
in one transaction. Views and API endpoints call these and nothing else to change a case."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dualuse.errors import InputError
from dualuse.service.audit.chain import record
from dualuse.service.cases import screening_gate
from dualuse.service.cases.clock import (
    CONSULTATION_WORKING_DAYS,
    add_working_days,
    extended_consultation_deadline,
)
from dualuse.service.cases.models import (
    AdviceRecommendation,
    AdviceRequest,
    Application,
    ChecklistEntry,
    Consideration,
    Consultation,
    ConsultationReply,
    DecisionKind,
    Document,
    DocumentKind,
    DraftDecision,
    Finding,
    InformationRequest,
    Item,
    Party,
    PartyRole,
)
from dualuse.service.cases.workflow import (
    FINAL_STATES,
    WORKFLOWS,
    ApplicationFacts,
    Event,
    IllegalTransitionError,
    Kind,
    State,
    advice_required,
    submission_problems,
)
from dualuse.service.checks.models import ScreeningStatus
from dualuse.service.lawdata import catalogue_on, is_member_state
from dualuse.service.organisations.access import Actor, check_role
from dualuse.service.organisations.roles import AUTHORITY_ROLES, EXPORTER_ROLES, Role

ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
}


# -- who may see what ------------------------------------------------------------------------


def visible_applications(actor: Actor) -> QuerySet[Application]:
    """Exporters see their own organisation's; the authority sees all; Foreign Affairs sees the
    cases it was asked to advise on; everyone else sees none."""
    qs = Application.objects.select_related("exporter", "assigned_to")
    if actor.role in EXPORTER_ROLES:
        return qs.filter(exporter=actor.organisation)
    if actor.role in AUTHORITY_ROLES:
        return qs.exclude(state=State.DRAFT)
    if actor.role == Role.FOREIGN_AFFAIRS_ADVISER:
        return qs.filter(advice_requests__isnull=False).distinct()
    return qs.none()


def _snapshot(app: Application) -> dict[str, Any]:
    return {"state": app.state, "assigned_to": app.assigned_to_id}


def _own(actor: Actor, app: Application) -> None:
    check_role(actor, EXPORTER_ROLES)
    if app.exporter_id != actor.organisation.pk:
        raise IllegalTransitionError("this application belongs to another exporter", field="id")


def _fire(
    actor: Actor,
    app: Application,
    event: Event,
    change: Callable[[], None] | None = None,
    **details: Any,
) -> None:
    """Move the case by `event`; `change` makes the rest of the change, after the audit's
    "before" is taken (so before and after differ by exactly what was done)."""
    before = _snapshot(app)
    app.state = app.workflow.next_state(State(app.state), event)
    if change is not None:
        change()
    app.save()
    record(
        actor=actor,
        action=f"application.{event}",
        obj=app,
        case_ref=app.audit_ref,
        before=before,
        after={**_snapshot(app), **details},
    )


def assign_reference(obj: Any, field: str, prefix: str, year: int) -> None:
    """Number a new row from its primary key: unique without a race between concurrent requests
    (numbers are increasing, not necessarily consecutive within a year)."""
    setattr(obj, field, f"{prefix}-{year}-{obj.pk:06d}")
    obj.save(update_fields=[field])


def provisional_reference() -> str:
    return f"new-{uuid.uuid4().hex[:16]}"


# -- exporter side ---------------------------------------------------------------------------


def _countries(codes: Iterable[str], field: str, today: dt.date) -> list[str]:
    cat = catalogue_on(today)
    out = []
    for code in codes:
        iso2 = code.strip().upper()
        if not iso2:
            continue
        cat.country(iso2)  # UnknownCountryError names the code
        out.append(iso2)
    if not out and field == "destinations":
        raise InputError("at least one country of destination", field=field)
    return out


@transaction.atomic
def create_application(
    actor: Actor,
    *,
    kind: str,
    destinations: Iterable[str],
    end_use: str,
    today: dt.date,
    located_in_member_states: Iterable[str] = (),
    items_location: str = "",
    project_duration_months: int | None = None,
    end_use_statement_exempted: bool = False,
    check: Any = None,
) -> Application:
    check_role(actor, EXPORTER_ROLES)
    try:
        kind = Kind(kind).value
    except ValueError:
        raise InputError(f"unknown application type {kind!r}", field="kind") from None
    if check is not None and check.exporter_id != actor.organisation.pk:
        raise InputError("that check belongs to another exporter", field="check")
    located = _countries(located_in_member_states, "located_in_member_states", today)
    for iso2 in located:
        if not is_member_state(iso2, today):
            raise InputError(f"{iso2} is not a member state (Art. 14(1))", field="located_in")
    app = Application.objects.create(
        reference=provisional_reference(),
        kind=kind,
        exporter=actor.organisation,
        created_by=actor.user,
        destinations=_countries(destinations, "destinations", today),
        end_use=end_use,
        located_in_member_states=located,
        items_location=items_location,
        project_duration_months=project_duration_months,
        end_use_statement_exempted=end_use_statement_exempted,
        check_ref=check,
    )
    assign_reference(app, "reference", "DU", today.year)
    record(
        actor=actor,
        action="application.create",
        obj=app,
        case_ref=app.audit_ref,
        after={
            "reference": app.reference,
            "kind": kind,
            "state": app.state,
            "destinations": app.destinations,
        },
    )
    if check is not None:
        # The parties screened in the check carry over; items need quantities and values.
        for party in check.screening:
            if party.get("role") in PartyRole.values and party.get("name"):
                add_party(
                    actor,
                    app,
                    role=party["role"],
                    name=party["name"],
                    country=party.get("country", ""),
                    today=today,
                )
    return app


def _editable(actor: Actor, app: Application) -> None:
    _own(actor, app)
    if app.state != State.DRAFT:
        raise IllegalTransitionError("only a draft application can be changed", field="state")


@transaction.atomic
def add_party(
    actor: Actor,
    app: Application,
    *,
    role: str,
    name: str,
    country: str,
    address: str = "",
    today: dt.date,
) -> Party:
    _editable(actor, app)
    if role not in PartyRole.values:
        raise InputError(f"unknown party role {role!r}", field="role")
    if not name.strip():
        raise InputError("a party needs a name", field="name")
    (iso2,) = _countries([country], "country", today)
    party = Party.objects.create(
        application=app, role=role, name=name.strip(), address=address, country=iso2
    )
    record(
        actor=actor,
        action="party.add",
        obj=party,
        case_ref=app.audit_ref,
        after={"role": role, "name": party.name, "country": iso2},
    )
    return party


@transaction.atomic
def add_item(
    actor: Actor,
    app: Application,
    *,
    control_code: str,
    description: str,
    quantity: Decimal,
    unit: str,
    value_eur: Decimal,
    cn_code: str = "",
    today: dt.date,
) -> Item:
    _editable(actor, app)
    code = control_code.strip()
    if code:
        cat = catalogue_on(today)
        cat.entry(code)  # UnknownCodeError with suggestions
    if quantity <= 0:
        raise InputError("quantity must be positive", field="quantity")
    if value_eur < 0:
        raise InputError("value must not be negative", field="value_eur")
    if not description.strip() or not unit.strip():
        raise InputError("an item needs a description and a unit", field="description")
    if cn_code and not (cn_code.isdigit() and len(cn_code) in (8, 10)):
        raise InputError("a CN code has 8 digits (10 with TARIC)", field="cn_code")
    item = Item.objects.create(
        application=app,
        control_code=code,
        description=description.strip(),
        quantity=quantity,
        unit=unit.strip(),
        value_eur=value_eur,
        cn_code=cn_code,
    )
    record(
        actor=actor,
        action="item.add",
        obj=item,
        case_ref=app.audit_ref,
        after={
            "control_code": code,
            "quantity": quantity,
            "unit": item.unit,
            "value_eur": value_eur,
        },
    )
    return item


@transaction.atomic
def add_document(actor: Actor, app: Application, *, kind: str, upload: UploadedFile) -> Document:
    _editable(actor, app)
    if kind not in DocumentKind.values:
        raise InputError(f"unknown document kind {kind!r}", field="kind")
    size = upload.size or 0
    if size == 0 or size > settings.DOCUMENT_MAX_BYTES:
        raise InputError(
            f"a document must be 1 byte to {settings.DOCUMENT_MAX_BYTES // (1024 * 1024)} MB",
            field="file",
        )
    head = upload.read(16)
    upload.seek(0)
    content_type = next(
        (ct for ct, magic in ALLOWED_DOCUMENT_TYPES.items() if head.startswith(magic)), None
    )
    if content_type is None:
        raise InputError("documents must be PDF, PNG or JPEG", field="file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    doc = Document.objects.create(
        application=app,
        kind=kind,
        file=upload,
        original_name=(upload.name or "upload")[:255],
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor.user,
    )
    record(
        actor=actor,
        action="document.add",
        obj=doc,
        case_ref=app.audit_ref,
        after={"kind": kind, "name": doc.original_name, "sha256": doc.sha256, "size": size},
    )
    return doc


def facts_of(app: Application, today: dt.date) -> ApplicationFacts:
    cat = catalogue_on(today)
    codes = [i.control_code for i in app.items.all()]
    kinds = set(app.documents.values_list("kind", flat=True))
    eu = frozenset(c.iso2 for c in cat.countries() if c.eu_member_state)
    return ApplicationFacts(
        kind=Kind(app.kind),
        items=len(codes),
        end_users=app.parties.filter(role=PartyRole.END_USER).count(),
        destinations=frozenset(app.destinations),
        eu_member_states=eu,
        has_end_use_statement=DocumentKind.END_USE_STATEMENT in kinds,
        end_use_statement_exempted=app.end_use_statement_exempted,
        has_icp_evidence=DocumentKind.ICP_EVIDENCE in kinds or app.exporter.icp_status != "none",
        items_located=bool(app.items_location.strip()),
        end_user_location=app.parties.filter(role=PartyRole.END_USER).exclude(address="").exists(),
        annex_iv_items=sum(1 for c in codes if c and cat.annex_iv(c) is not None),
    )


@transaction.atomic
def submit(actor: Actor, app: Application, *, today: dt.date) -> Application:
    """Submit: every party is screened now; screening that cannot run blocks the case."""
    _own(actor, app)
    problems = submission_problems(facts_of(app, today))
    if problems:
        raise IllegalTransitionError("cannot submit: " + "; ".join(problems), field="application")
    screening_gate.screen_parties(app, today)
    app.submitted_on = today
    if app.check_ref is None:
        app.check_ref = determine_application(actor, app, today)
    _fire(actor, app, Event.SUBMIT, submitted_on=today)
    for member_state in consultation_needed(app, today):
        c = Consultation.objects.create(
            application=app,
            member_state=member_state,
            requested_on=today,
            deadline=add_working_days(today, CONSULTATION_WORKING_DAYS),
        )
        record(
            actor=actor,
            action="consultation.request",
            obj=c,
            case_ref=app.audit_ref,
            after={
                "member_state": member_state,
                "deadline": c.deadline,
                "basis": "Regulation (EU) 2021/821, Art. 14(1)",
            },
        )
    return app


ACTIVITY = {
    Kind.INDIVIDUAL: "export",
    Kind.GLOBAL: "export",
    Kind.LARGE_PROJECT: "export",
    Kind.BROKERING: "brokering",
    Kind.TECHNICAL_ASSISTANCE: "technical_assistance",
    Kind.INTRA_EU_TRANSFER: "transfer",
}


def determine_application(actor: Actor, app: Application, today: dt.date) -> Any:
    """An application submitted without a check gets one, so every case shows the engine's
    determination (one per destination, the most severe as the case's outcome) next to the
    screening of its parties."""
    from dualuse.service.checks.determine import run_check  # checks -> licences -> cases

    data = {
        "activity": ACTIVITY[Kind(app.kind)],
        "destinations": list(app.destinations),
        "items": [
            {"control_code": i.control_code or None, "description": i.description}
            for i in app.items.all()
        ],
    }
    parties = [{"role": p.role, "name": p.name, "country": p.country} for p in app.parties.all()]
    return run_check(actor, data, parties, today=today)


def consultation_needed(app: Application, today: dt.date) -> list[str]:
    """Art. 14(1): items located in other member states, for an individual export authorisation
    to a destination outside Annex II Section A Part 2 (EU001), or any destination for Annex IV
    items: those member states are consulted."""
    if app.kind != Kind.INDIVIDUAL or not app.located_in_member_states:
        return []
    cat = catalogue_on(today)
    eu001 = cat.ugea("EU001").destinations
    annex_iv = any(
        i.control_code and cat.annex_iv(i.control_code) is not None for i in app.items.all()
    )
    if not annex_iv and set(app.destinations) <= set(eu001):
        return []
    own = app.exporter.member_state
    return sorted({ms for ms in app.located_in_member_states if ms != own})


@transaction.atomic
def record_consultation(
    actor: Actor,
    app: Application,
    consultation: Consultation,
    *,
    reply: str = "",
    note: str = "",
    extend_to_working_days: int | None = None,
    today: dt.date,
) -> Consultation:
    """Record a member state's reply, or its request to extend the period (at most 30 days)."""
    check_role(actor, AUTHORITY_ROLES)
    if consultation.application_id != app.pk or consultation.reply:
        raise IllegalTransitionError("no open consultation to record", field="consultation")
    before = {"deadline": consultation.deadline, "reply": consultation.reply}
    if extend_to_working_days is not None:
        consultation.deadline = extended_consultation_deadline(
            consultation.requested_on, extend_to_working_days, "Art. 14(1)"
        )
    else:
        if reply not in ConsultationReply.values:
            raise InputError("the reply is no_objection or objection", field="reply")
        consultation.reply, consultation.replied_on, consultation.note = reply, today, note
    consultation.save()
    record(
        actor=actor,
        action="consultation.record",
        obj=consultation,
        case_ref=app.audit_ref,
        before=before,
        after={"deadline": consultation.deadline, "reply": consultation.reply, "note": note},
    )
    return consultation


@transaction.atomic
def withdraw(actor: Actor, app: Application) -> Application:
    _own(actor, app)
    _fire(actor, app, Event.WITHDRAW)
    return app


@transaction.atomic
def answer_information(
    actor: Actor, app: Application, request: InformationRequest, *, answer: str
) -> InformationRequest:
    _own(actor, app)
    if request.application_id != app.pk or request.answered_at is not None:
        raise IllegalTransitionError("no open request for information", field="request")
    if not answer.strip():
        raise InputError("an answer is needed", field="answer")
    request.answer, request.answered_by, request.answered_at = answer, actor.user, timezone.now()
    request.save()
    _fire(actor, app, Event.ANSWER_INFORMATION, request=request.pk)
    return request


# -- authority side --------------------------------------------------------------------------


@transaction.atomic
def assign(actor: Actor, app: Application, assignee: Any) -> Application:
    check_role(actor, AUTHORITY_ROLES)
    membership = getattr(assignee, "membership", None)
    if membership is None or membership.role not in AUTHORITY_ROLES:
        raise InputError("cases are assigned to caseworkers", field="assignee")
    def reassign() -> None:
        app.assigned_to = assignee

    _fire(actor, app, Event.ASSIGN, reassign, assignee=assignee.get_username())
    return app


@transaction.atomic
def request_information(actor: Actor, app: Application, *, question: str) -> InformationRequest:
    check_role(actor, AUTHORITY_ROLES)
    if not question.strip():
        raise InputError("a question is needed", field="question")
    _fire(actor, app, Event.REQUEST_INFORMATION, question=question)
    return InformationRequest.objects.create(
        application=app, question=question, asked_by=actor.user
    )


@transaction.atomic
def request_advice(actor: Actor, app: Application, *, question: str) -> AdviceRequest:
    check_role(actor, AUTHORITY_ROLES)
    if not question.strip():
        raise InputError("a question is needed", field="question")
    _fire(actor, app, Event.REQUEST_ADVICE, question=question)
    return AdviceRequest.objects.create(application=app, question=question, requested_by=actor.user)


@transaction.atomic
def give_advice(
    actor: Actor, app: Application, request: AdviceRequest, *, recommendation: str, advice: str
) -> AdviceRequest:
    check_role(actor, [Role.FOREIGN_AFFAIRS_ADVISER])
    if request.application_id != app.pk or request.given_at is not None:
        raise IllegalTransitionError("no open advice request", field="request")
    if recommendation not in AdviceRecommendation.values or not advice.strip():
        raise InputError("a recommendation and reasons are needed", field="recommendation")
    request.recommendation, request.advice = recommendation, advice
    request.given_by, request.given_at = actor.user, timezone.now()
    request.save()
    _fire(actor, app, Event.GIVE_ADVICE, recommendation=recommendation)
    return request


def required_considerations(app: Application) -> list[str]:
    base = [
        Consideration.INTERNATIONAL_OBLIGATIONS,
        Consideration.SANCTIONS,
        Consideration.FOREIGN_POLICY,
        Consideration.END_USE,
    ]
    if app.kind == Kind.GLOBAL:
        base.append(Consideration.ICP)
    return [str(c) for c in base]


@transaction.atomic
def assess(
    actor: Actor, app: Application, *, consideration: str, finding: str, note: str
) -> ChecklistEntry:
    check_role(actor, AUTHORITY_ROLES)
    if app.state != State.IN_ASSESSMENT:
        raise IllegalTransitionError("the checklist is filled in during assessment", field="state")
    if consideration not in required_considerations(app):
        raise InputError(f"{consideration!r} is not a consideration here", field="consideration")
    if finding not in Finding.values or not note.strip():
        raise InputError("a finding and a note are needed", field="finding")
    before = ChecklistEntry.objects.filter(application=app, consideration=consideration).first()
    entry, _ = ChecklistEntry.objects.update_or_create(
        application=app,
        consideration=consideration,
        defaults={
            "finding": finding,
            "note": note,
            "assessed_by": actor.user,
            "assessed_at": timezone.now(),
        },
    )
    record(
        actor=actor,
        action="checklist.assess",
        obj=entry,
        case_ref=app.audit_ref,
        before={"finding": before.finding, "note": before.note} if before else None,
        after={"consideration": consideration, "finding": finding, "note": note},
    )
    return entry


def decision_blockers(app: Application, today: dt.date) -> list[str]:
    """Why a decision cannot be drafted yet."""
    blockers = []
    done = set(app.checklist.values_list("consideration", flat=True))
    missing = [c for c in required_considerations(app) if c not in done]
    if missing:
        blockers.append(f"Art. 15 considerations not assessed: {', '.join(missing)}")
    if app.screening_blocked:
        blockers.append("party screening could not run or has not run: the case is blocked")
    for party in app.parties.filter(screening_status=ScreeningStatus.POSSIBLE_MATCH):
        review = (party.screening or {}).get("review")
        if review is None:
            blockers.append(f"possible list match for {party.name} not yet reviewed")
        elif review["conclusion"] == "confirmed":
            blockers.append(f"{party.name} is a listed party (match confirmed)")
    for c in app.consultations.all():
        if c.reply == ConsultationReply.OBJECTION:
            blockers.append(f"{c.member_state} objects; the objection binds (Art. 14(1))")
        elif not c.reply and today <= c.deadline:
            blockers.append(
                f"consultation of {c.member_state} open until {c.deadline} (Art. 14(1))"
            )
    from dualuse.service.denials import operations as denials  # denials -> cases

    blockers += denials.blockers(app, today)
    cat = catalogue_on(today)
    eu = frozenset(c.iso2 for c in cat.countries() if c.eu_member_state)
    if advice_required(Kind(app.kind), frozenset(app.destinations), eu) and not (
        app.advice_requests.filter(given_at__isnull=False).exists()
    ):
        blockers.append("destination outside EU/NATO/CH/JP/AU/NZ: Foreign Affairs advice needed")
    return blockers


@transaction.atomic
def draft_decision(
    actor: Actor,
    app: Application,
    *,
    kind: str,
    reasons: str,
    conditions: str = "",
    validity_months: int | None = None,
    today: dt.date,
) -> DraftDecision:
    check_role(actor, AUTHORITY_ROLES)
    if kind not in DecisionKind.values:
        raise InputError(f"unknown decision {kind!r}", field="kind")
    if not reasons.strip():
        raise InputError("a decision states its reasons", field="reasons")
    if kind == str(DecisionKind.GRANT):
        blockers = decision_blockers(app, today)
        if blockers:
            raise IllegalTransitionError("cannot draft a grant: " + "; ".join(blockers))
        limit = WORKFLOWS[Kind(app.kind)].max_validity_months
        validity_months = validity_months or 24
        if not 1 <= validity_months <= limit:
            raise InputError(
                f"validity must be 1 to {limit} months for this type (Art. 12(3))",
                field="validity_months",
            )
    else:
        validity_months = None
    draft = DraftDecision.objects.create(
        application=app,
        kind=kind,
        reasons=reasons,
        conditions=conditions,
        validity_months=validity_months,
        drafted_by=actor.user,
    )
    _fire(actor, app, Event.DRAFT_DECISION, decision=kind, validity_months=validity_months)
    return draft


def open_draft(app: Application) -> DraftDecision:
    draft = app.drafts.filter(approved_at__isnull=True, returned_at__isnull=True).last()
    if draft is None:
        raise IllegalTransitionError("there is no draft decision to act on", field="draft")
    return draft


@transaction.atomic
def return_draft(actor: Actor, app: Application, *, note: str) -> DraftDecision:
    check_role(actor, [Role.SENIOR_CASEWORKER])
    draft = open_draft(app)
    if not note.strip():
        raise InputError("say why the draft goes back", field="note")
    draft.returned_note, draft.returned_at = note, timezone.now()
    draft.save()
    _fire(actor, app, Event.RETURN_DRAFT, note=note)
    return draft


@transaction.atomic
def approve_draft(actor: Actor, app: Application, *, today: dt.date) -> DraftDecision:
    """Four eyes: a senior other than the drafter approves; a grant issues the licence."""
    check_role(actor, [Role.SENIOR_CASEWORKER])
    draft = open_draft(app)
    if draft.drafted_by_id == actor.user.pk:
        raise IllegalTransitionError("four eyes: the drafter cannot approve their own decision")
    draft.approved_by, draft.approved_at = actor.user, timezone.now()
    draft.save()
    if draft.kind == str(DecisionKind.GRANT):
        _fire(actor, app, Event.APPROVE_GRANT, draft=draft.pk)
        from dualuse.service.licences.operations import issue_licence

        issue_licence(actor, app, draft, today=today)
    else:
        _fire(actor, app, Event.APPROVE_DENIAL, draft=draft.pk, reasons=draft.reasons)
        from dualuse.service.denials.operations import register_own_denial

        register_own_denial(actor, app, decision="refused", reasons=draft.reasons, today=today)
    return draft


@transaction.atomic
def review_match(
    actor: Actor, app: Application, party: Party, *, conclusion: str, note: str
) -> Party:
    """The caseworker's conclusion on a possible list match: discounted (another person or
    entity) or confirmed. A confirmed match bars a grant; an unreviewed one blocks it."""
    check_role(actor, AUTHORITY_ROLES)
    if party.application_id != app.pk or party.screening_status != ScreeningStatus.POSSIBLE_MATCH:
        raise InputError("only a possible match is reviewed", field="party")
    if conclusion not in {"discounted", "confirmed"} or not note.strip():
        raise InputError("conclude 'discounted' or 'confirmed' and say why", field="conclusion")
    before = (party.screening or {}).get("review")
    review = {
        "conclusion": conclusion,
        "note": note,
        "by": actor.user.get_username(),
        "at": timezone.now().isoformat(),
    }
    party.screening = {**(party.screening or {}), "review": review}
    party.save(update_fields=["screening"])
    record(
        actor=actor,
        action="party.review_match",
        obj=party,
        case_ref=app.audit_ref,
        before=before,
        after=review,
    )
    return party


@transaction.atomic
def rescreen(actor: Actor, app: Application, *, today: dt.date) -> Application:
    """Run party screening again (e.g. after it could not run): the authority's way to unblock."""
    check_role(actor, AUTHORITY_ROLES)
    if app.state in {State.DRAFT, *FINAL_STATES}:
        raise IllegalTransitionError("only an open case is screened again", field="state")
    before = {p.name: p.screening_status for p in app.parties.all()}
    screening_gate.screen_parties(app, today)
    after = {p.name: p.screening_status for p in app.parties.all()}
    record(
        actor=actor,
        action="application.rescreen",
        obj=app,
        case_ref=app.audit_ref,
        before=before,
        after=after,
    )
    return app
