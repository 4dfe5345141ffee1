"""The guided questionnaires: Category 5 Part 2 (Cryptography Note) and Art. 2(20)."""

from __future__ import annotations

import pytest

from dualuse.classify.questionnaire import assess, load_questionnaire, parse_questionnaire
from dualuse.errors import DataIntegrityError, InputError

HSM = {
    "form": "hardware", "uses_crypto": "yes", "special_function": "none",
    "confidentiality": "no", "algorithm": "yes", "personal_use": "no", "exclusion": "none",
    "retail": "no", "component_of_mass_market": "no", "primary_function": "1",
}


def test_hsm_is_5a002_a_1_with_reasoning_and_citations() -> None:
    a = assess(load_questionnaire("cryptography"), HSM)
    assert a.complete and a.outcome is not None
    assert a.outcome.status == "controlled"
    assert a.outcome.proposed_codes[0] == "5A002.a.1"
    assert any("5A002.a.1" in c for c in a.outcome.citations)
    record = a.record()
    assert record["answers"] == HSM
    assert [r["question"] for r in record["reasoning"]] == list(HSM)
    assert all(r["citation"] for r in record["reasoning"])


def test_mass_market_item_is_released_by_the_cryptography_note() -> None:
    answers = {**{k: HSM[k] for k in list(HSM)[:7]}, "retail": "yes",
               "not_changeable": "yes", "user_installable": "yes"}
    a = assess(load_questionnaire("cryptography"), answers)
    assert a.outcome is not None and a.outcome.status == "released"
    assert a.outcome.proposed_codes == ()
    assert any("Note 3" in c for c in a.outcome.citations)


def test_user_changeable_crypto_is_not_released() -> None:
    answers = {**{k: HSM[k] for k in list(HSM)[:7]}, "retail": "yes",
               "not_changeable": "no", "primary_function": "2"}
    a = assess(load_questionnaire("cryptography"), answers)
    assert a.outcome is not None and a.outcome.proposed_codes[0] == "5A002.a.2"
    assert any("a.2 not met" in (s.note or "") for s in a.steps)


def test_note_2_exclusion_names_the_point() -> None:
    answers = {**{k: HSM[k] for k in list(HSM)[:6]}, "exclusion": "h"}
    a = assess(load_questionnaire("cryptography"), answers)
    assert a.outcome is not None and a.outcome.id == "excluded_note2"
    assert a.steps[-1].note == "Note 2.h to 5A002.a"


def test_authentication_only_is_not_data_confidentiality() -> None:
    answers = {"form": "software", "uses_crypto": "yes", "special_function": "none",
               "confidentiality": "yes"}
    a = assess(load_questionnaire("cryptography"), answers)
    assert a.outcome is not None and a.outcome.status == "not_controlled"


def test_incomplete_answers_give_the_next_question() -> None:
    a = assess(load_questionnaire("cryptography"), {"form": "hardware"})
    assert not a.complete
    assert a.next_question is not None and a.next_question.id == "uses_crypto"


def test_bad_answers_are_refused() -> None:
    q = load_questionnaire("cryptography")
    with pytest.raises(InputError, match="form"):
        assess(q, {"form": "maybe"})
    with pytest.raises(InputError, match="colour"):
        assess(q, {"colour": "red"})
    with pytest.raises(InputError):
        load_questionnaire("astrology")


def test_answers_off_the_path_are_reported() -> None:
    a = assess(load_questionnaire("cryptography"), {"form": "technology", "algorithm": "yes"})
    assert a.outcome is not None and a.outcome.proposed_codes == ("5E002",)
    assert a.unused_answers == ("algorithm",)


CSI_PATH = {"listed": "no", "family": "location_tracking", "specially_designed": "yes",
            "covert": "yes", "natural_persons": "yes", "functions": "yes",
            "ict_source": "yes", "commercial_only": "no", "informed": "no"}


def test_aware_exporter_must_notify_under_art_5_2() -> None:
    a = assess(load_questionnaire("cyber_surveillance"), {**CSI_PATH, "aware": "yes"})
    assert a.outcome is not None and a.outcome.id == "csi_notify_art5_2"
    assert any("Art. 5(2)" in c for c in a.outcome.citations)
    feeds = a.outcome.feeds["cyber_surveillance"]
    assert feeds == {"is_cyber_surveillance_item": True, "art_5_1_informed": False,
                     "art_5_2_aware": True}
    assert a.checklist, "the due-diligence checklist comes with the outcome"


def test_informed_exporter_needs_a_licence_under_art_5_1() -> None:
    a = assess(load_questionnaire("cyber_surveillance"), {**CSI_PATH, "informed": "yes"})
    assert a.outcome is not None and any("Art. 5(1)" in c for c in a.outcome.citations)


def test_overt_monitoring_is_not_a_cyber_surveillance_item() -> None:
    answers = {k: CSI_PATH[k] for k in ("listed", "family", "specially_designed")}
    a = assess(load_questionnaire("cyber_surveillance"), {**answers, "covert": "no"})
    assert a.outcome is not None
    assert a.outcome.feeds["cyber_surveillance"]["is_cyber_surveillance_item"] is False
    assert any("2(20)" in c for c in a.outcome.citations)


def test_listed_items_go_to_art_3() -> None:
    a = assess(load_questionnaire("cyber_surveillance"), {"listed": "yes"})
    assert a.outcome is not None and any("Art. 3(1)" in c for c in a.outcome.citations)


BASE = """
id: t
title: t
version: "1"
start: a
outcomes:
  done: {status: x, summary: s, citations: [c]}
questions:
"""


@pytest.mark.parametrize(
    "questions",
    [
        "  a: {text: q, citation: c, options: [{value: y, label: y, next: b}]}\n",  # dangling
        "  a: {text: q, citation: c, options: [{value: y, label: y, next: a}]}\n",  # cycle
        "  a: {text: q, citation: c, options: [{value: y, label: y}]}\n",  # neither
        "  a: {text: q, citation: c, options: [{value: y, label: y, outcome: nope}]}\n",
    ],
)
def test_malformed_questionnaires_are_rejected(questions: str) -> None:
    with pytest.raises(DataIntegrityError):
        parse_questionnaire(BASE + questions, origin="t.yaml")


@pytest.mark.parametrize("name", ["cryptography", "cyber_surveillance"])
def test_outcomes_feed_valid_engine_transactions(name: str) -> None:
    """feeds.transaction is a fragment the determination engine accepts as it is."""
    from dualuse.engine.transaction import parse_transaction

    q = load_questionnaire(name)
    fragments = [o.feeds["transaction"] for o in q.outcomes.values() if "transaction" in o.feeds]
    assert fragments
    for fragment in fragments:
        t = parse_transaction({
            "as_of": "2026-06-01", "activity": "export", "exporter": {"member_state": "NL"},
            "destination": "US", **fragment,
        })
        assert len(t.items) == 1
