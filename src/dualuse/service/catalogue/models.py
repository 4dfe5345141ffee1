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
