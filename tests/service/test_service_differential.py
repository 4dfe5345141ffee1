"""Differential test: the API (`POST /api/checks`), the CLI (`dualuse check --format json`) and
the batch runner give the same answer for the same transaction.

Transactions are generated over the real codes and countries of the bundled law, with every fact
the contract takes: items' cyber-surveillance and national measures, informed/aware end-uses,
circumstances, purchasing country, answers, and the Art. 12(7) bar (which the API takes from the
organisation, the CLI from the file). API and CLI must agree on the whole determination (outcome,
legal bases, notes, open questions, UGEAs with their statuses, conditions and obligations, the
explanation and the input hash). The batch runner reads fewer columns and writes outcome, legal
bases and UGEA statuses per line (no notes or questions): the transactions within its columns
are compared on those.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pyarrow as pa
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dualuse.batch.determination import determine_table
from dualuse.cli.main import app
from dualuse.law import load_law
from dualuse.service.licences.models import UgeaBar
from dualuse.service.organisations.models import ApiToken

LAW = load_law()
CAT = LAW.as_of(dt.date(2026, 6, 1))
CODES = sorted({
    "5A002.a.1", "5A002.a.2", "5D002.c.1", "5E002.a", "5A001.j", "1A001", "1C350.1", "1C450.a.4",
    "0A001", "0C001", "1C239", "2B001", "4D004", "6A003.b.4", "9A012", "3B001.f.1", "3B501.m",
    *[e.code for e in CAT.entries()[::211]],
})
THIRD = ["US", "JP", "NO", "CH", "GB", "CN", "IN", "BR", "AE", "UA", "PK", "RU", "BY", "IR",
         "KP", "SY", "MM", "VE", "IQ", "TR", "ZA", "AR"]
MEMBERS = ["NL", "DE", "FR", "BE", "IT", "FI", "LT", "ES"]
MEASURES = sorted({m.id for m in LAW.data.national_measures})
QUESTIONS = ["EU003.within_5_years", "EU003.initial_export_authorised", "EU003.original_end_user",
             "EU003.unchanged", "EU004.reimport_within_120_days", "EU004.public_exhibition",
             "EU007.group_relationship", "EU007.icp", "EU008.published_standards"]
DATES = [dt.date(2024, 6, 1), dt.date(2025, 9, 30), dt.date(2025, 11, 15), dt.date(2026, 6, 1)]
runner = CliRunner()


def _known(code: str | None, day: dt.date) -> bool:
    return code is None or LAW.as_of(day).has_code(code)


@st.composite
def transactions(draw: st.DrawFn) -> dict[str, Any]:
    day = draw(st.sampled_from(DATES))
    activity = draw(st.sampled_from(["export", "export", "transfer", "brokering",
                                     "technical_assistance", "transit"]))
    ms = draw(st.sampled_from(MEMBERS))
    dest = draw(st.sampled_from([m for m in MEMBERS if m != ms] if activity == "transfer"
                                else THIRD))
    items = draw(st.lists(st.fixed_dictionaries({
        "control_code": st.one_of(st.none(), st.sampled_from(CODES)).filter(
            lambda c: _known(c, day)),
        "cyber_surveillance": st.booleans(),
        "description": st.sampled_from(["", "valve", "camera core"]),
    }, optional={"national_measure": st.sampled_from(MEASURES)}), min_size=1, max_size=3))
    tx: dict[str, Any] = {
        "as_of": day.isoformat(), "activity": activity,
        "exporter": {"member_state": ms}, "destination": dest, "items": items,
        "informed_of": draw(st.lists(st.sampled_from(
            ["wmd", "military_end_use", "illegal_military_parts", "human_rights",
             "public_security"]), unique=True, max_size=2)),
        "aware_of": draw(st.lists(st.sampled_from(
            ["wmd", "military_end_use", "illegal_military_parts", "human_rights"]),
            unique=True, max_size=2)),
        "circumstances": draw(st.lists(st.sampled_from(
            ["return_after_repair", "exhibition", "intra_group", "free_zone", "public_domain",
             "minimum_for_authorised_export"]), unique=True, max_size=2)),
    }
    if activity == "transit" and draw(st.booleans()):
        tx["customs_status"] = draw(st.sampled_from(["non_union", "union"]))
    if draw(st.integers(0, 9)) < 4:  # within the batch runner's columns
        for item in items:
            item.pop("national_measure", None)
        return tx
    if draw(st.booleans()):
        tx["purchasing_country"] = draw(st.sampled_from(THIRD))
    if draw(st.booleans()):
        tx["answers"] = draw(st.dictionaries(st.sampled_from(QUESTIONS), st.booleans(),
                                             max_size=4))
    if draw(st.integers(0, 4)) == 0:
        tx["exporter"]["barred_from_ugeas"] = True
    return tx


def _cli(tx: dict[str, Any]) -> dict[str, Any] | str:
    result = runner.invoke(app, ["check", "-", "--format", "json"], input=json.dumps(tx))
    return json.loads(result.stdout) if result.exit_code == 0 else result.stderr.strip()


def _batch_reads(tx: dict[str, Any]) -> bool:
    """Whether the batch runner's columns hold every fact of the transaction."""
    return not ({"purchasing_country", "answers", "customs_status"} & set(tx)
                or tx["exporter"].get("barred_from_ugeas")
                or any("national_measure" in i for i in tx["items"]))


def _batch(tx: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [{
        "transaction_id": "T", "as_of": tx["as_of"], "activity": tx["activity"],
        "member_state": tx["exporter"]["member_state"], "destination": tx["destination"],
        "origin": None, "control_code": item["control_code"] or "",
        "cyber_surveillance": "true" if item["cyber_surveillance"] else "false",
        "informed_of": ";".join(tx["informed_of"]), "aware_of": ";".join(tx["aware_of"]),
        "circumstances": ";".join(tx["circumstances"]),
    } for item in tx["items"]]
    return determine_table(pa.Table.from_pylist(rows), LAW).to_pylist()


@pytest.fixture
def org_client(db: Any, screening_runs: Any, make_actor: Any) -> tuple[Any, Client]:
    exporter = make_actor("exporter_user")
    raw = ApiToken.issue(get_user_model().objects.get(pk=exporter.user.pk), "diff")[1]
    return exporter, Client(headers={"authorization": f"Bearer {raw}"})


EXAMPLES = 200


def test_api_cli_and_batch_agree(org_client: tuple[Any, Client]) -> None:
    exporter, client = org_client
    org = exporter.organisation
    size = {"api_cli": 0, "batch": 0, "refused": 0}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(tx=transactions())
    def agree(tx: dict[str, Any]) -> None:
        org.member_state = tx["exporter"]["member_state"]
        org.save(update_fields=["member_state"])
        UgeaBar.objects.filter(exporter=org).delete()
        if tx["exporter"].get("barred_from_ugeas"):
            UgeaBar.objects.create(exporter=org, reasons="differential", imposed_by=exporter.user)
        body = {k: v for k, v in tx.items() if k != "exporter"}
        r = client.post("/api/checks", body, content_type="application/json")
        cli = _cli(tx)
        if isinstance(cli, str):  # the CLI refused it: so must the API, naming the same field
            assert r.status_code == 400, (r.content, cli)
            assert r.json()["field"] in cli, (cli, r.json())
            size["refused"] += 1
            return
        assert r.status_code == 201, r.content
        # the whole determination: outcome, legal bases, notes, questions, UGEAs with their
        # statuses, conditions and obligations, the explanation and the input hash
        assert r.json()["determination"] == cli
        size["api_cli"] += 1
        if _batch_reads(tx):
            ugeas = ";".join(f"{u['id']}={u['status']}" for u in cli["general_authorisations"]
                             if u["status"] in ("available", "conditional"))
            for row, item in zip(_batch(tx), cli["items"], strict=True):
                assert row["outcome"] == cli["outcome"]
                assert row["legal_bases"] == ";".join(cli["legal_bases"])
                assert row["general_authorisations"] == ugeas
                assert row["line_outcome"] == item["outcome"]
            size["batch"] += 1

    agree()
    print(f"differential: {size}")  # the closing note quotes these sizes
    assert size["api_cli"] >= EXAMPLES * 2 // 3, size  # not vacuous: most were compared whole
    assert size["batch"] >= EXAMPLES // 10, size
