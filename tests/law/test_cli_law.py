"""`dualuse law ...` as a user runs it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from dualuse.cli.main import app

runner = CliRunner()


def test_stats_reports_3420_entries_on_2026_06_01() -> None:
    result = runner.invoke(app, ["law", "stats", "--format", "json", "--as-of", "2026-06-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"]["annex_i_entries"] == 3420
    assert data["counts"]["annex_ii_ugeas"] == 8
    assert data["annex_i_version"]["act"] == "Delegated Regulation (EU) 2025/2003"
    assert data["coverage"]["from"] == "2022-01-07"
    assert sum(data["per_category"].values()) == 3420
    assert data["per_regime"]["EU"] > 0
    assert data["data_version"]


def test_show_gives_ancestors_and_the_cryptography_note() -> None:
    result = runner.invoke(app, ["law", "show", "5A002.a.1", "--as-of", "2026-06-01",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [a["code"] for a in data["ancestors"]] == ["5A002", "5A002.a"]
    assert any("Cryptography Note" in n["text"] for n in data["notes"])
    may = {u["id"]: u["may_cover"] for u in data["general_authorisations"]}
    assert may["EU001"] and not may["EU006"]
    assert "Official Journal" in data["disclaimer"]
    text = runner.invoke(app, ["law", "show", "5A002.a.1", "--as-of", "2026-06-01"])
    assert text.exit_code == 0
    assert "5A002.a" in text.stdout and "Cryptography Note" in text.stdout


def test_unknown_code_exits_2_with_suggestions_and_empty_stdout() -> None:
    result = runner.invoke(app, ["law", "show", "5A002.a.9", "--as-of", "2026-06-01"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "did you mean" in result.stderr and "5A002.a" in result.stderr


def test_bad_date_and_date_outside_coverage_exit_2() -> None:
    bad = runner.invoke(app, ["law", "show", "5A002", "--as-of", "2026-13-01"])
    assert bad.exit_code == 2 and "as_of" in bad.stderr and bad.stdout == ""
    old = runner.invoke(app, ["law", "stats", "--as-of", "2021-10-01"])
    assert old.exit_code == 2 and "coverage" in old.stderr


def test_ugea_lists_destinations_and_duties() -> None:
    result = runner.invoke(app, ["law", "ugea", "EU007", "--as-of", "2026-06-01",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["icp_required"] is True
    assert "IL" in data["destinations"] and "US" not in data["destinations"]
    unknown = runner.invoke(app, ["law", "ugea", "EU009"])
    assert unknown.exit_code == 2 and "EU009" in unknown.stderr
