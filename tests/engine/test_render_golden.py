"""Golden file for the rendered explanation of the bundled example (versions masked).

Regenerate after a deliberate change: `UPDATE_GOLDEN=1 uv run pytest tests/engine -k golden`.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from dualuse.engine import determine, render_text
from dualuse.law import load_law

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"


def _masked(text: str) -> str:
    text = re.sub(r"Data version \S+; rules version \S+; input sha256:[0-9a-f]+",
                  "Data version <data>; rules version <rules>; input <hash>", text)
    return text


def test_example_rendering_matches_golden() -> None:
    tx = json.loads((ROOT / "examples" / "transaction.json").read_text())
    text = _masked(render_text(determine(tx, load_law())))
    golden = GOLDEN / "example_transaction.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert "Only the texts of EU legislation published in the Official Journal" in text
