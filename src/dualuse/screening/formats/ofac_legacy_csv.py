"""OFAC legacy CSV sets: SDN (`sdn.csv`, `alt.csv`, `add.csv`, `sdn_comments.csv`) and the
consolidated non-SDN list (`cons_prim.csv`, `cons_alt.csv`, `cons_add.csv`, `cons_comments.csv`).

No header row; `-0-` means empty. Record id: the OFAC ent_num. Birth dates, nationalities and
identifiers live in the free-text remarks ("DOB 1962; POB Shati; Passport A123 (Iran)")."""

from __future__ import annotations

import re
from collections import defaultdict

from dualuse.screening.evidence import normalise_date
from dualuse.screening.formats._common import csv_rows, decode, dedupe, list_error
from dualuse.screening.model import ListRecord

FORMAT = "ofac_legacy_csv"
_EMPTY = "-0-"
_SCHEMA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Aircraft"}
_DOB = re.compile(r"\bDOB ([^;]+)")
_NATIONALITY = re.compile(r"\b(?:nationality|citizen) ([A-Za-z ,.'-]+?)(?:;|\.$|$)", re.I)
_IDENT = re.compile(
    r"\b(?:Passport|National ID No\.|Registration ID|Cedula No\.|Tax ID No\.|IMO|"
    r"Identification Number|SSN|RUC #|NIT #|C\.U\.R\.P\.|D\.N\.I\.|Company Number|"
    r"Registration Number|Business Registration Number|MMSI)\s*:?\s*([A-Z0-9][A-Z0-9/-]{3,})",
)


def _cell(value: str) -> str:
    value = value.strip()
    return "" if value == _EMPTY else value


def kind_of(rows: list[tuple[int, list[str]]]) -> str | None:
    """Which file of the set a file is, from its column count."""
    widths = {len(r) for _, r in rows[:50] if r and r != ["\x1a"]}
    if not widths:
        return None
    return {12: "primary", 5: "alt", 6: "address", 2: "comments"}.get(max(widths))


def _dates(remarks: str) -> list[str]:
    out: list[str] = []
    for m in _DOB.finditer(remarks):
        for part in re.split(r"\bto\b|\balt\.", m.group(1)):
            d = normalise_date(part.strip().strip("."))
            if d:
                out.append(d)
    return out


def parse_set(files: dict[str, bytes]) -> list[ListRecord]:
    """Parse a set given as {file name: bytes}; the primary file is required."""
    parsed: dict[str, tuple[str, list[tuple[int, list[str]]]]] = {}
    for name, data in files.items():
        rows = [(n, r) for n, r in csv_rows(decode(data, name, ("utf-8", "cp1252")), name) if r]
        rows = [(n, r) for n, r in rows if r != ["\x1a"]]
        kind = kind_of(rows)
        if kind is None:
            raise list_error(name, None, "not an OFAC legacy CSV file (unexpected column count)")
        parsed[kind] = (name, rows)
    if "primary" not in parsed:
        raise list_error(", ".join(sorted(files)), None, "OFAC CSV set without its primary file")
    aliases: dict[str, list[str]] = defaultdict(list)
    countries: dict[str, list[str]] = defaultdict(list)
    comments: dict[str, str] = defaultdict(str)
    if "alt" in parsed:
        fname, rows = parsed["alt"]
        for line, r in rows:
            if len(r) != 5:
                raise list_error(fname, line, f"expected 5 columns, found {len(r)}")
            aliases[_cell(r[0])].append(_cell(r[3]))
    if "address" in parsed:
        fname, rows = parsed["address"]
        for line, r in rows:
            if len(r) != 6:
                raise list_error(fname, line, f"expected 6 columns, found {len(r)}")
            countries[_cell(r[0])].append(_cell(r[4]))
    if "comments" in parsed:
        _, rows = parsed["comments"]
        for _, r in rows:
            comments[_cell(r[0])] += " " + _cell(r[1])
    fname, rows = parsed["primary"]
    records: list[ListRecord] = []
    for line, r in rows:
        if len(r) != 12:
            raise list_error(fname, line, f"expected 12 columns, found {len(r)}")
        ent = _cell(r[0])
        name = _cell(r[1])
        if not ent.isdigit() or not name:
            raise list_error(fname, line, "row without ent_num or name")
        remarks = _cell(r[11]) + comments.get(ent, "")
        nat = [m.group(1) for m in _NATIONALITY.finditer(remarks)]
        idents = [m.group(1) for m in _IDENT.finditer(remarks)]
        if _cell(r[5]):
            idents.append(_cell(r[5]))  # vessel call sign
        records.append(
            ListRecord(
                list_id=ent,
                schema=_SCHEMA.get(_cell(r[2]).lower(), "Organization"),
                names=dedupe([name, *aliases.get(ent, [])]),
                birth_dates=dedupe(_dates(remarks)),
                countries=dedupe(nat + countries.get(ent, []) + [_cell(r[9])]),
                identifiers=dedupe(idents),
                programmes=dedupe(_cell(r[3]).replace("] [", ";").strip("[]").split(";")),
            )
        )
    return records
