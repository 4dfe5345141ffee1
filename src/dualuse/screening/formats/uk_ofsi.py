"""UK HM Treasury / OFSI Consolidated List, CSV (`ConList.csv`): one row per name variant,
grouped by `Group ID` (the record id). Both the 2020 layout (a leading empty column) and the later
one (a 'Last Updated' line before the header) are read."""

from __future__ import annotations

from dualuse.screening.evidence import normalise_date
from dualuse.screening.formats._common import csv_rows, dedupe, list_error
from dualuse.screening.model import ListRecord

FORMAT = "uk_ofsi_csv"
LIST_NAME = "uk_ofsi"
REQUIRED = ("Name 6", "Name 1", "Group ID")
_SCHEMA = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}


def looks_like(header: list[str]) -> bool:
    return all(c in header for c in REQUIRED)


def parse(text: str, file: str) -> list[ListRecord]:
    header: list[str] | None = None
    col: dict[str, int] = {}
    groups: dict[str, dict[str, list[str]]] = {}
    for line, r in csv_rows(text, file):
        if header is None:
            if looks_like(r):
                header = r[1:] if r and not r[0].strip() else r  # 2020 layout: bogus first cell
                col = {c.strip(): i for i, c in enumerate(header)}
            elif line > 3:
                raise list_error(file, line, "no UK consolidated list header in the first lines")
            continue
        if not any(c.strip() for c in r):
            continue
        if len(r) < len(header):
            raise list_error(file, line, f"expected {len(header)} columns, found {len(r)}")

        def get(c: str, row: list[str] = r, col: dict[str, int] = col) -> str:
            i = col.get(c)
            return row[i].strip() if i is not None else ""

        gid = get("Group ID")
        if not gid:
            raise list_error(file, line, "row without a Group ID")
        given = " ".join(get(f"Name {k}") for k in range(1, 6) if get(f"Name {k}"))
        name = " ".join(p for p in (given, get("Name 6")) if p)
        if not name:
            raise list_error(file, line, "row without a name")
        g = groups.setdefault(gid, {"names": [], "dates": [], "countries": [], "ids": [],
                                    "schema": [], "regime": []})
        g["names"].append(name)
        d = normalise_date(get("DOB").replace("00/", "00/"))
        if d:
            g["dates"].append(d)
        for c in (get("Nationality"), get("Country"), get("Country of Birth")):
            g["countries"] += [p.split(")", 1)[-1].strip() for p in c.split(" 2)")]
        for c in (get("Passport Details"), get("NI Number")):
            g["ids"] += [w.strip("(),.:;") for w in c.split() if any(ch.isdigit() for ch in w)
                         and len(w.strip("(),.:;")) >= 5]
        g["schema"].append(_SCHEMA.get(get("Group Type").lower(), "LegalEntity"))
        g["regime"].append(get("Regime"))
    if header is None:
        raise list_error(file, 1, "no UK consolidated list header")
    return [
        ListRecord(list_id=gid, schema=g["schema"][0], names=dedupe(g["names"]),
                   birth_dates=dedupe(g["dates"]), countries=dedupe(g["countries"]),
                   identifiers=dedupe(g["ids"]), programmes=dedupe(g["regime"]))
        for gid, g in groups.items()
    ]
