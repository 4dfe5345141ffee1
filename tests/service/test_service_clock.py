"""The statutory clock: Dutch public holidays, working days, requests for information stop it."""

from __future__ import annotations

import datetime as dt

import pytest

from dualuse.service.cases.clock import (
    Stop,
    dutch_public_holidays,
    easter_sunday,
    is_working_day,
    read_clock,
    working_days_between,
)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, dt.date(2024, 3, 31)),
        (2025, dt.date(2025, 4, 20)),
        (2026, dt.date(2026, 4, 5)),
        (2027, dt.date(2027, 3, 28)),
    ],
)
def test_easter(year: int, easter: dt.date) -> None:
    assert easter_sunday(year) == easter


def test_dutch_holidays_2026() -> None:
    h = dutch_public_holidays(2026)
    assert dt.date(2026, 4, 6) in h  # Easter Monday
    assert dt.date(2026, 5, 14) in h  # Ascension Day
    assert dt.date(2026, 5, 25) in h  # Whit Monday
    assert dt.date(2026, 4, 27) in h  # King's Day (a Monday)
    assert dt.date(2026, 5, 5) in h
    assert dt.date(2026, 12, 25) in h and dt.date(2026, 12, 26) in h
    assert dt.date(2026, 4, 3) not in h  # Good Friday is not a general holiday


def test_kings_day_moves_to_saturday_when_27_april_is_a_sunday() -> None:
    assert dt.date(2025, 4, 26) in dutch_public_holidays(2025)
    assert dt.date(2025, 4, 27) not in dutch_public_holidays(2025)


def test_working_days_skip_weekends_and_holidays() -> None:
    assert not is_working_day(dt.date(2026, 12, 25))
    # Mon 21 Dec 2026 -> Mon 28 Dec: 22, 23, 24, 28 (25, 26 holidays; 27 Sunday)
    assert working_days_between(dt.date(2026, 12, 21), dt.date(2026, 12, 28)) == 4


def test_eight_week_deadline_and_rfi_stop() -> None:
    received = dt.date(2026, 9, 1)
    running = read_clock(received, [], dt.date(2026, 9, 15))
    assert running.deadline == dt.date(2026, 10, 27) and running.running
    assert running.working_days_elapsed == 10
    stopped = read_clock(
        received, [Stop(dt.date(2026, 9, 8), dt.date(2026, 9, 18))], dt.date(2026, 9, 22)
    )
    assert stopped.stopped_days == 10
    assert stopped.deadline == dt.date(2026, 11, 6)
    # 15 working days from 1 to 22 Sep, minus 8 stopped (9-18 Sep)
    assert stopped.working_days_elapsed == 7
    open_stop = read_clock(received, [Stop(dt.date(2026, 9, 8), None)], dt.date(2026, 9, 10))
    assert not open_stop.running


def test_deadline_on_a_holiday_moves_to_next_working_day() -> None:
    # 8 weeks after Mon 29 Oct 2026 ... pick a receipt whose deadline lands on 25 Dec 2026
    received = dt.date(2026, 10, 30)  # +56 days = Fri 25 Dec 2026
    assert read_clock(received, [], received).deadline == dt.date(2026, 12, 28)
