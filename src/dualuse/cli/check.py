"""`dualuse check`: does this transaction need an authorisation, and under which article?

    dualuse check examples/transaction.json               # text, citing each provision
    dualuse check FILE.json --format json                 # FILE '-' reads stdin
    dualuse check --batch IN.csv --output OUT.parquet     # one row per order line
    dualuse check --replay STORED.json                    # decide a stored determination again

Bad input (malformed JSON, unknown field value, code, country or a date outside the law data)
exits with code 2 and one message naming the field; nothing is printed on stdout.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from dualuse.cli.common import fail, print_json, stderr, user_errors


class Format(StrEnum):
    text = "text"
    json = "json"


def _read(file: str) -> Any:
    try:
        raw = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8-sig")
    except OSError as exc:
        fail(f"FILE: cannot read {file}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        fail(f"FILE: {file} is not UTF-8 text")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        fail(f"FILE: malformed JSON in {'stdin' if file == '-' else file} at line {exc.lineno} "
             f"column {exc.colno}: {exc.msg}")


def check(
    file: Annotated[str | None, typer.Argument(
        help="Transaction JSON file ('-' = stdin).", show_default=False)] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    batch: Annotated[Path | None, typer.Option(
        "--batch", help="Order lines (CSV or Parquet), one row per line.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Batch results (.parquet or .csv).")] = None,
    replay: Annotated[bool, typer.Option(
        "--replay", help="FILE is a stored determination (--format json output): decide it "
        "again on today's data and rules and show what changed.")] = False,
) -> None:
    """Determine whether a transaction needs an authorisation, under which article, and which
    Union general export authorisations (EU001-EU008) are available."""
    if batch is not None:
        if file is not None:
            fail("FILE: give either a transaction FILE or --batch, not both")
        if output is None:
            fail("--output: required with --batch (.parquet or .csv)")
        from dualuse.batch.determination import run_batch

        with user_errors():
            summary = run_batch(batch, output, progress=True)
        stderr.print(summary.render(), highlight=False)
        return
    if file is None:
        fail("FILE: give a transaction JSON file ('-' for stdin) or --batch")
    data = _read(file)
    from dualuse.engine import determine, render_text
    from dualuse.law import load_law

    if replay:
        from dualuse.engine import replay as replay_stored

        if not isinstance(data, dict):
            fail("FILE: a stored determination is a JSON object")
        with user_errors():
            again = replay_stored(data, load_law())
        if fmt is Format.json:
            print_json(again.to_dict())
            return
        sys.stdout.write(_replay_text(again))
        return

    with user_errors():
        result = determine(data, load_law())
    if fmt is Format.json:
        print_json(result.to_dict())
    else:
        sys.stdout.write(render_text(result))


def _replay_text(again: Any) -> str:
    lines = ["Replay: " + ("same outcome and legal bases" if again.same else
                           "the answer changed"), ""]
    lines += [f"  - {d}" for d in again.differences] or ["  (nothing changed)"]
    for title, changes in (("Data changes since the stored data version", again.data_changes),
                           ("Rules changes since the stored rules version",
                            again.rules_changes)):
        if changes:
            lines += ["", f"{title}:", *(f"  * {c}" for c in changes)]
    from dualuse.engine import render_text

    return "\n".join(lines) + "\n\n" + render_text(again.determination)
