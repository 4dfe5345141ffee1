# mypy: disable-error-code="untyped-decorator"
"""Template filters: the engine's outcome words and UGEA statuses in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

OUTCOMES = {
    "no_authorisation_required": _("No authorisation required"),
    "notify_authority": _("Notify the competent authority"),
    "authorisation_required": _("Authorisation required"),
    "undetermined": _("Undetermined: facts needed"),
    "prohibited": _("Prohibited"),
}
UGEA_STATUSES = {
    "available": _("available"),
    "conditional": _("available under conditions"),
    "not_available": _("not available"),
}


@register.filter
def outcome_label(value: str) -> str:
    return str(OUTCOMES.get(value, value))


@register.filter
def ugea_status_label(value: str) -> str:
    return str(UGEA_STATUSES.get(value, value))
