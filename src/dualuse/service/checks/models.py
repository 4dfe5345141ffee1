# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Transaction checks (the engine's determination and party screening, stored as given) and the
exporter's notifications to the authority."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualuse.service.organisations.models import Organisation


class ScreeningStatus(models.TextChoices):
    CLEAR = "clear", _("No match")
    POSSIBLE_MATCH = "possible_match", _("Possible match: review needed")
    UNAVAILABLE = "unavailable", _("Screening could not run: blocked")
    NOT_RUN = "not_run", _("Not screened")


class TransactionCheck(models.Model):
    exporter = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="checks")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    as_of = models.DateField()
    transaction = models.JSONField(help_text="the transaction as submitted to the engine")
    outcome = models.CharField(max_length=60)
    legal_bases = models.JSONField(default=list)
    determination = models.JSONField(
        help_text="the engine's determination for the most severe destination, stored as given"
    )
    per_destination = models.JSONField(
        default=list,
        help_text="one engine determination per destination: {destination, outcome, "
        "legal_bases, determination}",
    )
    data_version = models.CharField(max_length=60)
    rules_version = models.CharField(max_length=60)
    screening = models.JSONField(default=list, help_text="one result per party")
    screening_status = models.CharField(
        max_length=16, choices=ScreeningStatus.choices, default=ScreeningStatus.NOT_RUN
    )

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"check {self.pk} ({self.outcome})"

    @property
    def destinations(self) -> list[str]:
        """Every destination the check determined (a single one for older checks)."""
        many = self.transaction.get("destinations")
        return list(many) if many else [str(self.transaction.get("destination", ""))]


class NotificationKind(models.TextChoices):
    ART_4_2 = "art_4_2", _("Awareness of a WMD or military end-use (Art. 4(2))")
    ART_5_2 = "art_5_2", _("Awareness of a cyber-surveillance end-use (Art. 5(2))")
    ART_6_2 = "art_6_2", _("Brokering: awareness of an Art. 4(1) end-use (Art. 6(2))")
    ART_8_2 = "art_8_2", _("Technical assistance: awareness of an Art. 8(1) use (Art. 8(2))")
    DESTINATION_CHANGE = (
        "destination_change",
        _("Possible other destination under an ad hoc requirement (Bsg Art. 3(2), Wsd Art. 2(4))"),
    )


class NotificationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    NO_ACTION = "no_action", _("No authorisation requirement")
    REQUIREMENT_IMPOSED = "requirement_imposed", _("Authorisation requirement imposed")


class Notification(models.Model):
    exporter = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="notifications"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    check_ref = models.ForeignKey(
        TransactionCheck, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    items = models.TextField(help_text="the items concerned")
    destination = models.CharField(max_length=2)
    end_user = models.CharField(max_length=300, blank=True)
    facts = models.TextField(help_text="what the exporter is aware of")
    status = models.CharField(
        max_length=24, choices=NotificationStatus.choices, default=NotificationStatus.SUBMITTED
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True)

    class Meta:
        ordering = ("-submitted_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.exporter})"
