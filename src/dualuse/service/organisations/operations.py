# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""API tokens and an exporter administrator's users, each change audited."""

from __future__ import annotations

from django.db import transaction

from dualuse.errors import InputError
from dualuse.service.audit.chain import record
from dualuse.service.organisations.access import Actor
from dualuse.service.organisations.models import ApiToken, Membership
from dualuse.service.organisations.roles import EXPORTER_ROLES, Role


@transaction.atomic
def issue_token(actor: Actor, name: str) -> str:
    if not name.strip():
        raise InputError("name the client that will use the token", field="name")
    token, raw = ApiToken.issue(actor.user, name.strip())
    record(
        actor=actor,
        action="token.issue",
        obj=token,
        case_ref=f"user:{actor.user.pk}",
        after={"name": token.name, "prefix": token.prefix},
    )
    return raw


@transaction.atomic
def add_member(actor: Actor, *, username: str, role: str, password: str) -> Membership:
    """An exporter administrator adds a user to their own organisation (exporter roles only)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if actor.role != Role.EXPORTER_ADMIN:
        raise InputError("only an exporter administrator adds users", field="role")
    if role not in {r.value for r in EXPORTER_ROLES}:
        raise InputError("an exporter's users are administrators or users", field="role")
    username = username.strip()
    user_model = get_user_model()
    if not username or user_model.objects.filter(username=username).exists():
        raise InputError("choose a username that is not taken", field="username")
    user = user_model(username=username)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InputError(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save()
    m = Membership.objects.create(user=user, organisation=actor.organisation, role=role)
    record(
        actor=actor,
        action="member.add",
        obj=m,
        case_ref=f"organisation:{actor.organisation.pk}",
        after={"username": username, "role": role},
    )
    return m


@transaction.atomic
def set_member_active(actor: Actor, member: Membership, *, active: bool) -> None:
    if actor.role != Role.EXPORTER_ADMIN or member.organisation_id != actor.organisation.pk:
        raise InputError("not a member of your organisation", field="member")
    if member.user_id == actor.user.pk:
        raise InputError("you cannot deactivate yourself", field="member")
    before = member.user.is_active
    member.user.is_active = active
    member.user.save(update_fields=["is_active"])
    record(
        actor=actor,
        action="member.activate" if active else "member.deactivate",
        obj=member,
        case_ref=f"organisation:{actor.organisation.pk}",
        before={"active": before},
        after={"active": active},
    )
