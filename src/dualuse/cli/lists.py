"""`dualuse lists update|add|show`: keep versioned snapshots of the official lists (and of lists
kept by hand) in the one list store that `dualuse screen` and the service screen with."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress

from dualuse.batch.lists_update import (
    UpdateResult,
    current_dir,
    default_data_dir,
    load_sources,
    store_list,
    update_list,
)
from dualuse.cli.common import fail, user_errors

app = typer.Typer(help="Sanctions and restricted-party list snapshots.", no_args_is_help=True)
stderr = Console(stderr=True)


@app.command("update")
def update(
    only: list[str] = typer.Argument(None, metavar="[LIST ...]",
                                     help="Lists to update (default all configured)."),
    data_dir: Path = typer.Option(None, "--data-dir",
                                  help="Snapshot store (default $DUALUSE_LISTS_DIR or "
                                  "~/.local/share/dualuse/lists)."),
    sources: Path = typer.Option(None, "--sources",
                                 help="JSON file {list: {file name: url}} replacing defaults."),
    url: list[str] = typer.Option(None, "--url", help="LIST=URL or LIST/FILE=URL override."),
    timeout: float = typer.Option(60.0, "--timeout", help="Seconds per download."),
) -> None:
    """Fetch the official list files, validate them, store new snapshots, report changes."""
    with user_errors():
        configured = load_sources(sources, list(url or []))
    names = list(only or configured)
    unknown = [n for n in names if n not in configured]
    if unknown:
        fail(f"list: unknown {', '.join(unknown)}; configured: {', '.join(sorted(configured))}")
    store = data_dir or default_data_dir()
    with Progress(console=stderr) as bar:
        task = bar.add_task("updating lists", total=len(names))
        results = []
        for name in names:
            results.append(update_list(store, name, configured[name], now=datetime.now(UTC),
                                       timeout=timeout))
            bar.advance(task)
    failed = _report(results)
    if failed:
        raise typer.Exit(code=1)


def _report(results: list[UpdateResult]) -> int:
    failed = 0
    for r in results:
        if r.status == "failed":
            failed += 1
            typer.echo(f"{r.list_name}: FAILED, previous snapshot kept in force: {r.message}")
        elif r.status == "unchanged":
            typer.echo(f"{r.list_name}: unchanged ({r.record_count} records)")
        else:
            assert r.changes is not None
            typer.echo(f"{r.changes.summary()} -> {r.record_count} records in {r.snapshot_dir}")
    if any(r.status == "updated" for r in results):
        typer.echo("The service re-screens open cases and active licences against the new "
                   "snapshots within a minute (or now: python -m dualuse.service rescreen).")
    return failed


@app.command("add")
def add(
    name: str = typer.Argument(..., help="The list's name in the store, e.g. own_list."),
    files: list[Path] = typer.Argument(..., help="The list file(s), in any format screening "
                                       "reads (the user CSV: id,name,schema,country,programme)."),
    data_dir: Path = typer.Option(None, "--data-dir", help="Snapshot store."),
) -> None:
    """Store a list kept by hand (e.g. the authority's own) as a snapshot in force."""
    raw = {}
    for path in files:
        try:
            raw[path.name] = path.read_bytes()
        except OSError as exc:
            fail(f"{path}: cannot be read ({exc.strerror or exc})")
    store = data_dir or default_data_dir()
    sources = {p.name: p.resolve().as_uri() for p in files}
    result = store_list(store, name, raw, sources=sources, now=datetime.now(UTC))
    if _report([result]):
        raise typer.Exit(code=1)


@app.command("show")
def show(data_dir: Path = typer.Option(None, "--data-dir", help="Snapshot store.")) -> None:
    """The snapshots in force: list, fetched at, records, content hash."""
    store = data_dir or default_data_dir()
    rows = []
    if store.is_dir():
        for sub in sorted(p for p in store.iterdir() if p.is_dir()):
            folder = current_dir(store, sub.name)
            if folder and (folder / "snapshot.json").is_file():
                rows.append(json.loads((folder / "snapshot.json").read_text("utf-8")))
    if not rows:
        fail(f"no snapshots in {store}: run `dualuse lists update`")
    for m in rows:
        typer.echo(f"{m['list']}: {m['record_count']} records, fetched {m['fetched_at']}, "
                   f"sha256 {m['content_sha256'][:16]}")
