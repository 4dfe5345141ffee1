"""The pure core (law, rules, engine, screening, classify) imports no framework, database,
network, environment or clock (design.md, 'The core is pure')."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "dualuse"
CORE = ("law", "rules", "engine", "screening", "classify")

FORBIDDEN_MODULES = {
    "django", "ninja", "sqlite3", "psycopg", "psycopg2", "sqlalchemy", "duckdb",
    "socket", "http", "urllib", "httpx", "requests", "aiohttp",
    "subprocess", "typer", "rich", "dualuse.service", "dualuse.cli", "dualuse.batch",
}
# Attribute calls that read the clock or the environment.
FORBIDDEN_CALLS = {
    ("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
    ("time", "time"), ("time", "monotonic"), ("os", "getenv"), ("os", "environ"),
}


def _core_files() -> list[Path]:
    return sorted(p for pkg in CORE for p in (SRC / pkg).rglob("*.py"))


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_core_module_is_pure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            names = []
        for name in names:
            root_parts = name.split(".")
            for i in range(1, len(root_parts) + 1):
                assert ".".join(root_parts[:i]) not in FORBIDDEN_MODULES, (
                    f"{path}: imports {name}"
                )
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert (node.value.id, node.attr) not in FORBIDDEN_CALLS, (
                f"{path}:{node.lineno}: uses {node.value.id}.{node.attr}"
            )


def test_core_has_modules() -> None:
    assert _core_files(), "the core packages exist"
