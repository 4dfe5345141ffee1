"""The statutory clock of a licence application, in working days.

Days that do not count (Algemene termijnenwet, Art. 3): Saturdays, Sundays, New Year's Day, Easter
Monday, Ascension Day, Whit Monday, Christmas Day and Boxing Day, King's Day (27 April, or 26 April
when the 27th is a Sunday) and 5 May (Liberation Day). Easter Sunday and Whit Sunday are Sundays.

The decision period is the 8 weeks CDIU works to (nl_implementation.md §3; Awb Art. 4:13); a request
for information stops the clock from the day it is sent until the day the answer arrives (Awb
Art. 4:15(1)(a)), and the deadline moves by the stopped calendar days; a deadline falling on a
non-working day moves to the next working day (Algemene termijnenwet, Art. 1).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from dualuse.errors import InputError

DECISION_PERIOD = dt.timedelta(weeks=8)
# Consulting another member state (Art. 14(1) on items located there, Art. 16(5) on its denial):
# it answers within 10 working days; the period may be extended to at most 30.
CONSULTATION_WORKING_DAYS = 10
CONSULTATION_MAX_WORKING_DAYS = 30


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (the anonymous Gregorian algorithm, 'Meeus/Jones/Butcher')."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def dutch_public_holidays(year: int) -> frozenset[dt.date]:
    easter = easter_sunday(year)
    kings_day = dt.date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = dt.date(year, 4, 26)
    return frozenset(
        {
            dt.date(year, 1, 1),
            easter + dt.timedelta(days=1),  # Easter Monday
            easter + dt.timedelta(days=39),  # Ascension Day
            easter + dt.timedelta(days=50),  # Whit Monday
            kings_day,
            dt.date(year, 5, 5),
            dt.date(year, 12, 25),
            dt.date(year, 12, 26),
        }
    )


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in dutch_public_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        days -= is_working_day(day)
    return day


@dataclass(frozen=True)
class Stop:
    """A period the clock stood still: from `start` until `end` (None while still stopped)."""

    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class ClockReading:
    received: dt.date
    today: dt.date
    running: bool
    working_days_elapsed: int
    stopped_days: int
    deadline: dt.date
    working_days_left: int
    overdue: bool


def read_clock(received: dt.date, stops: Iterable[Stop], today: dt.date) -> ClockReading:
    stops = sorted(stops, key=lambda s: s.start)
    stopped_calendar = 0
    stopped_working = 0
    running = True
    for stop in stops:
        end = stop.end or today
        if stop.end is None:
            running = False
        if end > stop.start:
            stopped_calendar += (end - stop.start).days
            stopped_working += working_days_between(stop.start, end)
    deadline = next_working_day(received + DECISION_PERIOD + dt.timedelta(days=stopped_calendar))
    elapsed = max(0, working_days_between(received, today) - stopped_working)
    left = working_days_between(today, deadline) if today < deadline else 0
    return ClockReading(
        received=received,
        today=today,
        running=running,
        working_days_elapsed=elapsed,
        stopped_days=stopped_calendar,
        deadline=deadline,
        working_days_left=left,
        overdue=today > deadline,
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def extended_consultation_deadline(
    requested_on: dt.date, working_days: int, article: str
) -> dt.date:
    """The deadline of a consultation extended to `working_days` from the request."""
    if not CONSULTATION_WORKING_DAYS < working_days <= CONSULTATION_MAX_WORKING_DAYS:
        raise InputError(
            f"an extension runs to at most {CONSULTATION_MAX_WORKING_DAYS} working days "
            f"({article})",
            field="extend_to_working_days",
        )
    return add_working_days(requested_on, working_days)
