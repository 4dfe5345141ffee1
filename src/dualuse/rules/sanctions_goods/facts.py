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
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from dualuse.law import Catalogue
from dualuse.law.sanctions_goods import ListHook, Provision, Regime, SanctionsGoodsOnDay


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

    def outcome_key(self) -> tuple[Any, ...]:
        """What an outcome and its bases read of the check when no answers are given."""
        return (self.list_id, self.label, self.export, self.services, self.version is not None,
                self.complete, any(not h.ex for h in self.hits), any(h.ex for h in self.hits),
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

    def outcome_key(self, regime: str | None) -> tuple[Any, ...]:
        """What the outcome and the legal bases of an item going to a destination under `regime`
        turn on when no answers are given (the batch path): for other destinations the CN code
        brings obligations and notes only, and without a code only the questions differ."""
        rc = None if regime is None else self.regime(regime)
        return () if rc is None else outcome_key(rc, self.cn_code)


def outcome_key(rc: RegimeCheck, cn_code: str | None) -> tuple[Any, ...]:
    if cn_code is None:
        return (rc.regime, None)
    return (rc.regime, rc.stale, tuple(c.outcome_key() for c in (
        *rc.prohibitions, *rc.described, *rc.unbundled)))


_CACHE: weakref.WeakKeyDictionary[Catalogue, dict[str | None, GoodsFacts]] = (
    weakref.WeakKeyDictionary()
)


def goods_facts(cat: Catalogue, cn_code: str | None) -> GoodsFacts:
    """The facts of an 8-digit CN code (digits, or None when not given) on the catalogue's day."""
    per_cat = _CACHE.setdefault(cat, {})
    found = per_cat.get(cn_code)
    if found is None:
        found = per_cat[cn_code] = facts_on(cat.sanctions_goods, cn_code, cat.as_of)
    return found


def facts_on(goods: SanctionsGoodsOnDay, cn_code: str | None, day: date) -> GoodsFacts:
    """The facts of a code on a day of `goods`' segment. A code that no entry, provision or duty
    names shares the segment's precomputed facts; another fills in its entries."""
    templates = _templates(goods)
    if cn_code is None:
        regimes = tuple(t.without_code for t in templates)
    elif not goods.touches(cn_code):
        regimes = tuple(t.unlisted for t in templates)
    else:
        regimes = tuple(_for_code(goods, t, cn_code) for t in templates)
    return GoodsFacts(cn_code, day, regimes)


def outcome_key_on(goods: SanctionsGoodsOnDay, regime: str, cn_code: str | None
                   ) -> tuple[Any, ...]:
    """`facts_on(goods, cn_code, day).outcome_key(regime)`, reading only that regime's
    prohibition lists (the batch path's classes)."""
    for t in _templates(goods):
        if t.regime.iso2 == regime:
            if cn_code is None:
                return outcome_key(t.without_code, None)
            rc = t.unlisted
            if not goods.touches(cn_code):
                return (rc.regime, rc.stale, t.keys)
            keys = list(t.keys)
            for i, c in enumerate(rc.prohibitions):
                if c.list_id is not None and c.version is not None:
                    whole, partly = goods.covered(c.list_id, cn_code)
                    if whole or partly:
                        keys[i] = (*keys[i][:6], whole, partly, *keys[i][8:])
            return (rc.regime, rc.stale, tuple(keys))
    return ()


def regime_state(goods: SanctionsGoodsOnDay, regime: str) -> tuple[Any, ...]:
    """What a regime's outcome keys depend on besides the code: the versions of its lists and
    whether the day is past their last sure day. Segments with the same state give every code
    the same `outcome_key_on`."""
    for t in _templates(goods):
        if t.regime.iso2 == regime:
            rc = t.unlisted
            return (regime, rc.stale, tuple((c.list_id, c.annex, c.version, c.complete)
                                            for c in (*rc.prohibitions, *rc.described,
                                                      *rc.unbundled)))
    return (regime,)


@dataclass(frozen=True, slots=True)
class _Template:
    regime: Regime
    without_code: RegimeCheck  # no CN code given
    unlisted: RegimeCheck  # a code that nothing names
    provisions: tuple[tuple[Provision, ProvisionCheck], ...]  # all in force and unspent
    keys: tuple[tuple[Any, ...], ...] = ()  # the outcome keys of `unlisted`'s list checks


_TEMPLATES: weakref.WeakKeyDictionary[SanctionsGoodsOnDay, tuple[_Template, ...]] = (
    weakref.WeakKeyDictionary()
)


def _templates(goods: SanctionsGoodsOnDay) -> tuple[_Template, ...]:
    found = _TEMPLATES.get(goods)
    if found is None:
        found = _TEMPLATES[goods] = tuple(_template(goods, r) for r in goods.regimes())
    return found


def _template(goods: SanctionsGoodsOnDay, regime: Regime) -> _Template:
    day = goods.day
    described_codes: frozenset[str] = frozenset()
    for hook in regime.described:
        if hook.list_id and goods.version(hook.list_id) is not None:
            described_codes |= {e.code for e in goods.described_entries(hook.list_id)}
    provisions = []
    for p in goods.provisions(regime):
        para = goods.paragraph(p.citation)
        if p.cn_digits is not None:
            named = "goods falling under CN " + ", ".join(printed(c) for c in p.cn_digits)
        elif p.exception_list is not None:
            named = f"goods listed in Annex {p.exception_list.split('.')[1]}"
        elif p.list_not_bundled is not None:
            named = f"goods listed in Annex {p.list_not_bundled} (not bundled)"
        else:
            named = "the goods of the lists it refers to"
        provisions.append((p, ProvisionCheck(
            id=p.id, kind=p.kind, citation=p.citation.render(),
            text=para.text if para is not None else "", lists=p.lists, goods=named,
            in_exception_list=None)))
    duties = []
    for d in regime.duties:
        if day < d.valid_from:
            continue
        version = goods.version(d.lists[0])
        para = goods.paragraph(d.citation)
        duties.append(DutyCheck(
            kind=d.kind, citation=d.citation.render(), text=para.text if para else "",
            applies=d.applies_from is None or day >= d.applies_from, applies_from=d.applies_from,
            list_version=None if version is None else version.describe(), hits=(),
            not_bundled=d.not_bundled, execution_exempt=False))
    without_code = RegimeCheck(
        regime=regime.iso2, title=regime.title,
        prohibitions=tuple(_check(goods, h) for h in regime.prohibitions),
        described=tuple(_check(goods, h) for h in regime.described),
        described_codes=described_codes,
        unbundled=tuple(_check(goods, h, bundled=False) for h in regime.unbundled),
        stale=regime.verified_through is not None and day > regime.verified_through,
        verified_through=regime.verified_through, later_acts=regime.later_acts_not_bundled,
        provisions=tuple(c for _, c in provisions), duties=tuple(duties))
    t = _Template(regime, without_code, without_code, tuple(provisions))
    unlisted = replace(without_code, provisions=_provisions(goods, t, None))
    return replace(t, unlisted=unlisted, keys=tuple(c.outcome_key() for c in (
        *unlisted.prohibitions, *unlisted.described, *unlisted.unbundled)))


def _provisions(goods: SanctionsGoodsOnDay, t: _Template, digits: str | None
                ) -> tuple[ProvisionCheck, ...]:
    """The exceptions and derogations that may apply to a given code (`digits` None: a code
    that nothing names)."""
    out = []
    for p, check in t.provisions:
        if p.cn_digits is not None and (digits is None or not p.covers_code(digits)):
            continue
        if p.exception_list is not None and goods.version(p.exception_list) is not None:
            if digits is None or not goods.matches(p.exception_list, digits):
                continue  # the code is not among the goods the exception names
            check = replace(check, in_exception_list=True)
        out.append(check)
    return tuple(out)


def _with_hits(goods: SanctionsGoodsOnDay, check: ListCheck, digits: str) -> ListCheck:
    if check.list_id is None or check.version is None:
        return check
    hits = _hits(goods, check.list_id, digits)
    return replace(check, hits=hits) if hits else check


def _for_code(goods: SanctionsGoodsOnDay, t: _Template, digits: str) -> RegimeCheck:
    duties = []
    for d, spec in zip(t.unlisted.duties, (x for x in t.regime.duties
                                            if goods.day >= x.valid_from), strict=True):
        hits: tuple[Hit, ...] = ()
        for list_id in spec.lists:
            if goods.version(list_id) is not None:
                hits += _hits(goods, list_id, digits)
        exempt = any(digits.startswith(c) for c in spec.execution_exempt)
        duties.append(replace(d, hits=hits, execution_exempt=exempt) if hits or exempt else d)
    return replace(
        t.unlisted, prohibitions=tuple(_with_hits(goods, c, digits)
                                       for c in t.unlisted.prohibitions),
        provisions=_provisions(goods, t, digits), duties=tuple(duties))


def _check(goods: SanctionsGoodsOnDay, hook: ListHook, bundled: bool = True) -> ListCheck:
    version = goods.version(hook.list_id) if bundled and hook.list_id else None
    return ListCheck(
        list_id=hook.list_id if bundled else None, annex=hook.annex, label=hook.label,
        export=hook.export.citation.render(),
        services=None if hook.services is None else hook.services.citation.render(),
        version=None if version is None else version.describe(),
        complete=bool(version and version.complete), effect=hook.effect)


def _hits(goods: SanctionsGoodsOnDay, list_id: str, digits: str) -> tuple[Hit, ...]:
    return tuple(
        Hit(list_id=e.list_id, entry=e.cn_code, digits=e.digits, level=e.heading_level,
            ex=not e.resolved, text=e.text, table=e.table, citation=e.cited)
        for e in goods.matches(list_id, digits))
