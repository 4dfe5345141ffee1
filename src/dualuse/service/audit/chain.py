# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Recording audit events and verifying the hash chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from dualuse.service.audit.models import AuditEvent, ChainHead

GENESIS = "0" * 64


def jsonable(value: Any) -> Any:
    """Plain JSON for before/after snapshots: decimals and dates as strings, exactly."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _content(event: AuditEvent) -> dict[str, Any]:
    at = event.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return {
        "seq": event.seq,
        "at": at,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "organisation": event.organisation_id_at_time,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "case_ref": event.case_ref,
        "before": event.before,
        "after": event.after,
    }


def event_hash(event: AuditEvent, prev_hash: str) -> str:
    payload = json.dumps(_content(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + "\n" + payload).encode("utf-8")).hexdigest()


def _locked_head() -> ChainHead:
    """The chain head, locked for this transaction; created once (a concurrent first event may
    create it too: then this one waits for and reads that row)."""
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        try:
            with transaction.atomic():
                ChainHead.objects.create(pk=1)
        except IntegrityError:
            pass
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def record(
    *,
    actor: Any,
    action: str,
    obj: Any,
    case_ref: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append one event; call inside the transaction that makes the change it describes."""
    user = getattr(actor, "user", actor)
    org = getattr(actor, "organisation", None)
    label = getattr(actor, "label", None) or (user.get_username() if user else "system")
    with transaction.atomic():
        head = _locked_head()
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=user if user is not None and getattr(user, "pk", None) else None,
            actor_label=label,
            organisation_id_at_time=getattr(org, "pk", None),
            action=action,
            object_type=type(obj)._meta.model_name if hasattr(obj, "_meta") else str(obj),
            object_id=str(getattr(obj, "pk", "")),
            case_ref=case_ref,
            before=jsonable(before),
            after=jsonable(after),
            prev_hash=head.hash,
        )
        event.hash = event_hash(event, head.hash)
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save()
    return event


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify() -> Verification:
    """Recompute the whole chain; report the first event that does not fit."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return Verification(False, count, expected_seq, "event missing from the sequence")
        if event.prev_hash != prev:
            return Verification(False, count, event.seq, "link to the previous event broken")
        if event_hash(event, prev) != event.hash:
            return Verification(False, count, event.seq, "content does not match its hash")
        prev = event.hash
        expected_seq += 1
        count += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != count or head.hash != prev):
        return Verification(False, count, count + 1, "events after the last stored one are missing")
    return Verification(True, count)
