"""Migrations carry schema only (reference data never travels as a migration) and match the
models."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from django.core.management import call_command

SERVICE = Path(__file__).resolve().parents[2] / "src" / "dualuse" / "service"
# The one migration with code: the audit trail's append-only triggers (schema, not data).
SCHEMA_CODE = {"audit/migrations/0002_append_only_triggers.py"}


def test_migrations_hold_no_data() -> None:
    for path in sorted(SERVICE.glob("*/migrations/0*.py")):
        rel = str(path.relative_to(SERVICE))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {
            node.func.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        }
        if rel in SCHEMA_CODE:
            assert "objects" not in path.read_text(encoding="utf-8")
            continue
        assert not calls & {"RunPython", "RunSQL"}, f"{rel} runs code or SQL"


def test_models_and_migrations_agree(db: Any) -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
