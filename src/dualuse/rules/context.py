"""What a rule reads (the facts of the item, its destination and the transaction) and what it
returns (a `Finding`).

The facts of a control code and of a country on a day are computed once from the catalogue
(`code_facts`, `country_facts`). Their `decision_key()` holds every fact an outcome, a legal basis
or a UGEA status can turn on, so the batch path can decide each class of identical facts once.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dualuse.engine.result import Obligation, Question
from dualuse.engine.transaction import Item, Transaction
from dualuse.law import Catalogue
from dualuse.law.citations import regulation
from dualuse.law.sanctions_goods import DestinationGoods

if TYPE_CHECKING:
    from dualuse.rules.sanctions_goods.facts import GoodsFacts

NO_GOODS_REGIME = DestinationGoods(None, ())

REG = "Regulation (EU) 2021/821"


def cite(article: str, paragraph: str | None = None, point: str | None = None) -> str:
    return regulation(article, paragraph, point).render()


@dataclass(frozen=True, slots=True)
class UgeaItemCoverage:
    """Whether a UGEA's item lists cover a code: `covered`, `conditional` (hangs on a fact about
    the item, see `questions`) or `excluded`."""

    ugea: str
    status: str
    reasons: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True, slots=True)
class CodeFacts:
    code: str | None
    listed: bool
    group: str | None
    category: str | None
    category_part: int | None
    entry_citation: str | None
    annex_iv_part: str | None
    annex_iv_scope: str | None
    annex_iv_note: str | None
    ugea_items: tuple[UgeaItemCoverage, ...] = ()
    text: str | None = None  # the code's own wording in Annex I (for the explanation)

    def rules_key(self) -> tuple[Any, ...]:
        """The facts the article rules read (the UGEA coverage aside)."""
        return (self.listed, self.annex_iv_part, self.annex_iv_scope)

    def decision_key(self) -> tuple[Any, ...]:
        return (*self.rules_key(), tuple((c.ugea, c.status) for c in self.ugea_items))

    def ugea_item(self, ugea_id: str) -> UgeaItemCoverage | None:
        for c in self.ugea_items:
            if c.ugea == ugea_id:
                return c
        return None


@dataclass(frozen=True, slots=True)
class Ban:
    scope: str
    citation: str
    status: str
    exceptions: str | None
    # (activity, citation) where another provision of the act prohibits the activity
    by_activity: tuple[tuple[str, str], ...] = ()
    # (kind, text, citation): the act's exceptions and derogations
    derogations: tuple[tuple[str, str, str], ...] = ()

    def cited_for(self, activity: str) -> str:
        return dict(self.by_activity).get(activity, self.citation)


@dataclass(frozen=True, slots=True)
class CountryFacts:
    iso2: str
    name: str
    member_state: bool
    customs_territory: bool
    arms_embargo: bool  # an Art. 2(19) arms embargo relevant to Art. 4(1)(b)
    embargo_citation: str | None
    embargo_scope: str | None
    embargo_note: str | None  # e.g. a political embargo that is not one under Art. 2(19)
    embargo_limb: str | None  # the limb of Art. 2(19) the embargo falls under
    bans: tuple[Ban, ...]
    ugea_destinations: tuple[tuple[str, bool], ...]
    art_8_3_a: bool  # in Part 2 of Section A of Annex II (the EU001 destinations)
    # Sanctions that list goods by CN code (dualuse.law.sanctions_goods): the regime of the
    # destination and its partner-country status for the third-country duties.
    goods: DestinationGoods = NO_GOODS_REGIME

    def rules_key(self) -> tuple[Any, ...]:
        """The facts the article rules read (the UGEA destinations aside)."""
        return (self.member_state, self.customs_territory, self.arms_embargo,
                tuple((b.scope, b.citation, b.by_activity) for b in self.bans), self.art_8_3_a,
                self.goods)

    def decision_key(self) -> tuple[Any, ...]:
        return (*self.rules_key(), self.ugea_destinations)

    def ugea_covers(self, ugea_id: str) -> bool:
        return dict(self.ugea_destinations).get(ugea_id, False)


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found. `outcome` is set when the provision applies and decides something;
    `blocks_ugea` names why no general authorisation can serve this item. `decided_by` names, in
    a few words, the fact or exemption that decided whether the provision applies (e.g. "no arms
    embargo on India", "Art. 8(3)(a) exemption", "not a cyber-surveillance item")."""

    rule: str
    citation: str
    result: str
    facts: dict[str, Any] = field(default_factory=dict)
    outcome: str | None = None
    bases: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    blocks_ugea: str | None = None
    notes: tuple[str, ...] = ()
    decided_by: str | None = None

    @property
    def applies(self) -> bool:
        """The provision applies to the item: it decides an outcome or brings a duty."""
        return self.outcome is not None or bool(self.obligations)


@dataclass(frozen=True, slots=True)
class ItemContext:
    tx: Transaction
    cat: Catalogue
    index: int
    item: Item
    code: CodeFacts
    dest: CountryFacts
    purchasing: CountryFacts | None
    goods: GoodsFacts | None = None  # the item's CN code against the sanctions goods lists
    # The most severe outcome of the other rules, for the rules that run after them (Art. 27).
    prior_outcome: str | None = None

    @property
    def embargoed(self) -> bool:
        """Art 4(1)(b): the purchasing country or the country of destination is under an arms
        embargo."""
        return self.dest.arms_embargo or bool(self.purchasing and self.purchasing.arms_embargo)

    def art_4_1_uses(self, flags: frozenset[str]) -> tuple[str, ...]:
        """The Art 4(1) uses among `flags`: (a) WMD, (b) military end-use only where an arms
        embargo applies, (c) parts of illegally exported military items."""
        out = []
        if "wmd" in flags:
            out.append("4(1)(a)")
        if "military_end_use" in flags and self.embargoed:
            out.append("4(1)(b)")
        if "illegal_military_parts" in flags:
            out.append("4(1)(c)")
        return tuple(out)


_CODE_CACHE: weakref.WeakKeyDictionary[Catalogue, dict[str | None, CodeFacts]] = (
    weakref.WeakKeyDictionary()
)
_COUNTRY_CACHE: weakref.WeakKeyDictionary[Catalogue, dict[str, CountryFacts]] = (
    weakref.WeakKeyDictionary()
)


def code_facts(cat: Catalogue, code: str | None) -> CodeFacts:
    """Facts of a control code on the catalogue's day (raises UnknownCodeError if unknown)."""
    per_cat = _CODE_CACHE.setdefault(cat, {})
    found = per_cat.get(code)
    if found is not None:
        return found
    if code is None:
        facts = CodeFacts(None, False, None, None, None, None, None, None, None, ())
    else:
        from dualuse.rules.annex_ii.coverage import item_coverage

        entry = cat.entry(code)
        listing = cat.annex_iv(entry.code)
        facts = CodeFacts(
            code=entry.code,
            listed=entry.listed,
            group=entry.group,
            category=entry.category,
            category_part=entry.category_part,
            entry_citation=entry.citation.render(),
            annex_iv_part=None if listing is None else (listing.part or "?"),
            annex_iv_scope=None if listing is None else listing.scope,
            annex_iv_note=None if listing is None else listing.note,
            ugea_items=item_coverage(cat, entry.code) if entry.listed else (),
            text=entry.text or (entry.notes[0] if entry.notes else None),
        )
    per_cat[code] = facts
    return facts


def country_facts(cat: Catalogue, iso2: str, field_name: str) -> CountryFacts:
    per_cat = _COUNTRY_CACHE.setdefault(cat, {})
    found = per_cat.get(iso2)
    if found is not None:
        return found
    from dualuse.errors import UnknownCountryError

    try:
        country = cat.country(iso2)
    except UnknownCountryError as exc:
        raise UnknownCountryError(
            f"unknown country {iso2!r}: expected an ISO 3166-1 alpha-2 code such as 'US'",
            field=field_name,
        ) from exc
    embargo = cat.arms_embargo(country.iso2)
    relevant = bool(embargo and embargo.art_4_1_b_relevant)
    bans = tuple(
        Ban(b.scope, b.citation.render(), b.status, b.exceptions,
            tuple((a, c.render()) for a, c in sorted(b.citations_by_activity.items())),
            tuple((d.kind, d.text, d.citation.render()) for d in b.exceptions_and_derogations))
        for b in cat.sanctions_bans(country.iso2)
    )
    ugeas = cat.ugeas()
    eu001 = next((u for u in ugeas if u.id == "EU001"), None)
    in_eu001 = bool(eu001 and country.iso2 in eu001.destinations)
    dests = []
    for u in ugeas:
        covered = u.covers_destination(country.iso2) and not country.eu_customs_territory
        if covered and in_eu001 and any("EU001" in g for g in u.excluded_destination_groups):
            covered = False  # EU008 Part 2(a): the EU001 destinations use EU001 instead
        if covered and u.destination_type != "allowlist":
            # e.g. EU008 Part 2(c): never to a destination under an arms embargo or under
            # restrictive measures of the Union applicable to dual-use items.
            covered = not relevant and not bans
        dests.append((u.id, covered))
    facts = CountryFacts(
        iso2=country.iso2,
        name=country.name,
        member_state=country.eu_member_state,
        customs_territory=country.eu_customs_territory,
        arms_embargo=relevant,
        embargo_citation=embargo.citation.render() if embargo else None,
        embargo_scope=embargo.scope if embargo else None,
        embargo_note=(None if embargo is None or relevant else
                      f"{embargo.citation.render()} ({embargo.binding or embargo.scope}) is not "
                      f"an arms embargo within Art. 2(19) for Art. 4(1)(b)"),
        embargo_limb=embargo.art_2_19 if embargo else None,
        bans=bans,
        ugea_destinations=tuple(dests),
        art_8_3_a=in_eu001,
        goods=cat.sanctions_goods.destination(country.iso2),
    )
    per_cat[iso2] = facts
    return facts
