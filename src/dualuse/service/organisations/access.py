# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The permission layer: every view and endpoint authorises by role AND organisation.

`Actor` is who is asking (user, organisation, role). Views declare the roles they serve with
`require_roles`; objects are always fetched through the `visible_*` querysets of their domain, which
scope by organisation, so one exporter never sees another's data (a foreign object is "not found").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from dualuse.service.organisations.models import Membership, Organisation
from dualuse.service.organisations.roles import (
    AUTHORITY_ROLES,
    EXPORTER_ROLES,
    ROLE_CHOICES,
    Role,
)


@dataclass(frozen=True)
class Actor:
    user: Any
    organisation: Organisation
    role: Role

    @property
    def is_exporter(self) -> bool:
        return self.role in EXPORTER_ROLES

    @property
    def is_authority(self) -> bool:
        return self.role in AUTHORITY_ROLES

    @property
    def role_label(self) -> str:
        return str(dict(ROLE_CHOICES)[self.role.value])

    @property
    def label(self) -> str:
        return f"{self.user.get_username()} ({self.role}, {self.organisation.name})"


def actor_of(user: Any) -> Actor | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    try:
        # Uses the membership already loaded with the user (select_related) when there is one.
        m = user.membership
    except Membership.DoesNotExist:
        return None
    return Actor(user=user, organisation=m.organisation, role=Role(m.role))


def request_actor(request: HttpRequest) -> Actor | None:
    if not hasattr(request, "_dualuse_actor"):
        request._dualuse_actor = actor_of(getattr(request, "user", None))
    actor: Actor | None = request._dualuse_actor
    return actor


def check_role(actor: Actor | None, roles: Iterable[Role]) -> Actor:
    if actor is None or actor.role not in set(roles):
        raise PermissionDenied("your role does not allow this")
    return actor


V = TypeVar("V", bound=Callable[..., HttpResponse])


def require_roles(*roles: Role) -> Callable[[V], V]:
    """Decorate a view: anonymous users go to the login page; other roles get 403."""

    def decorate(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = check_role(request_actor(request), roles)
            return view(request, actor, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate
