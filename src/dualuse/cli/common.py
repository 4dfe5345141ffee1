"""Shared CLI plumbing: one way to report bad input (exit code 2, message on stderr, nothing on
stdout) and to read dates."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn

import typer
from rich.console import Console

from dualuse.errors import DualuseError

stderr = Console(stderr=True, soft_wrap=True)


def fail(message: str) -> NoReturn:
    """Report bad input on stderr and exit 2; stdout stays empty."""
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code=2)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the project's own errors into a clear message and exit code 2."""
    try:
        yield
    except DualuseError as exc:
        fail(str(exc).replace("[", r"\["))


def parse_date(value: str | None, field: str = "as_of") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{field}: {value!r} is not a date (expected YYYY-MM-DD)")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
