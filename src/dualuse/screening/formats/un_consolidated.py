"""UN Security Council Consolidated List, XML
(https://scsanctions.un.org/resources/xml/en/consolidated.xml).

Record id: the UN DATAID. Names: the name parts joined, the original-script name, every alias."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dualuse.screening.evidence import normalise_date
from dualuse.screening.formats._common import dedupe, list_error
from dualuse.screening.model import ListRecord

FORMAT = "un_consolidated_xml"
LIST_NAME = "un_sc"


def _text(el: ET.Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def _record(el: ET.Element, person: bool) -> ListRecord:
    dataid = _text(el.find("DATAID"))
    if not dataid:
        raise ValueError("record without DATAID")
    parts = [_text(el.find(t)) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    names = [" ".join(p for p in parts if p)]
    names.append(_text(el.find("NAME_ORIGINAL_SCRIPT")))
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    for alias in el.iter(alias_tag):
        names.append(_text(alias.find("ALIAS_NAME")))
    dates: list[str] = []
    for dob in el.iter("INDIVIDUAL_DATE_OF_BIRTH"):
        for tag in ("DATE", "YEAR", "FROM_YEAR", "TO_YEAR"):
            d = normalise_date(_text(dob.find(tag)))
            if d:
                dates.append(d)
    countries: list[str] = []
    for nat in el.iter("NATIONALITY"):
        countries += [_text(v) for v in nat.iter("VALUE")]
    for tag in ("INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS", "INDIVIDUAL_PLACE_OF_BIRTH"):
        for addr in el.iter(tag):
            countries.append(_text(addr.find("COUNTRY")))
    idents = [_text(d.find("NUMBER")) for d in el.iter("INDIVIDUAL_DOCUMENT")]
    return ListRecord(
        list_id=dataid,
        schema="Person" if person else "Organization",
        names=dedupe(names),
        birth_dates=dedupe(dates),
        countries=dedupe(countries),
        identifiers=dedupe(idents),
        programmes=dedupe([_text(el.find("UN_LIST_TYPE")), _text(el.find("REFERENCE_NUMBER"))]),
    )


def parse(data: bytes, file: str) -> tuple[list[ListRecord], str | None]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise list_error(file, exc.position[0], f"malformed XML: {exc}") from exc
    if root.tag != "CONSOLIDATED_LIST":
        raise list_error(file, None, "not a UN consolidated list (root is not CONSOLIDATED_LIST)")
    records: list[ListRecord] = []
    for tag, person in (("INDIVIDUAL", True), ("ENTITY", False)):
        for n, el in enumerate(root.iter(tag), 1):
            try:
                records.append(_record(el, person))
            except ValueError as exc:
                raise list_error(file, None, f"{tag} #{n}: {exc}") from exc
    return records, root.get("dateGenerated")
