# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""A transaction check: the exporter's transaction, completed with what the service knows about the
exporter (member state, Art. 12(7) bar, ad hoc requirements imposed on it), determined by the engine
and stored with the screening of every party, exactly as returned.

`determine_transaction` is the one way the service asks the engine: a check and an application's
own determination both go through it, one determination per destination.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from dualuse.engine import determine, parse_transaction
from dualuse.engine.result import SEVERITY, Determination
from dualuse.engine.transaction import TRANSACTION_FIELDS, Transaction
from dualuse.errors import InputError
from dualuse.service.audit.chain import record
from dualuse.service.cases.screening_gate import screen_one
from dualuse.service.checks.ad_hoc_scope import Reach, Scope, reach
from dualuse.service.checks.models import ScreeningStatus, TransactionCheck
from dualuse.service.lawdata import catalogue_on
from dualuse.service.licences.models import AdHocRequirement
from dualuse.service.licences.operations import active_requirements, ugea_barred
from dualuse.service.organisations.access import Actor, check_role
from dualuse.service.organisations.models import Organisation
from dualuse.service.organisations.roles import EXPORTER_ROLES

# What the exporter supplies; the exporter's own facts and the decisions imposed on it the service
# fills in from the organisation, and the exporter cannot override them.
SERVICE_SUPPLIED = frozenset({"exporter", "ad_hoc_requirements"})
EXPORTER_KEYS = tuple(sorted(TRANSACTION_FIELDS - SERVICE_SUPPLIED))
MAX_DESTINATIONS = 20  # each is one determination of every item: a bound on one request's work
_SEVERITY = [ScreeningStatus.CLEAR, ScreeningStatus.POSSIBLE_MATCH, ScreeningStatus.UNAVAILABLE]


def scope_of(req: AdHocRequirement) -> Scope:
    return Scope(
        reference=f"AH-{req.pk}",
        article=req.basis,
        control_codes=tuple(req.control_codes),
        end_users=tuple(req.end_users),
        destinations=tuple(req.destinations),
        valid_from=timezone.localdate(req.imposed_at),
    )


def _engine_form(req: AdHocRequirement, found: Reach) -> dict[str, Any]:
    return {
        "reference": found.reference,
        "article": req.basis,
        "effect": "authorisation_required",
        "items": None if found.items is None else list(found.items),
        "destinations": list(req.destinations) or None,
        "valid_from": timezone.localdate(req.imposed_at).isoformat(),
    }


@dataclass
class DestinationRun:
    """The engine's determination for one destination, and what the service added to its input."""

    destination: str
    transaction: dict[str, Any]
    determination: Determination
    as_dict: dict[str, Any]
    ad_hoc: list[dict[str, Any]] = field(default_factory=list)

    def stored(self) -> dict[str, Any]:
        return {
            "destination": self.destination,
            "outcome": self.determination.outcome,
            "legal_bases": list(self.determination.legal_bases),
            "determination": self.as_dict,
            "ad_hoc": self.ad_hoc,
        }


@dataclass
class Run:
    runs: list[DestinationRun]

    @property
    def worst(self) -> DestinationRun:
        return max(self.runs, key=lambda r: SEVERITY[r.determination.outcome])

    @property
    def destinations(self) -> list[str]:
        return [r.destination for r in self.runs]


def build_transaction(
    exporter: Organisation, data: Mapping[str, Any], parties: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, Any], Transaction, list[dict[str, Any]]]:
    """The engine's input for one destination (validated by the engine, every fault naming its
    field), and how each requirement imposed on the exporter reaches it: the binding ones are in
    the input."""
    tx = {k: data[k] for k in EXPORTER_KEYS if k in data and data[k] not in (None, "", [], {})}
    tx["exporter"] = {
        "member_state": exporter.member_state,
        "barred_from_ugeas": ugea_barred(exporter),
    }
    parsed = parse_transaction(tx)
    if parsed.ignored_fields:
        raise InputError("unknown field: not part of the transaction",
                         field=parsed.ignored_fields[0])
    end_users = [str(p.get("name", "")) for p in parties if p.get("role") == "end_user"]
    applicable, report = [], []
    for req in active_requirements(exporter):
        found = reach(
            scope_of(req),
            activity=parsed.activity,
            destination=parsed.destination,
            as_of=parsed.as_of,
            item_codes=[i.control_code for i in parsed.items],
            end_users=end_users,
            answers=parsed.answers,
            provision=f"Regulation (EU) 2021/821, Art. {req.basis}",
        )
        report.append({**found.as_dict(), "article": req.basis,
                       "end_users": list(req.end_users), "control_codes": list(req.control_codes),
                       "destinations": list(req.destinations)})
        if found.binds:
            applicable.append(_engine_form(req, found))
    if applicable:
        tx["ad_hoc_requirements"] = applicable
        parsed = parse_transaction(tx)
    return tx, parsed, report


def _refuse_what_the_service_supplies(exporter: Organisation, data: dict[str, Any]) -> None:
    """The exporter's member state, its Art. 12(7) bar and the decisions imposed on it come from
    the organisation; a client may repeat its member state (a `dualuse check` file), no more."""
    unknown = sorted(set(data) - set(EXPORTER_KEYS) - SERVICE_SUPPLIED - {"destinations"})
    if unknown:
        raise InputError("unknown field: not part of the transaction", field=unknown[0])
    if data.get("ad_hoc_requirements") is not None:
        raise InputError("the competent authority's decisions on you are added by the service",
                         field="ad_hoc_requirements")
    given = data.pop("exporter", None)
    if given is None:
        return
    if not isinstance(given, Mapping):
        raise InputError("must be an object such as {\"member_state\": \"NL\"}", field="exporter")
    for key in given:
        if key != "member_state":
            raise InputError("set from your organisation and the competent authority's "
                             "decisions", field=f"exporter.{key}")
    said = str(given.get("member_state") or "").strip().upper()
    if said and said != exporter.member_state:
        raise InputError(f"your organisation is established in {exporter.member_state}, not "
                         f"{said}", field="exporter.member_state")


def determine_transaction(
    exporter: Organisation,
    data: Mapping[str, Any],
    parties: Sequence[Mapping[str, Any]],
    *,
    today: dt.date,
) -> Run:
    """One engine determination per destination (`destinations`, or the one `destination`)."""
    data = dict(data)
    _refuse_what_the_service_supplies(exporter, data)
    if not data.get("as_of"):
        data["as_of"] = today.isoformat()
    for i, party in enumerate(parties):
        if not str(party.get("name", "")).strip() or not str(party.get("country", "")).strip():
            raise InputError("a party needs a name and a country", field=f"parties[{i}]")
    # The engine determines one destination at a time: several destinations get one determination
    # each, and the outcome is the most severe of them (prohibited first).
    destinations = [str(x).strip().upper() for x in data.pop("destinations", None) or []]
    if not destinations and data.get("destination"):
        destinations = [str(data["destination"]).strip().upper()]
    if not destinations:
        destinations = [""]  # let the engine name the missing field
    if len(set(destinations)) > MAX_DESTINATIONS:
        raise InputError(f"at most {MAX_DESTINATIONS} destinations in one check",
                         field="destinations")
    runs = []
    for destination in dict.fromkeys(destinations):
        one, parsed, report = build_transaction(
            exporter, {**data, "destination": destination}, parties
        )
        det = determine(parsed, catalogue_on(parsed.as_of))
        # Serialised once: the per-destination list and the check's own column share it.
        runs.append(DestinationRun(destination, one, det, det.to_dict(), report))
    return Run(runs)


@transaction.atomic
def run_check(
    actor: Actor, data: Mapping[str, Any], parties: Sequence[Mapping[str, Any]], *, today: dt.date
) -> TransactionCheck:
    check_role(actor, EXPORTER_ROLES)
    run = determine_transaction(actor.organisation, data, parties, today=today)
    worst = run.worst
    tx_data = worst.transaction
    if len(run.runs) > 1:
        tx_data = {**tx_data, "destinations": run.destinations}
    as_of = worst.determination.as_of
    screened = []
    for party in parties:
        status, result = screen_one(
            str(party["name"]), str(party["country"]).upper(), dt.date.fromisoformat(as_of)
        )
        screened.append({**party, "status": status, "result": result})
    screening = max(
        (s["status"] for s in screened), key=_SEVERITY.index, default=ScreeningStatus.NOT_RUN
    )
    check = TransactionCheck.objects.create(
        exporter=actor.organisation,
        created_by=actor.user,
        as_of=as_of,
        transaction=tx_data,
        outcome=worst.determination.outcome,
        legal_bases=list(worst.determination.legal_bases),
        determination=worst.as_dict,
        per_destination=[r.stored() for r in run.runs],
        data_version=worst.determination.data_version,
        rules_version=worst.determination.rules_version,
        screening=screened,
        screening_status=str(screening),
    )
    record(
        actor=actor,
        action="check.run",
        obj=check,
        case_ref=f"check:{check.pk}",
        after={
            "outcome": check.outcome,
            "legal_bases": check.legal_bases,
            "per_destination": {r.destination: r.determination.outcome for r in run.runs},
            "ad_hoc": {a["reference"]: a["binds"] for r in run.runs for a in r.ad_hoc},
            "screening": check.screening_status,
            "input_hash": worst.as_dict.get("input_hash"),
        },
    )
    return check


def visible_checks(actor: Actor) -> Any:
    if actor.role in EXPORTER_ROLES:
        return TransactionCheck.objects.filter(exporter=actor.organisation)
    return TransactionCheck.objects.none()
