# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Which list snapshots the service last applied, and each change it re-screened for."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ListsApplied(models.Model):
    """One row: the snapshots in force (list -> snapshot) the open work was last screened with."""

    versions = models.JSONField(default=dict)
    applied_at = models.DateTimeField(default=timezone.now)


class ListChange(models.Model):
    """A change of the lists in force and what re-screening found."""

    before = models.JSONField(default=dict, help_text="list -> snapshot before the change")
    after = models.JSONField(default=dict, help_text="list -> snapshot after the change")
    at = models.DateTimeField(default=timezone.now)
    parties_rescreened = models.PositiveIntegerField(default=0)
    new_hits = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-at", "-pk")

    @property
    def lists_changed(self) -> list[str]:
        names = set(self.before) | set(self.after)
        return sorted(n for n in names if self.before.get(n) != self.after.get(n))
