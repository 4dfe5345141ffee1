# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The denial register (Art. 16): our own denials, notified to the other member states and the
Commission, and those they notified to us; reviews; the Art. 16(5) examination of a case against
them, with the consultation of the issuing member state."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualuse.service.cases.models import Application

OWN_MEMBER_STATE = "NL"
REVIEW_MONTHS = 36  # Art. 16(2): reviewed within three years of notification, then every three


class Decision(models.TextChoices):
    """What Art. 16(1) and (3) make notifiable."""

    REFUSED = "refused", _("Authorisation refused")
    ANNULLED = "annulled", _("Authorisation annulled")
    SUSPENDED = "suspended", _("Authorisation suspended")
    SUBSTANTIALLY_LIMITED = "limited", _("Authorisation substantially limited")
    REVOKED = "revoked", _("Authorisation revoked")
    TRANSIT_PROHIBITED = "transit_prohibited", _("Transit prohibited (Art. 7)")


class Activity(models.TextChoices):
    EXPORT = "export", _("Export")
    BROKERING = "brokering", _("Brokering services")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
    TRANSIT = "transit", _("Transit")


class DenialStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked at review")


class Denial(models.Model):
    issuing_member_state = models.CharField(max_length=2)
    reference = models.CharField(max_length=40, unique=True)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    activity = models.CharField(max_length=24, choices=Activity.choices)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="denials"
    )
    control_codes = models.JSONField(default=list)
    items = models.TextField(help_text="description and technical parameters of the items")
    destinations = models.JSONField(default=list, help_text="ISO 3166-1 alpha-2 codes")
    end_users = models.JSONField(default=list, help_text="names of the end-users")
    reasons = models.TextField()
    decided_on = models.DateField()
    # ours: when we notified it (Art. 16(1)); theirs: when it reached us. The review runs from it.
    notified_on = models.DateField(null=True, blank=True)
    notification_reference = models.CharField(max_length=60, blank=True)
    status = models.CharField(
        max_length=10, choices=DenialStatus.choices, default=DenialStatus.VALID
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-decided_on", "-pk")

    def __str__(self) -> str:
        return self.reference

    @property
    def own(self) -> bool:
        return self.issuing_member_state == OWN_MEMBER_STATE

    @property
    def audit_ref(self) -> str:
        return f"denial:{self.pk}"


class ReviewOutcome(models.TextChoices):
    RENEWED = "renewed", _("Renewed")
    AMENDED = "amended", _("Amended")
    REVOKED = "revoked", _("Revoked")


class DenialReview(models.Model):
    """Art. 16(2): our review of our own denial; its result is notified as soon as possible."""

    denial = models.ForeignKey(Denial, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    explanation = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notified_on = models.DateField(null=True, blank=True)
    notification_reference = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ("reviewed_on", "pk")


class ExaminationFinding(models.TextChoices):
    OPEN = "", _("To examine")
    NOT_IDENTICAL = "not_identical", _("Not essentially identical (our finding)")
    CONSULTED = "consulted", _("Issuing member state consulted")


class ConsultedReply(models.TextChoices):
    IDENTICAL = "identical", _("Essentially identical")
    NOT_IDENTICAL = "not_identical", _("Not essentially identical")


class Examination(models.Model):
    """Art. 16(5): a case examined against a valid denial that resembles it, and the consultation
    of the member state that issued it (reply in 10 working days, extendable to 30 by agreement;
    silence means not essentially identical)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="denial_examinations"
    )
    denial = models.ForeignKey(Denial, on_delete=models.PROTECT, related_name="examinations")
    resemblance = models.JSONField(default=dict, help_text="why the denial was put forward")
    finding = models.CharField(
        max_length=16, choices=ExaminationFinding.choices, blank=True, default=""
    )
    note = models.TextField(blank=True)
    requested_on = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    reply = models.CharField(max_length=16, choices=ConsultedReply.choices, blank=True)
    replied_on = models.DateField(null=True, blank=True)
    # Art. 16(5), fourth subparagraph: a grant after consultation is notified with its reasons.
    grant_notified_on = models.DateField(null=True, blank=True)
    grant_notification_reference = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ("pk",)
        constraints = (
            models.UniqueConstraint(fields=["application", "denial"], name="examined_once"),
        )

    def consultation_open(self, today: dt.date) -> bool:
        return (
            self.finding == ExaminationFinding.CONSULTED
            and not self.reply
            and self.deadline is not None
            and today <= self.deadline
        )

    def regarded_identical(self, today: dt.date) -> bool | None:
        """The consulted member state's view; silence past the deadline is 'not identical'."""
        if self.finding != ExaminationFinding.CONSULTED:
            return None
        if self.reply:
            return self.reply == ConsultedReply.IDENTICAL
        return None if self.consultation_open(today) else False
