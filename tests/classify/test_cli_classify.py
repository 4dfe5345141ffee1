"""`dualuse classify ...` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dualuse import classify_cache
from dualuse.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUALUSE_CACHE_DIR", str(tmp_path / "cache"))
    # Each test starts like a new process: other tests (the service's) may already have built
    # the classifier in this one, which would skip the cache this test checks.
    monkeypatch.setattr(classify_cache, "_classifiers", {})


def test_json_contract(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["classify", "handheld heat camera for firefighters", "--top", "3",
              "--format", "json", "--as-of", "2026-06-01"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["verdict", "confidence", "reasons", "cyber_surveillance_families",
                          "results"]
    assert data["verdict"] == "listed" and data["cyber_surveillance_families"] == []
    assert len(data["results"]) == 3
    assert data["results"][0]["entry"] == "6A003"
    assert set(data["results"][0]) == {"code", "entry", "score", "text", "why"}
    assert list((tmp_path / "cache").glob("classify-index-*.json")), "index cached"


def test_text_output_says_it_is_a_suggestion() -> None:
    result = runner.invoke(app, ["classify", "IMSI catcher", "--as-of", "2026-06-01"])
    assert result.exit_code == 0, result.output
    assert "Suggestions only" in result.stdout
    assert "5A001" in result.stdout


def test_detail_json_adds_definitions_and_notes() -> None:
    result = runner.invoke(app, ["classify", "search", "network encryptor with AES-256",
                                 "--format", "json", "--detail", "--as-of", "2026-06-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["results"][0]["entry"] == "5A002"
    notes = data["details"][0]["release_notes"]
    assert any("Cryptography Note" in n["text"] for n in notes)


@pytest.mark.parametrize(
    "args",
    [
        ["classify", ""],
        ["classify", "..."],
        ["classify", "thermal camera", "--top", "0"],
        ["classify", "thermal camera", "--as-of", "2020-01-01"],
        ["classify", "crypto", "--answer", "form=maybe"],
        ["classify", "cyber", "--answer", "nonsense"],
    ],
)
def test_bad_input_exits_2_with_a_message(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""


def test_ordinary_goods_get_probably_not_listed_with_reasons() -> None:
    result = runner.invoke(app, ["classify", "stainless steel kitchen sink", "--format",
                                 "json", "--as-of", "2026-06-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verdict"] == "probably_not_listed"
    assert any("decisive terms" in r for r in data["reasons"])
    assert data["results"], "the nearest entries are still given"
    text = runner.invoke(app, ["classify", "cotton T-shirts", "--as-of", "2026-06-01"])
    assert "Verdict: probably not listed" in text.stdout


def test_cyber_surveillance_families_in_the_json() -> None:
    result = runner.invoke(app, ["classify", "Facial recognition software for city surveillance "
                                 "cameras", "--format", "json", "--detail",
                                 "--as-of", "2026-06-01"])
    data = json.loads(result.stdout)
    assert data["cyber_surveillance_families"] == ["facial_emotion_recognition",
                                                   "video_surveillance"]
    detail = {f["id"]: f for f in data["cyber_surveillance"]}
    assert detail["facial_emotion_recognition"]["assessment"] == "dualuse classify cyber"
    assert detail["facial_emotion_recognition"]["listed"] is False


def test_crypto_questionnaire_writes_the_record(tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "form: hardware\nuses_crypto: 'yes'\nspecial_function: none\nconfidentiality: 'no'\n"
        "algorithm: 'yes'\npersonal_use: 'no'\nexclusion: none\nretail: 'no'\n"
        "component_of_mass_market: 'no'\nprimary_function: '2'\n"
    )
    result = runner.invoke(app, ["classify", "crypto", "--answers", str(answers),
                                 "--record", str(record), "--format", "json"])
    assert result.exit_code == 0, result.output
    stored = json.loads(record.read_text())
    assert stored["outcome"]["proposed_codes"][0] == "5A002.a.2"
    assert stored == json.loads(result.stdout)


def test_cyber_assessment_incomplete_names_next_question() -> None:
    result = runner.invoke(app, ["classify", "cyber", "-a", "listed=no", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["complete"] is False
    assert data["next_question"]["id"] == "family"


def test_recheck_reports_changes(tmp_path: Path) -> None:
    csv = tmp_path / "catalogue.csv"
    csv.write_text("product,code\nVPN box,5A002.a.1\nIMSI catcher,5A001.f.2\n")
    result = runner.invoke(app, ["classify", "recheck", str(csv), "--from", "2024-11-08",
                                 "--to", "2025-11-15", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["old_version"] == "2024-11-08"
    assert [p["code"] for p in data["products"]] == ["5A002.a.1", "5A001.f.2"]
    assert all(p["status"] in {"unchanged", "amended", "extended", "renumbered", "removed"}
               for p in data["products"])


def test_recheck_bad_file_and_version(tmp_path: Path) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text("product,code\nthing,\n")
    result = runner.invoke(app, ["classify", "recheck", str(csv)])
    assert result.exit_code == 2 and "line 2" in result.output
    csv.write_text("product,code\nthing,1A001\n")
    result = runner.invoke(app, ["classify", "recheck", str(csv), "--to", "1999-01-01"])
    assert result.exit_code == 2
