"""Invariants of the determination (hypothesis), the rule registry, and replay."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from engine_strategies import USES, transactions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.engine import determine, parse_transaction, render_text, replay
from dualuse.engine.result import SEVERITY
from dualuse.law import Citation, load_law
from dualuse.rules import all_rules, rule

LAW = load_law()
FAST = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@FAST
@given(transactions(), st.integers(min_value=0, max_value=4))
def test_adding_an_unlisted_item_without_flags_never_changes_the_outcome(
        tx: dict[str, Any], where: int) -> None:
    before = determine(tx, LAW)
    plain = dict(tx, informed_of=[], aware_of=[], circumstances=[])
    before = determine(plain, LAW)
    more = copy.deepcopy(plain)
    more["items"].insert(min(where, len(more["items"])),
                         {"control_code": None, "cyber_surveillance": False})
    after = determine(more, LAW)
    assert after.outcome == before.outcome
    assert after.legal_bases == before.legal_bases


@FAST
@given(transactions(), st.sampled_from(USES))
def test_being_informed_never_lowers_the_outcome(tx: dict[str, Any], use: str) -> None:
    before = determine(tx, LAW)
    informed = dict(tx, informed_of=sorted({*tx["informed_of"], use}))
    after = determine(informed, LAW)
    assert SEVERITY[after.outcome] >= SEVERITY[before.outcome]


@FAST
@given(transactions())
def test_determination_is_deterministic_and_replayable(tx: dict[str, Any]) -> None:
    first = determine(tx, LAW).to_dict()
    shuffled = json.loads(json.dumps(tx))
    shuffled["informed_of"] = list(reversed(shuffled["informed_of"]))
    second = determine(shuffled, LAW).to_dict()
    assert first == second
    again = replay(first, LAW)
    assert again.same_outcome and again.same_legal_bases and again.same_input
    assert not again.data_changed and not again.rules_changed


@FAST
@given(transactions(activities=("export",)))
def test_a_listed_item_under_a_ugea_still_needs_authorisation(tx: dict[str, Any]) -> None:
    result = determine(tx, LAW)
    if any(u.status in ("available", "conditional") for u in result.general_authorisations):
        assert result.outcome == "authorisation_required"
        assert "Regulation (EU) 2021/821, Art. 3(1)" in result.legal_bases


def test_every_rule_cites_its_provision() -> None:
    assert len(all_rules()) >= 20
    for r in all_rules():
        assert r.citation.instrument and r.cited


def test_registry_refuses_a_rule_without_citation() -> None:
    with pytest.raises(TypeError, match="must cite"):
        rule("no.citation", Citation(instrument=None), "uncited", ("export",))
    with pytest.raises(TypeError, match="must cite"):
        rule("no.pinpoint", Citation(instrument="32021R0821"), "no article", ("export",))


def test_input_hash_ignores_order_of_sets_and_changes_with_facts() -> None:
    base = {"as_of": "2026-06-01", "activity": "export", "exporter": {"member_state": "NL"},
            "destination": "PK", "items": [{"control_code": None}],
            "aware_of": ["wmd", "illegal_military_parts"]}
    a = determine(base, LAW)
    b = determine(dict(base, aware_of=["illegal_military_parts", "wmd"]), LAW)
    c = determine(dict(base, aware_of=["wmd"]), LAW)
    assert a.input_hash == b.input_hash != c.input_hash


def test_explanation_names_rule_citation_facts_and_result() -> None:
    tx = parse_transaction({"as_of": "2026-06-01", "activity": "export",
                            "exporter": {"member_state": "NL"}, "destination": "PK",
                            "items": [{"control_code": None}], "informed_of": ["wmd"]})
    result = determine(tx, LAW)
    item = result.explanation.children[0]
    node = next(c for c in item.children if c.rule == "art04.1.a")
    assert node.citation == "Regulation (EU) 2021/821, Art. 4(1)(a)"
    assert node.outcome == "authorisation_required" and node.facts["informed_of"] == ["wmd"]
    text = render_text(result)
    assert "Regulation (EU) 2021/821, Art. 4(1)(a)" in text
    assert "Official Journal" in text
    assert result.data_version in text and result.rules_version in text


def test_catalogue_of_another_day_is_refused() -> None:
    from datetime import date

    from dualuse.errors import InputError

    with pytest.raises(InputError, match="as_of"):
        determine({"as_of": "2026-06-01", "activity": "export",
                   "exporter": {"member_state": "NL"}, "destination": "US",
                   "items": [{"control_code": None}]}, LAW.as_of(date(2025, 1, 1)))


_AVAILABILITY = {"not_available": 0, "conditional": 1, "available": 2}


@FAST
@given(transactions(activities=("export",)), st.sampled_from(USES))
def test_being_informed_never_makes_a_ugea_more_available(tx: dict[str, Any], use: str) -> None:
    before = {u.id: u.status for u in determine(tx, LAW).general_authorisations}
    informed = dict(tx, informed_of=sorted({*tx["informed_of"], use}))
    after = {u.id: u.status for u in determine(informed, LAW).general_authorisations}
    for uid, status in after.items():
        assert _AVAILABILITY[status] <= _AVAILABILITY[before[uid]], uid


@FAST
@given(transactions())
def test_prohibited_leaves_no_ugea_available(tx: dict[str, Any]) -> None:
    result = determine(tx, LAW)
    if result.outcome == "prohibited":
        assert all(u.status == "not_available" for u in result.general_authorisations)
