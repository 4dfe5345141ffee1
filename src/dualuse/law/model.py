"""Typed, immutable records of the law as data. Every record carries its validity and citation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from dualuse.law.citations import Citation


@dataclass(frozen=True, slots=True)
class Validity:
    valid_from: date
    valid_to: date | None  # inclusive; None = still in force

    def contains(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class Entry:
    """One Annex I control entry or sub-entry as in force on a day (`5A002`, `5A002.a.1`)."""

    code: str
    parent: str | None
    level: int
    category: str
    group: str
    category_part: int | None
    entry: str
    regime: str
    text: str
    notes: tuple[str, ...]
    not_used: bool
    validity: Validity
    citation: Citation
    last_verified_on: date
    provenance: str

    @property
    def listed(self) -> bool:
        """A provision that controls something: it exists and is not 'Not used'."""
        return not self.not_used


@dataclass(frozen=True, slots=True)
class TextCoverage:
    """How much of a kind of text (definitions, notes documents) an Annex I version carries:
    the current text whole, earlier ones only as far as their obtained pages go."""

    count: int
    complete: bool
    scope: str


@dataclass(frozen=True, slots=True)
class AnnexIVersion:
    """One full text of Annex I, as replaced by a delegated act."""

    id: str
    validity: Validity
    act: str
    act_title: str
    rows: int
    source: str
    definitions: TextCoverage
    notes: TextCoverage


@dataclass(frozen=True, slots=True)
class Definition:
    """A term defined in the Annex I 'Definitions of terms' (quoted "like this" in entries)."""

    term: str
    qualifier: str | None
    categories: tuple[str, ...]
    text: str
    verbatim: str
    validity: Validity
    citation: Citation


@dataclass(frozen=True, slots=True)
class NoteDocument:
    """General, category and section notes of Annex I (General Notes, GTN, the Cryptography
    Note ...)."""

    id: str
    doc_type: str
    title: str
    text: str
    validity: Validity
    citation: Citation


@dataclass(frozen=True, slots=True)
class AnnexIVListing:
    """Whether a code is in Annex IV (intra-Union transfers need authorisation, Art. 11(1)).

    `scope`: `full` (the code or an ancestor is listed whole), `partial` (listed with a
    restriction such as 'for 1C239', or only some sub-items are listed: read `note`).
    `part`: `I` or `II` (Part II items never go under a general authorisation), None where the
    sources do not say. `verified`: established from the Regulation's own text.
    """

    code: str
    listed_code: str
    part: str | None
    scope: str
    note: str | None
    verified: bool
    verification: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    name: str
    official_name: str | None
    eu_member_state: bool
    eu_customs_territory: bool
    customs_note: str | None


@dataclass(frozen=True, slots=True)
class ArmsEmbargo:
    """An arms embargo within Art. 2(19) on a destination (relevant to Art. 4(1)(b))."""

    iso2: str
    destination: str
    scope: str
    country_wide: bool
    art_4_1_b_relevant: bool
    imposed_by: tuple[str, ...]
    binding: str | None
    acts: tuple[Citation, ...]
    confidence: str
    notes: str | None
    validity: Validity
    citation: Citation
    # The limb of Art. 2(19) the embargo falls under (a Council decision or common position, an
    # OSCE decision, a binding UN Security Council resolution), None when it is none of them.
    art_2_19: str | None = None
    relevance_note: str | None = None


@dataclass(frozen=True, slots=True)
class Derogation:
    """An exception (applies by itself, usually declared) or a derogation (the competent
    authority may authorise) of a sanctions prohibition."""

    kind: str  # exception | derogation
    text: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class SanctionsBan:
    """An EU sanctions prohibition on exporting dual-use items to a destination.

    `scope`: `all_dual_use` (every Annex I item) or `military_end_use` (only for military use or
    military end-users).
    """

    iso2: str
    destination: str
    scope: str
    status: str
    legal_act_text: str
    exceptions: str | None
    confidence: str
    validity: Validity
    validity_note: str | None
    citation: Citation
    # Where another provision prohibits an activity (e.g. brokering and technical assistance:
    # 833/2014 Art. 2(2)(a), 765/2006 Art. 1e(2)(a)); other activities cite `citation`.
    citations_by_activity: Mapping[str, Citation] = field(default_factory=dict)
    exceptions_and_derogations: tuple[Derogation, ...] = ()

    def citation_for(self, activity: str) -> Citation:
        return self.citations_by_activity.get(activity, self.citation)


@dataclass(frozen=True, slots=True)
class ItemRef:
    """An item reference in Annex II: an Annex I code (with an optional qualifier such as
    'only ...'), or a description of a class of items."""

    code: str | None
    qualifier: str | None
    text: str | None


@dataclass(frozen=True, slots=True)
class UgeaCondition:
    code: str
    text: str
    basis: str | None


@dataclass(frozen=True, slots=True)
class FirstUseNotification:
    """When a UGEA's first use must be notified (Annex II, Part 3 of each authorisation)."""

    days: int
    timing: Literal["before_first_export", "after_first_export"]
    # EU001-EU006: the member state may instead require notification prior to the first use.
    member_state_may_require_prior: bool
    text: str
    citation: Citation

    def due(self, first_export: date) -> date:
        """The last day on which the notification is in time (calendar days, as Annex II says)."""
        step = timedelta(days=self.days)
        return first_export - step if self.timing == "before_first_export" else first_export + step


@dataclass(frozen=True, slots=True)
class UgeaRegistration:
    """Registration before first use (Annex II, Part 3): mandatory for EU007 and EU008, a member
    state's option for EU001-EU006; acknowledged within a number of working days."""

    mandatory: bool
    acknowledgement_working_days: int
    subject_to_article_12_7: bool
    text: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class Ugea:
    """A Union general export authorisation (Annex II, EU001-EU008)."""

    id: str
    title: str
    annex_section: str
    items_scope: str
    included: tuple[ItemRef, ...]
    excluded: tuple[ItemRef, ...]
    destination_type: str  # "allowlist" or "all_except"
    destinations: frozenset[str]  # allowlist: the covered destinations on the day
    excluded_destinations: frozenset[str]  # all_except: the destinations never covered
    excluded_destination_groups: tuple[str, ...]
    not_authorised_if: tuple[UgeaCondition, ...]
    preconditions: tuple[str, ...]
    icp_required: bool
    requirements: Mapping[str, Any]
    first_use_notification: FirstUseNotification
    registration: UgeaRegistration
    details: Mapping[str, Any]
    section_i_applies: bool
    validity: Validity
    citation: Citation

    def covers_destination(self, iso2: str) -> bool:
        if self.destination_type == "allowlist":
            return iso2 in self.destinations
        return iso2 not in self.excluded_destinations


@dataclass(frozen=True, slots=True)
class SectionIExclusion:
    """Annex II Section I: items no UGEA (and no national general authorisation) may cover."""

    code: str
    listed_code: str
    text: str
    partial: bool
    citation: Citation


@dataclass(frozen=True, slots=True)
class Publication:
    """The Commission's publication of a national measure under Art. 9(4) (the compilation of
    national control lists in the C series of the Official Journal)."""

    reference: str
    title: str
    published: date


@dataclass(frozen=True, slots=True)
class TakenOver:
    """An item of a national list that an Annex I text took over (it is controlled under
    Art. 3(1) from `from_day`, under the Annex I entries named)."""

    national_code: str
    description: str
    annex_i: tuple[str, ...]
    extent: str


@dataclass(frozen=True, slots=True)
class NationalProvision:
    """A typed provision of national law the rules apply (e.g. Wet strategische diensten
    art. 4(3)): which service, items, trigger and Art. 4(1) uses, and its effect."""

    provision: str
    cited: str
    # brokering_services | brokering_union_goods | any_brokering | technical_assistance
    service: str
    items: str  # not_listed | all | per_use | annex_ii_section_i
    trigger: str  # informed | aware | stated | always
    uses: tuple[str, ...]
    effect: str  # authorisation_required | notify_authority | prohibited | obligation
    content: str
    legal_basis_eu: tuple[str, ...]
    text: str | None
    deadline: str | None = None
    exemptions: str | None = None
    derogation: str | None = None


@dataclass(frozen=True, slots=True)
class NationalMeasure:
    """A member state's measure under Arts 9 and 10 (or a national catch-all option)."""

    id: str
    member_state: str
    type: str | None
    legal_basis_eu: tuple[str, ...]
    activities: tuple[str, ...]
    confidence: str | None
    validity: Validity
    validity_note: str | None
    citation: Citation
    measure: Mapping[str, Any] = field(repr=False)
    publication: Publication | None = None
    taken_over_from: date | None = None  # the day an Annex I text took items over
    taken_over: tuple[TakenOver, ...] = ()
    provisions: tuple[NationalProvision, ...] = ()

    def published_on(self, day: date) -> bool | None:
        """Published under Art. 9(4) on `day`: True/False, None when the data does not know."""
        return None if self.publication is None else self.publication.published <= day


@dataclass(frozen=True, slots=True)
class ArticleText:
    """Verbatim text of an article (or one paragraph) of Regulation (EU) 2021/821."""

    article: int
    paragraph: str | None
    chapter: str
    chapter_title: str
    text: str
    citation: Citation
