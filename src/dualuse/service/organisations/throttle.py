"""Login throttling shared by every app server: failures per (username, client address) live in
the database, so several gunicorn workers or machines allow LOGIN_ATTEMPTS failures in all, not
each. A username is locked for LOGIN_LOCK after its last failure once the limit is reached (a
sliding window); a successful login clears the count. Each lock-out is an audit event."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When

from dualuse.service.audit.chain import record
from dualuse.service.organisations.models import LoginFailure

LOGIN_ATTEMPTS = 5
LOGIN_LOCK = dt.timedelta(minutes=15)


def _key(username: str, address: str) -> dict[str, str]:
    # the same normalisation for every call; cut to the columns' width (Django usernames are
    # at most 150 characters, so a longer one cannot log in anyway)
    return {"username": username.strip().casefold()[:150], "address": address[:45]}


def is_locked(username: str, address: str, *, now: dt.datetime) -> bool:
    locked: bool = LoginFailure.objects.filter(
        **_key(username, address),
        failures__gte=LOGIN_ATTEMPTS,
        last_failed_at__gt=now - LOGIN_LOCK,
    ).exists()
    return locked


def record_failure(username: str, address: str, *, now: dt.datetime) -> bool:
    """Count one failure; True when it is the one that locks the username out."""
    key = _key(username, address)
    # one UPDATE statement, so concurrent workers never lose a count; a count whose window has
    # passed starts again at 1
    expired = When(last_failed_at__lte=now - LOGIN_LOCK, then=Value(1))
    bump = Case(expired, default=F("failures") + 1)
    with transaction.atomic():
        if not LoginFailure.objects.filter(**key).update(failures=bump, last_failed_at=now):
            try:
                with transaction.atomic():
                    LoginFailure.objects.create(**key, failures=1, last_failed_at=now)
            except IntegrityError:  # another worker created it meanwhile
                LoginFailure.objects.filter(**key).update(failures=bump, last_failed_at=now)
        row = LoginFailure.objects.get(**key)
        locks: bool = row.failures == LOGIN_ATTEMPTS
        if locks:
            record(
                actor=None,
                action="login.lock",
                obj=row,
                case_ref=f"login:{key['username']}",
                after={
                    **key,
                    "failures": row.failures,
                    "locked_until": now + LOGIN_LOCK,
                },
            )
    # rows whose window has passed say nothing any more
    LoginFailure.objects.filter(last_failed_at__lte=now - LOGIN_LOCK).delete()
    return locks


def clear_failures(username: str, address: str) -> None:
    LoginFailure.objects.filter(**_key(username, address)).delete()
