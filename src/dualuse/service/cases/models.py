# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Licence applications and everything the authority does with them before a decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualuse.service.cases import clock
from dualuse.service.cases.workflow import FINAL_STATES, WORKFLOWS, Kind, State, Workflow
from dualuse.service.checks.models import ScreeningStatus, TransactionCheck
from dualuse.service.organisations.models import Organisation

KIND_CHOICES = [
    (Kind.INDIVIDUAL.value, _("Individual export authorisation")),
    (Kind.GLOBAL.value, _("Global export authorisation")),
    (Kind.LARGE_PROJECT.value, _("Large project authorisation")),
    (Kind.BROKERING.value, _("Authorisation for brokering services")),
    (Kind.TECHNICAL_ASSISTANCE.value, _("Authorisation for technical assistance")),
    (Kind.INTRA_EU_TRANSFER.value, _("Intra-Union transfer (Annex IV)")),
]
STATE_CHOICES = [
    (State.DRAFT.value, _("Draft")),
    (State.SUBMITTED.value, _("Submitted")),
    (State.IN_ASSESSMENT.value, _("In assessment")),
    (State.AWAITING_INFORMATION.value, _("Awaiting information from the exporter")),
    (State.AWAITING_ADVICE.value, _("Awaiting advice from Foreign Affairs")),
    (State.DECISION_DRAFTED.value, _("Decision drafted: awaiting approval")),
    (State.GRANTED.value, _("Granted")),
    (State.DENIED.value, _("Denied")),
    (State.WITHDRAWN.value, _("Withdrawn")),
]


class Application(models.Model):
    reference = models.CharField(max_length=24, unique=True)
    kind = models.CharField(max_length=24, choices=KIND_CHOICES)
    state = models.CharField(max_length=24, choices=STATE_CHOICES, default=State.DRAFT.value)
    exporter = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    check_ref = models.ForeignKey(
        TransactionCheck, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destinations = models.JSONField(default=list, help_text="ISO 3166-1 alpha-2 codes")
    end_use = models.TextField(blank=True)
    end_use_statement_exempted = models.BooleanField(default=False)
    located_in_member_states = models.JSONField(
        default=list, blank=True, help_text="Art. 14(1): member states where the items are located"
    )
    items_location = models.TextField(blank=True, help_text="Art. 13(2): location of the items")
    project_duration_months = models.PositiveIntegerField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facts = models.JSONField(
        default=dict,
        blank=True,
        help_text="the transaction's facts beyond items, parties and destinations, in the "
        "engine's words: informed_of, aware_of, circumstances, origin, purchasing_country, answers",
    )

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.reference

    @property
    def determination(self) -> ApplicationDetermination | None:
        """The application's own, latest determination (see `cases.determination`)."""
        return self.determinations.order_by("-computed_at", "-pk").first()

    @property
    def workflow(self) -> Workflow:
        return WORKFLOWS[Kind(self.kind)]

    @property
    def audit_ref(self) -> str:
        return f"application:{self.pk}"

    @property
    def screening_blocked(self) -> bool:
        """Screening that could not run (or has not run) blocks the case; it never passes it."""
        return self.parties.exclude(
            screening_status__in=[ScreeningStatus.CLEAR, ScreeningStatus.POSSIBLE_MATCH]
        ).exists()

    def clock_reading(self, today: dt.date) -> clock.ClockReading | None:
        if self.submitted_on is None or self.state in FINAL_STATES:
            return None  # not yet running, or decided
        stops = [
            # Days in the Netherlands, not in UTC: a request sent at 00:30 CET is that day's.
            clock.Stop(
                timezone.localtime(r.asked_at).date(),
                timezone.localtime(r.answered_at).date() if r.answered_at else None,
            )
            for r in self.information_requests.all()
        ]
        return clock.read_clock(self.submitted_on, stops, today)


class PartyRole(models.TextChoices):
    CONSIGNEE = "consignee", _("Consignee")
    END_USER = "end_user", _("End-user")
    INTERMEDIATE_CONSIGNEE = "intermediate_consignee", _("Intermediate consignee")
    PURCHASER = "purchaser", _("Purchaser")
    AGENT = "agent", _("Agent or broker")


class Party(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=24, choices=PartyRole.choices)
    name = models.CharField(max_length=300)
    address = models.TextField(blank=True)
    country = models.CharField(max_length=2)
    screening_status = models.CharField(
        max_length=16, choices=ScreeningStatus.choices, default=ScreeningStatus.NOT_RUN
    )
    screening = models.JSONField(
        default=dict, blank=True, help_text="the screening result as given"
    )

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name} ({self.country})"


class Item(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    control_code = models.CharField(max_length=20, blank=True)
    description = models.TextField()
    quantity = models.DecimalField(
        max_digits=18, decimal_places=3, validators=[MinValueValidator(Decimal("0.001"))]
    )
    unit = models.CharField(max_length=20)
    value_eur = models.DecimalField(
        max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    cn_code = models.CharField("CN code", max_length=10, blank=True)
    cyber_surveillance = models.BooleanField(
        default=False, help_text="a cyber-surveillance item within Art. 2(20)"
    )
    national_measure = models.CharField(
        max_length=40, blank=True, help_text="id of a national control-list measure (Arts 9, 10)"
    )

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.control_code or '-'} {self.description}"


class DocumentKind(models.TextChoices):
    END_USE_STATEMENT = "end_use_statement", _("End-use statement")
    ICP_EVIDENCE = "icp_evidence", _("ICP evidence")
    CONTRACT = "contract", _("Contract or order")
    TECHNICAL = "technical", _("Technical specification")
    OTHER = "other", _("Other")


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    file = models.FileField(upload_to="documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class InformationRequest(models.Model):
    """A request for information: the statutory clock stands still until it is answered."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="information_requests"
    )
    question = models.TextField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("asked_at", "pk")


class AdviceRecommendation(models.TextChoices):
    NO_OBJECTION = "no_objection", _("No objection")
    CONDITIONS = "conditions", _("No objection subject to conditions")
    OBJECTION = "objection", _("Objection: deny")


class AdviceRequest(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="advice_requests"
    )
    question = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    recommendation = models.CharField(
        max_length=16, choices=AdviceRecommendation.choices, blank=True
    )
    advice = models.TextField(blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("requested_at", "pk")


class Consideration(models.TextChoices):
    """Art. 15 considerations; ICP only for global authorisations (Art. 15(2))."""

    INTERNATIONAL_OBLIGATIONS = (
        "a_obligations",
        _("International obligations and commitments, non-proliferation regimes (Art. 15(1)(a))"),
    )
    SANCTIONS = "b_sanctions", _("Sanctions: Council, OSCE, UN Security Council (Art. 15(1)(b))")
    FOREIGN_POLICY = (
        "c_cfsp",
        _("National foreign and security policy, Common Position 2008/944/CFSP (Art. 15(1)(c))"),
    )
    END_USE = "d_end_use", _("Intended end-use and risk of diversion (Art. 15(1)(d))")
    ICP = "icp", _("The exporter's internal compliance programme (Art. 15(2))")


class Finding(models.TextChoices):
    NO_CONCERN = "no_concern", _("No concern")
    CONCERN = "concern", _("Concern")


class ChecklistEntry(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checklist")
    consideration = models.CharField(max_length=16, choices=Consideration.choices)
    finding = models.CharField(max_length=12, choices=Finding.choices)
    note = models.TextField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["application", "consideration"], name="checklist_one_per_consideration"
            ),
        )


class DecisionKind(models.TextChoices):
    GRANT = "grant", _("Grant")
    DENY = "deny", _("Deny")


class DraftDecision(models.Model):
    """A caseworker's draft; a different senior caseworker approves it (four eyes) or returns it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="drafts")
    kind = models.CharField(max_length=8, choices=DecisionKind.choices)
    reasons = models.TextField()
    conditions = models.TextField(blank=True)
    validity_months = models.PositiveIntegerField(null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_note = models.TextField(blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("drafted_at", "pk")

    @property
    def open(self) -> bool:
        return self.approved_at is None and self.returned_at is None


class ConsultationReply(models.TextChoices):
    NO_OBJECTION = "no_objection", _("No objection")
    OBJECTION = "objection", _("Objection (binding)")


class Consultation(models.Model):
    """Art. 14(1): the member states where the items are located are consulted; they object
    within 10 working days (extendable to 30), silence being no objection; an objection binds."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consultations"
    )
    member_state = models.CharField(max_length=2)
    requested_on = models.DateField()
    deadline = models.DateField()
    reply = models.CharField(max_length=16, choices=ConsultationReply.choices, blank=True)
    replied_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("requested_on", "pk")

    def __str__(self) -> str:
        return f"{self.member_state} ({self.application})"


class DeterminationReason(models.TextChoices):
    CREATED = "created", _("Application created")
    CHANGED = "changed", _("Application changed")
    SUBMITTED = "submitted", _("Submitted")
    BEFORE_DECISION = "before_decision", _("Before a decision")
    LAW_CHANGED = "law_changed", _("The law data changed")
    LISTS_CHANGED = "lists_changed", _("The screening lists changed")


class ApplicationDetermination(models.Model):
    """The engine's determination of the application itself (its items, parties, destinations
    and facts), one per destination as a check has them; a new one whenever the application, the
    law data or the lists change, with what changed since the one before."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="determinations"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=20, choices=DeterminationReason.choices)
    as_of = models.DateField()
    outcome = models.CharField(max_length=60, blank=True, help_text="empty: not determinable yet")
    legal_bases = models.JSONField(default=list)
    per_destination = models.JSONField(
        default=list,
        help_text="one engine determination per destination: {destination, outcome, "
        "legal_bases, determination, ad_hoc}",
    )
    transaction = models.JSONField(default=dict, help_text="the engine's input (worst destination)")
    incomplete = models.TextField(
        blank=True, help_text="why the engine could not determine it yet (e.g. no items)"
    )
    data_version = models.CharField(max_length=60)
    rules_version = models.CharField(max_length=60, blank=True)
    lists_version = models.CharField(max_length=80, blank=True)
    changes = models.JSONField(default=list, help_text="what changed since the one before")

    class Meta:
        ordering = ("-computed_at", "-pk")

    def __str__(self) -> str:
        return f"{self.application} {self.outcome or 'incomplete'} ({self.reason})"
