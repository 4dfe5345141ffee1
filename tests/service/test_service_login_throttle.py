"""Login throttling holds across app servers: the failures are counted in the database, so neither
another worker (another client, an empty local cache) nor a process without a shared cache gets
a fresh allowance; a successful login clears the count; each lock-out is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from dualuse.service.audit.chain import verify
from dualuse.service.audit.models import AuditEvent
from dualuse.service.organisations.models import LoginFailure

PASSWORD = "correct horse battery staple"  # the make_actor fixture's


@pytest.fixture
def no_cache(settings: Any) -> None:
    """Each worker's local cache is its own: with a cache that keeps nothing, any throttle living
    in the cache would never lock."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def _worker() -> Client:
    # a new client per attempt, as when a load balancer spreads requests over workers
    cache.clear()
    return Client(headers={"accept-language": "en"})


def _login(username: str, password: str) -> int:
    return _worker().post("/login/", {"username": username, "password": password}).status_code


def test_five_failures_lock_out_across_workers(make_actor: Any, no_cache: None) -> None:
    username = make_actor("exporter_user").user.username
    for _ in range(5):
        assert _login(username, "wrong") == 200
    r = _worker().post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 429 and "Too many failed attempts" in r.content.decode()
    # the username is matched as typed at login: case and spaces do not give new attempts
    assert _login(f" {username.upper()} ", PASSWORD) == 429
    (event,) = AuditEvent.objects.filter(action="login.lock")
    assert event.after["username"] == username.casefold() and event.after["failures"] == 5
    assert verify().ok
    # attempts while locked do not count again or extend the lock
    assert LoginFailure.objects.get().failures == 5

    # 15 minutes after the last failure the lock has passed and the right password works
    LoginFailure.objects.update(last_failed_at=LoginFailure.objects.get().last_failed_at
                                - dt.timedelta(minutes=15, seconds=1))
    assert _login(username, PASSWORD) == 302
    assert not LoginFailure.objects.exists()


def test_success_resets_the_count(make_actor: Any, no_cache: None) -> None:
    username = make_actor("exporter_user").user.username
    for _ in range(4):
        assert _login(username, "wrong") == 200
    assert _login(username, PASSWORD) == 302
    for _ in range(4):  # four more: the earlier four no longer count
        assert _login(username, "wrong") == 200
    assert _login(username, PASSWORD) == 302
    assert not AuditEvent.objects.filter(action="login.lock").exists()


def test_the_lock_is_per_username_and_address(make_actor: Any, no_cache: None) -> None:
    locked, other = (make_actor("exporter_user").user.username for _ in range(2))
    for _ in range(5):
        _login(locked, "wrong")
    assert _login(locked, PASSWORD) == 429
    assert _login(other, PASSWORD) == 302  # another user from the same address
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    r = elsewhere.post("/login/", {"username": locked, "password": PASSWORD})
    assert r.status_code == 302  # the same user from another address
