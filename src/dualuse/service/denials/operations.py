# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Art. 16 in operation: registering denials (ours when we decide them, other member states' when
they reach us through the Art. 23(6) system), reviewing ours every three years, examining a case
against every valid denial before deciding it, consulting the issuing member state, and the list of
notifications still to send. Every change is audited."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dualuse.errors import DualuseError, InputError
from dualuse.law.codes import normalise
from dualuse.service.audit.chain import record
from dualuse.service.cases.clock import (
    CONSULTATION_WORKING_DAYS,
    add_months,
    add_working_days,
    extended_consultation_deadline,
)
from dualuse.service.cases.models import Application, PartyRole
from dualuse.service.cases.operations import assign_reference, provisional_reference
from dualuse.service.cases.workflow import IllegalTransitionError, Kind, State
from dualuse.service.denials.matching import Facts, Resemblance, resemble
from dualuse.service.denials.models import (
    OWN_MEMBER_STATE,
    REVIEW_MONTHS,
    Activity,
    ConsultedReply,
    Decision,
    Denial,
    DenialReview,
    DenialStatus,
    Examination,
    ExaminationFinding,
    ReviewOutcome,
)
from dualuse.service.lawdata import catalogue_on
from dualuse.service.organisations.access import Actor, check_role
from dualuse.service.organisations.roles import AUTHORITY_ROLES

ART_16_5 = "Regulation (EU) 2021/821, Art. 16(5)"

ACTIVITY_OF_KIND = {
    Kind.BROKERING: Activity.BROKERING,
    Kind.TECHNICAL_ASSISTANCE: Activity.TECHNICAL_ASSISTANCE,
}


# -- the register ----------------------------------------------------------------------------


def register(actor: Actor) -> QuerySet[Denial]:
    check_role(actor, AUTHORITY_ROLES)
    return Denial.objects.select_related("application").prefetch_related("reviews")


def _snapshot(d: Denial) -> dict[str, Any]:
    return {
        "reference": d.reference, "issuing_member_state": d.issuing_member_state,
        "decision": d.decision, "activity": d.activity, "control_codes": d.control_codes,
        "destinations": d.destinations, "end_users": d.end_users, "status": d.status,
        "notified_on": d.notified_on, "notification_reference": d.notification_reference,
    }


def register_own_denial(
    actor: Actor, app: Application, *, decision: str, reasons: str, today: dt.date
) -> Denial:
    """Art. 16(1): a refusal, annulment, suspension, substantial limitation or revocation by us
    enters the register, to be notified to the other member states and the Commission."""
    d = Denial.objects.create(
        issuing_member_state=OWN_MEMBER_STATE,
        reference=provisional_reference(),
        decision=decision,
        activity=ACTIVITY_OF_KIND.get(Kind(app.kind), Activity.EXPORT),
        application=app,
        control_codes=sorted({c for c in app.items.values_list("control_code", flat=True) if c}),
        items="; ".join(app.items.values_list("description", flat=True)),
        destinations=list(app.destinations),
        end_users=list(app.parties.filter(role=PartyRole.END_USER).values_list("name", flat=True)),
        reasons=reasons,
        decided_on=today,
        recorded_by=actor.user,
    )
    assign_reference(d, "reference", f"{OWN_MEMBER_STATE}-DEN", today.year)
    record(actor=actor, action="denial.register", obj=d, case_ref=app.audit_ref,
           after={**_snapshot(d), "basis": "Regulation (EU) 2021/821, Art. 16(1)"})
    return d


def _codes(raw: list[str], day: dt.date) -> list[str]:
    cat = catalogue_on(day)
    out = []
    for code in raw:
        try:
            out.append(cat.entry(normalise(code)).code)
        except DualuseError:
            raise InputError(
                f"{code!r} is not an Annex I entry on {day}: Art. 16(5) concerns denials of items "
                "listed in Annex I", field="control_codes",
            ) from None
    return out


@transaction.atomic
def record_received_denial(
    actor: Actor,
    *,
    issuing_member_state: str,
    reference: str,
    decision: str,
    activity: str,
    control_codes: list[str],
    items: str,
    destinations: list[str],
    end_users: list[str],
    reasons: str,
    decided_on: dt.date | None,
    received_on: dt.date,
) -> Denial:
    """A denial another member state notified (Art. 16(1), (3), (4)), entered as received."""
    check_role(actor, AUTHORITY_ROLES)
    ms = issuing_member_state.strip().upper()
    cat = catalogue_on(received_on)
    try:
        is_ms = cat.is_member_state(ms)
    except DualuseError:
        is_ms = False
    if not is_ms or ms == OWN_MEMBER_STATE:
        raise InputError("the issuing member state is another EU member state",
                         field="issuing_member_state")
    if decision not in Decision.values:
        raise InputError(f"unknown decision {decision!r}", field="decision")
    if activity not in Activity.values:
        raise InputError(f"unknown activity {activity!r}", field="activity")
    reference = reference.strip()
    if not reference:
        raise InputError("the issuing member state's reference is required", field="reference")
    if Denial.objects.filter(reference=reference).exists():
        raise InputError(f"denial {reference} is already in the register", field="reference")
    if decided_on is None or decided_on > received_on:
        raise InputError("the date of the decision, on or before receipt", field="decided_on")
    if not control_codes:
        raise InputError("at least one Annex I code", field="control_codes")
    dests = [c.strip().upper() for c in destinations]
    for c in dests:
        try:
            cat.country(c)
        except DualuseError:
            raise InputError(f"unknown country {c!r}", field="destinations") from None
    if not dests:
        raise InputError("at least one destination", field="destinations")
    if not reasons.strip():
        raise InputError("the grounds the member state gave", field="reasons")
    d = Denial.objects.create(
        issuing_member_state=ms, reference=reference, decision=decision, activity=activity,
        control_codes=_codes(control_codes, decided_on), items=items.strip(),
        destinations=dests, end_users=[n.strip() for n in end_users if n.strip()],
        reasons=reasons.strip(), decided_on=decided_on, notified_on=received_on,
        recorded_by=actor.user,
    )
    record(actor=actor, action="denial.receive", obj=d, case_ref=d.audit_ref, after=_snapshot(d))
    return d


def _sent(on: dt.date | None, reference: str) -> tuple[dt.date, str]:
    if on is None:
        raise InputError("the date the notification was sent", field="sent_on")
    if not reference.strip():
        raise InputError("the reference the Art. 23(6) system gave", field="reference")
    return on, reference.strip()


@transaction.atomic
def record_notified(actor: Actor, d: Denial, *, sent_on: dt.date | None, reference: str) -> Denial:
    """Art. 16(1), (6): our denial was notified through the Art. 23(6) system."""
    check_role(actor, AUTHORITY_ROLES)
    if not d.own or d.notified_on is not None:
        raise IllegalTransitionError("only our own denial, once, is notified", field="denial")
    before = _snapshot(d)
    d.notified_on, d.notification_reference = _sent(sent_on, reference)
    d.save()
    record(actor=actor, action="denial.notified", obj=d, case_ref=d.audit_ref,
           before=before, after=_snapshot(d))
    return d


# -- Art. 16(2): review ----------------------------------------------------------------------


def review_due(d: Denial) -> dt.date | None:
    """Within three years of notification, then every three years from the last review."""
    if not d.own or d.status != DenialStatus.VALID or d.notified_on is None:
        return None
    last = d.reviews.order_by("reviewed_on").last()
    return add_months(last.reviewed_on if last else d.notified_on, REVIEW_MONTHS)


@transaction.atomic
def review(
    actor: Actor, d: Denial, *, outcome: str, explanation: str, today: dt.date
) -> DenialReview:
    """Revoke, amend or renew our denial; at the third review, maintaining it must be explained."""
    check_role(actor, AUTHORITY_ROLES)
    if not d.own or d.status != DenialStatus.VALID:
        raise IllegalTransitionError("only our own valid denials are reviewed (Art. 16(2))")
    if d.notified_on is None:
        raise IllegalTransitionError("notify the denial before reviewing it (Art. 16(1))")
    if outcome not in ReviewOutcome.values:
        raise InputError(f"unknown review outcome {outcome!r}", field="outcome")
    if d.reviews.count() >= 2 and outcome != str(ReviewOutcome.REVOKED) and not explanation.strip():
        raise InputError(
            "at the third review, explain why the denial is maintained",
            field="explanation", provision="Regulation (EU) 2021/821, Art. 16(2)",
        )
    rv = DenialReview.objects.create(
        denial=d, reviewed_on=today, outcome=outcome, explanation=explanation.strip(),
        reviewed_by=actor.user,
    )
    before = _snapshot(d)
    if outcome == str(ReviewOutcome.REVOKED):
        d.status = DenialStatus.REVOKED
        d.save()
    record(actor=actor, action="denial.review", obj=d, case_ref=d.audit_ref, before=before,
           after={**_snapshot(d), "outcome": outcome, "explanation": rv.explanation,
                  "review": d.reviews.count()})
    return rv


@transaction.atomic
def record_review_notified(
    actor: Actor, rv: DenialReview, *, sent_on: dt.date | None, reference: str
) -> DenialReview:
    check_role(actor, AUTHORITY_ROLES)
    if rv.notified_on is not None:
        raise IllegalTransitionError("this review result was already notified")
    rv.notified_on, rv.notification_reference = _sent(sent_on, reference)
    rv.save()
    record(actor=actor, action="denial.review_notified", obj=rv.denial,
           case_ref=rv.denial.audit_ref,
           after={"review": rv.pk, "notified_on": rv.notified_on, "reference": reference})
    return rv


# -- Art. 16(5): examining a case against the register -------------------------------------


def facts_of_application(app: Application) -> Facts:
    return Facts(
        control_codes=tuple(c for c in app.items.values_list("control_code", flat=True) if c),
        destinations=tuple(app.destinations),
        end_users=tuple(
            app.parties.filter(role=PartyRole.END_USER).values_list("name", flat=True)
        ),
    )


@dataclass(frozen=True)
class Candidate:
    denial: Denial
    resemblance: Resemblance
    examination: Examination | None

    @property
    def blocking(self) -> bool:
        """A resemblance on item and end-user to another member state's denial is examined,
        and consulted on, before the case is decided."""
        return self.resemblance.must_examine and not self.denial.own


def candidates(app: Application) -> list[Candidate]:
    """Every valid denial that resembles the case, the strongest first; its own denial excluded."""
    facts = facts_of_application(app)
    if not facts.control_codes:
        return []
    exams = {e.denial_id: e for e in app.denial_examinations.all()}
    out = []
    valid = Denial.objects.filter(status=DenialStatus.VALID).exclude(application=app)
    for d in valid:
        found = resemble(facts, Facts(tuple(d.control_codes), tuple(d.destinations),
                                      tuple(d.end_users)))
        if found is not None:
            out.append(Candidate(d, found, exams.get(d.pk)))
    out.sort(key=lambda c: (not c.resemblance.must_examine,
                            -(c.resemblance.end_user or {}).get("score", 0), c.denial.reference))
    return out


def blockers(app: Application, today: dt.date) -> list[str]:
    """Why a grant cannot yet be drafted under Art. 16(5)."""
    out = []
    for c in candidates(app):
        if not c.blocking:
            continue
        e, d = c.examination, c.denial
        if e is None or e.finding == ExaminationFinding.OPEN:
            out.append(f"valid denial {d.reference} of {d.issuing_member_state} may be an "
                       f"essentially identical transaction: examine it (Art. 16(5))")
        elif e.consultation_open(today):
            out.append(f"consultation of {d.issuing_member_state} on denial {d.reference} open "
                       f"until {e.deadline} (Art. 16(5))")
    return out


def _examination(app: Application, d: Denial) -> Examination:
    c = next((c for c in candidates(app) if c.denial.pk == d.pk), None)
    if c is None:
        raise InputError("this denial does not resemble the case", field="denial")
    e, _ = Examination.objects.get_or_create(
        application=app, denial=d, defaults={"resemblance": c.resemblance.as_dict()}
    )
    if e.finding != ExaminationFinding.OPEN:
        raise IllegalTransitionError(f"denial {d.reference} is already examined for this case")
    return e


def _assessing(app: Application) -> None:
    if app.state != State.IN_ASSESSMENT:
        raise IllegalTransitionError("denials are examined while the case is in assessment")


@transaction.atomic
def find_not_identical(actor: Actor, app: Application, d: Denial, *, note: str) -> Examination:
    """Our own finding that the transaction is not essentially identical, with reasons."""
    check_role(actor, AUTHORITY_ROLES)
    _assessing(app)
    if not note.strip():
        raise InputError("say why the transaction is not essentially identical", field="note")
    e = _examination(app, d)
    e.finding, e.note = ExaminationFinding.NOT_IDENTICAL, note.strip()
    e.save()
    record(actor=actor, action="denial.examined", obj=e, case_ref=app.audit_ref,
           after={"denial": d.reference, "finding": e.finding, "note": e.note,
                  "resemblance": e.resemblance, "basis": ART_16_5})
    return e


@transaction.atomic
def consult(actor: Actor, app: Application, d: Denial, *, today: dt.date) -> Examination:
    """Consult the member state that issued the denial; it answers within 10 working days."""
    check_role(actor, AUTHORITY_ROLES)
    _assessing(app)
    if d.own:
        raise IllegalTransitionError("our own denial needs no consultation", field="denial")
    e = _examination(app, d)
    e.finding, e.requested_on = ExaminationFinding.CONSULTED, today
    e.deadline = add_working_days(today, CONSULTATION_WORKING_DAYS)
    e.save()
    record(actor=actor, action="denial.consult", obj=e, case_ref=app.audit_ref,
           after={"denial": d.reference, "member_state": d.issuing_member_state,
                  "deadline": e.deadline, "resemblance": e.resemblance, "basis": ART_16_5})
    return e


@transaction.atomic
def record_reply(
    actor: Actor,
    e: Examination,
    *,
    reply: str = "",
    note: str = "",
    extend_to_working_days: int | None = None,
    today: dt.date,
) -> Examination:
    """The consulted member state's view, or the agreed extension (at most 30 working days)."""
    check_role(actor, AUTHORITY_ROLES)
    if e.finding != ExaminationFinding.CONSULTED or e.reply or e.requested_on is None:
        raise IllegalTransitionError("no open consultation on this denial", field="examination")
    before = {"deadline": e.deadline, "reply": e.reply}
    if extend_to_working_days is not None:
        e.deadline = extended_consultation_deadline(
            e.requested_on, extend_to_working_days, "Art. 16(5)"
        )
    else:
        if reply not in ConsultedReply.values:
            raise InputError("the reply is identical or not_identical", field="reply")
        e.reply, e.replied_on, e.note = reply, today, note.strip()
    e.save()
    record(actor=actor, action="denial.reply", obj=e, case_ref=e.application.audit_ref,
           before=before, after={"deadline": e.deadline, "reply": e.reply, "note": e.note})
    return e


@transaction.atomic
def record_grant_notified(
    actor: Actor, e: Examination, *, sent_on: dt.date | None, reference: str
) -> Examination:
    """Art. 16(5), fourth subparagraph: granted after consultation, notified with its reasons."""
    check_role(actor, AUTHORITY_ROLES)
    if e.finding != ExaminationFinding.CONSULTED or e.application.state != State.GRANTED:
        raise IllegalTransitionError("only a grant after consultation is notified")
    if e.grant_notified_on is not None:
        raise IllegalTransitionError("this grant was already notified")
    e.grant_notified_on, e.grant_notification_reference = _sent(sent_on, reference)
    e.save()
    record(actor=actor, action="denial.grant_notified", obj=e, case_ref=e.application.audit_ref,
           after={"denial": e.denial.reference, "notified_on": e.grant_notified_on,
                  "reference": e.grant_notification_reference})
    return e


# -- what is still to notify -------------------------------------------------------------------


@dataclass(frozen=True)
class Outbox:
    denials: list[Denial]
    reviews: list[DenialReview]
    grants: list[Examination]

    def __len__(self) -> int:
        return len(self.denials) + len(self.reviews) + len(self.grants)


def outbox(actor: Actor) -> Outbox:
    check_role(actor, AUTHORITY_ROLES)
    return Outbox(
        denials=list(Denial.objects.filter(issuing_member_state=OWN_MEMBER_STATE,
                                           notified_on__isnull=True)),
        reviews=list(DenialReview.objects.filter(notified_on__isnull=True)
                     .select_related("denial")),
        grants=list(Examination.objects.filter(
            finding=ExaminationFinding.CONSULTED, application__state=State.GRANTED,
            grant_notified_on__isnull=True,
        ).select_related("denial", "application")),
    )


def notification(d: Denial) -> dict[str, Any]:
    """What Art. 16(1) and (3) ask us to share, as a document for the Art. 23(6) system."""
    return {
        "basis": "Regulation (EU) 2021/821, Art. 16(1)" if d.decision != Decision.TRANSIT_PROHIBITED
        else "Regulation (EU) 2021/821, Art. 16(3)",
        "issuing_member_state": d.issuing_member_state,
        "reference": d.reference,
        "decision": d.decision,
        "activity": d.activity,
        "decided_on": d.decided_on.isoformat(),
        "control_codes": d.control_codes,
        "items": d.items,
        "destinations": d.destinations,
        "end_users": d.end_users,
        "reasons": d.reasons,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }


NOTIFICATION_FIELDS = (
    "issuing_member_state", "reference", "decision", "activity", "decided_on", "control_codes",
    "destinations", "reasons",
)
MAX_IMPORT_BYTES = 1_000_000


@transaction.atomic
def import_notifications(actor: Actor, raw: bytes, *, received_on: dt.date) -> list[Denial]:
    """Denials received as notification documents (the format `notification()` writes, one object
    or a list): all are recorded, or none — a bad document names itself and changes nothing."""
    check_role(actor, AUTHORITY_ROLES)
    if len(raw) > MAX_IMPORT_BYTES:
        raise InputError("the file is larger than 1 MB", field="notifications")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a JSON document: {exc}", field="notifications") from None
    docs = data if isinstance(data, list) else [data]
    out = []
    for n, doc in enumerate(docs, start=1):
        where = f"notification {n}"
        if not isinstance(doc, dict):
            raise InputError(f"{where}: not an object", field="notifications")
        missing = [f for f in NOTIFICATION_FIELDS if f not in doc]
        if missing:
            raise InputError(f"{where}: missing {', '.join(missing)}", field="notifications")
        try:
            decided_on = dt.date.fromisoformat(str(doc["decided_on"]))
            lists = {k: [str(v) for v in doc.get(k) or []]
                     for k in ("control_codes", "destinations", "end_users")}
            out.append(record_received_denial(
                actor, issuing_member_state=str(doc["issuing_member_state"]),
                reference=str(doc["reference"]), decision=str(doc["decision"]),
                activity=str(doc["activity"]), items=str(doc.get("items") or ""),
                reasons=str(doc["reasons"]), decided_on=decided_on, received_on=received_on,
                **lists,
            ))
        except ValueError as exc:
            raise InputError(f"{where}: {exc}", field="notifications") from None
        except InputError as exc:
            raise InputError(f"{where} ({doc.get('reference')}): {exc}",
                             field="notifications") from None
    return out
