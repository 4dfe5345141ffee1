"""Replay a stored determination: decide its normalised input again and say what changed: the
outcome, the legal bases, the obligations, questions and notes, the Annex I version, and
whether the data or the rules changed, with the changes each data and rules release made since
the versions the stored determination names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dualuse.engine.determination import determine
from dualuse.engine.result import Determination
from dualuse.engine.versions import changes_since
from dualuse.errors import InputError
from dualuse.law import Law


@dataclass(frozen=True, slots=True)
class Replay:
    determination: Determination
    same_outcome: bool
    same_legal_bases: bool
    same_input: bool
    data_changed: bool
    rules_changed: bool
    # What differs, in words ("outcome: prohibited -> notify_authority", "legal basis added:
    # ...", "data version A -> B"), and what the data and rules releases since changed.
    differences: tuple[str, ...] = ()
    data_changes: tuple[str, ...] = ()
    rules_changes: tuple[str, ...] = ()

    @property
    def same(self) -> bool:
        return self.same_outcome and self.same_legal_bases

    def to_dict(self) -> dict[str, Any]:
        return {
            "same_outcome": self.same_outcome, "same_legal_bases": self.same_legal_bases,
            "same_input": self.same_input, "data_changed": self.data_changed,
            "rules_changed": self.rules_changed, "differences": list(self.differences),
            "data_changes": list(self.data_changes), "rules_changes": list(self.rules_changes),
            "determination": self.determination.to_dict(),
        }


def _release(version: Any) -> str:
    return str(version or "").split("-")[0]


def _texts(items: Any, key: str) -> list[str]:
    return [str(x.get(key, x)) if isinstance(x, Mapping) else str(x) for x in items or ()]


def replay(stored: Mapping[str, Any], law: Law) -> Replay:
    """`stored` is a `Determination.to_dict()` (as the service keeps it)."""
    if "input" not in stored:
        raise InputError("a stored determination needs its normalised input", field="input")
    again = determine(stored["input"], law)
    now = again.to_dict()
    diffs: list[str] = []
    if now["outcome"] != stored.get("outcome"):
        diffs.append(f"outcome: {stored.get('outcome')} -> {now['outcome']}")
    before_bases = list(stored.get("legal_bases", []))
    diffs += [f"legal basis added: {b}" for b in now["legal_bases"] if b not in before_bases]
    diffs += [f"legal basis removed: {b}" for b in before_bases if b not in now["legal_bases"]]
    for key, label, field in (("obligations", "obligation", "obligation"),
                              ("missing_facts", "question", "id"), ("notes", "note", "")):
        before = _texts(stored.get(key), field) if field else list(stored.get(key) or ())
        after = _texts(now[key], field) if field else list(now[key])
        diffs += [f"{label} added: {x}" for x in after if x not in before]
        diffs += [f"{label} removed: {x}" for x in before if x not in after]
    for key in ("annex_i_version", "data_version", "rules_version"):
        if stored.get(key) != now[key]:
            diffs.append(f"{key.replace('_', ' ')}: {stored.get(key)} -> {now[key]}")
    data_release = _release(stored.get("data_version"))
    return Replay(
        determination=again,
        same_outcome=again.outcome == stored.get("outcome"),
        same_legal_bases=list(again.legal_bases) == before_bases,
        same_input=again.input_hash == stored.get("input_hash"),
        data_changed=again.data_version != stored.get("data_version"),
        rules_changed=again.rules_version != stored.get("rules_version"),
        differences=tuple(diffs),
        data_changes=tuple(c for entry in law.data.changes
                           if str(entry["release"]) > data_release
                           for c in entry["changes"]),
        rules_changes=changes_since(_release(stored.get("rules_version"))),
    )
