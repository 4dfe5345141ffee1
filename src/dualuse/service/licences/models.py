# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Licences issued, their use against quantity and value limits, and the authority's measures on
exporters: ad hoc authorisation requirements (Arts 4(1), 5(1), 9), the Art. 12(7) bar on Union
general export authorisations, and UGEA registrations with their notification deadlines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualuse.service.cases.models import KIND_CHOICES, Application
from dualuse.service.cases.workflow import LicenceState
from dualuse.service.lawdata import catalogue_on
from dualuse.service.licences.deadlines import FirstUseDeadline, first_use_deadline
from dualuse.service.organisations.models import Organisation

LICENCE_STATE_CHOICES = [
    (LicenceState.ACTIVE.value, _("Active")),
    (LicenceState.SUSPENDED.value, _("Suspended")),
    (LicenceState.REVOKED.value, _("Revoked")),
    (LicenceState.ANNULLED.value, _("Annulled")),
]


class Licence(models.Model):
    number = models.CharField(max_length=24, unique=True)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="licence"
    )
    exporter = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="licences")
    kind = models.CharField(max_length=24, choices=KIND_CHOICES)
    status = models.CharField(
        max_length=12, choices=LICENCE_STATE_CHOICES, default=LicenceState.ACTIVE.value
    )
    destinations = models.JSONField(default=list)
    end_users = models.JSONField(default=list)
    conditions = models.TextField(blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField()
    issued_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    language = models.CharField(
        max_length=2,
        choices=settings.LANGUAGES,
        default="nl",
        help_text="the holder's language: the licence document is produced in it",
    )

    class Meta:
        ordering = ("-issued_at", "-pk")

    def __str__(self) -> str:
        return self.number


class LicenceItem(models.Model):
    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="items")
    control_code = models.CharField(max_length=20, blank=True)
    cn_code = models.CharField("CN code", max_length=10, blank=True)
    description = models.TextField()
    unit = models.CharField(max_length=20)
    quantity = models.DecimalField(max_digits=18, decimal_places=3)
    value_eur = models.DecimalField(max_digits=18, decimal_places=2)
    quantity_used = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    value_used = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ("pk",)

    @property
    def quantity_remaining(self) -> Decimal:
        return self.quantity - self.quantity_used

    @property
    def value_remaining(self) -> Decimal:
        return self.value_eur - self.value_used


class LicenceUse(models.Model):
    """One entry in a licence item's ledger: an export (declaration) written off, or a reversal of
    one. Entries are never edited or deleted; a correction is a reversal (the negated amounts)
    and, where the export stands with other amounts, a replacing write-off. What remains is
    recomputed from the entries."""

    item = models.ForeignKey(LicenceItem, on_delete=models.PROTECT, related_name="uses")
    quantity = models.DecimalField(max_digits=18, decimal_places=3)
    value_eur = models.DecimalField(max_digits=18, decimal_places=2)
    exported_on = models.DateField()
    declaration_ref = models.CharField(max_length=40)
    destination = models.CharField(max_length=2, default="", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replacement"
    )
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ("recorded_at", "pk")
        constraints = (
            # A declaration is written off against an item once; a repeat returns that entry.
            models.UniqueConstraint(
                fields=["item", "declaration_ref"],
                condition=models.Q(reverses__isnull=True, replaces__isnull=True),
                name="licence_use_once_per_declaration",
            ),
        )

    @property
    def kind(self) -> str:
        if self.reverses_id:
            return "reversal"
        return "correction" if self.replaces_id else "write_off"

    @property
    def standing(self) -> bool:
        """A write-off (or correction) not reversed since."""
        return self.reverses_id is None and not hasattr(self, "reversal")


class LicenceAction(models.Model):
    """Suspension, reinstatement, modification, revocation or annulment (Art. 16(1))."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="actions")
    event = models.CharField(max_length=12)
    reasons = models.TextField()
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("taken_at", "pk")


# The provision each decision is taken under, spelled as the engine's ad hoc requirement article.
REQUIREMENT_BASES = [
    ("4(1)(a)", _("Art. 4(1)(a): weapons of mass destruction (Bsg Art. 3)")),
    ("4(1)(b)", _("Art. 4(1)(b): military end-use in an arms-embargoed country")),
    ("4(1)(c)", _("Art. 4(1)(c): parts of illegally exported military items")),
    ("5(1)", _("Art. 5(1): cyber-surveillance items")),
    ("6(1)", _("Art. 6(1): brokering services (Wsd Art. 4)")),
    ("8(1)", _("Art. 8(1): technical assistance")),
    ("10(1)", _("Art. 10(1): national control list (Bsg Art. 4)")),
]


class AdHocRequirement(models.Model):
    """An authorisation requirement the authority imposes on one exporter by decision."""

    exporter = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="adhoc_requirements"
    )
    basis = models.CharField(max_length=8, choices=REQUIREMENT_BASES)
    control_codes = models.JSONField(default=list, blank=True, help_text="empty: any item")
    item_description = models.TextField(blank=True)
    end_users = models.JSONField(default=list, blank=True, help_text="names; empty: any end-user")
    destinations = models.JSONField(default=list, blank=True, help_text="ISO2; empty: any")
    reasons = models.TextField()
    imposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imposed_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-imposed_at", "-pk")


class UgeaBar(models.Model):
    """Art. 12(7): the exporter may not use Union general export authorisations."""

    exporter = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ugea_bars")
    reasons = models.TextField()
    imposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imposed_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    REFUSED = "refused", _("Refused")


class UgeaRegistration(models.Model):
    """Registration for a UGEA and the notification of its first use (Annex II, Bsg Art. 4b(4)),
    acknowledged by the authority within the working days Annex II sets (Part 3 of each
    authorisation, subject to Art. 12(7)); both periods are read from the law data."""

    exporter = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="ugea_registrations"
    )
    ugea = models.CharField(max_length=5)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    planned_first_export = models.DateField(null=True, blank=True)
    first_export_on = models.DateField(null=True, blank=True)
    first_use_notified_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_reasons = models.TextField(blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["exporter", "ugea"], name="ugea_registration_once"),
        )

    def first_use(self, today: dt.date) -> FirstUseDeadline:
        """The first-use notification deadline of this registration, as of `today`."""
        rule = catalogue_on(today).ugea(self.ugea).first_use_notification
        return first_use_deadline(
            self.ugea,
            rule,
            planned_first_export=self.planned_first_export,
            first_export_on=self.first_export_on,
            notified_on=self.first_use_notified_on,
            today=today,
        )


HOLD_GROUNDS = [
    ("21(3)(a)(i)", _("Art. 21(3)(a)(i): relevant information not taken into account")),
    ("21(3)(a)(ii)", _("Art. 21(3)(a)(ii): circumstances materially changed")),
    ("21(3)(b)", _("Art. 21(3)(b): information on a possible Art. 4(1) measure")),
]
HOLD_OUTCOMES = [
    ("released", _("Released: authorisation maintained, no Art. 4(1) action")),
    ("stopped", _("Stopped: the authority acts under Art. 4(1) or 16(1)")),
]


class ExportHold(models.Model):
    """Customs suspends an export (Art. 21(3)) and consults the authority, which replies within
    10 working days (30 at its request); without a reply the items are released (Art. 21(4))."""

    exporter = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="holds")
    licence = models.ForeignKey(
        Licence, null=True, blank=True, on_delete=models.PROTECT, related_name="holds"
    )
    declaration_ref = models.CharField(max_length=40)
    destination = models.CharField(max_length=2)
    items = models.TextField()
    ground = models.CharField(max_length=16, choices=HOLD_GROUNDS)
    facts = models.TextField()
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField()
    reply_due = models.DateField()
    extended = models.BooleanField(default=False)
    outcome = models.CharField(max_length=10, choices=HOLD_OUTCOMES, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("-held_on", "-pk")

    def status(self, today: dt.date) -> str:
        if self.outcome:
            return self.outcome
        return "released_by_silence" if today > self.reply_due else "held"
