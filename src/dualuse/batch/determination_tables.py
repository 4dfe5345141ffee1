"""The dated catalogue compiled into lookup tables for the vectorised batch path.

1. Epochs: the days on which any dated record of the law data starts or ends split time into
   epochs; every day of an epoch has the same catalogue, so one catalogue serves the epoch.
2. Classes: per epoch, each control code and each country is mapped to the class of its
   `decision_key()`, the facts an outcome, a legal basis or a UGEA status can turn on.
3. Decisions: each distinct (epoch, activity, member state, code class, country class, flags)
   is decided once by the engine's own `decide_item`, so the batch path and the per-transaction
   engine apply the same rules (the differential test checks it).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dualuse.engine.determination import ItemDecision, decide_item
from dualuse.engine.result import OUTCOMES, SEVERITY, basis_sort_key
from dualuse.engine.transaction import Item, Transaction
from dualuse.errors import CoverageError, InputError
from dualuse.law import Catalogue, Law
from dualuse.law.codes import normalise
from dualuse.rules.annex_ii.common import ugea_rules
from dualuse.rules.context import CountryFacts, ItemContext, code_facts, country_facts

UGEA_CODES = {"not_needed": 0, "available": 1, "conditional": 2, "not_available": 3}


def _boundaries(law: Law) -> list[date]:
    data = law.data
    days: set[date] = set()

    def add(valid_from: date, valid_to: date | None) -> None:
        days.add(valid_from)
        if valid_to is not None:
            days.add(valid_to + timedelta(days=1))

    for v in data.annex_i_versions:
        add(v.validity.valid_from, v.validity.valid_to)
    records: Iterable[Any] = (*data.entries, *data.definitions, *data.notes, *data.annex_iv,
                              *data.section_i, *data.arms_embargoes, *data.sanctions_bans,
                              *data.national_measures)
    for r in records:
        add(r.validity.valid_from, r.validity.valid_to)
    for raw in data.ugeas_raw:
        dated = [raw, *raw["destinations"].get("destinations", []),
                 *raw["destinations"].get("excluded", [])]
        for d in dated:
            if d.get("valid_from"):
                add(date.fromisoformat(d["valid_from"]),
                    date.fromisoformat(d["valid_to"]) if d.get("valid_to") else None)
    return sorted(days)


@dataclass
class Compiled:
    """Lookup tables built lazily for the epochs, codes and countries a batch meets."""

    law: Law
    starts: list[date] = field(default_factory=list)
    _cats: dict[int, Catalogue] = field(default_factory=dict)
    code_class: dict[tuple[int, str | None], int] = field(default_factory=dict)
    country_class: dict[tuple[int, str], int] = field(default_factory=dict)
    _code_keys: dict[tuple[int, tuple[Any, ...]], int] = field(default_factory=dict)
    _country_keys: dict[tuple[int, tuple[Any, ...]], int] = field(default_factory=dict)
    code_rep: dict[int, str | None] = field(default_factory=dict)
    country_rep: dict[int, CountryFacts] = field(default_factory=dict)
    bases: dict[tuple[str, str], int] = field(default_factory=dict)
    decisions: dict[tuple[Any, ...], tuple[int, int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        first, last = self.law.coverage
        self._first, self._last = first, last
        self.starts = [d for d in _boundaries(self.law) if d >= first]
        if not self.starts or self.starts[0] != first:
            self.starts.insert(0, first)

    # -------------------------------------------------------------- epochs
    def epoch(self, day: date, where: str) -> int:
        if day < self._first or (self._last is not None and day > self._last):
            raise CoverageError(f"{day.isoformat()} is outside the law data's coverage "
                                f"({self._first.isoformat()} onwards)", field=where)
        return bisect.bisect_right(self.starts, day) - 1

    def catalogue(self, epoch: int) -> Catalogue:
        cat = self._cats.get(epoch)
        if cat is None:
            cat = self._cats[epoch] = self.law.as_of(self.starts[epoch])
        return cat

    # -------------------------------------------------------------- classes
    def classify_code(self, epoch: int, code: str | None) -> int:
        key = (epoch, code)
        found = self.code_class.get(key)
        if found is None:
            facts = code_facts(self.catalogue(epoch), code)
            found = self._code_keys.setdefault((epoch, facts.decision_key()),
                                               len(self._code_keys))
            self.code_rep.setdefault(found, code)
            self.code_class[key] = found
        return found

    def classify_country(self, epoch: int, iso2: str, where: str) -> int:
        key = (epoch, iso2)
        found = self.country_class.get(key)
        if found is None:
            facts = country_facts(self.catalogue(epoch), iso2, where)
            found = self._country_keys.setdefault((epoch, facts.decision_key()),
                                                  len(self._country_keys))
            self.country_rep.setdefault(found, facts)
            self.country_class[key] = found
        return found

    # -------------------------------------------------------------- decisions
    def decide(self, epoch: int, activity: str, member_state: str, code_cls: int,
               dest_cls: int, cyber: bool, informed: str, aware: str,
               circumstances: str) -> tuple[int, int, int]:
        """(outcome rank, bases bit mask, packed UGEA statuses) for one class of lines."""
        key = (epoch, activity, member_state, code_cls, dest_cls, cyber, informed, aware,
               circumstances)
        found = self.decisions.get(key)
        if found is not None:
            return found
        cat = self.catalogue(epoch)
        dest = self.country_rep[dest_cls]
        tx = Transaction(
            as_of=cat.as_of, activity=activity, member_state=member_state,
            destination=dest.iso2, items=(Item(self.code_rep[code_cls], cyber),),
            informed_of=_words(informed), aware_of=_words(aware),
            circumstances=_words(circumstances),
        )
        from dualuse.engine.determination import _validate

        _validate(tx, cat, same_state_check=False)  # checked on the real rows
        ctx = ItemContext(tx, cat, 0, tx.items[0], code_facts(cat, tx.items[0].control_code),
                          dest, None)
        decision, *_ = decide_item(ctx)
        found = (SEVERITY[decision.outcome], self._mask(decision), _pack(decision))
        self.decisions[key] = found
        return found

    def _mask(self, decision: ItemDecision) -> int:
        mask = 0
        for basis in decision.bases:
            bit = self.bases.setdefault(basis, len(self.bases))
            mask |= 1 << bit
        return mask

    def render_bases(self, mask: int) -> str:
        chosen = {b for b, bit in self.bases.items() if mask >> bit & 1}
        out: list[str] = []
        for _, text in sorted(chosen, key=basis_sort_key):
            if text not in out:
                out.append(text)
        return ";".join(out)


def _pack(decision: ItemDecision) -> int:
    packed = 0
    for i, (_, status) in enumerate(decision.ugea):
        packed |= UGEA_CODES[status] << (2 * i)
    return packed


def render_ugeas(packed: int) -> str:
    """Transaction-level statuses (already aggregated) -> 'EU001=available;EU003=conditional'."""
    ids = [r.id for r in ugea_rules()]
    names = {1: "available", 2: "conditional"}
    out = []
    for i, uid in enumerate(ids):
        code = packed >> (2 * i) & 3
        if code in names:
            out.append(f"{uid}={names[code]}")
    return ";".join(out)


def outcome_name(rank: int) -> str:
    return OUTCOMES[rank]


def _words(joined: str) -> frozenset[str]:
    return frozenset(w for w in joined.split(";") if w)


def normalise_words(raw: str | None, vocabulary: tuple[str, ...], where: str) -> str:
    """A `;`-separated list cell -> its canonical form (sorted, distinct); InputError if a word
    is not in the vocabulary."""
    if raw is None:
        return ""
    words = sorted({w.strip() for w in raw.split(";") if w.strip()})
    for w in words:
        if w not in vocabulary:
            raise InputError(f"unknown value {w!r}; expected one of: {', '.join(vocabulary)}",
                             field=where)
    return ";".join(words)


def normalise_code(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    return normalise(raw)
