"""Collect the legal cases: every `*.yaml` here is a list of cases, each one pytest item.

A file holds `defaults` (a transaction merged under every case's `tx`) and `cases`:

    - id: art03-listed-export-us
      article: "3(1)"                       # the provision the case is about (for the counts)
      why: "Art. 3(1): An authorisation shall be required for the export of dual-use items
            listed in Annex I."              # the words of the provision that decide (optional)
      tx: {destination: US, items: [{control_code: 5A002.a.1}]}
      expect:
        outcome: authorisation_required
        legal_bases: ["Regulation (EU) 2021/821, Art. 3(1)"]      # the exact set
        ugeas: {EU001: available, EU008: not_available}          # the UGEAs named
        questions: [EU003.within_5_years]                         # ids that must be asked
        obligations: [record_keeping]                             # kinds that must be owed
        notes: ["exceptions and derogations"]                     # texts a note must contain
        applies: {art04.1.b: false}                               # rule ids tested, per item 0
        decided_by: {art04.1.b: "no arms embargo"}                # words the deciding fact has
        error: items[0].control_code                              # or: the field of an error

The expected answers are the law's, reasoned from the provision, not copied from the engine.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from dualuse.engine import determine
from dualuse.errors import DualuseError
from dualuse.law import load_law


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.parent == Path(__file__).parent:
        return CaseFile.from_parent(parent, path=file_path)
    return None


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class CaseFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        doc = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        defaults = doc.get("defaults", {})
        seen: set[str] = set()
        for case in doc["cases"]:
            if case["id"] in seen:
                raise ValueError(f"{self.path.name}: duplicate case id {case['id']}")
            seen.add(case["id"])
            yield LegalCase.from_parent(self, name=case["id"], case=case,
                                        tx=merge(defaults, case.get("tx", {})))


class LegalCase(pytest.Item):
    def __init__(self, *, case: dict[str, Any], tx: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.tx = tx

    def runtest(self) -> None:
        expect = self.case["expect"]
        if "error" in expect:
            with pytest.raises(DualuseError) as info:
                determine(self.tx, load_law())
            assert info.value.field == expect["error"], str(info.value)
            return
        result = determine(self.tx, load_law())
        assert result.outcome == expect["outcome"], _why(result)
        assert sorted(result.legal_bases) == sorted(expect["legal_bases"]), _why(result)
        statuses = {u.id: u.status for u in result.general_authorisations}
        assert len(statuses) == 8
        for uid, status in expect.get("ugeas", {}).items():
            assert statuses[uid] == status, f"{uid}: {statuses[uid]} {_why(result)}"
        asked = {q.id for q in result.questions}
        for q in expect.get("questions", []):
            assert q in asked, f"question {q} not asked; asked {sorted(asked)}"
        owed = {o.kind for o in result.obligations} | {
            o.kind for u in result.general_authorisations for o in u.obligations}
        for kind in expect.get("obligations", []):
            assert kind in owed, f"obligation {kind} not owed; owed {sorted(owed)}"
        for text in expect.get("notes", []):
            assert any(text in n for n in result.notes), f"no note says {text!r}: {result.notes}"
        tested = {c.rule: c for c in result.explanation.children[0].children}
        for rule_id, applies in expect.get("applies", {}).items():
            assert tested[rule_id].applies is applies, f"{rule_id}: {tested[rule_id].result}"
        for rule_id, words in expect.get("decided_by", {}).items():
            assert words in (tested[rule_id].decided_by or ""), (
                f"{rule_id} decided by {tested[rule_id].decided_by!r}, not {words!r}")

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"legal case {self.name} (Art. {self.case.get('article')})"


def _why(result: Any) -> str:
    ugeas = {u.id: (u.status, u.reasons) for u in result.general_authorisations}
    return (f"got {result.outcome} {list(result.legal_bases)}; "
            f"findings {[c.result for i in result.explanation.children for c in i.children]}; "
            f"ugeas {ugeas}")
