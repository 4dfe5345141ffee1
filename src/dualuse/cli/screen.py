"""`dualuse screen`: screen parties against sanctions and restricted-party lists.

    dualuse screen --list PATH [--list PATH ...] --input QUERIES.csv --output RESULTS.jsonl
    dualuse screen pairs --input PAIRS.csv --output SCORES.csv
    dualuse screen "NAME" ["NAME" ...] --list PATH      (each argument is one party)

Without --list, the snapshots stored by `dualuse lists update` are used."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from dualuse.batch.lists_update import default_data_dir, load_current
from dualuse.batch.screening import (
    read_list_paths,
    read_pairs,
    read_queries,
    score_pairs_csv,
    screen_to_jsonl,
)
from dualuse.cli.common import fail, user_errors
from dualuse.errors import ScreeningUnavailableError
from dualuse.screening import ALGORITHMS, DEFAULT_THRESHOLD, LATEST, Query, ScreeningIndex

stderr = Console(stderr=True)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), console=stderr, transient=False)


def _index(lists: list[Path] | None, data_dir: Path | None, threshold: float,
           algorithm: str = LATEST) -> ScreeningIndex:
    snapshots = read_list_paths(lists) if lists else load_current(data_dir or default_data_dir())
    return ScreeningIndex(snapshots, threshold=threshold, algorithm=algorithm)


def screen(
    args: list[str] = typer.Argument(None, metavar="[NAME ... | pairs]",
                                     help="Names to screen, each argument one party (quote a "
                                     "name with spaces), or `pairs` to score name pairs."),
    lists: list[Path] = typer.Option(None, "--list", "-l",
                                     help="A list file or folder (format detected); repeatable."),
    input_path: Path = typer.Option(None, "--input", "-i",
                                    help="QUERIES.csv (id,name[,schema,birth_date,country]) "
                                    "or, with `pairs`, PAIRS.csv (left,right[,schema])."),
    output: Path = typer.Option(None, "--output", "-o", help="RESULTS.jsonl or SCORES.csv."),
    threshold: float = typer.Option(DEFAULT_THRESHOLD, "--threshold", "-t",
                                    help="Alert at or above this score (0-1)."),
    schema: str = typer.Option(None, "--schema", help="One query: Person, Organization ..."),
    birth_date: str = typer.Option(None, "--birth-date", help="One query: YYYY[-MM[-DD]]."),
    country: str = typer.Option(None, "--country", help="One query: country code or name."),
    data_dir: Path = typer.Option(None, "--data-dir",
                                  help="Snapshot store used when no --list is given."),
    algorithm: str = typer.Option(LATEST, "--algorithm",
                                  help=f"Matcher version: {', '.join(ALGORITHMS)}."),
) -> None:
    """Screen parties against sanctions and restricted-party lists (dualuse-match-2 unless
    --algorithm names another released version)."""
    args = list(args or [])
    if algorithm not in ALGORITHMS:
        fail(f"--algorithm: {algorithm!r} is not one of {', '.join(ALGORITHMS)}")
    if not 0.0 <= threshold <= 1.0:
        fail(f"threshold: {threshold} is not between 0 and 1")
    with user_errors():
        try:
            if args[:1] == ["pairs"]:
                if len(args) > 1:
                    fail("pairs takes no further arguments: use --input and --output")
                if input_path is None or output is None:
                    fail("pairs needs --input PAIRS.csv and --output SCORES.csv")
                rows = read_pairs(input_path)
                with _progress() as bar:
                    task = bar.add_task("scoring pairs", total=len(rows))
                    score_pairs_csv(rows, output, lambda n: bar.advance(task, n), algorithm)
                stderr.print(f"{len(rows)} pairs scored with {algorithm} -> {output}")
                return
            if args:
                if input_path is not None or output is not None:
                    fail("give NAMEs or --input/--output, not both")
                blank = [n for n, name in enumerate(args, start=1) if not name.strip()]
                if blank:
                    fail(f"name {blank[0]} is empty: quote a name with spaces as one argument")
                index = _index(lists, data_dir, threshold, algorithm)
                for name in args:  # each argument is one party ("Ivan Petrov" quoted is one)
                    _render(index, Query(name=name, schema=schema, birth_date=birth_date,
                                         country=country))
                return
            if input_path is None or output is None:
                fail("give a NAME, or --input QUERIES.csv and --output RESULTS.jsonl")
            queries = read_queries(input_path)
            with _progress() as bar:
                task = bar.add_task("loading lists", total=None)
                index = _index(lists, data_dir, threshold, algorithm)
                bar.update(task, description="screening", total=len(queries), completed=0)
                alerts = screen_to_jsonl(index, queries, output, threshold,
                                         lambda n: bar.advance(task, n))
            stderr.print(f"{len(queries)} queries screened against {index.record_count} records "
                         f"({', '.join(i.list_name for i in index.lists)}) with {index.algorithm}: "
                         f"{alerts} alerts -> {output}")
        except ScreeningUnavailableError as exc:
            # Fail closed: an error and exit code 3, never an empty "no match" result.
            stderr.print(f"[bold red]screening unavailable:[/] {exc}", highlight=False)
            raise typer.Exit(code=3) from exc


def _render(index: ScreeningIndex, query: Query) -> None:
    matches = index.screen(query)
    alerts = sum(m.alert for m in matches)
    table = Table(title=f"{query.name!r}: {len(matches)} match(es), {alerts} alert(s) at "
                  f"{index.threshold} ({index.algorithm})")
    for col in ("alert", "score", "list", "list id", "matched name", "record", "why"):
        table.add_column(col)
    for m in matches:
        name = m.explanation.get("name", {})
        why = ", ".join(f"{a}~{b} {how}" for a, b, _, how in name.get("pairs", [])[:4])
        feats = m.explanation.get("features", {})
        if feats:
            why += "; " + ", ".join(f"{k} {v['effect']:+.2f}" for k, v in feats.items())
        table.add_row("ALERT" if m.alert else "", f"{m.score:.3f}", m.list, m.list_id, m.name,
                      m.caption, why)
    Console(file=sys.stdout).print(table)


def register(app: typer.Typer) -> None:
    """Add `dualuse screen` and `dualuse lists` to the root app."""
    from dualuse.cli.lists import app as lists_app

    app.command("screen", context_settings={"allow_interspersed_args": True})(screen)
    app.add_typer(lists_app, name="lists")
