# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Re-screening after a list change.

When the snapshots in force in the list store change (`dualuse lists update`, `dualuse lists
add`), every party of an open case and of an active licence is screened again. A hit that was not
there before is flagged to the caseworker: the party's earlier review no longer covers it (an open
case is blocked until the hit is reviewed), it is listed on the authority's screening-alerts page
until reviewed or acknowledged, and each change is audited. The service notices a change on its
own (`ListChangeMiddleware`, at most once a minute per process); `python -m dualuse.service
rescreen` applies it at once, e.g. right after a scheduled `dualuse lists update`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from dualuse.errors import InputError, ScreeningUnavailableError
from dualuse.service.audit.chain import record
from dualuse.service.cases.models import Party
from dualuse.service.cases.screening_gate import screen_one
from dualuse.service.cases.workflow import FINAL_STATES, LicenceState, State
from dualuse.service.checks import screening
from dualuse.service.checks.models import ScreeningStatus
from dualuse.service.lists.models import ListChange, ListsApplied
from dualuse.service.organisations.access import Actor, check_role
from dualuse.service.organisations.roles import AUTHORITY_ROLES


def parties_in_scope() -> QuerySet[Party]:
    """Parties of open cases (submitted, not yet decided) and of active licences."""
    open_case = ~Q(application__state__in=[State.DRAFT, *FINAL_STATES])
    licensed = Q(application__licence__status=LicenceState.ACTIVE)
    return Party.objects.filter(open_case | licensed).select_related("application")


def _hit_keys(result: dict[str, Any]) -> set[tuple[str, str]]:
    return {(m["list"], m["list_id"]) for m in result.get("matches", [])}


def _screened_with(result: dict[str, Any]) -> dict[str, str]:
    return {entry.get("list", ""): entry.get("snapshot", "") for entry in result.get("lists", [])}


def _rescreen(party: Party, day: dt.date, actor: Actor | None) -> list[dict[str, Any]]:
    """Screen one party again; returns the hits that are new. Raises ScreeningUnavailableError
    (nothing is changed then) when screening cannot run."""
    old = party.screening or {}
    status, result = screen_one(party.name, party.country, day)
    if status == str(ScreeningStatus.UNAVAILABLE):
        raise ScreeningUnavailableError(result.get("error", "screening could not run"))
    known = _hit_keys(old)
    new_hits = [m for m in result["matches"] if (m["list"], m["list_id"]) not in known]
    merged = dict(result)
    for key in ("review", "earlier_reviews", "new_hits", "flagged_at", "acknowledged"):
        if key in old:
            merged[key] = old[key]
    if new_hits:
        # An earlier review concluded on other hits: the new one is reviewed afresh.
        if "review" in merged:
            merged["earlier_reviews"] = [*merged.get("earlier_reviews", []), merged.pop("review")]
        merged.pop("acknowledged", None)
        merged["new_hits"] = new_hits
        merged["flagged_at"] = timezone.now().isoformat()
    changed = status != party.screening_status or _hit_keys(result) != known
    before = {"status": party.screening_status, "hits": sorted(map(list, known))}
    party.screening_status, party.screening = status, merged
    party.save(update_fields=["screening_status", "screening"])
    if changed:
        record(
            actor=actor,
            action="screening.new_hit" if new_hits else "screening.rescreen",
            obj=party,
            case_ref=party.application.audit_ref,
            before=before,
            after={
                "status": status,
                "hits": sorted(map(list, _hit_keys(result))),
                "new_hits": [[m["list"], m["list_id"], m["strength"]] for m in new_hits],
                "lists": _screened_with(result),
            },
        )
    return new_hits


def apply_list_change(
    *,
    day: dt.date,
    actor: Actor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ListChange | None:
    """Re-screen the open work if the lists in force changed since they were last applied;
    None when nothing changed (or no list is in force: then screening is unavailable anyway)."""
    current = screening.lists_in_force()
    if not current:
        return None
    with transaction.atomic():
        applied, _ = ListsApplied.objects.select_for_update().get_or_create(pk=1)
        if applied.versions == current:
            return None  # another process applied it meanwhile
        parties = [
            p for p in parties_in_scope().select_for_update(of=("self",))
            if _screened_with(p.screening or {}) != current
        ]
        new_hits = 0
        for n, party in enumerate(parties, start=1):
            new_hits += bool(_rescreen(party, day, actor))
            if progress is not None:
                progress(n, len(parties))
        change = ListChange.objects.create(
            before=applied.versions,
            after=current,
            parties_rescreened=len(parties),
            new_hits=new_hits,
        )
        record(
            actor=actor,
            action="screening.lists_changed",
            obj=change,
            before={"lists": applied.versions},
            after={"lists": current, "parties_rescreened": len(parties), "new_hits": new_hits},
        )
        applied.versions, applied.applied_at = current, timezone.now()
        applied.save()
    return change


def open_alerts() -> list[Party]:
    """Parties with a hit found by re-screening that nobody has reviewed or acknowledged yet."""
    return [
        p
        for p in parties_in_scope().filter(screening__has_key="new_hits").order_by("-pk")
        if "review" not in p.screening and "acknowledged" not in p.screening
    ]


@transaction.atomic
def acknowledge(actor: Actor, party: Party, *, note: str) -> Party:
    """The caseworker has seen a new hit on a licensed (or open-case) party and says what follows
    (e.g. the licence is suspended, or the hit is another entity)."""
    check_role(actor, AUTHORITY_ROLES)
    party = Party.objects.select_for_update().select_related("application").get(pk=party.pk)
    result = party.screening or {}
    if "new_hits" not in result or "acknowledged" in result or "review" in result:
        raise InputError("no open screening alert for this party", field="party")
    if not note.strip():
        raise InputError("say what follows from the new hit", field="note")
    ack = {"by": actor.user.get_username(), "at": timezone.now().isoformat(), "note": note.strip()}
    party.screening = {**result, "acknowledged": ack}
    party.save(update_fields=["screening"])
    record(
        actor=actor,
        action="screening.acknowledge",
        obj=party,
        case_ref=party.application.audit_ref,
        before={"alert": "open"},
        after={"alert": "acknowledged", **ack},
    )
    return party
