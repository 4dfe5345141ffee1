"""`dualuse lists update` against a local HTTP server: stores versioned snapshots, reports
changes, and keeps the snapshot in force when a download fails validation."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dualuse.batch.lists_update import current_dir, load_current, load_sources, update_list
from dualuse.cli.main import app

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
runner = CliRunner()


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _user_list(rows: list[tuple[str, str]]) -> str:
    return "id,name\n" + "".join(f"{i},{n}\n" for i, n in rows)


def test_update_stores_snapshots_and_reports_changes(served: tuple[str, Path],
                                                    tmp_path: Path) -> None:
    base, www = served
    store = tmp_path / "store"
    (www / "mine.csv").write_text(_user_list([("1", "Acme Trading"), ("2", "Beta Ltd")]))
    files = {"mine.csv": f"{base}/mine.csv"}
    first = update_list(store, "mine", files, now=datetime(2026, 11, 1, tzinfo=UTC))
    assert first.status == "updated" and first.changes is not None
    assert first.changes.added == ("1", "2")
    meta = json.loads((first.snapshot_dir / "snapshot.json").read_text())  # type: ignore[operator]
    assert meta["record_count"] == 2 and meta["source_urls"] == files
    assert meta["fetched_at"] == "2026-11-01T000000Z" and len(meta["content_sha256"]) == 64

    again = update_list(store, "mine", files, now=datetime(2026, 11, 2, tzinfo=UTC))
    assert again.status == "unchanged"

    (www / "mine.csv").write_text(_user_list([("1", "Acme Trading GmbH"), ("3", "Gamma")]))
    third = update_list(store, "mine", files, now=datetime(2026, 11, 3, tzinfo=UTC))
    assert third.changes is not None
    assert (third.changes.added, third.changes.removed, third.changes.amended) == (
        ("3",), ("2",), ("1",))
    kept = [p.name for p in (store / "mine").iterdir() if p.is_dir()]
    assert len(kept) == 2  # the earlier snapshot is kept
    assert current_dir(store, "mine") == third.snapshot_dir


def test_failed_validation_keeps_the_previous_snapshot(served: tuple[str, Path],
                                                       tmp_path: Path) -> None:
    base, www = served
    store = tmp_path / "store"
    shutil.copy(LISTS / "un_consolidated_2026-02-27.xml", www / "consolidated.xml")
    files = {"consolidated.xml": f"{base}/consolidated.xml"}
    good = update_list(store, "un_sc", files)
    assert good.status == "updated" and good.record_count == 1003
    (www / "consolidated.xml").write_text("<CONSOLIDATED_LIST><INDIVIDUALS>\n<broken")
    bad = update_list(store, "un_sc", files)
    assert bad.status == "failed" and "line" in bad.message
    missing = update_list(store, "un_sc", {"consolidated.xml": f"{base}/nothing.xml"})
    assert missing.status == "failed" and "download failed" in missing.message
    assert current_dir(store, "un_sc") == good.snapshot_dir
    assert load_current(store)[0].record_count == 1003


def test_truncated_list_is_refused(served: tuple[str, Path], tmp_path: Path) -> None:
    base, www = served
    store = tmp_path / "store"
    (www / "mine.csv").write_text(_user_list([(str(i), f"Company {i}") for i in range(10)]))
    assert update_list(store, "mine", {"mine.csv": f"{base}/mine.csv"}).status == "updated"
    (www / "mine.csv").write_text(_user_list([("1", "Company 1")]))
    result = update_list(store, "mine", {"mine.csv": f"{base}/mine.csv"})
    assert result.status == "failed" and "truncated" in result.message


def test_cli_update_then_screen_from_the_store(served: tuple[str, Path], tmp_path: Path) -> None:
    base, www = served
    store = tmp_path / "store"
    shutil.copy(LISTS / "un_consolidated_2026-02-27.xml", www / "un.xml")
    result = runner.invoke(app, ["lists", "update", "un_sc", "--data-dir", str(store),
                                 "--url", f"un_sc={base}/un.xml"])
    assert result.exit_code == 0, result.output
    assert "un_sc: 1003 added, 0 removed, 0 amended" in result.output
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n1,Eric Badege\n")
    out = tmp_path / "r.jsonl"
    result = runner.invoke(app, ["screen", "-i", str(queries), "-o", str(out),
                                 "--data-dir", str(store)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["matches"][0]["list_id"] == "6907993"
    shown = runner.invoke(app, ["lists", "show", "--data-dir", str(store)])
    assert "un_sc: 1003 records" in shown.output


def test_cli_update_failure_exits_nonzero(served: tuple[str, Path], tmp_path: Path) -> None:
    base, _ = served
    result = runner.invoke(app, ["lists", "update", "un_sc", "--data-dir", str(tmp_path),
                                 "--url", f"un_sc={base}/missing.xml", "--timeout", "5"])
    assert result.exit_code == 1 and "FAILED" in result.output


def test_sources_are_configurable(tmp_path: Path) -> None:
    f = tmp_path / "sources.json"
    f.write_text(json.dumps({"mine": {"mine.csv": "http://127.0.0.1/mine.csv"}}))
    sources = load_sources(f, ["un_sc=http://127.0.0.1/un.xml"])
    assert sources["mine"] == {"mine.csv": "http://127.0.0.1/mine.csv"}
    assert sources["un_sc"] == {"consolidated.xml": "http://127.0.0.1/un.xml"}
    assert sources["eu_fsf"]["eu_fsf.xml"].startswith("https://webgate.ec.europa.eu/fsd/fsf/")
