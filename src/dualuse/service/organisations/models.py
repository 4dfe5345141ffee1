# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Organisations, their users' roles, and API tokens for machine clients (an exporter's ERP)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualuse.service.organisations.roles import (
    ORGANISATION_KIND_CHOICES,
    ROLE_CHOICES,
    ROLE_ORGANISATION,
    OrganisationKind,
    Role,
)


class IcpStatus(models.TextChoices):
    NONE = "none", _("No internal compliance programme")
    IMPLEMENTED = "implemented", _("ICP implemented (Recommendation (EU) 2019/1318)")
    VERIFIED = "verified", _("ICP implemented and verified by the authority")


class Organisation(models.Model):
    kind = models.CharField(max_length=20, choices=ORGANISATION_KIND_CHOICES)
    name = models.CharField(max_length=200)
    eori = models.CharField(
        "EORI",
        max_length=17,
        blank=True,
        help_text=_("Economic Operators Registration and Identification number"),
    )
    member_state = models.CharField(
        max_length=2,
        default="NL",
        help_text=_("Member state of residence or establishment (Art. 12(2))"),
    )
    address = models.TextField(blank=True)
    icp_status = models.CharField(max_length=12, choices=IcpStatus.choices, default=IcpStatus.NONE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                fields=["eori"], condition=~models.Q(eori=""), name="organisation_unique_eori"
            ),
        )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == OrganisationKind.EXPORTER and not self.eori:
            raise ValidationError({"eori": _("An exporter needs an EORI number.")})
        if self.eori and not (
            len(self.eori) >= 3 and self.eori[:2].isalpha() and self.eori[:2].isupper()
        ):
            raise ValidationError({"eori": _("An EORI number starts with a country code.")})


class Membership(models.Model):
    """A user's one organisation and role: every permission check reads both."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=24, choices=ROLE_CHOICES)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"

    def clean(self) -> None:
        if ROLE_ORGANISATION[Role(self.role)] != self.organisation.kind:
            raise ValidationError(
                {"role": _("This role cannot be held in an organisation of this kind.")}
            )


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token `du_<prefix>_<secret>`; only the secret's SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} (du_{self.prefix}_…)"

    @classmethod
    def issue(cls, user: object, name: str) -> tuple[ApiToken, str]:
        """Create a token and return it with its plain value, shown once."""
        prefix = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=prefix, digest=_digest(secret))
        return token, f"du_{prefix}_{secret}"

    @classmethod
    def authenticate(cls, raw: str) -> ApiToken | None:
        parts = raw.split("_", 2)
        if len(parts) != 3 or parts[0] != "du":
            return None
        token = (
            cls.objects.select_related("user__membership__organisation")
            .filter(prefix=parts[1], revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None or not hmac.compare_digest(token.digest, _digest(parts[2])):
            return None
        return token


class LoginFailure(models.Model):
    """Failed logins per (username, client address), kept in the database so that every app
    server (gunicorn worker) counts the same attempts; see `throttle.py`."""

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45)  # an IPv6 address in text is at most 45 characters
    failures = models.PositiveIntegerField(default=0)
    last_failed_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["username", "address"], name="login_failure_once"),
        )
