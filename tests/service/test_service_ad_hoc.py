"""Ad hoc requirements bind: end-users compared with the screening matcher (not exact strings),
a decision naming end-users applies while the check names none (with a question), and codes and
destinations are checked when a requirement is imposed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from dualuse.errors import UnknownCodeError, UnknownCountryError
from dualuse.service.checks.ad_hoc_scope import Scope, covers, reach
from dualuse.service.checks.determine import run_check
from dualuse.service.licences.operations import impose_requirement

NWPU = "Northwest Polytechnical University"
DAY = dt.date(2026, 6, 1)


def _reach(scope: Scope, *, end_users: list[str], answers: dict[str, Any] | None = None,
           destination: str = "CN", codes: list[str | None] | None = None) -> Any:
    return reach(scope, activity="export", destination=destination, as_of=DAY,
                 item_codes=codes or [None], end_users=end_users, answers=answers or {},
                 provision="Regulation (EU) 2021/821, Art. 4(1)(a)")


SCOPE = Scope("AH-1", "4(1)(a)", end_users=(NWPU,), destinations=("CN",))


@pytest.mark.parametrize(("given", "binds", "question"), [
    ("Northwest Polytechnical University", True, None),
    ("NORTHWEST POLYTECHNICAL UNIV.", True, None),
    ("Northwestern Polytechnical University", True, "AH-1.other_end_user"),  # fails closed
    ("Acme Optics Inc", False, None),
])
def test_end_users_are_matched_by_the_screening_matcher(
    given: str, binds: bool, question: str | None
) -> None:
    found = _reach(SCOPE, end_users=[given])
    assert found.binds is binds, found.reason
    assert (found.question or {}).get("id") == question
    assert found.end_user["algorithm"] == "dualuse-match-1"


def test_no_end_user_named_binds_with_a_question() -> None:
    found = _reach(SCOPE, end_users=[])
    assert found.binds and found.question["id"] == "AH-1.end_user"
    assert NWPU in found.question["question"]


def test_a_resemblance_is_lifted_only_by_the_exporters_declaration() -> None:
    variant = "Northwestern Polytechnical University"
    lifted = _reach(SCOPE, end_users=[variant], answers={"AH-1.other_end_user": True})
    assert not lifted.binds and "declared" in lifted.reason
    assert _reach(SCOPE, end_users=[variant], answers={"AH-1.other_end_user": False}).binds


def test_scope_by_destination_activity_items_and_date() -> None:
    assert not _reach(SCOPE, end_users=[], destination="US").binds  # no question either
    assert _reach(SCOPE, end_users=[], destination="US").question is None
    by_code = Scope("AH-2", "4(1)(a)", control_codes=("5A002",))
    found = _reach(by_code, end_users=[], codes=[None, "5A002.a.1", "5A003"])
    assert found.binds and found.items == (1,)
    assert not _reach(by_code, end_users=[], codes=["6A003.b.4"]).binds
    assert covers("5A002", "5A002.a.1") and not covers("5A002", "5A003")
    brokering = Scope("AH-3", "6(1)")
    assert not _reach(brokering, end_users=[]).binds
    later = Scope("AH-4", "4(1)(a)", valid_from=DAY + dt.timedelta(days=1))
    assert not _reach(later, end_users=[]).binds


@pytest.fixture
def parties(make_actor: Any, make_org: Any, screening_runs: Any) -> dict[str, Any]:
    return {"exporter": make_actor("exporter_user"),
            "caseworker": make_actor("caseworker", make_org("authority", "CDIU"))}


def test_an_imposed_requirement_binds_a_spelling_variant_in_a_check(
    parties: dict[str, Any],
) -> None:
    ex, cw = parties["exporter"], parties["caseworker"]
    today = dt.date.today()
    impose_requirement(cw, ex.organisation, basis="4(1)(a)", end_users=[NWPU],
                       destinations=["CN"], reasons="WMD programme", today=today)
    tx = {"activity": "export", "destination": "CN",
          "items": [{"control_code": None, "description": "vacuum pump"}]}
    variant = [{"role": "end_user", "name": "Northwestern Polytechnical University",
                "country": "CN"}]
    check = run_check(ex, tx, variant, today=today)
    assert check.outcome == "authorisation_required"
    assert check.legal_bases == ["Regulation (EU) 2021/821, Art. 4(1)(a)"]
    (report,) = check.per_destination[0]["ad_hoc"]
    assert report["binds"] and report["question"]["id"].endswith(".other_end_user")
    # left blank: it binds all the same, and asks who the end-user is
    blank = run_check(ex, tx, [], today=today)
    assert blank.outcome == "authorisation_required"
    assert blank.per_destination[0]["ad_hoc"][0]["question"]["id"].endswith(".end_user")
    # another organisation: it does not bind
    other = run_check(ex, tx, [{"role": "end_user", "name": "Shanghai Pump Works",
                                "country": "CN"}], today=today)
    assert other.outcome == "no_authorisation_required"
    # the check page asks the question and takes the answer
    client = Client(headers={"accept-language": "en"})
    client.force_login(ex.user)
    page = client.get(f"/exporter/checks/{check.pk}/").content.decode()
    key = report["question"]["id"]
    assert f'name="answer:{key}"' in page and NWPU in page
    r = client.post(f"/exporter/checks/{check.pk}/", {f"answer:{key}": "yes"})
    assert r.status_code == 302
    answered = ex.organisation.checks.first()
    assert answered.pk != check.pk and answered.transaction["answers"] == {key: True}
    assert answered.outcome == "no_authorisation_required"
    # naming the end-user on the blank check's page: the matcher decides
    r = client.post(f"/exporter/checks/{blank.pk}/", {
        "end_user_name": NWPU, "end_user_country": "China"})
    named = ex.organisation.checks.first()
    assert named.outcome == "authorisation_required"
    assert named.screening[0]["name"] == NWPU and named.screening[0]["country"] == "CN"


def test_codes_and_destinations_are_checked_when_imposed(parties: dict[str, Any]) -> None:
    ex, cw = parties["exporter"], parties["caseworker"]
    today = dt.date.today()
    with pytest.raises(UnknownCodeError) as code:
        impose_requirement(cw, ex.organisation, basis="4(1)(a)", control_codes=["ZZZ"],
                           reasons="x", today=today)
    assert code.value.field == "control_codes[0]"
    with pytest.raises(UnknownCountryError) as country:
        impose_requirement(cw, ex.organisation, basis="4(1)(a)", control_codes=["5A002"],
                           destinations=["ZZZ"], reasons="x", today=today)
    assert country.value.field == "destinations[0]"
    req = impose_requirement(cw, ex.organisation, basis="4(1)(a)", control_codes=["5a002.A.1"],
                             destinations=["cn"], reasons="x", today=today)
    assert req.control_codes == ["5A002.a.1"] and req.destinations == ["CN"]
    assert ex.organisation.adhoc_requirements.count() == 1
    # from the page: names for destinations, and ZZZ refused with a message
    client = Client(headers={"accept-language": "en"})
    client.force_login(cw.user)
    url = f"/authority/exporters/{ex.organisation.pk}/"
    r = client.post(url, {"action": "impose", "basis": "4(1)(a)", "control_codes": "ZZZ",
                          "reasons": "x"}, follow=True)
    assert "unknown Annex I code" in r.content.decode()
    r = client.post(url, {"action": "impose", "basis": "4(1)(a)", "destinations": "Pakistan",
                          "reasons": "x"}, follow=True)
    assert ex.organisation.adhoc_requirements.first().destinations == ["PK"]
