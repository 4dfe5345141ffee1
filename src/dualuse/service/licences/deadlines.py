"""Deadlines for notifying the first use of a Union general export authorisation.

The rule is the law data's (Annex II, Part 3 of each authorisation: EU007 at least 30 days before
the first export, EU008 at least 10 days before, EU001-EU006 within 30 days after); this module only
applies it to a registration's dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dualuse.law.model import FirstUseNotification


@dataclass(frozen=True)
class FirstUseDeadline:
    ugea: str
    due: dt.date | None
    rule: str
    citation: str
    met: bool | None  # None while not yet notified and not yet due


def describe(rule: FirstUseNotification) -> str:
    days = {"days": rule.days}
    if rule.timing == "before_first_export":
        text: str = _("notify at least %(days)d days before the first export") % days
    elif rule.member_state_may_require_prior:
        text = _(
            "notify within %(days)d days after the first export (or before first use, where the "
            "member state requires it)"
        ) % days
    else:
        text = _("notify within %(days)d days after the first export") % days
    return text


def first_use_deadline(
    ugea: str,
    rule: FirstUseNotification,
    *,
    planned_first_export: dt.date | None,
    first_export_on: dt.date | None,
    notified_on: dt.date | None,
    today: dt.date,
) -> FirstUseDeadline:
    if rule.timing == "before_first_export":
        anchor = first_export_on or planned_first_export
    else:
        anchor = first_export_on  # nothing is due before the first export has taken place
    due = rule.due(anchor) if anchor else None
    text, cited = describe(rule), rule.citation.render()
    if due is None:
        return FirstUseDeadline(ugea, None, text, cited, None)
    if notified_on is not None:
        return FirstUseDeadline(ugea, due, text, cited, notified_on <= due)
    return FirstUseDeadline(ugea, due, text, cited, False if today > due else None)
