"""Golden files for the rendered explanation (versions masked): the bundled example and one
transaction per kind of answer, each "no" explained by the fact that decided it.

Regenerate after a deliberate change: `UPDATE_GOLDEN=1 uv run pytest tests/engine -k golden`.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from dualuse.engine import determine, render_text
from dualuse.law import load_law

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
CASES = {"example_transaction": ROOT / "examples" / "transaction.json",
         **{p.stem: p for p in sorted(GOLDEN.glob("*.json"))}}


def _masked(text: str) -> str:
    return re.sub(r"Data version \S+; rules version \S+; input sha256:[0-9a-f]+",
                  "Data version <data>; rules version <rules>; input <hash>", text)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendering_matches_golden(name: str) -> None:
    tx = json.loads(CASES[name].read_text())
    text = _masked(render_text(determine(tx, load_law())))
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert "Only the texts of EU legislation published in the Official Journal" in text
    assert "no provision applies" not in text


def test_every_no_is_explained() -> None:
    text = render_text(determine(json.loads((GOLDEN / "no_catch_all_china.json").read_text()),
                                 load_law()))
    assert "Determination: NO AUTHORISATION REQUIRED" in text
    assert "Export from Netherlands (NL) to China (CN)" in text
    # Art. 4(1)(b) tested and why not: the 1989 declaration is no Art. 2(19) embargo.
    assert re.search(r"- Regulation \(EU\) 2021/821, Art\. 4\(1\)\(b\): military end-use, but "
                     r".*is not an arms embargo within Art\. 2\(19\)", text)
    assert "8A001.c.1.c is 'Not used' in Annex I" in text
    assert "(Not used;)" in text  # the code with its Annex I wording
    assert "no sanctions ban" not in text or "no EU sanctions ban on dual-use items to China" \
        in text
