"""Every provision tested says whether it applies and what decided it, in the JSON tree and in
the text; replays say what changed and why."""

from __future__ import annotations

import json
from typing import Any

from engine_strategies import transactions
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from dualuse.cli.main import app
from dualuse.engine import determine, render_text, replay
from dualuse.law import load_law

LAW = load_law()
FAST = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@FAST
@given(transactions())
def test_every_provision_tested_says_why(tx: dict[str, Any]) -> None:
    result = determine(tx, LAW)
    data = result.to_dict()
    text = render_text(result)
    assert "no provision applies" not in text
    for item, node in zip(result.items, data["explanation"]["children"], strict=False):
        tested = [c for c in node["children"] if not c["rule"].startswith("annex_ii.")]
        assert tested, item
        for child in tested:
            assert isinstance(child["applies"], bool), child
            assert child["decided_by"], child  # the fact or exemption that decided it
            assert child["applies"] == ("outcome" in child or child["applies"]), child
            # the text gives the reason of each one, applying or not
            assert f"{child['citation']}: {child['result']}" in text, child["rule"]
        if item.outcome == "no_authorisation_required":
            assert not any(c.get("outcome") for c in tested)


def test_the_deciding_fact_is_named() -> None:
    base = {"as_of": "2026-06-01", "activity": "export", "exporter": {"member_state": "NL"},
            "items": [{"control_code": None}]}
    cases = [
        ({"destination": "IN", "informed_of": ["military_end_use"]}, "art04.1.b",
         "no arms embargo on India"),
        ({"destination": "CN", "informed_of": ["human_rights"]}, "art05.1",
         "not a cyber-surveillance item"),
        ({"destination": "US"}, "art03.listed", "not listed in Annex I"),
        ({"destination": "US", "activity": "technical_assistance",
          "items": [{"control_code": "2B001"}], "exporter": {"member_state": "DE"},
          "informed_of": ["wmd"]}, "art08.1", "Art. 8(3)(a) exemption"),
    ]
    for change, rule_id, words in cases:
        result = determine({**base, **change}, LAW)
        node = next(c for c in result.explanation.children[0].children if c.rule == rule_id)
        assert node.applies is False
        assert words in (node.decided_by or ""), (rule_id, node.decided_by)
        assert words in render_text(result) or words in node.result


def test_outcomes_countries_and_codes_in_words() -> None:
    result = determine({"as_of": "2026-06-01", "activity": "technical_assistance",
                        "exporter": {"member_state": "DE"}, "destination": "IN",
                        "items": [{"control_code": "2B001"}], "aware_of": ["wmd"]}, LAW)
    text = render_text(result)
    assert "Determination: NOTIFY THE COMPETENT AUTHORITY" in text
    assert "Technical assistance from Germany (DE) to India (IN)" in text
    assert "[0] 2B001 (Machine tools" in text and ": notify the competent authority" in text
    assert result.to_dict()["countries"] == {"DE": "Germany", "IN": "India"}
    assert result.to_dict()["items"][0]["annex_i_text"].startswith("Machine tools")


def test_takeover_note_from_the_day_annex_i_took_the_items_over() -> None:
    tx = {"activity": "export", "exporter": {"member_state": "NL"}, "destination": "CN",
          "items": [{"control_code": None, "national_measure": "NL-SME-2023"}]}
    before = determine({**tx, "as_of": "2025-11-14"}, LAW)
    after = determine({**tx, "as_of": "2025-11-15"}, LAW)
    assert not any("2025/2003" in n for n in before.notes)
    (note,) = [n for n in after.notes if "2025/2003" in n]
    assert "3B001.l" in note and "3B501.m" in note and "3B501.n.5" in note
    assert "classify it against Annex I" in note


def test_prohibited_says_exceptions_and_derogations_exist() -> None:
    result = determine({"as_of": "2026-06-01", "activity": "export",
                        "exporter": {"member_state": "NL"}, "destination": "BY",
                        "items": [{"control_code": "2B001"}]}, LAW)
    assert result.outcome == "prohibited"
    (note,) = [n for n in result.notes if "exceptions and derogations" in n]
    assert "Council Regulation (EC) No 765/2006, Art. 1e(3)" in note
    assert "Council Regulation (EC) No 765/2006, Art. 1e(4)" in note
    assert not any(o.kind == "record_keeping" for o in result.obligations)


def test_replay_says_what_changed_since_the_stored_versions() -> None:
    tx = {"as_of": "2026-06-01", "activity": "export", "exporter": {"member_state": "NL"},
          "destination": "AZ", "items": [{"control_code": None}],
          "informed_of": ["military_end_use"]}
    now = determine(tx, LAW).to_dict()
    # As stored under the rules and data of 2026-11-28 (before issue 13): no embargo on AZ.
    stored = {**now, "outcome": "no_authorisation_required", "legal_bases": [],
              "data_version": "2026.11.28-79456741", "rules_version": "2026.11.28-c7a5a557",
              "obligations": []}
    again = replay(stored, LAW)
    assert not again.same_outcome and again.data_changed and again.rules_changed
    assert "outcome: no_authorisation_required -> authorisation_required" in again.differences
    assert "legal basis added: Regulation (EU) 2021/821, Art. 4(1)(b)" in again.differences
    assert any(d.startswith("obligation added: Keep detailed registers") for d in
               again.differences)
    assert any("OSCE" in c for c in again.rules_changes)
    assert any("Armenia and Azerbaijan" in c for c in again.data_changes)
    same = replay(now, LAW)
    assert same.same and not same.differences and not same.rules_changes


def test_cli_replay_shows_the_differences(tmp_path: Any) -> None:
    tx = {"as_of": "2026-06-01", "activity": "technical_assistance",
          "exporter": {"member_state": "NL"}, "destination": "RU",
          "items": [{"control_code": "2B001"}]}
    stored = {**determine(tx, LAW).to_dict(),
              "legal_bases": ["Council Regulation (EU) No 833/2014, Art. 2(1)"],
              "rules_version": "2026.11.28-c7a5a557"}
    path = tmp_path / "stored.json"
    path.write_text(json.dumps(stored))
    result = CliRunner().invoke(app, ["check", str(path), "--replay"])
    assert result.exit_code == 0, result.output
    assert "legal basis removed: Council Regulation (EU) No 833/2014, Art. 2(1)" in result.stdout
    assert "legal basis added: Council Regulation (EU) No 833/2014, Art. 2(2)(a)" in result.stdout
    as_json = CliRunner().invoke(app, ["check", str(path), "--replay", "--format", "json"])
    assert json.loads(as_json.stdout)["same_legal_bases"] is False
    bad = tmp_path / "bad.json"
    bad.write_text("[1]")
    refused = CliRunner().invoke(app, ["check", str(bad), "--replay"])
    assert refused.exit_code == 2 and refused.stdout == ""
