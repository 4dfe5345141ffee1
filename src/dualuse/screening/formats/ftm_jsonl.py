"""FollowTheMoney JSON lines (as OpenSanctions publishes lists, e.g. its `eu_fsf` dataset).

Record id: the entity id. Entities that are not parties (Address, Sanction ...) are skipped."""

from __future__ import annotations

import json

from dualuse.screening.evidence import normalise_date
from dualuse.screening.formats._common import dedupe, list_error
from dualuse.screening.model import ListRecord

FORMAT = "ftm_jsonl"
_PARTY = {"Person": "Person", "Organization": "Organization", "Company": "Organization",
          "LegalEntity": "LegalEntity", "PublicBody": "Organization", "Vessel": "Vessel",
          "Airplane": "Aircraft"}
_IDS = ("registrationNumber", "imoNumber", "idNumber", "passportNumber", "innCode", "ogrnCode",
        "taxNumber", "leiCode", "mmsi", "swiftBic")


def parse(text: str, file: str) -> tuple[list[ListRecord], str | None]:
    records: list[ListRecord] = []
    datasets: set[str] = set()
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            ent = json.loads(line)
            schema = _PARTY.get(ent["schema"])
            props = ent.get("properties", {})
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise list_error(file, line_no, f"not a FollowTheMoney entity: {exc}") from exc
        if schema is None:
            continue
        datasets.update(ent.get("datasets", []))
        names = props.get("name", []) + props.get("alias", []) + props.get("weakAlias", [])
        dates = [d for d in (normalise_date(x) for x in props.get("birthDate", [])) if d]
        records.append(ListRecord(
            list_id=str(ent.get("id", "")), schema=schema, names=dedupe(names),
            birth_dates=dedupe(dates),
            countries=dedupe(props.get("country", []) + props.get("nationality", [])
                             + props.get("citizenship", []) + props.get("jurisdiction", [])),
            identifiers=dedupe([v for k in _IDS for v in props.get(k, [])]),
            programmes=dedupe(props.get("program", []))))
    return records, None
