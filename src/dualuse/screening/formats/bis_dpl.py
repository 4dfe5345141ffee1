"""BIS Denied Persons List, tab-separated text with a header (`dpl.txt`).

The DPL has no record numbers; one denial order (name, effective date, Federal Register
citation) can span several rows with address variants. Record id: `dpl-` and 12 hex digits of
the SHA-256 of name, effective date and citation, stable across downloads."""

from __future__ import annotations

import hashlib

from dualuse.screening.formats._common import csv_rows, dedupe, list_error
from dualuse.screening.model import ListRecord

FORMAT = "bis_dpl_tsv"
LIST_NAME = "bis_dpl"
REQUIRED = ("Name", "Street_Address", "Country", "Effective_Date", "FR_Citation")


def looks_like(header: list[str]) -> bool:
    return all(c in header for c in REQUIRED)


def parse(text: str, file: str) -> list[ListRecord]:
    rows = csv_rows(text, file, delimiter="\t")
    try:
        _, header = next(rows)
    except StopIteration:
        raise list_error(file, 1, "empty file") from None
    col = {c: i for i, c in enumerate(header)}
    grouped: dict[str, dict[str, list[str]]] = {}
    for line, r in rows:
        if not r:
            continue
        if len(r) != len(header):
            raise list_error(file, line, f"expected {len(header)} columns, found {len(r)}")
        name = " ".join(r[col["Name"]].split())
        if not name:
            raise list_error(file, line, "row without a name")
        key = "|".join((name, r[col["Effective_Date"]].strip(), r[col["FR_Citation"]].strip()))
        rid = "dpl-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
        g = grouped.setdefault(rid, {"names": [], "countries": []})
        g["names"].append(name)
        g["countries"].append(r[col["Country"]].strip())
    return [
        ListRecord(list_id=rid, schema="LegalEntity", names=dedupe(g["names"]),
                   countries=dedupe(g["countries"]), programmes=("DPL",))
        for rid, g in grouped.items()
    ]
