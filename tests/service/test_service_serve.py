"""`dualuse serve`: refuses to run without a secret key (exit 2, nothing created); the demo
migrates, loads once and prints where to log in and the local demo credentials."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-c", "from dualuse.cli.main import app; app()", "serve", "--no-run"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DUALUSE_SECRET_KEY", "DUALUSE_DATABASE_URL", "DUALUSE_DEMO"}
    }
    env["DUALUSE_DATA_DIR"] = str(tmp_path / "data")
    return env


def test_serve_without_secret_key_is_refused(tmp_path: Path) -> None:
    r = subprocess.run(CLI, env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "DUALUSE_SECRET_KEY is not set" in r.stderr
    assert not (tmp_path / "data" / "dualuse.sqlite3").exists()


def test_serve_demo_prints_logins_once_created(tmp_path: Path) -> None:
    first = subprocess.run(
        [*CLI, "--demo"], env=_env(tmp_path), capture_output=True, text=True, timeout=300
    )
    assert first.returncode == 0, first.stderr
    assert "log in at http://127.0.0.1:8000/login/" in first.stdout
    lines = [line.split() for line in first.stdout.splitlines() if line.startswith("  ")]
    users = {parts[0]: parts[1] for parts in lines}
    assert {"exporter1", "caseworker", "senior", "adviser", "customs", "sysadmin"} <= set(users)
    again = subprocess.run(
        [*CLI, "--demo"], env=_env(tmp_path), capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0
    assert users["caseworker"] in again.stdout  # the same demo, not a second one
