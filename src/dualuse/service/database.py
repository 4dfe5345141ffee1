# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Database configuration from a URL: SQLite embedded by default, PostgreSQL by configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from dualuse.errors import InputError


def sqlite_config(path: Path | str) -> dict[str, Any]:
    """SQLite with WAL (readers do not block the writer) and immediate write transactions.

    Django turns foreign-key enforcement on for every SQLite connection itself.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        "TEST": {"NAME": None},
    }


def database_from_url(url: str) -> dict[str, Any]:
    """`postgresql://user:pass@host:port/name?sslmode=...` or `sqlite:///abs/path.db`."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if not path or path == "/":
            raise InputError("sqlite URL needs a file path", field="DUALUSE_DATABASE_URL")
        return sqlite_config(path)
    if parts.scheme in {"postgres", "postgresql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise InputError("PostgreSQL URL needs a database name", field="DUALUSE_DATABASE_URL")
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise InputError(
        f"unsupported database URL scheme {parts.scheme!r} (use sqlite or postgresql)",
        field="DUALUSE_DATABASE_URL",
    )
