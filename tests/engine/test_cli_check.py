"""`dualuse check`: the CLI contract the held-out cases are measured against."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dualuse import OJ_DISCLAIMER
from dualuse.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "transaction.json"
runner = CliRunner()

TX = {"as_of": "2026-06-01", "activity": "export", "exporter": {"member_state": "NL"},
      "destination": "AR", "items": [{"control_code": "1A001", "cyber_surveillance": False,
                                      "description": "PTFE seals"}],
      "informed_of": [], "aware_of": [], "circumstances": []}


def _run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["check", *args], input=stdin)


def test_json_output_keeps_the_contract() -> None:
    result = _run("-", "--format", "json", stdin=json.dumps(TX))
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["outcome"] == "authorisation_required"
    assert out["legal_bases"] == ["Regulation (EU) 2021/821, Art. 3(1)"]
    ugeas = {u["id"]: u for u in out["general_authorisations"]}
    assert list(ugeas) == [f"EU00{i}" for i in range(1, 9)]
    assert ugeas["EU002"]["status"] == "available"
    assert all(set(u) >= {"id", "status", "reasons"} and u["reasons"] for u in ugeas.values())
    assert out["data_version"] and out["rules_version"] and out["input_hash"].startswith("sha256:")
    assert out["disclaimer"] == OJ_DISCLAIMER


def test_example_transaction_runs_as_the_readme_says() -> None:
    result = _run(str(EXAMPLE))
    assert result.exit_code == 0, result.stderr
    assert "Regulation (EU) 2021/821, Art. 3(1)" in result.stdout
    assert "EU001 available" in result.stdout
    assert OJ_DISCLAIMER in result.stdout


@pytest.mark.parametrize(("change", "field"), [
    ({"destination": "ZZ"}, "destination"),
    ({"activity": "smuggling"}, "activity"),
    ({"items": [{"control_code": "9Z999"}]}, "items[0].control_code"),
    ({"as_of": "2020-01-01"}, "as_of"),
    ({"aware_of": ["curiosity"]}, "aware_of[0]"),
    ({"circumstances": ["sunny"]}, "circumstances[0]"),
    ({"exporter": {"member_state": "CH"}}, "exporter.member_state"),
])
def test_bad_input_exits_2_naming_the_field_with_empty_stdout(change: dict, field: str) -> None:
    result = _run("-", "--format", "json", stdin=json.dumps({**TX, **change}))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert field in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_malformed_json_exits_2() -> None:
    result = _run("-", "--format", "json", stdin='{"as_of": "2026-06-01",')
    assert result.exit_code == 2 and result.stdout == ""
    assert "malformed JSON" in result.stderr


def test_real_process_exit_code_and_streams(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**TX, "destination": "QQ"}))
    script = Path(sys.executable).with_name("dualuse")
    proc = subprocess.run([str(script), "check", str(bad), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "destination" in proc.stderr


def _csv(path: Path, rows: list[str]) -> Path:
    header = ("transaction_id,as_of,activity,member_state,destination,origin,control_code,"
              "cyber_surveillance,informed_of,aware_of,circumstances")
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUALUSE_CACHE_DIR", str(tmp_path / "cache"))


def test_batch_csv_to_parquet(tmp_path: Path) -> None:
    src = _csv(tmp_path / "in.csv", [
        "T1,2026-06-01,export,NL,US,,5A002.a.1,false,,,",
        "T1,2026-06-01,export,NL,US,,,false,,,",
        "T2,2026-06-01,export,NL,RU,,2B001,false,,,",
        "T3,2026-06-01,export,NL,PK,,,false,,wmd,",
    ])
    out = tmp_path / "out.parquet"
    result = _run("--batch", str(src), "--output", str(out))
    assert result.exit_code == 0, result.stderr
    rows = pq.read_table(out).to_pylist()
    assert [r["transaction_id"] for r in rows] == ["T1", "T1", "T2", "T3"]
    assert rows[1]["outcome"] == "authorisation_required"  # decided with its transaction
    assert rows[1]["line_outcome"] == "no_authorisation_required"
    assert rows[0]["general_authorisations"] == "EU001=available"
    assert rows[2]["outcome"] == "prohibited"
    assert rows[2]["legal_bases"].startswith("Council Regulation (EU) No 833/2014")
    assert rows[3] | {"outcome": "notify_authority",
                      "legal_bases": "Regulation (EU) 2021/821, Art. 4(2)"} == rows[3]
    assert "4 order lines in 3 transactions" in result.stderr
    assert result.stdout == ""  # progress and summary go to stderr


def test_batch_bad_row_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    src = _csv(tmp_path / "in.csv", [
        "T1,2026-06-01,export,NL,US,,5A002.a.1,false,,,",
        "T2,2026-06-01,export,NL,US,,5A002.q.7,false,,,",
    ])
    out = tmp_path / "out.csv"
    result = _run("--batch", str(src), "--output", str(out))
    assert result.exit_code == 2
    assert "row 2" in result.stderr and "control_code" in result.stderr
    assert not out.exists() and not list(tmp_path.glob("out.csv*"))


def test_batch_inconsistent_transaction_lines(tmp_path: Path) -> None:
    src = _csv(tmp_path / "in.csv", [
        "T1,2026-06-01,export,NL,US,,5A002.a.1,false,,,",
        "T1,2026-06-01,export,NL,CN,,5A002.a.1,false,,,",
    ])
    result = _run("--batch", str(src), "--output", str(tmp_path / "o.parquet"))
    assert result.exit_code == 2 and "disagree on destination" in result.stderr


def test_batch_code_facts_cache_round_trip(tmp_path: Path) -> None:
    from dualuse.batch import determination_cache
    from dualuse.batch.determination_tables import Compiled
    from dualuse.law import load_law

    src = _csv(tmp_path / "in.csv", [
        "T1,2026-06-01,export,NL,IN,,5A002.a.2,false,,,",
        "T2,2024-06-01,export,NL,AR,,1A001,false,,,",
        "T3,2026-06-01,export,NL,SG,,6A002,false,,,exhibition",
    ])
    first = tmp_path / "first.csv"
    assert _run("--batch", str(src), "--output", str(first)).exit_code == 0
    saved = list((tmp_path / "cache").glob("determination-facts-*.json"))
    assert len(saved) == 1
    fresh = Compiled(load_law())
    determination_cache.load(fresh)
    assert {k[0] for k in fresh.facts} >= {"5A002.a.2", "1A001", "6A002"}
    from dualuse.rules.context import code_facts

    cat = load_law().as_of(__import__("datetime").date(2026, 6, 1))
    cached = next(v for k, v in fresh.facts.items() if k[0] == "6A002")
    derived = code_facts(cat, "6A002")
    assert cached.decision_key() == derived.decision_key()
    assert cached.rules_key() == derived.rules_key()
