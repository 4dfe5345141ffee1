"""pytest-django for the service tests only: Django is configured when this directory is collected,
so the rest of the suite runs as before. Uses PostgreSQL when DUALUSE_DATABASE_URL is set
(scripts/system-deps sets it), otherwise SQLite in memory."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualuse.service.settings")
os.environ.setdefault("DUALUSE_SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123")
os.environ.setdefault("DUALUSE_DATA_DIR", tempfile.mkdtemp(prefix="dualuse-test-"))


def pytest_configure(config: pytest.Config) -> None:
    import django.conf
    from pytest_django.plugin import _setup_django

    django.conf.settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _setup_django(config)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Browser tests run last: the session's one Chromium keeps Playwright's event loop running in
    # this thread from its start to the session's end, and no other test should run beside it.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser(live_server: Any) -> Iterator[Any]:
    """One headless Chromium for every browser test of the session (a launch costs a second).
    The live server starts first: started under Playwright's running loop, its thread trips over
    the test database's connection when it closes."""
    from browsing import ARGS, CHROMIUM
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # a loaded CI machine is slower than a developer's
    # Playwright's sync API keeps an event loop in this thread; the tests' ORM calls between
    # browser steps are synchronous and safe, so Django's async guard is lifted meanwhile.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def logins(transactional_db: Any, screening_runs: Any) -> Iterator[dict[str, str]]:
    """The demo world for a live server; username -> password."""
    from service_factories import purge_audit_trail

    from dualuse.service.web.demo import load_demo

    yield {x.username: x.password for x in load_demo(dt.date.today())}
    purge_audit_trail()  # the append-only triggers would refuse the test database's flush


TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def make_org(db: Any) -> Callable[..., Any]:
    from dualuse.service.organisations.models import Organisation

    def make(kind: str = "exporter", name: str | None = None, **kw: Any) -> Any:
        n = Organisation.objects.count() + 1
        if kind == "exporter":
            kw.setdefault("eori", f"NL{100000000 + n}")
        return Organisation.objects.create(kind=kind, name=name or f"{kind} {n}", **kw)

    return make


@pytest.fixture
def make_actor(make_org: Callable[..., Any]) -> Callable[..., Any]:
    from django.contrib.auth import get_user_model

    from dualuse.service.organisations.access import actor_of
    from dualuse.service.organisations.models import Membership
    from dualuse.service.organisations.roles import ROLE_ORGANISATION

    def make(role: str, organisation: Any = None, username: str | None = None) -> Any:
        org = organisation or make_org(ROLE_ORGANISATION[role])
        user_model = get_user_model()
        name = username or f"{role}{user_model.objects.count() + 1}"
        user = user_model.objects.create_user(name, password="correct horse battery staple")
        Membership.objects.create(user=user, organisation=org, role=role)
        return actor_of(user)

    return make


LIST_CSV = (
    "id,name,schema,country,programme\n"
    "T-1,Sanctioned Trading LLC,Organization,IR,test list\n"
    "T-2,Volkov Dual Systems,Organization,RU,test list\n"
)


@pytest.fixture
def screening_runs(settings: Any, tmp_path: Any) -> Any:
    """A real screening index over a small list of made-up parties (the user CSV format), stored
    in a list store as `dualuse lists add` stores it."""
    from dualuse.batch.lists_update import store_list

    folder = tmp_path / "lists"
    result = store_list(folder, "test_list", {"test-list.csv": LIST_CSV.encode()})
    assert result.status == "updated", result.message
    settings.SCREENING_LISTS_DIR = folder
    return folder
