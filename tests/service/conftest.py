"""pytest-django for the service tests only: Django is configured when this directory is collected,
so the rest of the suite runs as before. Uses PostgreSQL when DUALUSE_DATABASE_URL is set
(scripts/system-deps sets it), otherwise SQLite in memory."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
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
    """A real screening index over a small list of made-up parties (the user CSV format)."""
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "test-list.csv").write_text(LIST_CSV, encoding="utf-8")
    settings.SCREENING_LISTS_DIR = folder
    return folder
