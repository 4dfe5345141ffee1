"""Replay a stored determination: decide its normalised input again and say whether the answer
is the same, and if not, whether the data or the rules changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dualuse.engine.determination import determine
from dualuse.engine.result import Determination
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


def replay(stored: Mapping[str, Any], law: Law) -> Replay:
    """`stored` is a `Determination.to_dict()` (as the service keeps it)."""
    if "input" not in stored:
        raise InputError("a stored determination needs its normalised input", field="input")
    again = determine(stored["input"], law)
    return Replay(
        determination=again,
        same_outcome=again.outcome == stored.get("outcome"),
        same_legal_bases=list(again.legal_bases) == list(stored.get("legal_bases", [])),
        same_input=again.input_hash == stored.get("input_hash"),
        data_changed=again.data_version != stored.get("data_version"),
        rules_changed=again.rules_version != stored.get("rules_version"),
    )
