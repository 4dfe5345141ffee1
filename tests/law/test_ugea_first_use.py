"""Annex II, Part 3 of each UGEA as typed law data: when the first use must be notified and whether
registration is required, each with the point of Annex II it comes from."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dualuse.law import UGEA_IDS, load_law

CAT = load_law().as_of(date(2026, 12, 1))


@pytest.mark.parametrize("ugea_id", UGEA_IDS)
def test_every_ugea_has_a_cited_first_use_rule_that_agrees_with_its_text(ugea_id: str) -> None:
    u = CAT.ugea(ugea_id)
    fu = u.first_use_notification
    assert fu.citation.annex == "II" and fu.citation.entry == ugea_id and fu.citation.part == "3"
    assert fu.citation.point, "the Part 3 point is cited"
    assert re.search(rf"\b{fu.days} days\b", fu.text), "the typed period is the one in the text"
    worded = {
        "before_first_export": ("before the date of the first export", "prior to the date of the"),
        "after_first_export": ("from the date when the first export took place",),
    }[fu.timing]
    assert any(w in fu.text for w in worded)
    assert fu.citation.render().startswith("Regulation (EU) 2021/821, Annex II, Section ")
    assert f"{ugea_id}, Part 3, point {fu.citation.point}" in fu.citation.render()


@pytest.mark.parametrize(
    ("ugea_id", "days", "timing", "prior", "mandatory"),
    [
        *[(f"EU00{n}", 30, "after_first_export", True, False) for n in range(1, 7)],
        ("EU007", 30, "before_first_export", False, True),
        ("EU008", 10, "before_first_export", False, True),
    ],
)
def test_first_use_periods_and_registration_duty(
    ugea_id: str, days: int, timing: str, prior: bool, mandatory: bool
) -> None:
    # EU001-EU006 say the acknowledgement is "subject to Article 12(7)"; EU007 and EU008 do not
    # repeat it (Art. 12(7) applies to every UGEA all the same).
    u = CAT.ugea(ugea_id)
    assert (u.first_use_notification.days, u.first_use_notification.timing) == (days, timing)
    assert u.first_use_notification.member_state_may_require_prior is prior
    assert u.registration.mandatory is mandatory
    assert u.registration.acknowledgement_working_days == 10
    assert u.registration.subject_to_article_12_7 is (not mandatory)
    assert "10 working days" in u.registration.text


def test_due_counts_calendar_days_from_the_first_export() -> None:
    assert CAT.ugea("EU007").first_use_notification.due(date(2027, 3, 1)) == date(2027, 1, 30)
    assert CAT.ugea("EU008").first_use_notification.due(date(2027, 3, 1)) == date(2027, 2, 19)
    assert CAT.ugea("EU001").first_use_notification.due(date(2026, 12, 1)) == date(2026, 12, 31)
