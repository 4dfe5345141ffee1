"""One transaction contract for every edge: `POST /api/checks` takes the transaction JSON of
`dualuse check`, typed from the engine's own vocabularies, refuses what it does not know (naming
the field) and what the service knows better than the client, and passes every fact on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dualuse.engine.result import OUTCOMES
from dualuse.engine.transaction import (
    ACTIVITIES,
    CIRCUMSTANCES,
    END_USES,
    EXPORTER_FIELDS,
    ITEM_FIELDS,
    TRANSACTION_FIELDS,
)
from dualuse.service.api import contract
from dualuse.service.api.endpoints import api
from dualuse.service.organisations.models import ApiToken
from dualuse.service.web.demo import load_demo

# What the service deliberately does not take from a client (it knows them from the organisation
# and the authority's decisions): the only difference allowed between the two field lists.
FROM_THE_ORGANISATION = {
    "transaction": {"ad_hoc_requirements"},
    "exporter": {"barred_from_ugeas", "established_in"},
    "item": set(),
}


def test_the_api_takes_exactly_the_engines_fields() -> None:
    """Fails when the engine's transaction and the API schema drift apart (a field the engine
    gains, such as an item's `cn_code`, must be added to `api/contract.py`)."""
    engine = {"transaction": TRANSACTION_FIELDS, "exporter": EXPORTER_FIELDS, "item": ITEM_FIELDS}
    ours = contract.engine_fields()
    for level, fields in engine.items():
        assert ours[level] == set(fields) - FROM_THE_ORGANISATION[level], level


def _schema() -> dict[str, Any]:
    return api.get_openapi_schema()


def _component(schema: dict[str, Any], ref_or_schema: dict[str, Any]) -> dict[str, Any]:
    wrapped = [*ref_or_schema.get("anyOf", []), *ref_or_schema.get("allOf", [])]
    ref = ref_or_schema.get("$ref") or next((x["$ref"] for x in wrapped if "$ref" in x), None)
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else ref_or_schema


def test_openapi_types_every_field_with_the_engines_vocabularies() -> None:
    schema = _schema()
    body = schema["components"]["schemas"]["TransactionIn"]
    assert body.get("additionalProperties") is False
    assert body["examples"][0]["destination"] == "RU"
    props = body["properties"]

    def enum_of(prop: dict[str, Any]) -> list[str]:
        target = prop.get("items", prop)
        return _component(schema, target)["enum"]

    assert enum_of(props["activity"]) == list(ACTIVITIES)
    assert enum_of(props["informed_of"]) == list(END_USES)
    assert enum_of(props["aware_of"]) == list(END_USES)
    assert enum_of(props["circumstances"]) == list(CIRCUMSTANCES)
    item = _component(schema, props["items"]["items"])
    assert item.get("additionalProperties") is False
    assert set(item["properties"]) == set(ITEM_FIELDS)
    assert item["properties"]["cyber_surveillance"]["type"] == "boolean"
    assert "Outcome" in schema["components"]["schemas"]
    assert schema["components"]["schemas"]["Outcome"]["enum"] == list(OUTCOMES)
    for name, prop in props.items():  # every field is typed: a type, an enum or a reference
        flat = [prop, *prop.get("anyOf", []), *prop.get("allOf", []), prop.get("items", {})]
        assert any("type" in p or "$ref" in p for p in flat), name
        assert prop.get("description") or "$ref" in str(prop) or name in {
            "as_of", "activity", "exporter", "destination", "items", "circumstances"}, name


@pytest.fixture
def erp(db: Any, screening_runs: Any) -> Client:
    load_demo(dt.date.today())
    raw = ApiToken.issue(get_user_model().objects.get(username="exporter1"), "erp")[1]
    return Client(headers={"authorization": f"Bearer {raw}"})


def _post(client: Client, body: Any) -> Any:
    return client.post("/api/checks", body, content_type="application/json")


BASE = {"as_of": "2026-06-01", "activity": "export", "destination": "CN",
        "items": [{"control_code": None, "description": "valve"}]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BASE, "destinaton": "US"}, "destinaton"),
        ({**BASE, "items": [{"control_code": None, "cyber_survelliance": True}]},
         "items[0].cyber_survelliance"),
        ({**BASE, "parties": [{"role": "end_user", "name": "X", "country": "US", "tel": "1"}]},
         "parties[0].tel"),
        ({**BASE, "aware_of": ["wmd", "vmd"]}, "aware_of[1]"),
        ({**BASE, "activity": "exports"}, "activity"),
        ({**BASE, "answers": {"EU003.unchanged": "perhaps"}}, "answers.EU003.unchanged"),
    ],
)
def test_unknown_or_misspelt_fields_are_refused_naming_them(
    erp: Client, body: dict[str, Any], field: str
) -> None:
    from dualuse.service.checks.models import TransactionCheck

    before = TransactionCheck.objects.count()
    r = _post(erp, body)
    assert r.status_code == 422, r.content
    assert r.json()["field"].startswith(field), r.json()
    assert TransactionCheck.objects.count() == before  # nothing stored


def test_what_the_organisation_knows_is_not_the_clients_to_say(erp: Client) -> None:
    r = _post(erp, {**BASE, "ad_hoc_requirements": []})
    assert r.status_code == 422 and "competent authority" in r.content.decode()
    r = _post(erp, {**BASE, "exporter": {"member_state": "NL", "barred_from_ugeas": False}})
    assert r.status_code == 422 and "Art. 12(7)" in r.content.decode()
    r = _post(erp, {**BASE, "exporter": {"member_state": "DE"}})
    assert r.status_code == 400 and r.json()["field"] == "exporter.member_state"
    # repeating the organisation's own member state, as a `dualuse check` file does, is fine
    r = _post(erp, {**BASE, "exporter": {"member_state": "NL"}})
    assert r.status_code == 201, r.content
    assert r.json()["determination"]["input"]["exporter"] == {"member_state": "NL"}


@pytest.mark.parametrize(
    ("extra", "outcome", "basis"),
    [
        ({"items": [{"control_code": None, "cyber_surveillance": True}],
          "informed_of": ["human_rights"]}, "authorisation_required", "Art. 5(1)"),
        ({"items": [{"control_code": None, "cyber_surveillance": True}],
          "aware_of": ["human_rights"]}, "notify_authority", "Art. 5(2)"),
        ({"items": [{"control_code": None, "national_measure": "NL-SME-2023"}]},
         "authorisation_required", "Art. 9(1)"),
        ({"purchasing_country": "RU", "informed_of": ["military_end_use"]},
         "authorisation_required", "Art. 4(1)(b)"),
        ({"informed_of": ["wmd"]}, "authorisation_required", "Art. 4(1)(a)"),
        ({"aware_of": ["wmd"]}, "notify_authority", "Art. 4(2)"),
    ],
)
def test_every_fact_reaches_the_engine(
    erp: Client, extra: dict[str, Any], outcome: str, basis: str
) -> None:
    """The facts the old API dropped (held-out cases differed from the CLI on these)."""
    from dualuse.engine import determine
    from dualuse.law import load_law

    body = {**BASE, **extra}
    r = _post(erp, body)
    assert r.status_code == 201, r.content
    got = r.json()
    assert got["outcome"] == outcome
    assert any(basis in b for b in got["legal_bases"]), got["legal_bases"]
    cli = determine({**body, "exporter": {"member_state": "NL"}}, load_law()).to_dict()
    assert got["determination"]["legal_bases"] == cli["legal_bases"]
    assert got["determination"]["outcome"] == cli["outcome"]


def test_answers_to_a_conditional_ugeas_questions_make_it_available(erp: Client) -> None:
    body = {**BASE, "items": [{"control_code": "5A002.a.1"}],
            "circumstances": ["return_after_repair"]}
    first = _post(erp, body).json()
    eu003 = next(g for g in first["determination"]["general_authorisations"]
                 if g["id"] == "EU003")
    assert eu003["status"] == "conditional" and eu003["questions"]
    answers = {q["id"]: True for q in eu003["questions"]}
    second = _post(erp, {**body, "answers": answers}).json()
    eu003 = next(g for g in second["determination"]["general_authorisations"]
                 if g["id"] == "EU003")
    assert eu003["status"] == "available" and not eu003["questions"]
    assert second["determination"]["input"]["answers"] == answers
