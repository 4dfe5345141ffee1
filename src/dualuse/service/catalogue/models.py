# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The exporter's product catalogue and the classification record of each product."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from dualuse.service.organisations.models import Organisation


class Product(models.Model):
    exporter = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="products")
    reference = models.CharField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    cn_code = models.CharField("CN code", max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("reference",)
        constraints = (
            models.UniqueConstraint(fields=["exporter", "reference"], name="product_unique_ref"),
        )

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    @property
    def current_classification(self) -> ClassificationRecord | None:
        return self.classifications.order_by("-classified_at", "-pk").first()

    @property
    def current_cyber_assessment(self) -> CyberSurveillanceAssessment | None:
        return self.cyber_assessments.order_by("-assessed_at", "-pk").first()

    @property
    def cyber_surveillance(self) -> bool | None:
        """Is the product a cyber-surveillance item (Art. 2(20))? From its latest assessment;
        None when it has not been assessed (or the assessment found it listed in Annex I)."""
        a = self.current_cyber_assessment
        return a.is_cyber_surveillance_item if a is not None else None

    def item_facts(self) -> dict[str, object]:
        """What a transaction check takes from the catalogue for this product: its Annex I
        code (None: recorded as not listed, or not classified) and its `cyber_surveillance`
        fact (True only when an Art. 2(20) assessment found it a cyber-surveillance item)."""
        c = self.current_classification
        return {
            "description": self.name,
            "control_code": (c.control_code or None) if c is not None else None,
            "cyber_surveillance": self.cyber_surveillance is True,
        }


class ClassificationRecord(models.Model):
    """Who classified what as which Annex I code (or as not listed), why, and against which list."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="classifications")
    control_code = models.CharField(
        max_length=20, blank=True, help_text="Annex I code; empty means not listed in Annex I"
    )
    annex_i_version = models.CharField(max_length=40)
    rationale = models.TextField()
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    classified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-classified_at", "-pk")

    def __str__(self) -> str:
        return f"{self.product.reference}: {self.control_code or 'not listed'}"


class CyberSurveillanceAssessment(models.Model):
    """The Art. 2(20) assessment of a product (the guided questionnaire's answers, outcome and
    reasoning) and, for a cyber-surveillance item, the Art. 5 due-diligence record
    (Recommendation (EU) 2024/2659, section 3): which checklist steps the exporter has done.
    The latest assessment gives the product its `cyber_surveillance` fact for checks."""

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="cyber_assessments"
    )
    questionnaire_version = models.CharField(max_length=40)
    answers = models.JSONField()
    outcome = models.CharField(max_length=60)
    is_cyber_surveillance_item = models.BooleanField(null=True)
    families = models.JSONField(default=list, help_text="families the assistant recognised")
    record = models.JSONField(help_text="the questionnaire's record: steps, outcome, citations")
    due_diligence = models.JSONField(default=list, help_text="checklist steps and whether done")
    note = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-assessed_at", "-pk")

    def __str__(self) -> str:
        return f"{self.product.reference}: {self.outcome}"
