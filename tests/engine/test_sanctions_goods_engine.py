"""The sanctions goods rules through the engine and its edges: the explanation names what was
checked, third-country duties cite their article, cn_code travels through JSON, text, the CLI and
the batch, and a bad CN code is refused naming the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from dualuse.batch.determination import determine_table
from dualuse.cli.main import app
from dualuse.engine import determine, render_text, replay
from dualuse.errors import InputError
from dualuse.law import load_law

LAW = load_law()


def _tx(**over: Any) -> dict[str, Any]:
    tx: dict[str, Any] = {"as_of": "2025-11-01", "activity": "export",
                          "exporter": {"member_state": "NL"}, "destination": "RU",
                          "items": [{"control_code": None, "cn_code": "0101 21 00"}]}
    tx.update(over)
    return tx


def _node(result: Any, rule: str, item: int = 0) -> Any:
    return next(c for c in result.explanation.children[item].children if c.rule == rule)


def test_a_code_not_found_says_which_annexes_were_checked_and_which_not() -> None:
    result = determine(_tx(), LAW)
    assert result.outcome == "undetermined"
    node = _node(result, "sanctions.goods_unlisted")
    assert "Annex VII, Part B (version in force from 2025-10-24" in node.result
    assert "Annex XXIII (version in force from 2025-10-24" in node.result
    assert "Annex XI" in node.result and "Annex VII, Part A" in node.result
    (question,) = [q for q in result.questions if q.id.endswith("other_listings")]
    assert "Art. 3c(1), Annex XI (not bundled)" in question.text
    answered = determine(_tx(answers={question.id: False}), LAW)
    assert answered.outcome == "no_authorisation_required"
    node = _node(answered, "sanctions.goods_unlisted")
    assert node.result.startswith("CN 0101 21 00 is not listed: checked Annex VII, Part B")


def test_a_listed_code_explains_the_entry_its_table_and_the_version() -> None:
    result = determine(_tx(items=[{"control_code": None, "cn_code": "84669390"}]), LAW)
    node = _node(result, "sanctions.goods_lists")
    assert node.outcome == "prohibited"
    assert "subheading 8466 93 (table 5)" in node.result
    assert "heading 8466" in node.result  # Annex XXIII lists the heading whole
    assert "Council Regulation (EU) 2025/2033" in node.result
    assert result.items[0].cn_code == "84669390"
    assert result.to_dict()["items"][0]["cn_code"] == "84669390"
    text = render_text(result)
    assert "Council Regulation (EU) No 833/2014, Art. 3k(1), Annex XXIII" in text


def test_undetermined_reads_as_such_in_text_and_asks() -> None:
    result = determine(_tx(items=[{"control_code": None}]), LAW)
    text = render_text(result)
    assert text.startswith("Determination: UNDETERMINED")
    assert "(none yet: the facts needed below decide)" in text
    assert "? sanctions.RU.items[0].cn_code" in text
    assert all(u.status != "available" for u in result.general_authorisations)


def _obligations(result: Any) -> dict[str, str]:
    return {o.provision: o.kind for o in result.obligations}


def test_no_russia_clause_applies_to_third_countries_not_to_partner_countries() -> None:
    bearings = [{"control_code": None, "cn_code": "8482 10 10"}]
    kz = _obligations(determine(_tx(destination="KZ", items=bearings), LAW))
    assert kz["Council Regulation (EU) No 833/2014, Art. 12g(1)"] == "contractual_clause"
    assert kz["Council Regulation (EU) No 833/2014, Art. 12gb(1)"] == "due_diligence"
    norway = determine(_tx(destination="NO", items=bearings), LAW)
    assert "Council Regulation (EU) No 833/2014, Art. 12g(1)" not in _obligations(norway)
    assert any("partner country" in c.result for c in norway.explanation.children[0].children)
    # Art. 12g(2)(a): the execution of contracts for the machine tools it names is exempt.
    lathe = _obligations(determine(_tx(destination="KZ", items=[
        {"control_code": None, "cn_code": "8458 11 90"}]), LAW))
    assert "Council Regulation (EU) No 833/2014, Art. 12g(1)" not in lathe
    assert "Council Regulation (EU) No 833/2014, Art. 12gb(1)" in lathe


def test_cn_code_is_part_of_the_input_and_replays() -> None:
    result = determine(_tx(items=[{"control_code": None, "cn_code": "8466.93.90"}]), LAW)
    assert result.input["items"][0]["cn_code"] == "84669390"
    again = replay(result.to_dict(), LAW)
    assert again.same_input and again.same_outcome and again.same_legal_bases
    without = determine(_tx(destination="US", items=[{"control_code": "5A002.a.1"}]), LAW)
    assert "cn_code" not in without.input["items"][0]  # older inputs hash as before


@pytest.mark.parametrize("bad", ["8466 20", "84662090123", "ABCD2090", 84662090, "８４６６２０９０",
                                 ["84662090"], "8466209O"])
def test_a_malformed_cn_code_is_refused_naming_the_field(bad: Any) -> None:
    with pytest.raises(InputError) as info:
        determine(_tx(items=[{"control_code": None, "cn_code": bad}]), LAW)
    assert info.value.field == "items[0].cn_code"


def test_cli_json_carries_cn_code_and_refuses_a_bad_one(tmp_path: Path) -> None:
    runner = CliRunner()
    tx = _tx(items=[{"control_code": None, "cn_code": "8466 20 90"}])
    result = runner.invoke(app, ["check", "-", "--format", "json"], input=json.dumps(tx))
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["outcome"] == "prohibited"
    assert out["legal_bases"] == ["Council Regulation (EU) No 833/2014, Art. 3k(1), Annex XXIII"]
    assert out["items"][0]["cn_code"] == "84662090"
    bad = runner.invoke(app, ["check", "-"], input=json.dumps(
        _tx(items=[{"control_code": None, "cn_code": "12"}])))
    assert bad.exit_code == 2 and "items[0].cn_code" in bad.stderr and bad.stdout == ""


def _rows(lines: list[tuple[str, str, str | None]]) -> pa.Table:
    return pa.Table.from_pylist([
        {"transaction_id": t, "as_of": "2025-11-01", "activity": "export", "member_state": "NL",
         "destination": dest, "control_code": "", "cn_code": cn}
        for t, dest, cn in lines])


def test_batch_reads_cn_code_and_agrees_with_the_engine() -> None:
    out = determine_table(_rows([("T1", "RU", "8466 20 90"), ("T2", "RU", ""),
                                 ("T3", "KZ", "84821010"), ("T4", "RU", "0101 21 00")]),
                          LAW).to_pylist()
    assert [r["outcome"] for r in out] == ["prohibited", "undetermined",
                                          "no_authorisation_required", "undetermined"]
    assert out[0]["legal_bases"] == "Council Regulation (EU) No 833/2014, Art. 3k(1), Annex XXIII"
    for row, cn, dest in zip(out, ["8466 20 90", None, "84821010", "0101 21 00"],
                             ["RU", "RU", "KZ", "RU"], strict=True):
        expected = determine(_tx(destination=dest, items=[{"control_code": None,
                                                            "cn_code": cn}]), LAW)
        assert row["outcome"] == expected.outcome
        assert row["legal_bases"] == ";".join(expected.legal_bases)


def test_batch_names_the_row_of_a_bad_cn_code() -> None:
    with pytest.raises(InputError) as info:
        determine_table(_rows([("T1", "RU", "8466 20 90"), ("T2", "RU", "84-66")]), LAW)
    assert info.value.field == "cn_code" and "row 2" in str(info.value)


def test_the_russia_example_runs_as_the_docs_say() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "transaction_russia.json"
    result = CliRunner().invoke(app, ["check", str(example), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["outcome"] == "prohibited"
    assert [i["outcome"] for i in out["items"]] == ["prohibited", "prohibited", "undetermined"]
    assert "sanctions.RU.items[2].cn_code" in {q["id"] for q in out["missing_facts"]}


def test_other_listings_answers_are_read_whatever_their_case() -> None:
    qid = "sanctions.RU.items[0].other_listings"
    for answer in ("xi", "Annex XI", " XI ", "annex xi"):
        result = determine(_tx(answers={qid: answer}), LAW)
        assert result.legal_bases == ("Council Regulation (EU) No 833/2014, Art. 3c(1), Annex XI",)
    result = determine(_tx(answers={qid: "x.a.viii.013"}), LAW)
    assert result.outcome == "prohibited"
    with pytest.raises(InputError) as info:
        determine(_tx(answers={qid: "XXIII"}), LAW)  # checked whole: it does not list 0101 21 00
    assert info.value.field == f"answers.{qid}"
    result = determine(_tx(answers={qid: True}), LAW)  # yes, without the list: asked which
    assert result.outcome == "undetermined" and not result.legal_bases
    assert qid in {q.id for q in result.questions}
    with pytest.raises(InputError):
        determine(_tx(answers={qid: 3}), LAW)  # false, true or the list's name
