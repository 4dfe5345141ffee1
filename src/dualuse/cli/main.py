"""The `dualuse` command: one Typer app, each area registers its own sub-commands."""

from __future__ import annotations

import typer

from dualuse import __version__

app = typer.Typer(
    name="dualuse",
    help="EU dual-use export controls (Regulation (EU) 2021/821) as applied in the Netherlands. "
    "Only Official Journal texts are authentic.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """dualuse command-line interface."""


@app.command("version")
def version() -> None:
    """Print the dualuse version."""
    typer.echo(__version__)


# Each area adds its commands here (one line each), keeping this module the single entry point.
from dualuse.cli import law as _law  # noqa: E402

app.add_typer(_law.app, name="law")
from dualuse.cli import classify as _classify  # noqa: E402

app.add_typer(_classify.app, name="classify")
from dualuse.cli.check import check as _check  # noqa: E402

app.command("check")(_check)
from dualuse.cli.screen import register as _register_screening  # noqa: E402

_register_screening(app)
from dualuse.cli.serve import serve as _serve  # noqa: E402

app.command("serve")(_serve)
