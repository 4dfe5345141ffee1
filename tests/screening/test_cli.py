"""The CLI contract of `dualuse screen` (kept exact: it is measured with held-out data)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from dualuse.cli.main import app

UN = str(Path(__file__).resolve().parents[1] / "fixtures" / "lists"
         / "un_consolidated_2026-02-27.xml")
runner = CliRunner()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_batch_screen_writes_one_json_line_per_query(tmp_path: Path) -> None:
    queries = _write(tmp_path / "q.csv", "id,name,schema,birth_date,country\n"
                     "a1,Eric Badege,Person,1971,CD\nb2,Jan de Vries,Person,,NL\n"
                     "c3,ERIK BADEGE,,,\n")
    out = tmp_path / "r.jsonl"
    result = runner.invoke(app, ["screen", "--list", UN, "--input", str(queries),
                                 "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["a1", "b2", "c3"]
    top = lines[0]["matches"][0]
    assert set(top) == {"list", "list_id", "name", "score", "alert", "explanation"}
    assert (top["list"], top["list_id"], top["name"], top["alert"]) == (
        "un_sc", "6907993", "ERIC BADEGE", True)
    assert lines[1]["matches"] == [] or not any(m["alert"] for m in lines[1]["matches"])
    scores = [m["score"] for m in lines[2]["matches"]]
    assert scores == sorted(scores, reverse=True)


def test_threshold_option_changes_alerts(tmp_path: Path) -> None:
    queries = _write(tmp_path / "q.csv", "id,name\n1,Erik Badege\n")
    out = tmp_path / "r.jsonl"
    runner.invoke(app, ["screen", "-l", UN, "-i", str(queries), "-o", str(out),
                        "--threshold", "0.99"])
    [line] = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert line["matches"] and not any(m["alert"] for m in line["matches"])


def test_pairs_mode_adds_a_score_column(tmp_path: Path) -> None:
    pairs = _write(tmp_path / "p.csv", "left,right,schema\nOlaf Scholze,Olaf Scholz,Person\n"
                   "Angela Merkur,Angela Merkel,Person\nSiemensAG,Siemens AG,\n")
    out = tmp_path / "s.csv"
    result = runner.invoke(app, ["screen", "pairs", "--input", str(pairs), "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["left", "right", "schema", "score"]
    scores = [float(r["score"]) for r in rows]
    assert scores[0] > 0.7 > scores[1] and scores[2] > 0.7


def test_single_query_renders_a_table() -> None:
    result = runner.invoke(app, ["screen", "Eric Badege", "--list", UN])
    assert result.exit_code == 0, result.output
    assert "6907993" in result.output and "ALERT" in result.output


def test_bad_query_file_names_file_and_line_and_writes_nothing(tmp_path: Path) -> None:
    queries = _write(tmp_path / "q.csv", "id,name,schema\n1,Acme,Organization\n2,Beta,Spaceship\n")
    out = tmp_path / "r.jsonl"
    result = runner.invoke(app, ["screen", "-l", UN, "-i", str(queries), "-o", str(out)])
    assert result.exit_code == 2
    assert "q.csv, line 3" in result.output and "schema" in result.output
    assert not out.exists()


def test_malformed_list_file_is_exit_2_naming_the_file(tmp_path: Path) -> None:
    bad = _write(tmp_path / "list.xml", "<CONSOLIDATED_LIST><INDIVIDUALS>\n<oops>")
    queries = _write(tmp_path / "q.csv", "id,name\n1,Acme\n")
    result = runner.invoke(app, ["screen", "-l", str(bad), "-i", str(queries),
                                 "-o", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 2
    assert "list.xml, line" in result.output


def test_no_lists_at_all_fails_closed(tmp_path: Path) -> None:
    queries = _write(tmp_path / "q.csv", "id,name\n1,Acme\n")
    out = tmp_path / "r.jsonl"
    result = runner.invoke(app, ["screen", "-i", str(queries), "-o", str(out),
                                 "--data-dir", str(tmp_path / "empty")])
    assert result.exit_code == 3
    assert "screening unavailable" in result.output
    assert not out.exists()


def test_query_without_letters_is_bad_input_naming_the_line(tmp_path: Path) -> None:
    queries = _write(tmp_path / "q.csv", "id,name\n1,Acme\n2,---\n")
    result = runner.invoke(app, ["screen", "-l", UN, "-i", str(queries),
                                 "-o", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 2 and "q.csv, line 3" in result.output


def test_pairs_accept_followthemoney_schema_names(tmp_path: Path) -> None:
    pairs = _write(tmp_path / "p.csv", "left,right,schema\nGazprom,OAO Gazprom,Company\n"
                   "Acme Air,Acme Air,Airplane\nMinistry of X,Ministry of X,PublicBody\n")
    out = tmp_path / "s.csv"
    result = runner.invoke(app, ["screen", "pairs", "-i", str(pairs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [float(r["score"]) for r in csv.DictReader(out.open(encoding="utf-8"))] == [
        1.0, 1.0, 1.0]
