"""The user's own list: CSV, UTF-8, header row, one record per row.

Columns: `id` and `name` (required); optional `schema` (Person, Organization, Vessel, Aircraft,
LegalEntity), `aliases` (`;`-separated), `birth_date` (YYYY, YYYY-MM or YYYY-MM-DD; several
`;`-separated), `country` (ISO alpha-2 or name; several `;`-separated), `identifiers`
(`;`-separated), `programme`. Record id: the `id` column, which must be unique."""

from __future__ import annotations

from dualuse.screening.evidence import normalise_date
from dualuse.screening.formats._common import csv_rows, dedupe, list_error, split_multi
from dualuse.screening.model import ListRecord, canonical_schema

FORMAT = "user_csv"
REQUIRED = ("id", "name")


def looks_like(header: list[str]) -> bool:
    cols = [c.strip().lower() for c in header]
    return all(c in cols for c in REQUIRED)


def parse(text: str, file: str) -> list[ListRecord]:
    rows = csv_rows(text, file)
    try:
        _, header = next(rows)
    except StopIteration:
        raise list_error(file, 1, "empty file") from None
    col = {c.strip().lower(): i for i, c in enumerate(header)}
    seen: set[str] = set()
    records: list[ListRecord] = []
    for line, r in rows:
        if not any(c.strip() for c in r):
            continue
        if len(r) != len(header):
            raise list_error(file, line, f"expected {len(header)} columns, found {len(r)}")

        def get(c: str, row: list[str] = r) -> str:
            i = col.get(c)
            return row[i].strip() if i is not None else ""

        rid, name = get("id"), get("name")
        if not rid:
            raise list_error(file, line, "id: empty")
        if rid in seen:
            raise list_error(file, line, f"id: {rid!r} appears twice")
        seen.add(rid)
        if not name:
            raise list_error(file, line, "name: empty")
        schema = canonical_schema(get("schema"))
        if schema is None:
            raise list_error(file, line, f"schema: unknown value {get('schema')!r}")
        dates: list[str] = []
        for raw in split_multi(get("birth_date")):
            d = normalise_date(raw)
            if d is None:
                raise list_error(file, line, f"birth_date: {raw!r} is not a date")
            dates.append(d)
        records.append(ListRecord(
            list_id=rid, schema=schema, names=dedupe([name, *split_multi(get("aliases"))]),
            birth_dates=tuple(dates), countries=dedupe(split_multi(get("country"))),
            identifiers=dedupe(split_multi(get("identifiers"))),
            programmes=dedupe(split_multi(get("programme")))))
    return records
