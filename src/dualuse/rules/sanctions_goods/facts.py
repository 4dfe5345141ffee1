"""The facts of an item's CN code against the sanctions goods lists on a day.

Computed once per catalogue and code (`goods_facts`). The rules read only these facts, never the
catalogue, so that the batch path can decide each class of codes with identical
`decision_key()` once: the key holds every fact an outcome or a legal basis turns on (which
entries cover the code, which versions were read and whether whole, whether the day is past the
last day the lists can be vouched for, which exceptions and duties apply); the texts are for the
explanation.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date
from typing import Any

from dualuse.law import Catalogue
from dualuse.law.sanctions_goods import ListHook, Regime, SanctionsGoodsOnDay


def printed(digits: str) -> str:
    """'84669390' -> '8466 93 90' (the CN as the Official Journal prints it)."""
    return " ".join([digits[:4], *[digits[i:i + 2] for i in range(4, len(digits), 2)]])


@dataclass(frozen=True, slots=True)
class Hit:
    """A list entry that covers the code."""

    list_id: str
    entry: str  # as printed: '8466', '8466 93'
    digits: str
    level: str  # chapter | heading | subheading | CN code
    ex: bool  # an 'ex' entry that covers only the goods its description names
    text: str
    table: str | None
    citation: str


@dataclass(frozen=True, slots=True)
class ListCheck:
    """One list as checked for the code: its provisions, the version read, the entries found."""

    list_id: str | None  # None: the list is not bundled
    annex: str
    label: str  # 'Annex VII, Part B'
    export: str  # the provision prohibiting exports (and transit), rendered
    services: str | None  # the provision on technical assistance and brokering services
    version: str | None  # the version in force on the day; None: none bundled
    complete: bool
    hits: tuple[Hit, ...] = ()
    effect: str = "prohibition"  # or 'unknown' (a listing whose effect the data cannot say)

    def key(self) -> tuple[Any, ...]:
        return (self.list_id, self.annex, self.export, self.services, self.version is not None,
                self.complete, tuple((h.list_id, h.digits, h.ex) for h in self.hits),
                self.effect)


@dataclass(frozen=True, slots=True)
class ProvisionCheck:
    """An exception or derogation in force on the day that may apply to the code."""

    id: str
    kind: str  # exception | derogation
    citation: str
    text: str  # the paragraph as read (verbatim)
    lists: tuple[str, ...]
    goods: str  # which goods it names, in words
    in_exception_list: bool | None  # for a provision naming a bundled list: the code is in it

    def key(self) -> tuple[Any, ...]:
        return (self.id, self.kind, self.citation, self.lists, self.in_exception_list)


@dataclass(frozen=True, slots=True)
class DutyCheck:
    """A duty on exports to third countries of listed goods, as it stands for the code."""

    kind: str  # no_reexport_clause | due_diligence | informed_authorisation
    citation: str
    text: str
    applies: bool  # in force and applicable on the day
    applies_from: date | None
    list_version: str | None  # the version of its list on the day (None: not bundled)
    hits: tuple[Hit, ...]
    not_bundled: str | None  # the other goods it covers, not bundled
    execution_exempt: bool  # the code is one whose contracts' execution is exempt

    def key(self) -> tuple[Any, ...]:
        return (self.kind, self.citation, self.applies, self.list_version is not None,
                tuple((h.list_id, h.digits, h.ex) for h in self.hits), self.execution_exempt)


@dataclass(frozen=True, slots=True)
class RegimeCheck:
    regime: str
    title: str  # e.g. 'Council Regulation (EU) No 833/2014'
    prohibitions: tuple[ListCheck, ...]
    described: tuple[ListCheck, ...]
    described_codes: frozenset[str]
    unbundled: tuple[ListCheck, ...]
    stale: bool  # the day is after the last day the bundled lists can be vouched for
    verified_through: date | None
    later_acts: tuple[str, ...]
    provisions: tuple[ProvisionCheck, ...]
    duties: tuple[DutyCheck, ...]

    def key(self) -> tuple[Any, ...]:
        return (self.regime, tuple(c.key() for c in self.prohibitions),
                tuple(c.key() for c in self.described), self.described_codes,
                tuple(c.key() for c in self.unbundled), self.stale,
                tuple(p.key() for p in self.provisions), tuple(d.key() for d in self.duties))


@dataclass(frozen=True, slots=True)
class GoodsFacts:
    cn_code: str | None  # 8 digits
    day: date
    regimes: tuple[RegimeCheck, ...]

    @property
    def printed(self) -> str | None:
        return None if self.cn_code is None else printed(self.cn_code)

    def regime(self, iso2: str) -> RegimeCheck | None:
        for r in self.regimes:
            if r.regime == iso2:
                return r
        return None

    def decision_key(self) -> tuple[Any, ...]:
        return (self.cn_code is None, tuple(r.key() for r in self.regimes))


_CACHE: weakref.WeakKeyDictionary[Catalogue, dict[str | None, GoodsFacts]] = (
    weakref.WeakKeyDictionary()
)


def goods_facts(cat: Catalogue, cn_code: str | None) -> GoodsFacts:
    """The facts of an 8-digit CN code (digits, or None when not given) on the catalogue's day."""
    per_cat = _CACHE.setdefault(cat, {})
    found = per_cat.get(cn_code)
    if found is None:
        goods = cat.sanctions_goods
        found = per_cat[cn_code] = GoodsFacts(cn_code, cat.as_of, tuple(
            _regime(goods, r, cn_code) for r in goods.regimes()))
    return found


def _check(goods: SanctionsGoodsOnDay, hook: ListHook, digits: str | None,
           bundled: bool = True) -> ListCheck:
    version = goods.version(hook.list_id) if bundled and hook.list_id else None
    hits: tuple[Hit, ...] = ()
    if version is not None and digits is not None and hook.list_id is not None:
        hits = _hits(goods, hook.list_id, digits)
    return ListCheck(
        list_id=hook.list_id if bundled else None, annex=hook.annex, label=hook.label,
        export=hook.export.citation.render(),
        services=None if hook.services is None else hook.services.citation.render(),
        version=None if version is None else version.describe(),
        complete=bool(version and version.complete), hits=hits, effect=hook.effect)


def _hits(goods: SanctionsGoodsOnDay, list_id: str, digits: str) -> tuple[Hit, ...]:
    return tuple(
        Hit(list_id=e.list_id, entry=e.cn_code, digits=e.digits, level=e.heading_level,
            ex=not e.resolved, text=e.text, table=e.table, citation=e.citation.render())
        for e in goods.matches(list_id, digits))


def _regime(goods: SanctionsGoodsOnDay, regime: Regime, digits: str | None) -> RegimeCheck:
    day = goods.day
    described_codes: frozenset[str] = frozenset()
    for hook in regime.described:
        if hook.list_id and goods.version(hook.list_id) is not None:
            described_codes |= {e.code for e in goods.described_entries(hook.list_id)}
    provisions = []
    for p in goods.provisions(regime):
        if digits is not None and p.cn_digits is not None and not p.covers_code(digits):
            continue
        para = goods.paragraph(p.citation)
        in_list: bool | None = None
        if p.exception_list is not None:
            if goods.version(p.exception_list) is None or digits is None:
                in_list = None
            else:
                in_list = bool(_hits(goods, p.exception_list, digits))
                if not in_list:
                    continue  # the code is not among the goods the exception names
        if p.cn_digits is not None:
            named = "goods falling under CN " + ", ".join(printed(c) for c in p.cn_digits)
        elif p.exception_list is not None:
            named = f"goods listed in Annex {p.exception_list.split('.')[1]}"
        elif p.list_not_bundled is not None:
            named = f"goods listed in Annex {p.list_not_bundled} (not bundled)"
        else:
            named = "the goods of the lists it refers to"
        provisions.append(ProvisionCheck(
            id=p.id, kind=p.kind, citation=p.citation.render(),
            text=para.text if para is not None else "", lists=p.lists, goods=named,
            in_exception_list=in_list))
    duties = []
    for d in regime.duties:
        if day < d.valid_from:
            continue
        list_id = d.lists[0]
        version = goods.version(list_id)
        hits = () if digits is None or version is None else _hits(goods, list_id, digits)
        for extra in d.lists[1:]:
            if digits is not None and goods.version(extra) is not None:
                hits += _hits(goods, extra, digits)
        para = goods.paragraph(d.citation)
        duties.append(DutyCheck(
            kind=d.kind, citation=d.citation.render(), text=para.text if para else "",
            applies=d.applies_from is None or day >= d.applies_from, applies_from=d.applies_from,
            list_version=None if version is None else version.describe(), hits=hits,
            not_bundled=d.not_bundled,
            execution_exempt=digits is not None and any(
                digits.startswith(c) for c in d.execution_exempt)))
    return RegimeCheck(
        regime=regime.iso2, title=regime.title,
        prohibitions=tuple(_check(goods, h, digits) for h in regime.prohibitions),
        described=tuple(_check(goods, h, None) for h in regime.described),
        described_codes=described_codes,
        unbundled=tuple(_check(goods, h, None, bundled=False) for h in regime.unbundled),
        stale=regime.verified_through is not None and day > regime.verified_through,
        verified_through=regime.verified_through, later_acts=regime.later_acts_not_bundled,
        provisions=tuple(provisions), duties=tuple(duties))
