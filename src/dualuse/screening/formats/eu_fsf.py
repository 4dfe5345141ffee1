"""EU Consolidated Financial Sanctions File (FSF), official XML schema 1.1
(`https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content`, namespace
`http://eu.europa.ec/fpi/fsd/export`, root `<export generationDate=...>`), and its CSV twin
(`csvFullSanctionsList_1_1`, `;`-separated, one row per alias, grouped by `Entity_LogicalId`).

Record id: the entity's `logicalId`."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dualuse.screening.evidence import normalise_date
from dualuse.screening.formats._common import csv_rows, dedupe, list_error
from dualuse.screening.model import ListRecord

FORMAT_XML = "eu_fsf_xml"
FORMAT_CSV = "eu_fsf_csv"
LIST_NAME = "eu_fsf"
NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
_SCHEMA = {"person": "Person", "p": "Person", "enterprise": "Organization", "e": "Organization"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_xml(data: bytes, file: str) -> tuple[list[ListRecord], str | None]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise list_error(file, exc.position[0], f"malformed XML: {exc}") from exc
    if _local(root.tag) != "export":
        raise list_error(file, None, "not an EU FSF export (root is not <export>)")
    records: list[ListRecord] = []
    for n, ent in enumerate((e for e in root if _local(e.tag) == "sanctionEntity"), 1):
        rid = ent.get("logicalId") or ""
        if not rid:
            raise list_error(file, None, f"sanctionEntity #{n} without logicalId")
        schema = "LegalEntity"
        names: list[str] = []
        dates: list[str] = []
        countries: list[str] = []
        idents: list[str] = []
        programmes: list[str] = []
        for child in ent:
            tag = _local(child.tag)
            if tag == "subjectType":
                schema = _SCHEMA.get((child.get("code") or "").lower(), "LegalEntity")
            elif tag == "nameAlias":
                names.append(child.get("wholeName") or " ".join(
                    p for p in (child.get("firstName"), child.get("middleName"),
                                child.get("lastName")) if p))
            elif tag == "birthdate":
                d = normalise_date(child.get("birthdate") or child.get("year") or "")
                if d:
                    dates.append(d)
                countries.append(child.get("countryIso2Code") or "")
            elif tag in ("citizenship", "address"):
                countries.append(child.get("countryIso2Code") or "")
            elif tag == "identification":
                idents += [child.get("number") or "", child.get("latinNumber") or ""]
            elif tag == "regulation":
                programmes.append(child.get("programme") or "")
        programmes.append(ent.get("euReferenceNumber") or "")
        records.append(ListRecord(
            list_id=rid, schema=schema, names=dedupe(names), birth_dates=dedupe(dates),
            countries=dedupe([c for c in countries if c and c != "00"]),
            identifiers=dedupe(idents), programmes=dedupe(programmes)))
    return records, root.get("generationDate")


CSV_REQUIRED = ("Entity_LogicalId", "NameAlias_WholeName")


def looks_like_csv(header: list[str]) -> bool:
    return all(c in header for c in CSV_REQUIRED)


def parse_csv(text: str, file: str) -> list[ListRecord]:
    rows = csv_rows(text, file, delimiter=";")
    try:
        _, header = next(rows)
    except StopIteration:
        raise list_error(file, 1, "empty file") from None
    col = {c.strip(): i for i, c in enumerate(header)}
    groups: dict[str, dict[str, list[str]]] = {}
    for line, r in rows:
        if not r:
            continue

        def get(c: str, row: list[str] = r) -> str:
            i = col.get(c)
            return row[i].strip() if i is not None and i < len(row) else ""

        rid = get("Entity_LogicalId")
        if not rid:
            raise list_error(file, line, "row without Entity_LogicalId")
        g = groups.setdefault(rid, {"names": [], "dates": [], "countries": [], "ids": [],
                                    "schema": []})
        g["names"].append(get("NameAlias_WholeName"))
        d = normalise_date(get("BirthDate_BirthDate") or get("BirthDate_Year"))
        if d:
            g["dates"].append(d)
        g["countries"] += [get("Citizenship_CountryIso2Code"), get("Address_CountryIso2Code")]
        g["ids"].append(get("Identification_Number"))
        g["schema"].append(_SCHEMA.get(get("Entity_SubjectType_ClassificationCode").lower(),
                                       _SCHEMA.get(get("Entity_SubjectType").lower(),
                                                   "LegalEntity")))
    return [
        ListRecord(list_id=rid, schema=g["schema"][0], names=dedupe(g["names"]),
                   birth_dates=dedupe(g["dates"]),
                   countries=dedupe([c for c in g["countries"] if c and c != "00"]),
                   identifiers=dedupe(g["ids"]))
        for rid, g in groups.items()
    ]
