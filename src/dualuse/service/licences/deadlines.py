"""Deadlines for notifying the first use of a Union general export authorisation (Annex II).

EU007: at least 30 days before the first export; EU008: at least 10 days before; EU001-EU006: within
30 days after the first export (Annex II, the 'registration and reporting requirements' of each).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

BEFORE = {"EU007": 30, "EU008": 10}
AFTER = {f"EU00{n}": 30 for n in range(1, 7)}


@dataclass(frozen=True)
class FirstUseDeadline:
    ugea: str
    due: dt.date | None
    rule: str
    met: bool | None  # None while not yet notified and not yet due


def first_use_deadline(
    ugea: str,
    *,
    planned_first_export: dt.date | None,
    first_export_on: dt.date | None,
    notified_on: dt.date | None,
    today: dt.date,
) -> FirstUseDeadline:
    if ugea in BEFORE:
        days = BEFORE[ugea]
        rule = f"notify at least {days} days before the first export (Annex II, {ugea})"
        anchor = first_export_on or planned_first_export
        due = anchor - dt.timedelta(days=days) if anchor else None
    elif ugea in AFTER:
        days = AFTER[ugea]
        rule = f"notify within {days} days after the first export (Annex II, {ugea})"
        due = first_export_on + dt.timedelta(days=days) if first_export_on else None
    else:
        raise ValueError(f"unknown Union general export authorisation {ugea!r}")
    if due is None:
        return FirstUseDeadline(ugea, None, rule, None)
    if notified_on is not None:
        return FirstUseDeadline(ugea, due, rule, notified_on <= due)
    return FirstUseDeadline(ugea, due, rule, False if today > due else None)
