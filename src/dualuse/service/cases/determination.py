# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""An application's own determination: the engine's answer for the application's items, parties,
destinations and facts, never a check's it was started from.

It is computed when the application is created, again on every change, at submission and before
a decision, and whenever the law data or the screening lists have changed since the last one
(`current`); each new one records what changed since the one before, for the caseworker. A
decided (or withdrawn) case keeps the determination it was decided on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from dualuse.errors import DualuseError
from dualuse.service.audit.chain import record
from dualuse.service.cases import screening_gate
from dualuse.service.cases.models import (
    Application,
    ApplicationDetermination,
    DeterminationReason,
)
from dualuse.service.cases.workflow import FINAL_STATES, DeterminationFacts, Kind, State
from dualuse.service.lawdata import data_version
from dualuse.service.organisations.access import Actor

ACTIVITY = {
    Kind.INDIVIDUAL: "export",
    Kind.GLOBAL: "export",
    Kind.LARGE_PROJECT: "export",
    Kind.BROKERING: "brokering",
    Kind.TECHNICAL_ASSISTANCE: "technical_assistance",
    Kind.INTRA_EU_TRANSFER: "transfer",
}
FACT_KEYS = ("informed_of", "aware_of", "circumstances", "origin", "purchasing_country", "answers")


def lists_version() -> str:
    """One fingerprint of the screening lists in force ("unavailable" when there are none)."""
    from dualuse.service.checks.screening import lists_in_force

    versions = lists_in_force()
    if not versions:
        return "unavailable"
    joined = ";".join(f"{name}={folder}" for name, folder in sorted(versions.items()))
    return "lists:" + hashlib.sha256(joined.encode()).hexdigest()[:16]


def transaction_of(app: Application) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The application as a transaction for the engine, and its parties for the ad hoc scope."""
    facts = app.facts or {}
    data: dict[str, Any] = {k: facts[k] for k in FACT_KEYS if facts.get(k)}
    data["activity"] = ACTIVITY[Kind(app.kind)]
    data["destinations"] = list(app.destinations)
    data["items"] = [
        {
            "control_code": i.control_code or None,
            "description": i.description,
            "cyber_surveillance": i.cyber_surveillance,
            "national_measure": i.national_measure or None,
            # A TARIC code's first 8 digits are its CN code, by which EU sanctions list goods.
            "cn_code": i.cn_code[:8] or None,
        }
        for i in app.items.all()
    ]
    parties = [{"role": p.role, "name": p.name, "country": p.country} for p in app.parties.all()]
    return data, parties


def prohibiting(determination: dict[str, Any]) -> list[str]:
    """The provisions that prohibit, read from the explanation: each prohibited item's findings
    that prohibit (the item's legal bases when the tree says no more)."""
    out: list[str] = []
    explanation = determination.get("explanation") or {}
    for node in explanation.get("children", []):
        if node.get("rule") != "item" or node.get("outcome") != "prohibited":
            continue
        children = node.get("children", [])
        found = [c["citation"] for c in children if c.get("outcome") == "prohibited"]
        out += [c for c in found if c not in out]
    if not out:
        for item in determination.get("items", []):
            if item.get("outcome") == "prohibited":
                out += [b for b in item.get("legal_bases", []) if b not in out]
    return out


def facts(det: ApplicationDetermination | None) -> DeterminationFacts | None:
    """What the workflow's guards read of a determination."""
    if det is None:
        return None
    prohibited = {
        p["destination"]: tuple(prohibiting(p["determination"]))
        for p in det.per_destination
        if p.get("outcome") == "prohibited"
    }
    return DeterminationFacts(undetermined=det.incomplete, prohibited=prohibited)


def _summary(det: ApplicationDetermination | None) -> dict[str, Any]:
    if det is None:
        return {}
    out: dict[str, Any] = {}
    for p in det.per_destination:
        d = p.get("determination") or {}
        out[p["destination"]] = {
            "outcome": p.get("outcome"),
            "legal_bases": list(p.get("legal_bases") or []),
            "notes": list(d.get("notes") or []),
            "questions": [q["id"] for q in d.get("missing_facts") or []],
            "ad_hoc": [a["reference"] for a in p.get("ad_hoc") or [] if a.get("binds")],
        }
    return out


def changes(
    before: ApplicationDetermination | None, after: ApplicationDetermination
) -> list[dict[str, Any]]:
    """What differs between two determinations, destination by destination, in the words a
    caseworker reads: outcome, legal bases, notes, open questions, binding decisions, versions."""
    if before is None:
        return []
    out: list[dict[str, Any]] = []
    if before.data_version != after.data_version:
        out.append({"what": "data_version", "before": before.data_version,
                    "after": after.data_version})
    if before.lists_version != after.lists_version:
        out.append({"what": "lists_version", "before": before.lists_version,
                    "after": after.lists_version})
    if before.incomplete != after.incomplete:
        out.append({"what": "incomplete", "before": before.incomplete,
                    "after": after.incomplete})
    old, new = _summary(before), _summary(after)
    for dest in dict.fromkeys([*old, *new]):
        a, b = old.get(dest, {}), new.get(dest, {})
        if a.get("outcome") != b.get("outcome"):
            out.append({"what": "outcome", "destination": dest, "before": a.get("outcome"),
                        "after": b.get("outcome")})
        for key in ("legal_bases", "notes", "questions", "ad_hoc"):
            was, now = a.get(key) or [], b.get(key) or []
            added = [x for x in now if x not in was]
            removed = [x for x in was if x not in now]
            if added or removed:
                out.append({"what": key, "destination": dest, "added": added,
                            "removed": removed})
    return out


def determine_application(
    actor: Actor, app: Application, *, reason: str, today: dt.date
) -> ApplicationDetermination:
    """Ask the engine about the application as it stands; store and audit the answer. An
    application the engine cannot determine yet (no items, say) is stored as incomplete, with why:
    never as 'no authorisation required'."""
    from dualuse.service.checks.determine import determine_transaction  # checks -> cases

    data, parties = transaction_of(app)
    previous = app.determination
    det = ApplicationDetermination(
        application=app,
        reason=reason,
        as_of=today,
        data_version=data_version(),
        lists_version=lists_version(),
    )
    try:
        run = determine_transaction(app.exporter, data, parties, today=today)
    except DualuseError as exc:
        det.incomplete = str(exc)
    else:
        worst = run.worst
        det.outcome = worst.determination.outcome
        det.legal_bases = list(worst.determination.legal_bases)
        det.per_destination = [r.stored() for r in run.runs]
        det.transaction = {**worst.transaction, "destinations": run.destinations}
        det.rules_version = worst.determination.rules_version
        det.data_version = worst.determination.data_version
    det.changes = changes(previous, det)
    det.save()
    record(
        actor=actor,
        action="application.determine",
        obj=det,
        case_ref=app.audit_ref,
        before=_summary(previous) or None,
        after={"reason": reason, "outcome": det.outcome, "incomplete": det.incomplete,
               "per_destination": _summary(det), "data_version": det.data_version,
               "lists_version": det.lists_version},
    )
    return det


def stale_reason(app: Application, det: ApplicationDetermination | None) -> str | None:
    """Why the stored determination no longer answers for the application (None: it does)."""
    if app.state in FINAL_STATES:
        return None  # decided on the determination of its day
    if det is None:
        return str(DeterminationReason.CHANGED)
    if det.data_version != data_version():
        return str(DeterminationReason.LAW_CHANGED)
    if app.state != State.DRAFT and det.lists_version != lists_version():
        return str(DeterminationReason.LISTS_CHANGED)
    return None


def current(actor: Actor, app: Application, *, today: dt.date) -> ApplicationDetermination | None:
    """The application's determination, made again first if the law data or the lists changed
    since; a list change also screens the parties again (a submitted case's parties are
    screened)."""
    det = app.determination
    why = stale_reason(app, det)
    if why is None:
        return det
    if why == str(DeterminationReason.LISTS_CHANGED):
        screening_gate.screen_parties(app, today)
    return determine_application(actor, app, reason=why, today=today)
