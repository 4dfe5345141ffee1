"""An application's determination is its own: computed from its items, parties, destinations and
facts when created, again on every change, at submission and before a decision, and when the law
data or the lists changed since; a prohibited destination blocks submission and makes a grant
impossible (the workflow's guard, enforced in the operations and the API)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from service_factories import assess_all, pdf, ready_application

from dualuse.service.cases import determination
from dualuse.service.cases import operations as ops
from dualuse.service.cases.models import DraftDecision, Item
from dualuse.service.cases.workflow import (
    WORKFLOWS,
    DeterminationFacts,
    Event,
    IllegalTransitionError,
    Kind,
    State,
)
from dualuse.service.checks.determine import run_check
from dualuse.service.organisations.models import ApiToken

BAN = "Council Regulation (EU) No 833/2014, Art. 2(1)"


@pytest.fixture
def people(make_actor: Any, make_org: Any) -> dict[str, Any]:
    authority = make_org("authority", "CDIU")
    return {
        "exporter": make_actor("exporter_user"),
        "caseworker": make_actor("caseworker", authority),
        "senior": make_actor("senior_caseworker", authority),
    }


def _valve_to_russia_from_a_check(ex: Any, today: dt.date) -> Any:
    check = run_check(
        ex,
        {"activity": "export", "destination": "RU",
         "items": [{"control_code": None, "description": "ball valve, not listed"}]},
        [{"role": "end_user", "name": "Volga Pumps OOO", "country": "RU"}],
        today=today,
    )
    # Without a CN code the sanctions' goods lists cannot be checked: undetermined, never "no
    # authorisation required" (and valves, heading 8481, are in Annex XXIII anyway).
    assert check.outcome == "undetermined"
    return ops.create_application(
        ex, kind="individual", destinations=check.destinations, end_use="pumping station",
        check=check, today=today,
    )


def test_the_bug_a_listed_item_added_to_a_valve_case_for_russia_is_prohibited(
    people: dict[str, Any], screening_runs: Any
) -> None:
    """A case started from a check on a non-listed valve to RU kept the check's 'No
    authorisation required' after 5A002.a.1 was added, and was licensed. No more."""
    today = dt.date.today()
    ex = people["exporter"]
    app = _valve_to_russia_from_a_check(ex, today)
    created = app.determination
    assert created.reason == "created" and created.incomplete  # no items yet: not determined
    assert created.outcome == ""  # never 'no authorisation required' by default
    ops.add_item(ex, app, control_code="", description="ball valve", quantity=Decimal(4),
                 unit="pieces", value_eur=Decimal(800), today=today)
    assert app.determination.outcome == "undetermined"
    ops.add_item(ex, app, control_code="5A002.a.1", description="encryption module",
                 quantity=Decimal(2), unit="pieces", value_eur=Decimal(3000), today=today)
    det = app.determination
    assert det.reason == "changed" and det.outcome == "prohibited"
    assert det.legal_bases == [BAN, "Regulation (EU) 2021/821, Art. 3(1)"]
    assert {"what": "outcome", "destination": "RU", "before": "undetermined",
            "after": "prohibited"} in det.changes
    assert determination.facts(det).prohibited == {"RU": (BAN,)}
    ops.add_document(ex, app, kind="end_use_statement", upload=pdf())
    with pytest.raises(IllegalTransitionError, match=r"the export to RU is prohibited \(Council"):
        ops.submit(ex, app, today=today)
    app.refresh_from_db()
    assert app.state == State.DRAFT and app.submitted_on is None
    # removing the listed item makes it submittable again
    ops.remove_item(ex, app, app.items.get(control_code="5A002.a.1"), today=today)
    assert app.determination.outcome == "undetermined"
    ops.submit(ex, app, today=today)
    assert app.state == State.SUBMITTED and app.determination.reason == "submitted"


def test_the_workflow_refuses_a_grant_while_a_destination_is_prohibited() -> None:
    wf = WORKFLOWS[Kind.INDIVIDUAL]
    with pytest.raises(IllegalTransitionError, match="no determination"):
        wf.next_state(State.DECISION_DRAFTED, Event.APPROVE_GRANT)
    with pytest.raises(IllegalTransitionError, match=r"RU is prohibited \(" + re.escape(BAN)):
        wf.next_state(State.DECISION_DRAFTED, Event.APPROVE_GRANT,
                      determination=DeterminationFacts(prohibited={"RU": (BAN,)}))
    with pytest.raises(IllegalTransitionError, match="cannot be determined"):
        wf.next_state(State.DECISION_DRAFTED, Event.APPROVE_GRANT,
                      determination=DeterminationFacts(undetermined="items: required"))
    assert wf.next_state(State.DECISION_DRAFTED, Event.APPROVE_GRANT,
                         determination=DeterminationFacts()) == State.GRANTED
    # a denial needs no determination
    assert wf.next_state(State.DECISION_DRAFTED, Event.APPROVE_DENIAL) == State.DENIED


def test_a_grant_is_refused_when_the_case_became_prohibited_after_drafting(
    people: dict[str, Any], screening_runs: Any
) -> None:
    """Whatever put a listed item to RU into the case (here a row written behind the operations'
    back, as the old data has), the approval determines it again and refuses the grant."""
    today = dt.date.today()
    ex, cw, sr = people["exporter"], people["caseworker"], people["senior"]
    app = _valve_to_russia_from_a_check(ex, today)
    ops.add_item(ex, app, control_code="", description="ball valve", quantity=Decimal(4),
                 unit="pieces", value_eur=Decimal(800), today=today)
    app.parties.update(address="Kazan")
    ops.add_document(ex, app, kind="end_use_statement", upload=pdf())
    ops.submit(ex, app, today=today)
    ops.assign(cw, app, cw.user)
    assess_all(cw, app)
    ops.request_advice(cw, app, question="Russia?")
    app.advice_requests.update(given_at=dt.datetime.now(dt.UTC), recommendation="no_objection",
                               advice="none")
    app.state = State.IN_ASSESSMENT
    app.save()
    ops.draft_decision(cw, app, kind="grant", reasons="no concerns", today=today)
    Item.objects.create(application=app, control_code="5A002.a.1", description="module",
                        quantity=Decimal(1), unit="pieces", value_eur=Decimal(1))
    with pytest.raises(IllegalTransitionError, match=r"grant is impossible: the export to RU"):
        ops.approve_draft(sr, app, today=today)
    app.refresh_from_db()
    assert app.state == State.DECISION_DRAFTED
    assert not hasattr(app, "licence") or app.licence is None
    assert DraftDecision.objects.get(application=app).approved_at is None
    # nor can another grant be drafted: determined again, the blockers name the provision
    with pytest.raises(IllegalTransitionError, match=r"cannot draft a grant: the export to RU"):
        ops.draft_decision(cw, app, kind="grant", reasons="again", today=today)


def test_a_stale_determination_is_made_again_and_says_what_changed(
    people: dict[str, Any], screening_runs: Any
) -> None:
    today = dt.date.today()
    ex, cw = people["exporter"], people["caseworker"]
    app = ready_application(ex, today, destination="US")
    ops.submit(ex, app, today=today)
    det = app.determination
    assert determination.current(cw, app, today=today) == det  # nothing changed: the same
    det.data_version = "2025.01.01-old"
    det.save()
    fresh = determination.current(cw, app, today=today)
    assert fresh.pk != det.pk and fresh.reason == "law_changed"
    assert {"what": "data_version", "before": "2025.01.01-old",
            "after": fresh.data_version} in fresh.changes
    # a new list version: the parties are screened again and the determination made again
    from dualuse.batch.lists_update import store_list

    store_list(screening_runs, "extra", {"extra.csv": (
        b"id,name,schema,country,programme\nX-1,Acme Optics Inc,Organization,US,test list\n")})
    again = determination.current(cw, app, today=today)
    assert again.reason == "lists_changed"
    assert any(c["what"] == "lists_version" for c in again.changes)
    end_user = app.parties.get(role="end_user")
    assert end_user.screening_status == "possible_match"
    assert end_user.screening["matches"][0]["list_id"] == "X-1"


def test_the_api_returns_the_determination_and_refuses_submission_naming_the_provision(
    db: Any, screening_runs: Any, make_actor: Any
) -> None:
    ex = make_actor("exporter_user")
    client = Client(headers={
        "authorization": f"Bearer {ApiToken.issue(get_user_model().objects.get(pk=ex.user.pk), 'x')[1]}"})  # noqa: E501
    r = client.post("/api/applications", {
        "kind": "individual", "destinations": ["RU"], "end_use": "telecoms",
        "parties": [{"role": "end_user", "name": "Volga Telecom", "country": "RU",
                     "address": "Kazan"}],
        "items": [{"control_code": "5A002.a.1", "description": "module", "quantity": "1",
                   "unit": "pieces", "value_eur": "10"}],
    }, content_type="application/json")
    assert r.status_code == 201, r.content
    ref = r.json()["reference"]
    body = client.get(f"/api/applications/{ref}").json()
    assert body["determination"]["outcome"] == "prohibited"
    assert body["determination"]["legal_bases"][0] == BAN
    assert body["determination"]["per_destination"][0]["determination"]["notes"]
    doc = client.post(f"/api/applications/{ref}/documents",
                      {"kind": "end_use_statement", "file": pdf()})
    assert doc.status_code == 201, doc.content
    r = client.post(f"/api/applications/{ref}/submit")
    assert r.status_code == 409 and BAN in r.json()["detail"], r.content
    # the exporter changes the item: no longer prohibited (an authorisation is required)
    item = body["items"][0]["id"]
    r = client.put(f"/api/applications/{ref}/items/{item}", {
        "control_code": "", "description": "plain module", "quantity": "1", "unit": "pieces",
        "value_eur": "10"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["determination"]["outcome"] != "prohibited"
    assert client.post(f"/api/applications/{ref}/submit").json()["state"] == "submitted"
