"""US Consolidated Screening List (trade.gov), CSV with a header row.

Record id: `entity_number` where the source list has one (SDN ent_num), else the CSL `_id`.
`source` keeps the sub-list (Entity List, Denied Persons List, Unverified List ...)."""

from __future__ import annotations

from dualuse.screening.evidence import normalise_date
from dualuse.screening.formats._common import csv_rows, dedupe, list_error, split_multi
from dualuse.screening.model import ListRecord

FORMAT = "us_csl_csv"
LIST_NAME = "us_csl"
REQUIRED = ("_id", "source", "name")
_SCHEMA = {"individual": "Person", "entity": "Organization", "vessel": "Vessel",
           "aircraft": "Aircraft"}


def looks_like(header: list[str]) -> bool:
    return all(c in header for c in REQUIRED) and "alt_names" in header


def parse(text: str, file: str) -> list[ListRecord]:
    rows = csv_rows(text, file)
    try:
        _, header = next(rows)
    except StopIteration:
        raise list_error(file, 1, "empty file") from None
    col = {c: i for i, c in enumerate(header)}
    records: list[ListRecord] = []

    def get(r: list[str], c: str) -> str:
        i = col.get(c)
        return r[i].strip() if i is not None and i < len(r) else ""

    for line, r in rows:
        if not r:
            continue
        if len(r) != len(header):
            raise list_error(file, line, f"expected {len(header)} columns, found {len(r)}")
        name = get(r, "name")
        if not name:
            raise list_error(file, line, "row without a name")
        idents = []
        for chunk in split_multi(get(r, "ids")):
            parts = [p.strip() for p in chunk.split(",")]
            if len(parts) >= 2 and parts[1]:
                idents.append(parts[1])
        dates = [d for d in (normalise_date(x) for x in split_multi(get(r, "dates_of_birth"))) if d]
        countries = split_multi(get(r, "citizenships"), ",") + split_multi(
            get(r, "nationalities"), ",") + [get(r, "vessel_flag")]
        for addr in split_multi(get(r, "addresses")):
            countries.append(addr.rsplit(",", 1)[-1])
        records.append(
            ListRecord(
                list_id=get(r, "entity_number") or get(r, "_id"),
                schema=_SCHEMA.get(get(r, "type").lower(), "LegalEntity"),
                names=dedupe([name, *split_multi(get(r, "alt_names"))]),
                birth_dates=dedupe(dates),
                countries=dedupe(countries),
                identifiers=dedupe(idents),
                programmes=dedupe(split_multi(get(r, "programs"))),
                source=get(r, "source"),
            )
        )
    return records
