# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""A transaction check: the exporter's transaction, completed with what the service knows about the
exporter (member state, Art. 12(7) bar, ad hoc requirements imposed on it), determined by the engine
and stored with the screening of every party, exactly as returned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from dualuse.engine import determine, parse_transaction
from dualuse.engine.result import SEVERITY
from dualuse.errors import InputError
from dualuse.service.audit.chain import record
from dualuse.service.cases.screening_gate import screen_one
from dualuse.service.checks.models import ScreeningStatus, TransactionCheck
from dualuse.service.lawdata import catalogue_on
from dualuse.service.licences.models import AdHocRequirement
from dualuse.service.licences.operations import active_requirements, ugea_barred
from dualuse.service.organisations.access import Actor, check_role
from dualuse.service.organisations.models import Organisation
from dualuse.service.organisations.roles import EXPORTER_ROLES

# What the exporter supplies; the rest the service fills in and the exporter cannot override.
EXPORTER_KEYS = (
    "as_of",
    "activity",
    "destination",
    "origin",
    "purchasing_country",
    "items",
    "informed_of",
    "aware_of",
    "circumstances",
    "answers",
)
_SEVERITY = [ScreeningStatus.CLEAR, ScreeningStatus.POSSIBLE_MATCH, ScreeningStatus.UNAVAILABLE]


def _name(text: str) -> str:
    return " ".join(text.casefold().split())


def _code_covers(scope: str, code: str | None) -> bool:
    return bool(code) and (code == scope or str(code).startswith(scope + "."))


def requirement_for_engine(
    req: AdHocRequirement, items: Sequence[Mapping[str, Any]], end_users: Sequence[str]
) -> dict[str, Any] | None:
    """The engine's form of one ad hoc requirement, or None if it does not reach this transaction
    (other end-users, or none of its items)."""
    if req.end_users and not {_name(u) for u in req.end_users} & {_name(u) for u in end_users}:
        return None
    indices: list[int] | None = None
    if req.control_codes:
        indices = [
            i
            for i, item in enumerate(items)
            if any(_code_covers(scope, item.get("control_code")) for scope in req.control_codes)
        ]
        if not indices:
            return None
    return {
        "reference": f"AH-{req.pk}",
        "article": req.basis,
        "effect": "authorisation_required",
        "items": indices,
        "destinations": list(req.destinations) or None,
        "valid_from": req.imposed_at.date().isoformat(),
    }


def build_transaction(
    exporter: Organisation, data: Mapping[str, Any], parties: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    tx = {k: data[k] for k in EXPORTER_KEYS if k in data and data[k] not in (None, "", [])}
    tx["exporter"] = {
        "member_state": exporter.member_state,
        "barred_from_ugeas": ugea_barred(exporter),
    }
    items = tx.get("items") or []
    end_users = [str(p.get("name", "")) for p in parties if p.get("role") == "end_user"]
    reqs = [requirement_for_engine(r, items, end_users) for r in active_requirements(exporter)]
    applicable = [r for r in reqs if r is not None]
    if applicable:
        tx["ad_hoc_requirements"] = applicable
    return tx


@transaction.atomic
def run_check(
    actor: Actor, data: Mapping[str, Any], parties: Sequence[Mapping[str, Any]], *, today: dt.date
) -> TransactionCheck:
    check_role(actor, EXPORTER_ROLES)
    data = dict(data)
    if not data.get("as_of"):
        data["as_of"] = today.isoformat()
    for i, party in enumerate(parties):
        if not str(party.get("name", "")).strip() or not str(party.get("country", "")).strip():
            raise InputError("a party needs a name and a country", field=f"parties[{i}]")
    # The engine determines one destination at a time: several destinations get one determination
    # each, and the check's outcome is the most severe of them (prohibited first).
    destinations = [str(x).strip().upper() for x in data.pop("destinations", None) or []]
    if not destinations and data.get("destination"):
        destinations = [str(data["destination"]).strip().upper()]
    if not destinations:
        destinations = [""]  # let the engine name the missing field
    runs = []
    for destination in dict.fromkeys(destinations):
        one = build_transaction(actor.organisation, {**data, "destination": destination}, parties)
        parsed = parse_transaction(one)
        det = determine(parsed, catalogue_on(parsed.as_of))
        # Serialised once: the per-destination list and the check's own column share it.
        runs.append((destination, one, parsed, det, det.to_dict()))
    _, tx_data, tx, determination, d = max(runs, key=lambda r: SEVERITY[r[3].outcome])
    if len(runs) > 1:
        tx_data = {**tx_data, "destinations": [r[0] for r in runs]}
    per_destination = [
        {
            "destination": dest,
            "outcome": det.outcome,
            "legal_bases": list(det.legal_bases),
            "determination": det_dict,
        }
        for dest, _, _, det, det_dict in runs
    ]
    screened = []
    for party in parties:
        status, result = screen_one(str(party["name"]), str(party["country"]).upper(), tx.as_of)
        screened.append({**party, "status": status, "result": result})
    worst = max(
        (s["status"] for s in screened), key=_SEVERITY.index, default=ScreeningStatus.NOT_RUN
    )
    check = TransactionCheck.objects.create(
        exporter=actor.organisation,
        created_by=actor.user,
        as_of=tx.as_of,
        transaction=tx_data,
        outcome=determination.outcome,
        legal_bases=list(determination.legal_bases),
        determination=d,
        per_destination=per_destination,
        data_version=determination.data_version,
        rules_version=determination.rules_version,
        screening=screened,
        screening_status=str(worst),
    )
    record(
        actor=actor,
        action="check.run",
        obj=check,
        case_ref=f"check:{check.pk}",
        after={
            "outcome": check.outcome,
            "legal_bases": check.legal_bases,
            "per_destination": {p["destination"]: p["outcome"] for p in per_destination},
            "screening": check.screening_status,
            "input_hash": d.get("input_hash"),
        },
    )
    return check


def visible_checks(actor: Actor) -> Any:
    if actor.role in EXPORTER_ROLES:
        return TransactionCheck.objects.filter(exporter=actor.organisation)
    return TransactionCheck.objects.none()
