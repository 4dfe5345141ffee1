"""The law as of a day: `load_law().as_of(date)` returns an immutable `Catalogue`.

A date outside the data's coverage raises `CoverageError`; the catalogue never answers one day's
question with another day's law.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import TypeVar

from dualuse.errors import CoverageError, InputError, UnknownCodeError, UnknownCountryError
from dualuse.law import codes
from dualuse.law.citations import REGULATION, Citation, Instrument
from dualuse.law.loader import Dated, LawData, article_text, build_ugea, load_data
from dualuse.law.model import (
    AnnexIVersion,
    AnnexIVListing,
    ArmsEmbargo,
    ArticleText,
    Country,
    Definition,
    Entry,
    NationalMeasure,
    NoteDocument,
    SanctionsBan,
    SectionIExclusion,
    Ugea,
)
from dualuse.law.sanctions_goods import SanctionsGoods, SanctionsGoodsOnDay

T = TypeVar("T")
_QUOTED = re.compile(r"[\"“”]([^\"“”]{2,80})[\"“”]")
_SECTION_NOTE_TITLE = re.compile(r"^Category (\d) — (.+?) — ")
UGEA_IDS = tuple(f"EU00{i}" for i in range(1, 9))


class Law:
    """All the bundled law across time. Cheap to query; build once with `load_law()`."""

    def __init__(self, data: LawData) -> None:
        self._data = data
        self._views: dict[date, Catalogue] = {}
        self._annex_i: dict[
            str, tuple[Mapping[str, Entry], Mapping[str, tuple[Entry, ...]]]
        ] = {}
        self._titles = {k: v.short_title for k, v in data.instruments.items()}
        self._sanctions_goods: SanctionsGoods | None = None

    @property
    def data_version(self) -> str:
        return self._data.data_version

    @property
    def data(self) -> LawData:
        return self._data

    @property
    def sanctions_goods(self) -> SanctionsGoods:
        """The sanctions goods lists beyond Annex I (`dualuse.law.sanctions_goods`), loaded on
        first use."""
        if self._sanctions_goods is None:
            self._sanctions_goods = SanctionsGoods()
        return self._sanctions_goods

    @property
    def coverage(self) -> tuple[date, date | None]:
        """First and last day on which every part of the law is known (Annex I bounds it)."""
        versions = self._data.annex_i_versions
        return versions[0].validity.valid_from, versions[-1].validity.valid_to

    @property
    def annex_i_versions(self) -> tuple[AnnexIVersion, ...]:
        return self._data.annex_i_versions

    def annex_i_tables(
        self, version: AnnexIVersion
    ) -> tuple[Mapping[str, Entry], Mapping[str, tuple[Entry, ...]]]:
        """Entries of one Annex I text and their children, built once per version."""
        tables = self._annex_i.get(version.id)
        if tables is None:
            day = version.validity.valid_from
            # Each delegated act replaces Annex I whole: every entry in force is cited as Annex I
            # of the Regulation as replaced by that act (the record keeps its own wording
            # history and provenance).
            title = "Regulation (EU) 2021/821"
            entries = {
                e.code: Entry(
                    e.code, e.parent, e.level, e.category, e.group, e.category_part, e.entry,
                    e.regime, e.text, e.notes, e.not_used, e.validity,
                    Citation(instrument=REGULATION, annex="I", entry=e.code,
                             instrument_title=title, as_replaced_by=version.act_title),
                    e.last_verified_on, e.provenance,
                )
                for e in self._data.entries
                if e.validity.valid_from <= day
                and (e.validity.valid_to is None or day <= e.validity.valid_to)
            }
            children: dict[str, list[Entry]] = {}
            for e in entries.values():
                if e.parent:
                    children.setdefault(e.parent, []).append(e)
            tables = (
                MappingProxyType(entries),
                MappingProxyType({k: tuple(v) for k, v in children.items()}),
            )
            self._annex_i[version.id] = tables
        return tables

    def instrument(self, celex: str) -> Instrument:
        try:
            return self._data.instruments[celex]
        except KeyError:
            raise InputError(
                f"no instrument {celex!r} in the registry", field="instrument"
            ) from None

    def instruments(self) -> tuple[Instrument, ...]:
        return tuple(self._data.instruments.values())

    def article(self, ref: str) -> ArticleText:
        return article_text(self._data.articles, ref, "Regulation (EU) 2021/821")

    def as_of(self, day: date) -> Catalogue:
        if not isinstance(day, date):
            raise InputError(f"as_of must be a date, got {day!r}", field="as_of")
        view = self._views.get(day)
        if view is None:
            first, last = self.coverage
            if day < first or (last is not None and day > last):
                missing = "; ".join(
                    f"{v['what']} (from {v['valid_from']}): {v['why']}"
                    for v in self._data.not_obtained_versions
                    if date.fromisoformat(v["valid_from"]) <= day
                )
                raise CoverageError(
                    f"{day.isoformat()} is outside the law data's coverage "
                    f"({first.isoformat()} onwards)"
                    + (f"; not bundled: {missing}" if missing else
                       " (the Regulation applies from 2021-09-09)"),
                    field="as_of",
                )
            version = next(v for v in self._data.annex_i_versions if v.validity.contains(day))
            view = Catalogue(self, day, version)
            self._views[day] = view
        return view


class Catalogue:
    """The law in force on one day. Immutable: every query is answered from that day's records."""

    def __init__(self, law: Law, day: date, version: AnnexIVersion) -> None:
        data = law.data
        self._law = law
        self.as_of = day
        self.annex_i_version = version
        self.data_version = law.data_version
        self._entries, self._children = law.annex_i_tables(version)
        self._definitions = tuple(d for d in data.definitions if d.validity.contains(day))
        self._def_index = {d.term.lower(): d for d in self._definitions}
        self._notes = tuple(n for n in data.notes if n.validity.contains(day))
        self._annex_iv = {d.record.code: d.record for d in _on(data.annex_iv, day)}
        # For codes of which only some sub-items are in Annex IV: every ancestor of a listed code
        # maps to the listed codes below it (one lookup instead of a scan per question).
        self._annex_iv_below: dict[str, list[str]] = {}
        for listed_code, listing in sorted(self._annex_iv.items()):
            if listing.scope == "excluded":
                continue
            for anc in codes.ancestors_of(listed_code):
                self._annex_iv_below.setdefault(anc, []).append(listed_code)
        self._section_i = {d.record.code: d.record for d in _on(data.section_i, day)}
        titles = {k: v.short_title for k, v in data.instruments.items()}
        self._ugeas = {
            raw["id"]: build_ugea(raw, day, raw["id"] in data.section_i_applies_to, titles)
            for raw in data.ugeas_raw
            if raw["valid_from"] <= day.isoformat()
            and (raw["valid_to"] is None or day.isoformat() <= raw["valid_to"])
        }

    # ------------------------------------------------------------------ Annex I

    def entries(self) -> tuple[Entry, ...]:
        return tuple(self._entries.values())

    def codes(self) -> tuple[str, ...]:
        return tuple(self._entries)

    def has_code(self, code: str) -> bool:
        return code in self._entries

    def is_listed(self, code: str) -> bool:
        entry = self._entries.get(code)
        return entry is not None and entry.listed

    def entry(self, code: str) -> Entry:
        found = self._entries.get(code)
        if found is None:
            found = self._entries.get(codes.normalise(code))
        if found is None:
            raise UnknownCodeError(
                code, suggestions=codes.suggest(code, self._entries),
                as_of=self.as_of.isoformat(),
            )
        return found

    def ancestors(self, code: str) -> tuple[Entry, ...]:
        entry = self.entry(code)
        chain: list[Entry] = []
        parent = entry.parent
        while parent:
            p = self._entries[parent]
            chain.append(p)
            parent = p.parent
        return tuple(reversed(chain))

    def children(self, code: str) -> tuple[Entry, ...]:
        self.entry(code)
        return tuple(self._children.get(code, ()))

    def descendants(self, code: str) -> tuple[Entry, ...]:
        out: list[Entry] = []
        stack = list(reversed(self.children(code)))
        while stack:
            e = stack.pop()
            out.append(e)
            stack.extend(reversed(self._children.get(e.code, ())))
        return tuple(out)

    # ------------------------------------------------------------------ definitions and notes

    @property
    def definitions_available(self) -> bool:
        """Some definitions of this Annex I text are bundled (all of them for the current text,
        those its obtained pages carry for earlier ones: see `annex_i_version.definitions`)."""
        return bool(self._definitions)

    @property
    def definitions_complete(self) -> bool:
        return self.annex_i_version.definitions.complete

    def definitions(self) -> tuple[Definition, ...]:
        return self._definitions

    def definition(self, term: str) -> Definition | None:
        return self._def_index.get(term.lower())

    def definitions_for(self, code: str) -> tuple[Definition, ...]:
        """Definitions of the terms "quoted" in the entry, its notes and its ancestors."""
        entry = self.entry(code)
        texts = [entry.text, *entry.notes]
        for anc in self.ancestors(code):
            texts.append(anc.text)
        found: dict[str, Definition] = {}
        for text in texts:
            for term in _QUOTED.findall(text):
                d = self._def_index.get(term.strip().lower())
                if d is not None:
                    found.setdefault(d.term, d)
        return tuple(found.values())

    def note_documents(self) -> tuple[NoteDocument, ...]:
        return self._notes

    def notes_for(self, code: str) -> tuple[NoteDocument, ...]:
        """General, category and section notes that apply to the entry (the General Notes; the
        GTN/GSN or NTN/NSN for technology and software; the Cryptography Note and GISN for
        Category 5 Part 2; the notes of its category, part and section)."""
        entry = self.entry(code)
        wanted = {"general_notes"}
        if entry.group == "E":
            wanted.add("nuclear_technology_note" if entry.category == "0"
                       else "general_technology_note")
        if entry.group == "D":
            wanted.add("nuclear_software_note" if entry.category == "0"
                       else "general_software_note")
        if entry.category == "5" and entry.category_part == 2:
            wanted.add("information_security_note")
        out = [n for n in self._notes if n.doc_type in wanted]
        for n in self._notes:
            if n.doc_type not in {"section_note", "category_note"}:
                continue
            m = _SECTION_NOTE_TITLE.match(n.title)
            if not m or m[1] != entry.category or n.text.strip().rstrip(".") == "None":
                continue
            scope = m[2]
            section = re.match(r"^(\d)([A-E])(\d)?\b", scope)
            part = re.match(r"^Part (\d)", scope)
            if section:
                applies = section[2] == entry.group and (
                    section[3] is None or int(section[3]) == entry.category_part
                )
            elif part:
                applies = int(part[1]) == entry.category_part
            else:
                applies = True
            if applies:
                out.append(n)
        return tuple(out)

    # ------------------------------------------------------------------ Annex IV

    def annex_iv(self, code: str) -> AnnexIVListing | None:
        """The Annex IV listing that covers `code` (itself or an ancestor), or, where only some of
        its sub-items are listed, a `partial` listing naming them. None when not in Annex IV."""
        self.entry(code)
        for candidate in [code, *reversed(codes.ancestors_of(code))]:
            listing = self._annex_iv.get(candidate)
            if listing is None:
                continue
            if listing.scope == "excluded":
                return None
            return AnnexIVListing(
                code=code, listed_code=listing.code, part=listing.part, scope=listing.scope,
                note=listing.note, verified=listing.verified,
                verification=listing.verification, citation=listing.citation,
            )
        below = self._annex_iv_below.get(code, [])
        if below:
            first = self._annex_iv[below[0]]
            parts = {self._annex_iv[c].part for c in below}
            return AnnexIVListing(
                code=code, listed_code=below[0],
                part=parts.pop() if len(parts) == 1 else None, scope="partial",
                note="only these sub-items are in Annex IV: " + ", ".join(below),
                verified=all(self._annex_iv[c].verified for c in below),
                verification=first.verification, citation=first.citation,
            )
        return None

    # ------------------------------------------------------------------ Annex II

    def ugeas(self) -> tuple[Ugea, ...]:
        return tuple(self._ugeas[i] for i in UGEA_IDS if i in self._ugeas)

    def ugea(self, ugea_id: str) -> Ugea:
        key = ugea_id.strip().upper()
        if key not in self._ugeas:
            raise InputError(
                f"unknown Union general export authorisation {ugea_id!r}; "
                f"Annex II has {', '.join(UGEA_IDS)}",
                field="ugea",
            )
        return self._ugeas[key]

    def section_i_exclusion(self, code: str) -> SectionIExclusion | None:
        """Annex II Section I: the item (or an ancestor) is listed there, or it is in Annex IV."""
        self.entry(code)
        for candidate in [code, *reversed(codes.ancestors_of(code))]:
            hit = self._section_i.get(candidate)
            if hit is not None:
                return SectionIExclusion(code=code, listed_code=hit.code, text=hit.text,
                                         partial=hit.partial, citation=hit.citation)
        listing = self.annex_iv(code)
        all_iv = self._section_i.get("ANNEX_IV_ALL")
        if listing is not None and all_iv is not None:
            return SectionIExclusion(
                code=code, listed_code=listing.listed_code,
                text=f"{all_iv.text} ({listing.listed_code})",
                partial=listing.scope != "full", citation=all_iv.citation,
            )
        return None

    def section_i_excluded(self, code: str) -> bool:
        return self.section_i_exclusion(code) is not None

    # ------------------------------------------------------------------ destinations

    def countries(self) -> tuple[Country, ...]:
        return tuple(self._law.data.countries.values())

    def country(self, iso2: str) -> Country:
        found = self._law.data.countries.get(iso2.strip().upper()) if iso2 else None
        if found is None:
            raise UnknownCountryError(
                f"unknown country {iso2!r}: expected an ISO 3166-1 alpha-2 code such as 'US'",
                field="destination",
            )
        return found

    def is_member_state(self, iso2: str) -> bool:
        return self.country(iso2).eu_member_state

    def arms_embargo(self, iso2: str) -> ArmsEmbargo | None:
        self.country(iso2)
        for e in self._law.data.arms_embargoes:
            if e.iso2 == iso2.upper() and e.validity.contains(self.as_of):
                return e
        return None

    def sanctions_bans(self, iso2: str) -> tuple[SanctionsBan, ...]:
        self.country(iso2)
        return tuple(
            b for b in self._law.data.sanctions_bans
            if b.iso2 == iso2.upper() and b.validity.contains(self.as_of)
        )

    @property
    def sanctions_goods(self) -> SanctionsGoodsOnDay:
        """The sanctions goods lists (by CN code and Annex VII Part A) in force on the day."""
        return self._law.sanctions_goods.on(self.as_of)

    # ------------------------------------------------------------------ national measures

    def national_measures(self, member_state: str) -> tuple[NationalMeasure, ...]:
        ms = self.country(member_state)
        return tuple(
            m for m in self._law.data.national_measures
            if m.member_state == ms.iso2 and m.validity.contains(self.as_of)
        )

    # ------------------------------------------------------------------ articles

    def article(self, ref: str) -> ArticleText:
        return self._law.article(ref)


def _on(records: Iterable[Dated[T]], day: date) -> list[Dated[T]]:
    return [r for r in records if r.validity.contains(day)]


@cache
def load_law() -> Law:
    """The bundled law, loaded once per process (the sanctions goods lists with it)."""
    law = Law(load_data())
    law.sanctions_goods  # noqa: B018  (loaded now, with the rest of the law)
    return law
