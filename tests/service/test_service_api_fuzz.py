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


def test_stateful_sequences(tokens: dict[str, str]) -> None:
    """Chains of calls linked by their responses (create, then read, submit, decide): no 5xx and
    every response conforms to its schema. Authority paths go as the caseworker, the rest as the
    exporter, so an exporter's registration can be acknowledged in the same scenario."""
    from schemathesis.checks import response_schema_conformance

    base = schema.as_state_machine()

    class Machine(base):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            who = "caseworker" if case.path.startswith("/api/authority/") else "exporter1"
            return {"headers": {"Authorization": f"Bearer {tokens[who]}"}}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(
                response, checks=(not_a_server_error, response_schema_conformance)
            )

    Machine.run(
        settings=settings(
            max_examples=8,
            stateful_step_count=4,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
