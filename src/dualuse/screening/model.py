"""The screening data model: list records, list snapshots, queries and matches.

Everything here is immutable. A `ListSnapshot` is one version of one published list, keeping the
list's own record identifiers (the UN DATAID, the OFAC ent_num, the EU logicalId ...), so an alert
points at the record the publisher will recognise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Entity kinds, following the vocabulary most lists use. "LegalEntity" means "person or
# organisation, not said which"; it never conflicts with either.
SCHEMAS = ("Person", "Organization", "Vessel", "Aircraft", "LegalEntity")

_SCHEMA_ALIASES = {
    "person": "Person",
    "individual": "Person",
    "organization": "Organization",
    "organisation": "Organization",
    "company": "Organization",
    "entity": "Organization",
    "legalentity": "LegalEntity",
    "thing": "LegalEntity",
    "": "LegalEntity",
    "vessel": "Vessel",
    "ship": "Vessel",
    "aircraft": "Aircraft",
    "airplane": "Aircraft",
    # FollowTheMoney schema names, as OpenSanctions data and labelled pairs use them.
    "publicbody": "Organization",
    "bank": "Organization",
    "business": "Organization",
}


def canonical_schema(value: str | None) -> str | None:
    """Map a schema word as lists and users write it to one of `SCHEMAS`; None if unknown."""
    key = (value or "").strip().lower().replace(" ", "").replace("_", "")
    return _SCHEMA_ALIASES.get(key)


@dataclass(frozen=True, slots=True)
class ListRecord:
    """One listed party: a person, organisation, vessel or aircraft."""

    list_id: str
    schema: str
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()  # ISO prefixes: "1971", "1971-05", "1971-05-03"
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 where known, else the list's words
    identifiers: tuple[str, ...] = ()  # passport, registration, IMO ... numbers as printed
    programmes: tuple[str, ...] = ()
    source: str = ""  # the sub-list, where a file bundles several (US CSL)

    @property
    def caption(self) -> str:
        return self.names[0] if self.names else self.list_id

    def fingerprint(self) -> tuple[Any, ...]:
        """What 'amended' compares between two snapshots of the same record."""
        return (
            self.schema,
            tuple(sorted(self.names)),
            tuple(sorted(self.birth_dates)),
            tuple(sorted(self.countries)),
            tuple(sorted(self.identifiers)),
            tuple(sorted(self.programmes)),
        )


@dataclass(frozen=True, slots=True)
class ListSnapshot:
    """One version of one list, as parsed from the publisher's file(s)."""

    list_name: str  # stable key: "un_sc", "ofac_sdn", "us_csl", "eu_fsf", "user:<name>" ...
    format: str  # the parser that read it
    content_sha256: str  # over the raw bytes of all files, in name order
    records: tuple[ListRecord, ...]
    published: str | None = None  # the publisher's own generation date, when the file says

    @property
    def record_count(self) -> int:
        return len(self.records)


@dataclass(frozen=True, slots=True)
class Query:
    """A party to screen."""

    name: str
    schema: str | None = None
    birth_date: str | None = None
    country: str | None = None
    identifiers: tuple[str, ...] = ()
    id: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    """One list record a query resembles, with the score and why."""

    list: str
    list_id: str
    name: str  # the record's name (or alias) that matched best
    score: float
    alert: bool
    explanation: dict[str, Any] = field(default_factory=dict)
    caption: str = ""  # the record's primary name
    schema: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "list": self.list,
            "list_id": self.list_id,
            "name": self.name,
            "score": round(self.score, 4),
            "alert": self.alert,
            "explanation": self.explanation,
        }
