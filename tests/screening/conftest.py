from __future__ import annotations

from pathlib import Path

import pytest

from dualuse.screening import ListSnapshot, ScreeningIndex, read_lists

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
UN_XML = LISTS / "un_consolidated_2026-02-27.xml"


@pytest.fixture(scope="session")
def lists_dir() -> Path:
    return LISTS


@pytest.fixture(scope="session")
def un_snapshot() -> ListSnapshot:
    return read_lists({UN_XML.name: UN_XML.read_bytes()})[0]


@pytest.fixture(scope="session")
def un_index(un_snapshot: ListSnapshot) -> ScreeningIndex:
    return ScreeningIndex([un_snapshot])
