# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""API endpoints: health, who am I, checks, applications, licences, requirements, notifications,
UGEA registrations (the exporter's, and the authority's acknowledgement under Annex II)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import ConfigDict

from dualuse import __version__
from dualuse.errors import DualuseError, InputError
from dualuse.service.api.contract import (
    ApplicationFactsIn,
    CountryCode,
    NationalMeasureId,
    Outcome,
    PartyIn,
    TransactionIn,
)
from dualuse.service.cases import determination
from dualuse.service.cases import operations as ops
from dualuse.service.cases.models import Application
from dualuse.service.cases.workflow import IllegalTransitionError, State
from dualuse.service.checks.determine import run_check, visible_checks
from dualuse.service.checks.notifications import submit_notification
from dualuse.service.lawdata import catalogue_on, data_version
from dualuse.service.licences import operations as lic
from dualuse.service.licences.models import Licence, LicenceItem, LicenceUse, UgeaRegistration
from dualuse.service.organisations.access import Actor, actor_of, check_role
from dualuse.service.organisations.models import ApiToken
from dualuse.service.organisations.roles import AUTHORITY_ROLES, EXPORTER_ROLES, Role


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        found = ApiToken.authenticate(token)
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return actor_of(found.user)


class SessionAuth(APIKeyCookie):
    """The browser session; ninja checks CSRF for unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        return actor_of(getattr(request, "user", None))


api = NinjaAPI(
    title="dualuse",
    version=__version__,
    description="Exporter portal and licensing authority API for Regulation (EU) 2021/821. "
    "Only the texts published in the Official Journal of the EU are authentic.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, exc: Exception, **extra: Any) -> HttpResponse:
    body: dict[str, Any] = {"detail": str(exc), **extra}
    if isinstance(exc, DualuseError):
        body.update({"field": exc.field, "provision": exc.provision})
    return api.create_response(request, body, status=status)


@api.exception_handler(IllegalTransitionError)
def _illegal(request: HttpRequest, exc: IllegalTransitionError) -> HttpResponse:
    return _error(request, 409, exc)


@api.exception_handler(DualuseError)
def _dualuse(request: HttpRequest, exc: DualuseError) -> HttpResponse:
    return _error(request, 400, exc)


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, exc)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "not found"}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "authentication required"}, status=401)


def _where(loc: Any) -> str:
    """A pydantic error location as the engine names fields: items[0].control_code."""
    parts = [str(p) for p in loc]
    while parts and parts[0] in ("body", "query", "path", "form", "file"):
        parts.pop(0)
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422: the request does not fit the schema; `field` names the first field at fault (an
    unknown one among them: misspelt fields are refused, never ignored)."""
    first = exc.errors[0] if exc.errors else {}
    where = _where(first.get("loc", ()))
    message = str(first.get("msg", "invalid"))
    if first.get("type") == "extra_forbidden":
        message = "unknown field"
    return api.create_response(
        request, {"detail": exc.errors, "field": where or None, "message": message}, status=422
    )


def actor(request: HttpRequest) -> Actor:
    found = getattr(request, "auth", None)
    if not isinstance(found, Actor):
        raise HttpError(403, "this account has no organisation or role")
    return found


# -- schemas -------------------------------------------------------------------------------


class HealthOut(Schema):
    status: str
    version: str
    data_version: str


class MeOut(Schema):
    username: str
    organisation: str
    role: str


class CheckOut(Schema):
    id: int
    created_at: dt.datetime
    as_of: dt.date
    outcome: str
    legal_bases: list[str]
    data_version: str
    rules_version: str
    screening_status: str
    screening: list[dict[str, Any]]
    determination: dict[str, Any]
    per_destination: list[dict[str, Any]]


class ItemIn(Schema):
    model_config = ConfigDict(extra="forbid")
    control_code: str = Field("", max_length=40, description="Annex I code; empty: not listed")
    description: str = Field(..., max_length=2000)
    quantity: Decimal
    unit: str = Field(..., max_length=20)
    value_eur: Decimal
    cn_code: str = Field("", max_length=10)
    cyber_surveillance: bool = False
    national_measure: NationalMeasureId | None = None

    def fields(self) -> dict[str, Any]:
        data = self.model_dump(mode="python")
        data["national_measure"] = data["national_measure"] or ""
        return data


class ApplicationChangeIn(Schema):
    """A draft's destinations, end-use, locations and the transaction's facts (the facts in the
    engine's words, as `dualuse check` takes them)."""

    model_config = ConfigDict(extra="forbid")
    destinations: list[CountryCode] = Field(..., min_length=1, max_length=50)
    end_use: str = Field(..., max_length=4000)
    located_in_member_states: list[CountryCode] = Field(default_factory=list, max_length=27)
    items_location: str = Field("", max_length=2000)
    project_duration_months: int | None = Field(None, ge=1, le=120)
    facts: ApplicationFactsIn | None = None


class ApplicationIn(ApplicationChangeIn):
    kind: str
    check_id: int | None = None
    parties: list[PartyIn] = Field(default_factory=list, max_length=50)
    items: list[ItemIn] = Field(default_factory=list, max_length=500)


class PartyOut(Schema):
    id: int
    role: str
    name: str
    country: str
    address: str
    screening_status: str


class ItemOut(Schema):
    id: int
    control_code: str
    description: str
    quantity: Decimal
    unit: str
    value_eur: Decimal
    cn_code: str
    cyber_surveillance: bool
    national_measure: str


class DocumentRowOut(Schema):
    id: int
    kind: str
    original_name: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class DestinationDeterminationOut(Schema):
    model_config = ConfigDict(extra="allow")
    destination: str
    outcome: Outcome
    legal_bases: list[str]
    determination: dict[str, Any] = Field(
        description="the engine's determination, as `dualuse check --format json` prints it"
    )
    ad_hoc: list[dict[str, Any]] = Field(
        default_factory=list,
        description="each ad hoc requirement imposed on the exporter: whether it binds, why, and "
        "any question it leaves open",
    )


class ApplicationDeterminationOut(Schema):
    """The application's own determination: computed from its items, parties, destinations and
    facts, again after every change, at submission, before a decision and when the law data or
    the lists changed since."""

    computed_at: dt.datetime
    reason: str
    as_of: dt.date
    outcome: Outcome | None = Field(description="null while it cannot be determined")
    incomplete: str = Field(description="why it cannot be determined yet; empty when it is")
    legal_bases: list[str]
    per_destination: list[DestinationDeterminationOut]
    data_version: str
    rules_version: str
    lists_version: str
    changes: list[dict[str, Any]] = Field(description="what changed since the one before")


class InformationRequestOut(Schema):
    id: int
    question: str
    asked_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None


class AnswerIn(Schema):
    request_id: int
    answer: str


class ApplicationOut(Schema):
    id: int
    reference: str
    kind: str
    state: str
    exporter: str
    destinations: list[str]
    end_use: str
    facts: dict[str, Any]
    submitted_on: dt.date | None
    screening_blocked: bool
    parties: list[PartyOut]
    items: list[ItemOut]
    documents: list[DocumentRowOut]
    information_requests: list[InformationRequestOut]
    licence: str | None
    determination: ApplicationDeterminationOut | None


class LicenceItemOut(Schema):
    id: int
    control_code: str
    description: str
    unit: str
    quantity: Decimal
    value_eur: Decimal
    quantity_remaining: Decimal
    value_remaining: Decimal


class UseOut(Schema):
    id: int
    item_id: int
    kind: str = Field(description="write_off, reversal (of `reverses`) or correction (replaces)")
    declaration_ref: str = Field(description="the export declaration's MRN")
    quantity: Decimal = Field(description="negative in a reversal")
    value_eur: Decimal
    exported_on: dt.date
    destination: str
    recorded_at: dt.datetime
    reverses: int | None
    replaces: int | None
    reasons: str


class LicenceOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    exporter: str
    destinations: list[str]
    end_users: list[str]
    conditions: str
    valid_from: dt.date
    valid_to: dt.date
    version: int
    language: str = Field(description="the language of the licence document (nl or en)")
    items: list[LicenceItemOut]
    ledger: list[UseOut] = Field(description="every write-off, reversal and correction")


class WriteOffOut(LicenceOut):
    write_off: UseOut = Field(description="the entry made, or the declaration's first write-off")
    repeated: bool = Field(
        description="true: this declaration was already written off against the item; nothing "
        "was depleted again (status 200 instead of 201)"
    )


class UseIn(Schema):
    item_id: int
    quantity: Decimal
    value_eur: Decimal
    exported_on: dt.date = Field(description="the day the export took place; not in the future")
    declaration_ref: str = Field(
        max_length=40,
        description="the export declaration's MRN (18 characters with a valid check digit); "
        "one write-off per declaration and item",
        examples=["26NL000000000001A2"],
    )
    destination: str


class CorrectionIn(Schema):
    reasons: str = Field(max_length=4000, description="required: why the write-off is corrected")
    quantity: Decimal | None = Field(
        default=None, description="the corrected quantity; omit both amounts to reverse only"
    )
    value_eur: Decimal | None = None


class RequirementOut(Schema):
    id: int
    basis: str
    control_codes: list[str]
    end_users: list[str]
    destinations: list[str]
    item_description: str
    reasons: str
    imposed_at: dt.datetime


class NotificationIn(Schema):
    kind: str
    items: str
    destination: str
    end_user: str = ""
    facts: str


class NotificationOut(Schema):
    id: int
    kind: str
    status: str
    submitted_at: dt.datetime


class UgeaRegistrationIn(Schema):
    ugea: str = Field(max_length=5, description="EU001 ... EU008")
    planned_first_export: dt.date | None = Field(
        default=None, description="EU007 and EU008: the first-use notice is due before this day"
    )


class FirstUseIn(Schema):
    first_export_on: dt.date


class RefusalIn(Schema):
    reasons: str = Field(max_length=4000, description="required: why it is refused")


class FirstUseOut(Schema):
    due: dt.date | None = Field(description="null while nothing is due yet")
    rule: str
    citation: str
    met: bool | None = Field(description="null while not yet notified and not yet due")


class UgeaRegistrationOut(Schema):
    id: int
    ugea: str
    status: str
    registered_at: dt.datetime
    acknowledgement_due: dt.date
    planned_first_export: dt.date | None
    first_export_on: dt.date | None
    first_use_notified_on: dt.date | None
    first_use: FirstUseOut
    decided_at: dt.datetime | None
    refusal_reasons: str


class PendingRegistrationOut(Schema):
    id: int
    ugea: str
    exporter: str
    exporter_eori: str
    registered_at: dt.datetime
    acknowledgement_due: dt.date
    acknowledgement_citation: str
    overdue: bool
    barred: bool = Field(description="an Art. 12(7) bar is in force: refuse, do not acknowledge")


class ErrorOut(Schema):
    detail: Any
    field: str | None = None
    provision: str | None = None


ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut
}


# -- serialisers ---------------------------------------------------------------------------


def _application_out(app: Application, determination: Any = None) -> dict[str, Any]:
    licence = Licence.objects.filter(application=app).values_list("number", flat=True).first()
    return {
        "id": app.pk,
        "reference": app.reference,
        "kind": app.kind,
        "state": app.state,
        "exporter": app.exporter.name,
        "destinations": app.destinations,
        "end_use": app.end_use,
        "facts": app.facts or {},
        "submitted_on": app.submitted_on,
        "screening_blocked": app.screening_blocked,
        "parties": list(
            app.parties.values("id", "role", "name", "country", "address", "screening_status")
        ),
        "items": list(
            app.items.values(
                "id", "control_code", "description", "quantity", "unit", "value_eur", "cn_code",
                "cyber_surveillance", "national_measure",
            )
        ),
        "documents": list(
            app.documents.values("id", "kind", "original_name", "size", "sha256", "uploaded_at")
        ),
        "information_requests": list(
            app.information_requests.values("id", "question", "asked_at", "answer", "answered_at")
        ),
        "licence": licence,
        "determination": _determination_out(
            app.determination if determination is None else determination
        ),
    }


def _determination_out(det: Any) -> dict[str, Any] | None:
    if det is None:
        return None
    return {
        "computed_at": det.computed_at,
        "reason": det.reason,
        "as_of": det.as_of,
        "outcome": det.outcome or None,
        "incomplete": det.incomplete,
        "legal_bases": det.legal_bases,
        "per_destination": det.per_destination,
        "data_version": det.data_version,
        "rules_version": det.rules_version,
        "lists_version": det.lists_version,
        "changes": det.changes,
    }


def _use_out(u: LicenceUse) -> dict[str, Any]:
    return {
        "id": u.pk,
        "item_id": u.item_id,
        "kind": u.kind,
        "declaration_ref": u.declaration_ref,
        "quantity": u.quantity,
        "value_eur": u.value_eur,
        "exported_on": u.exported_on,
        "destination": u.destination,
        "recorded_at": u.recorded_at,
        "reverses": u.reverses_id,
        "replaces": u.replaces_id,
        "reasons": u.reasons,
    }


def _licence_out(licence: Licence) -> dict[str, Any]:
    return {
        "id": licence.pk,
        "number": licence.number,
        "kind": licence.kind,
        "status": licence.status,
        "exporter": licence.exporter.name,
        "destinations": licence.destinations,
        "end_users": licence.end_users,
        "conditions": licence.conditions,
        "valid_from": licence.valid_from,
        "valid_to": licence.valid_to,
        "version": licence.version,
        "language": licence.language,
        "ledger": [
            _use_out(u) for u in LicenceUse.objects.filter(item__licence=licence).order_by("pk")
        ],
        "items": [
            {
                "id": i.pk,
                "control_code": i.control_code,
                "description": i.description,
                "unit": i.unit,
                "quantity": i.quantity,
                "value_eur": i.value_eur,
                "quantity_remaining": i.quantity_remaining,
                "value_remaining": i.value_remaining,
            }
            for i in licence.items.all()
        ],
    }


def _registration_out(reg: UgeaRegistration, today: dt.date) -> dict[str, Any]:
    deadline = reg.first_use(today)
    return {
        "id": reg.pk,
        "ugea": reg.ugea,
        "status": reg.status,
        "registered_at": reg.registered_at,
        "acknowledgement_due": lic.acknowledgement_deadline(reg),
        "planned_first_export": reg.planned_first_export,
        "first_export_on": reg.first_export_on,
        "first_use_notified_on": reg.first_use_notified_on,
        "first_use": {
            "due": deadline.due,
            "rule": deadline.rule,
            "citation": deadline.citation,
            "met": deadline.met,
        },
        "decided_at": reg.decided_at,
        "refusal_reasons": reg.refusal_reasons,
    }


def _today() -> dt.date:
    return timezone.localdate()


# -- endpoints -----------------------------------------------------------------------------


@api.get("/health", auth=None, response=HealthOut, tags=["service"])
def health(request: HttpRequest) -> dict[str, str]:
    """Liveness, with the versions a client may want to record."""
    return {"status": "ok", "version": __version__, "data_version": data_version()}


@api.get("/me", response={200: MeOut, **ERRORS}, tags=["service"])
def me(request: HttpRequest) -> dict[str, str]:
    a = actor(request)
    return {
        "username": a.user.get_username(),
        "organisation": a.organisation.name,
        "role": a.role.value,
    }


@api.post("/checks", response={201: CheckOut, **ERRORS}, tags=["exporter"])
def create_check(request: HttpRequest, body: TransactionIn) -> Status[Any]:
    """Determine a transaction with the engine and screen its parties; both are stored.

    The body is the transaction JSON of `dualuse check` (the same fields and vocabularies);
    your member state, any Art. 12(7) bar and the ad hoc requirements imposed on you are taken
    from your organisation. Unknown fields are refused (422, naming the field)."""
    check = run_check(actor(request), body.engine_data(), body.party_data(), today=_today())
    return Status(201, check)


@api.get("/checks/{check_id}", response={200: CheckOut, **ERRORS}, tags=["exporter"])
def get_check(request: HttpRequest, check_id: int) -> Any:
    return get_object_or_404(visible_checks(actor(request)), pk=check_id)


@api.get("/applications", response={200: list[ApplicationOut], **ERRORS}, tags=["cases"])
def list_applications(request: HttpRequest, state: str | None = None) -> list[dict[str, Any]]:
    a = check_role(
        actor(request), (*EXPORTER_ROLES, *AUTHORITY_ROLES, Role.FOREIGN_AFFAIRS_ADVISER)
    )
    qs: QuerySet[Application] = ops.visible_applications(a)
    if state:
        if state not in {s.value for s in State}:  # never a database error (e.g. a NUL byte)
            raise InputError(f"unknown state; expected one of: {', '.join(s.value for s in State)}",
                             field="state")
        qs = qs.filter(state=state)
    return [_application_out(a) for a in qs.prefetch_related("parties", "items")[:200]]


@api.get("/applications/{reference}", response={200: ApplicationOut, **ERRORS}, tags=["cases"])
def get_application(request: HttpRequest, reference: str) -> dict[str, Any]:
    """An application with its own `determination`, made again first when the law data or the
    screening lists changed since the last one (`changes` says what changed)."""
    a = actor(request)
    app = get_object_or_404(ops.visible_applications(a), reference=reference)
    return _application_out(app, determination.current(a, app, today=_today()))


@api.post("/applications", response={201: ApplicationOut, **ERRORS}, tags=["exporter"])
def create_application(request: HttpRequest, body: ApplicationIn) -> Status[Any]:
    """A draft application with its parties and items in one call (all or nothing)."""
    from django.db import transaction

    a = actor(request)
    t = _today()
    with transaction.atomic():
        check = None
        if body.check_id is not None:
            check = visible_checks(a).filter(pk=body.check_id).first()
            if check is None:
                raise InputError("no such check of yours", field="check_id")
        app = ops.create_application(
            a,
            kind=body.kind,
            destinations=body.destinations,
            end_use=body.end_use,
            located_in_member_states=body.located_in_member_states,
            items_location=body.items_location,
            project_duration_months=body.project_duration_months,
            check=check,
            facts=_facts(body.facts),
            today=t,
        )
        for p in body.parties:
            ops.add_party(a, app, **p.model_dump(mode="python"), today=t)
        for i in body.items:
            ops.add_item(a, app, **i.fields(), today=t)
    return Status(201, _application_out(app))


def _facts(given: Any) -> dict[str, Any] | None:
    return None if given is None else given.model_dump(mode="json", exclude_none=True)


def _own_application(request: HttpRequest, reference: str) -> tuple[Actor, Application]:
    a = actor(request)
    return a, get_object_or_404(ops.visible_applications(a), reference=reference)


@api.put("/applications/{reference}", response={200: ApplicationOut, **ERRORS}, tags=["exporter"])
def change_application(
    request: HttpRequest, reference: str, body: ApplicationChangeIn
) -> dict[str, Any]:
    """Change a draft's destinations, end-use, locations and facts; it is determined again."""
    a, app = _own_application(request, reference)
    ops.update_application(
        a,
        app,
        destinations=body.destinations,
        end_use=body.end_use,
        located_in_member_states=body.located_in_member_states,
        items_location=body.items_location,
        project_duration_months=body.project_duration_months,
        facts=_facts(body.facts),
        today=_today(),
    )
    return _application_out(app)


@api.post(
    "/applications/{reference}/items", response={201: ApplicationOut, **ERRORS}, tags=["exporter"]
)
def add_application_item(request: HttpRequest, reference: str, body: ItemIn) -> Status[Any]:
    """Add an item to a draft."""
    a, app = _own_application(request, reference)
    ops.add_item(a, app, **body.fields(), today=_today())
    return Status(201, _application_out(app))


@api.put(
    "/applications/{reference}/items/{item_id}",
    response={200: ApplicationOut, **ERRORS},
    tags=["exporter"],
)
def change_application_item(
    request: HttpRequest, reference: str, item_id: int, body: ItemIn
) -> dict[str, Any]:
    """Change an item of a draft."""
    a, app = _own_application(request, reference)
    item = get_object_or_404(app.items, pk=item_id)
    ops.update_item(a, app, item, **body.fields(), today=_today())
    return _application_out(app)


@api.delete(
    "/applications/{reference}/items/{item_id}",
    response={200: ApplicationOut, **ERRORS},
    tags=["exporter"],
)
def remove_application_item(request: HttpRequest, reference: str, item_id: int) -> dict[str, Any]:
    """Remove an item from a draft."""
    a, app = _own_application(request, reference)
    ops.remove_item(a, app, get_object_or_404(app.items, pk=item_id), today=_today())
    return _application_out(app)


@api.post(
    "/applications/{reference}/parties",
    response={201: ApplicationOut, **ERRORS},
    tags=["exporter"],
)
def add_application_party(request: HttpRequest, reference: str, body: PartyIn) -> Status[Any]:
    """Add a party to a draft, or while the authority waits for information (screened then)."""
    a, app = _own_application(request, reference)
    ops.add_party(a, app, **body.model_dump(mode="python"), today=_today())
    return Status(201, _application_out(app))


@api.put(
    "/applications/{reference}/parties/{party_id}",
    response={200: ApplicationOut, **ERRORS},
    tags=["exporter"],
)
def change_application_party(
    request: HttpRequest, reference: str, party_id: int, body: PartyIn
) -> dict[str, Any]:
    """Correct a party of a draft, or while the authority waits for information."""
    a, app = _own_application(request, reference)
    party = get_object_or_404(app.parties, pk=party_id)
    ops.update_party(a, app, party, **body.model_dump(mode="python"), today=_today())
    return _application_out(app)


@api.delete(
    "/applications/{reference}/parties/{party_id}",
    response={200: ApplicationOut, **ERRORS},
    tags=["exporter"],
)
def remove_application_party(
    request: HttpRequest, reference: str, party_id: int
) -> dict[str, Any]:
    """Remove a party from a draft."""
    a, app = _own_application(request, reference)
    ops.remove_party(a, app, get_object_or_404(app.parties, pk=party_id), today=_today())
    return _application_out(app)


@api.delete(
    "/applications/{reference}/documents/{document_id}",
    response={200: ApplicationOut, **ERRORS},
    tags=["exporter"],
)
def remove_document(request: HttpRequest, reference: str, document_id: int) -> dict[str, Any]:
    """Remove a document from a draft."""
    a, app = _own_application(request, reference)
    ops.remove_document(a, app, get_object_or_404(app.documents, pk=document_id))
    return _application_out(app)


@api.post(
    "/applications/{reference}/submit", response={200: ApplicationOut, **ERRORS}, tags=["exporter"]
)
def submit_application(request: HttpRequest, reference: str) -> dict[str, Any]:
    a = actor(request)
    app = get_object_or_404(ops.visible_applications(a), reference=reference)
    return _application_out(ops.submit(a, app, today=_today()))


@api.post(
    "/applications/{reference}/answers",
    response={200: ApplicationOut, **ERRORS},
    tags=["exporter"],
)
def answer_information(request: HttpRequest, reference: str, body: AnswerIn) -> dict[str, Any]:
    """Answer the authority's request for information; the statutory clock runs again."""
    a = actor(request)
    app = get_object_or_404(ops.visible_applications(a), reference=reference)
    rfi = get_object_or_404(app.information_requests, pk=body.request_id)
    ops.answer_information(a, app, rfi, answer=body.answer)
    return _application_out(app)


class DocumentOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str


@api.post(
    "/applications/{reference}/documents",
    response={201: DocumentOut, **ERRORS},
    tags=["exporter"],
)
def upload_document(
    request: HttpRequest, reference: str, kind: Form[str], file: File[UploadedFile]
) -> Status[Any]:
    """Attach an end-use statement, ICP evidence or other document (PDF, PNG or JPEG, at most
    10 MB) to a draft application, or while the authority waits for information from you
    (multipart/form-data)."""
    a = actor(request)
    app = get_object_or_404(ops.visible_applications(a), reference=reference)
    return Status(201, ops.add_document(a, app, kind=kind, upload=file))


@api.get("/licences", response={200: list[LicenceOut], **ERRORS}, tags=["licences"])
def list_licences(request: HttpRequest) -> list[dict[str, Any]]:
    a = check_role(actor(request), (*EXPORTER_ROLES, *AUTHORITY_ROLES, Role.CUSTOMS_OFFICER))
    qs = lic.visible_licences(a).prefetch_related("items")[:200]
    return [_licence_out(x) for x in qs]


@api.get("/licences/{number}", response={200: LicenceOut, **ERRORS}, tags=["licences"])
def get_licence(request: HttpRequest, number: str) -> dict[str, Any]:
    return _licence_out(get_object_or_404(lic.visible_licences(actor(request)), number=number))


@api.post(
    "/licences/{number}/uses",
    response={200: WriteOffOut, 201: WriteOffOut, **ERRORS},
    tags=["licences"],
)
def record_use(request: HttpRequest, number: str, body: UseIn) -> Status[Any]:
    """Write an export off against a licence (the holder or customs): once per declaration (MRN)
    and item; a repeat returns the first write-off with status 200 and depletes nothing. Refused
    (409) while customs holds the declaration (Art. 21(3)); a malformed MRN or a future export
    date is refused (400)."""
    a = actor(request)
    licence = get_object_or_404(lic.visible_licences(a), number=number)
    item = get_object_or_404(LicenceItem, pk=body.item_id, licence=licence)
    done = lic.record_use(
        a,
        item,
        quantity=body.quantity,
        value_eur=body.value_eur,
        exported_on=body.exported_on,
        declaration_ref=body.declaration_ref,
        destination=body.destination,
        today=_today(),
    )
    licence.refresh_from_db()
    out = {**_licence_out(licence), "write_off": _use_out(done.use), "repeated": not done.created}
    return Status(201 if done.created else 200, out)


@api.post(
    "/licences/{number}/uses/{use_id}/correction",
    response={201: WriteOffOut, **ERRORS},
    tags=["licences"],
)
def correct_use(request: HttpRequest, number: str, use_id: int, body: CorrectionIn) -> Status[Any]:
    """Correct a write-off: a reversal entry and, with new amounts, a corrected entry; nothing is
    edited or deleted and what remains is recomputed. Returns the reversal as `write_off`."""
    a = actor(request)
    licence = get_object_or_404(lic.visible_licences(a), number=number)
    use = get_object_or_404(LicenceUse, pk=use_id, item__licence=licence)
    reversal = lic.correct_use(
        a, use, reasons=body.reasons, quantity=body.quantity, value_eur=body.value_eur
    )
    licence.refresh_from_db()
    out = {**_licence_out(licence), "write_off": _use_out(reversal), "repeated": False}
    return Status(201, out)


@api.get("/requirements", response={200: list[RequirementOut], **ERRORS}, tags=["exporter"])
def my_requirements(request: HttpRequest) -> Any:
    """Ad hoc authorisation requirements the authority imposed on your organisation."""
    a = actor(request)
    if a.role not in EXPORTER_ROLES:
        raise PermissionDenied("only an exporter has requirements imposed on it")
    return lic.active_requirements(a.organisation)


@api.post("/notifications", response={201: NotificationOut, **ERRORS}, tags=["exporter"])
def notify(request: HttpRequest, body: NotificationIn) -> Status[Any]:
    """Arts 4(2), 5(2), 6(2), 8(2) notifications, or a possible other destination."""
    n = submit_notification(
        actor(request),
        kind=body.kind,
        items=body.items,
        destination=body.destination,
        end_user=body.end_user,
        facts=body.facts,
    )
    return Status(201, n)


@api.get(
    "/ugea-registrations",
    response={200: list[UgeaRegistrationOut], **ERRORS},
    tags=["exporter"],
)
def list_ugea_registrations(request: HttpRequest) -> list[dict[str, Any]]:
    """Your organisation's UGEA registrations: status, acknowledgement deadline and the first-use
    notification deadline with its rule and citation (Annex II, Part 3)."""
    a = check_role(actor(request), EXPORTER_ROLES)
    t = _today()
    return [_registration_out(r, t) for r in lic.visible_registrations(a).order_by("ugea")]


@api.post(
    "/ugea-registrations", response={201: UgeaRegistrationOut, **ERRORS}, tags=["exporter"]
)
def register_for_ugea(request: HttpRequest, body: UgeaRegistrationIn) -> Status[Any]:
    """Register for a Union general export authorisation; the authority acknowledges it."""
    reg = lic.register_ugea(
        actor(request),
        ugea=body.ugea,
        planned_first_export=body.planned_first_export,
        today=_today(),
    )
    return Status(201, _registration_out(reg, _today()))


@api.post(
    "/ugea-registrations/{registration_id}/first-use",
    response={200: UgeaRegistrationOut, **ERRORS},
    tags=["exporter"],
)
def notify_ugea_first_use(
    request: HttpRequest, registration_id: int, body: FirstUseIn
) -> dict[str, Any]:
    """Notify the first use of the authorisation (once)."""
    a = check_role(actor(request), EXPORTER_ROLES)
    reg = get_object_or_404(lic.visible_registrations(a), pk=registration_id)
    t = _today()
    reg = lic.notify_first_use(a, reg, first_export_on=body.first_export_on, today=t)
    return _registration_out(reg, t)


@api.get(
    "/authority/ugea-registrations",
    response={200: list[PendingRegistrationOut], **ERRORS},
    tags=["authority"],
)
def pending_ugea_registrations(request: HttpRequest) -> list[dict[str, Any]]:
    """Registrations awaiting acknowledgement, oldest first, with the deadline in working days
    (Annex II, Part 3: within 10 working days of receipt, subject to Art. 12(7))."""
    t = _today()
    rows = []
    for reg in lic.pending_registrations(actor(request)).select_related("exporter")[:500]:
        due = lic.acknowledgement_deadline(reg)
        rule = catalogue_on(timezone.localdate(reg.registered_at)).ugea(reg.ugea)
        rows.append(
            {
                "id": reg.pk,
                "ugea": reg.ugea,
                "exporter": reg.exporter.name,
                "exporter_eori": reg.exporter.eori,
                "registered_at": reg.registered_at,
                "acknowledgement_due": due,
                "acknowledgement_citation": rule.registration.citation.render(),
                "overdue": due < t,
                "barred": lic.ugea_barred(reg.exporter),
            }
        )
    return rows


def _registration_for_authority(
    request: HttpRequest, registration_id: int
) -> tuple[Actor, UgeaRegistration]:
    a = check_role(actor(request), AUTHORITY_ROLES)
    return a, get_object_or_404(lic.visible_registrations(a), pk=registration_id)


@api.post(
    "/authority/ugea-registrations/{registration_id}/acknowledge",
    response={200: UgeaRegistrationOut, **ERRORS},
    tags=["authority"],
)
def acknowledge_ugea_registration(request: HttpRequest, registration_id: int) -> dict[str, Any]:
    """Acknowledge a pending registration; refused (409, Art. 12(7)) while the exporter is
    barred from UGEAs."""
    a, reg = _registration_for_authority(request, registration_id)
    return _registration_out(lic.acknowledge_registration(a, reg), _today())


@api.post(
    "/authority/ugea-registrations/{registration_id}/refuse",
    response={200: UgeaRegistrationOut, **ERRORS},
    tags=["authority"],
)
def refuse_ugea_registration(
    request: HttpRequest, registration_id: int, body: RefusalIn
) -> dict[str, Any]:
    """Refuse a pending registration, with reasons (required)."""
    a, reg = _registration_for_authority(request, registration_id)
    return _registration_out(lic.refuse_registration(a, reg, reasons=body.reasons), _today())


# The catalogue's operations (classification assistant, products, Art. 2(20) assessment) live
# with the catalogue; imported last because they use ERRORS and actor above.
from dualuse.service.catalogue.api import router as _catalogue_router  # noqa: E402

api.add_router("/", _catalogue_router)
