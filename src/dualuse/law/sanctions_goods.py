"""EU sanctions that list goods beyond Annex I, as dated, cited law data (pure core).

Regulation (EU) No 833/2014 (Russia) prohibits exports of goods listed by CN code in its annexes
(VII Part B, XXIII ...) and by description (VII Part A); Regulation (EC) No 765/2006 (Belarus)
and Regulation (EU) 2023/1529 (Iran) do the same. `data/sanctions/` carries the texts read
(`scripts/import_sanctions.py`): every list version, entry and article paragraph with its
validity, citation and source. A day's view answers, for a CN code:

    goods = load_law().as_of(day).sanctions_goods
    goods.regime("RU")                       # the hooks: which article prohibits which list
    goods.version("RU.XXIII")                # the text in force that day (None: not bundled)
    goods.matches("RU.XXIII", "84662090")    # entries covering the code (a listed heading
                                             # or subheading covers every code under it)

What the data lacks is never answered as 'not listed': a list without a version on the day, a
version read only in part, a date after the lists can be vouched for, and the lists not bundled
at all are named so that the rules can ask instead (see `docs/data_sources.md`).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from dualuse.errors import DataIntegrityError
from dualuse.law.citations import Citation
from dualuse.law.loader import _day, _validity
from dualuse.law.loader import _read as read_data
from dualuse.law.model import Validity

_DIR = "sanctions"


@dataclass(frozen=True, slots=True)
class SanctionsAct:
    id: str
    short_title: str
    title: str
    regime: str
    state: str  # as_enacted | consolidated | not_read
    entry_into_force: date | None
    source: str | None  # "repo path @ commit"
    date_evidence: str


@dataclass(frozen=True, slots=True)
class ListVersion:
    """One text of a goods list (an annex or its part) as in force from a day."""

    list_id: str
    validity: Validity
    act: str
    act_title: str
    how: str
    complete: bool  # False: only part of the text was read (`last_code_read`)
    title: str
    last_code_read: str | None
    entries: int
    source: str
    countries: frozenset[str] | None  # a list of countries (Annex VIII): their ISO codes

    def describe(self) -> str:
        """E.g. 'as in force from 2025-10-24 (Council Regulation (EU) 2025/2033)'."""
        part = "" if self.complete else f"; only read up to CN {self.last_code_read}"
        return (f"version in force from {self.validity.valid_from.isoformat()} "
                f"({self.act_title}{part})")


@dataclass(frozen=True, slots=True)
class GoodsEntry:
    """A CN code as listed (2, 4, 6 or 8 digits), with its description as printed. An `ex`
    entry covers only the goods its description names (`excepted`: codes under it it excepts)."""

    list_id: str
    cn_code: str
    digits: str
    ex: bool
    excepted: tuple[str, ...]
    text: str
    table: str | None
    table_title: str | None
    validity: Validity
    citation: Citation
    act: str
    cited: str  # rendered: 'Council Regulation (EU) No 833/2014, Annex XXIII, 8466'

    @property
    def heading_level(self) -> str:
        return {2: "chapter", 4: "heading", 6: "subheading", 8: "CN code"}[len(self.digits)]

    @property
    def resolved(self) -> bool:
        """The entry covers a code under it whole: not `ex`, or `ex` only by the CN codes it
        excepts."""
        return not self.ex or bool(self.excepted)


@dataclass(frozen=True, slots=True)
class DescribedEntry:
    """An Annex VII Part A entry (X.A.I.001 ...): goods listed by description."""

    list_id: str
    code: str
    category: str
    text: str
    validity: Validity
    citation: Citation
    act: str
    note: str | None


@dataclass(frozen=True, slots=True)
class Paragraph:
    citation: Citation
    text: str
    validity: Validity
    act: str
    how: str


@dataclass(frozen=True, slots=True)
class Hook:
    """The provision that attaches a legal effect to a list (e.g. Art. 2a(1) to Annex VII)."""

    citation: Citation
    valid_from: date


@dataclass(frozen=True, slots=True)
class ListHook:
    list_id: str | None  # None: the list is not bundled
    annex: str
    part: str | None
    export: Hook
    services: Hook | None  # technical assistance, brokering services (e.g. Art. 2a(2)(a))
    # 'prohibition', or 'unknown' where the data cannot say what a listing there entails
    # (Regulation (EU) No 267/2012, not read).
    effect: str = "prohibition"

    @property
    def label(self) -> str:
        return f"Annex {self.annex}" + (f", Part {self.part}" if self.part else "")


@dataclass(frozen=True, slots=True)
class Provision:
    """An exception ('shall not apply') or derogation ('may authorise') to a list's prohibition,
    for the goods it names (`cn_codes`, a list, or all goods of the lists)."""

    id: str
    kind: str  # exception | derogation
    lists: tuple[str, ...]
    cn_digits: tuple[str, ...] | None
    exception_list: str | None  # the bundled list naming the goods (e.g. Annex XXIIIG)
    list_not_bundled: str | None  # the annex naming the goods, not bundled (e.g. XXIIIE)
    citation: Citation
    applies_until: date | None  # e.g. execution of contracts until that day
    contracts_before: date | None
    validity: Validity

    def covers_code(self, digits: str) -> bool:
        return self.cn_digits is None or any(digits.startswith(d) for d in self.cn_digits)


@dataclass(frozen=True, slots=True)
class ThirdCountryDuty:
    """A duty on exports to third countries of listed goods (Arts 12g, 12gb; 765/2006 8g, 8ga)
    or an authorisation requirement when informed (Art. 2a(1aa))."""

    kind: str  # no_reexport_clause | due_diligence | informed_authorisation
    citation: Citation
    lists: tuple[str, ...]
    valid_from: date
    applies_from: date | None
    not_bundled: str | None
    execution_exempt: tuple[str, ...]  # digits of codes whose contracts' execution is exempt


@dataclass(frozen=True, slots=True)
class Regime:
    """A destination whose sanctions list goods: the hooks, the lists not bundled, the duties
    for exports to third countries, and the exceptions and derogations."""

    iso2: str
    instrument: str
    title: str
    prohibitions: tuple[ListHook, ...]
    described: tuple[ListHook, ...]
    unbundled: tuple[ListHook, ...]
    verified_through: date | None
    later_acts_not_bundled: tuple[str, ...]
    partner_list: str | None
    partner_list_note: str | None
    duties: tuple[ThirdCountryDuty, ...]
    provisions: tuple[Provision, ...]


@dataclass(frozen=True, slots=True)
class DestinationGoods:
    """What a destination is to the goods sanctions on a day: the regime whose lists apply to
    exports to it (RU, BY, IR or None), and for each regime with duties on exports to third
    countries whether it is exempt as a partner country (None: the exempting list is not
    bundled)."""

    regime: str | None
    partner_of: tuple[tuple[str, bool | None], ...]

    def is_partner(self, regime: str) -> bool | None:
        return dict(self.partner_of).get(regime)


def _read(name: str) -> Any:
    return read_data(f"{_DIR}/{name}")


class SanctionsGoods:
    """The goods lists across time (load once; `on(day)` gives a day's view)."""

    def __init__(self) -> None:
        acts = {a["id"]: a for a in _read("acts.json")}
        self.acts = MappingProxyType({
            k: SanctionsAct(
                id=k, short_title=a["short_title"], title=a["title"], regime=a["regime"],
                state=a["state"], entry_into_force=_day(a.get("entry_into_force")),
                source=(f"{a['source']['repo']} {a['source']['path']} @ "
                        f"{a['source']['commit']}" if a.get("source") else None),
                date_evidence=a["date_evidence"])
            for k, a in acts.items()})
        self._titles = {k: a.short_title for k, a in self.acts.items()}
        self.versions: tuple[ListVersion, ...] = tuple(
            ListVersion(
                list_id=lst["id"], validity=_validity(v), act=v["act"],
                act_title=self._titles.get(v["act"], v["act"]), how=v["how"],
                complete=bool(v["complete"]), title=v["title"],
                last_code_read=v.get("last_code_read"), entries=int(v["entries"]),
                source=f"{v['source']['repo']} {v['source']['path']} @ {v['source']['commit']}",
                countries=(frozenset(c["iso2"] for c in v["countries"]) if "countries" in v
                           else None))
            for lst in _read("lists.json") for v in lst["versions"])
        self.lists = MappingProxyType({lst["id"]: MappingProxyType(
            {k: v for k, v in lst.items() if k != "versions"}) for lst in _read("lists.json")})
        self.entries: tuple[GoodsEntry, ...] = tuple(
            GoodsEntry(
                list_id=r["list"], cn_code=r["cn_code"], digits=r["digits"], ex=bool(r["ex"]),
                excepted=tuple(r.get("except") or ()), text=r["text"], table=r.get("table"),
                table_title=r.get("table_title"), validity=_validity(r),
                citation=(c := self.cite(r["citation"])), act=r["act"], cited=c.render())
            for r in _read("entries.jsonl"))
        self.described: tuple[DescribedEntry, ...] = tuple(
            DescribedEntry(
                list_id=r["list"], code=r["code"], category=r["category"], text=r["text"],
                validity=_validity(r), citation=self.cite(r["citation"]), act=r["act"],
                note=r.get("note"))
            for r in _read("annex_vii_part_a.jsonl"))
        self.paragraphs: tuple[Paragraph, ...] = tuple(
            Paragraph(self.cite(r["citation"]), r["text"], _validity(r), r["act"], r["how"])
            for r in _read("articles.jsonl"))
        self.regimes = MappingProxyType({
            iso2: self._regime(iso2, raw) for iso2, raw in _read("regimes.json").items()})
        for entry in self.entries:
            if entry.list_id not in self.lists:
                raise DataIntegrityError(f"sanctions entry of unknown list {entry.list_id}")
        # Days between two boundaries see the same law: one view per segment, shared.
        self._bounds = sorted(self.boundaries())
        self._segments: dict[int, SanctionsGoodsOnDay] = {}
        self.covered: dict[tuple[str, date | None, str], tuple[bool, bool]] = {}
        self._tables: dict[tuple[str, date], dict[str, tuple[GoodsEntry, ...]]] = {}
        self._described_tables: dict[tuple[str, date], dict[str, DescribedEntry]] = {}

    def cite(self, data: Mapping[str, Any]) -> Citation:
        return Citation.from_data(dict(data), self._titles.get(str(data.get("instrument"))))

    def _hook(self, raw: Mapping[str, Any] | None) -> Hook | None:
        if raw is None:
            return None
        fields = {k: v for k, v in raw.items() if k in (
            "instrument", "article", "paragraph", "point", "text")}
        return Hook(self.cite(fields), date.fromisoformat(raw["valid_from"]))

    def _list_hook(self, raw: Mapping[str, Any]) -> ListHook:
        export = self._hook(raw["export"])
        if export is None:
            raise DataIntegrityError(f"sanctions hook without export provision: {raw}")
        return ListHook(raw.get("list"), raw["annex"], raw.get("part"), export,
                        self._hook(raw.get("services")), raw.get("effect", "prohibition"))

    def _regime(self, iso2: str, raw: Mapping[str, Any]) -> Regime:
        third = raw.get("third_country") or {}
        duties = []
        for kind, key in (("no_reexport_clause", "no_russia_clause"),
                          ("due_diligence", "due_diligence"),
                          ("informed_authorisation", "informed_authorisation")):
            d = third.get(key)
            if not d:
                continue
            duties.append(ThirdCountryDuty(
                kind=kind, citation=self.cite({k: d[k] for k in (
                    "instrument", "article", "paragraph") if k in d}),
                lists=tuple(d["lists"]), valid_from=date.fromisoformat(d["valid_from"]),
                applies_from=_day(d.get("applies_from")), not_bundled=d.get("not_bundled"),
                execution_exempt=tuple(c.replace(" ", "") for c in d.get(
                    "execution_exempt") or ())))
        provisions = tuple(
            Provision(
                id=p["id"], kind=p["kind"], lists=tuple(p["lists"]),
                cn_digits=None if p["cn_codes"] is None else tuple(
                    c.replace(" ", "") for c in p["cn_codes"]),
                exception_list=p.get("exception_list"),
                list_not_bundled=p.get("list_not_bundled"), citation=self.cite(p["citation"]),
                applies_until=_day(p.get("applies_until")),
                contracts_before=_day(p.get("contracts_before")), validity=_validity(p))
            for p in raw.get("provisions") or ())
        return Regime(
            iso2=iso2, instrument=raw["instrument"],
            title=self._titles.get(raw["instrument"], raw["instrument"]),
            prohibitions=tuple(self._list_hook(h) for h in raw["prohibitions"]),
            described=tuple(self._list_hook(h) for h in raw["described"]),
            unbundled=tuple(self._list_hook(h) for h in raw["unbundled"]),
            verified_through=_day(raw.get("verified_through")),
            later_acts_not_bundled=tuple(raw.get("later_acts_not_bundled") or ()),
            partner_list=third.get("partner_list"),
            partner_list_note=third.get("partner_list_note"), duties=tuple(duties),
            provisions=provisions)

    def boundaries(self) -> set[date]:
        """Every day on which something in this data starts, ends or stops applying."""
        days: set[date] = set()

        def span(v: Validity) -> None:
            days.add(v.valid_from)
            if v.valid_to is not None:
                days.add(v.valid_to + timedelta(days=1))

        for dated in (self.versions, self.entries, self.described, self.paragraphs):
            for rec in dated:
                span(rec.validity)
        for regime in self.regimes.values():
            if regime.verified_through is not None:
                days.add(regime.verified_through + timedelta(days=1))
            for p in regime.provisions:
                span(p.validity)
                if p.applies_until is not None:
                    days.add(p.applies_until + timedelta(days=1))
            for d in regime.duties:
                days.add(d.valid_from)
                if d.applies_from is not None:
                    days.add(d.applies_from)
            for h in (*regime.prohibitions, *regime.described, *regime.unbundled):
                days.add(h.export.valid_from)
        return days

    def table(self, version: ListVersion) -> dict[str, tuple[GoodsEntry, ...]]:
        """The entries of a list version by the digits they list."""
        key = (version.list_id, version.validity.valid_from)
        found = self._tables.get(key)
        if found is None:
            day = version.validity.valid_from
            table: dict[str, list[GoodsEntry]] = {}
            for e in self.entries:
                if e.list_id == version.list_id and e.validity.contains(day):
                    table.setdefault(e.digits, []).append(e)
            found = self._tables[key] = {d: tuple(es) for d, es in table.items()}
        return found

    def described_table(self, version: ListVersion) -> dict[str, DescribedEntry]:
        key = (version.list_id, version.validity.valid_from)
        found = self._described_tables.get(key)
        if found is None:
            day = version.validity.valid_from
            found = self._described_tables[key] = {
                d.code: d for d in self.described
                if d.list_id == version.list_id and d.validity.contains(day)}
        return found

    def country_boundaries(self) -> set[date]:
        """The days on which what a country is to these sanctions changes (the versions of the
        partner-country lists): all a country's facts turn on."""
        days: set[date] = set()
        lists = {r.partner_list for r in self.regimes.values() if r.partner_list}
        for v in self.versions:
            if v.list_id in lists:
                days.add(v.validity.valid_from)
                if v.validity.valid_to is not None:
                    days.add(v.validity.valid_to + timedelta(days=1))
        return days

    def segment_day(self, segment: int) -> date:
        """A day of the segment (its first, or for the segment before every boundary the day
        before the first)."""
        return self._bounds[segment - 1] if segment > 0 else self._bounds[0] - timedelta(days=1)

    def segment(self, day: date) -> int:
        """The number of the segment of days, between two boundaries, that holds `day`: every
        day of a segment has the same lists, versions, provisions and duties."""
        return bisect.bisect_right(self._bounds, day)

    def on(self, day: date) -> SanctionsGoodsOnDay:
        """The lists in force on `day` (the view is shared by every day of its segment; its
        `day` is the segment's first day, or `day` itself before the first boundary)."""
        seg = self.segment(day)
        view = self._segments.get(seg)
        if view is None:
            first = self._bounds[seg - 1] if seg > 0 else day
            view = self._segments[seg] = SanctionsGoodsOnDay(self, first, seg)
        return view


class SanctionsGoodsOnDay:
    """The goods lists in force on a day (and every day of its segment). Immutable."""

    def __init__(self, data: SanctionsGoods, day: date, segment: int) -> None:
        self.day = day
        self.segment = segment
        self._data = data
        self._versions = {v.list_id: v for v in data.versions if v.validity.contains(day)}
        # Entries change only with their list's version: the tables are built once per version.
        self._index = {k: data.table(v) for k, v in self._versions.items() if v.countries is None}
        self._described = {k: data.described_table(v) for k, v in self._versions.items()
                           if v.countries is None and data.lists[k]["by"] == "description"}
        self._paragraphs = {
            (p.citation.instrument, p.citation.article, p.citation.paragraph, p.citation.point): p
            for p in data.paragraphs if p.validity.contains(day)}
        # Every prefix a code's facts can turn on (entries, codes a provision or duty names): a
        # code none of whose prefixes is here has the facts of an unlisted code.
        self.prefixes = frozenset(
            {d for table in self._index.values() for d in table}
            | {c for r in data.regimes.values() for p in r.provisions for c in p.cn_digits or ()}
            | {c for r in data.regimes.values() for d in r.duties for c in d.execution_exempt})

    @property
    def acts(self) -> Mapping[str, SanctionsAct]:
        return self._data.acts

    def regime(self, iso2: str) -> Regime | None:
        return self._data.regimes.get(iso2)

    def destination(self, iso2: str) -> DestinationGoods:
        partner: list[tuple[str, bool | None]] = []
        for regime in self._data.regimes.values():
            if not regime.duties:
                continue
            listed = (self.listed_countries(regime.partner_list) if regime.partner_list
                      else None)
            partner.append((regime.iso2, None if listed is None else iso2 in listed))
        return DestinationGoods(iso2 if iso2 in self._data.regimes else None, tuple(partner))

    def regimes(self) -> tuple[Regime, ...]:
        return tuple(self._data.regimes.values())

    def version(self, list_id: str) -> ListVersion | None:
        return self._versions.get(list_id)

    def matches(self, list_id: str, digits: str) -> tuple[GoodsEntry, ...]:
        """The entries of the list in force that cover the 8-digit code: the code itself or the
        chapter, heading or subheading it falls under (an entry that excepts the code does
        not cover it)."""
        table = self._index.get(list_id)
        if not table:
            return ()
        out: list[GoodsEntry] = []
        for n in (2, 4, 6, 8):
            for e in table.get(digits[:n], ()):
                if not any(digits.startswith(x) for x in e.excepted):
                    out.append(e)
        return tuple(out)

    def covered(self, list_id: str, digits: str) -> tuple[bool, bool]:
        """(an entry covers the code whole, an 'ex' entry may cover it): `matches` in brief,
        remembered per version of the list (its entries change only with it)."""
        version = self._versions.get(list_id)
        key = (list_id, None if version is None else version.validity.valid_from, digits)
        found = self._data.covered.get(key)
        if found is None:
            found = self._data.covered[key] = self._covered(list_id, digits)
        return found

    def _covered(self, list_id: str, digits: str) -> tuple[bool, bool]:
        table = self._index.get(list_id)
        whole = partly = False
        if table:
            for n in (2, 4, 6, 8):
                for e in table.get(digits[:n], ()):
                    if any(digits.startswith(x) for x in e.excepted):
                        continue
                    if e.resolved:
                        whole = True
                    else:
                        partly = True
        return whole, partly

    def described_entry(self, list_id: str, code: str) -> DescribedEntry | None:
        return self._described.get(list_id, {}).get(code)

    def described_entries(self, list_id: str) -> tuple[DescribedEntry, ...]:
        return tuple(self._described.get(list_id, {}).values())

    def listed_countries(self, list_id: str) -> frozenset[str] | None:
        """ISO codes in a country list (e.g. Annex VIII partner countries); None when no version
        is in force."""
        version = self._versions.get(list_id)
        return None if version is None else version.countries

    def paragraph(self, citation: Citation) -> Paragraph | None:
        return self._paragraphs.get((citation.instrument, citation.article, citation.paragraph,
                                     citation.point))

    def touches(self, digits: str) -> bool:
        """Whether any entry, provision or duty of the day names the code or a prefix of it."""
        prefixes = self.prefixes
        return any(digits[:n] in prefixes for n in (2, 4, 6, 8))

    def provisions(self, regime: Regime) -> tuple[Provision, ...]:
        """Exceptions and derogations in force, not yet spent (their execution window open)."""
        return tuple(p for p in regime.provisions if p.validity.contains(self.day)
                     and (p.applies_until is None or self.day <= p.applies_until))
