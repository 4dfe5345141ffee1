"""schemathesis against the OpenAPI spec: whatever a client sends, the API never answers 5xx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from dualuse.service.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Calling the WSGI application directly fires request_started/finished, whose handler would
    close the test's database connection (inside its transaction); Django's own test client
    detaches it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db: Any, screening_runs: Any, keep_test_connection: None) -> dict[str, str]:
    from django.contrib.auth import get_user_model

    from dualuse.service.organisations.models import ApiToken
    from dualuse.service.web.demo import load_demo

    load_demo(dt.date.today())
    users = get_user_model().objects
    return {
        role: ApiToken.issue(users.get(username=role), "fuzz")[1]
        for role in ("exporter1", "caseworker", "customs")
    }


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_errors(case: Any, tokens: dict[str, str]) -> None:
    for token in tokens.values():
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=(not_a_server_error,))
