"""The audit trail is append-only and hash-chained: tampering is detected by the verify command."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from dualuse.service.audit.chain import record, verify
from dualuse.service.audit.models import AppendOnlyError, AuditEvent


@pytest.fixture
def events(make_actor: Any) -> list[AuditEvent]:
    actor = make_actor("caseworker")
    org = actor.organisation
    return [
        record(
            actor=actor,
            action="test.change",
            obj=org,
            case_ref="x:1",
            before={"n": i},
            after={"n": i + 1, "value": Decimal("10.50")},
        )
        for i in range(5)
    ]


def test_chain_verifies_and_links(events: list[AuditEvent]) -> None:
    result = verify()
    assert result.ok and result.events == 5
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[1].prev_hash == events[0].hash
    assert AuditEvent.objects.get(seq=5).after == {"n": 5, "value": "10.50"}


def test_model_refuses_update_and_delete(events: list[AuditEvent]) -> None:
    e = AuditEvent.objects.get(seq=2)
    e.action = "forged"
    with pytest.raises(AppendOnlyError):
        e.save()
    with pytest.raises(AppendOnlyError):
        e.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(seq=2).update(action="forged")


def test_database_refuses_update(events: list[AuditEvent]) -> None:
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET action = 'forged' WHERE seq = 2")


def _drop_triggers() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DROP TRIGGER audit_event_no_change ON audit_auditevent")
        else:
            cur.execute("DROP TRIGGER audit_event_no_update")
            cur.execute("DROP TRIGGER audit_event_no_delete")


@pytest.mark.parametrize(
    ("sql", "seq", "reason"),
    [
        ("UPDATE audit_auditevent SET after = '{\"n\": 99}' WHERE seq = 3", 3, "content"),
        ("DELETE FROM audit_auditevent WHERE seq = 2", 2, "missing"),
        ("DELETE FROM audit_auditevent WHERE seq = 5", 5, "missing"),
    ],
)
def test_tampering_is_detected_by_the_command(
    events: list[AuditEvent], sql: str, seq: int, reason: str
) -> None:
    call_command("audit_verify")  # intact first
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute(sql)
    result = verify()
    assert not result.ok and result.first_bad_seq == seq and reason in result.reason
    with pytest.raises(CommandError, match=f"BROKEN at event #{seq}"):
        call_command("audit_verify")
