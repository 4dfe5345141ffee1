# mypy: disable-error-code="misc,untyped-decorator,no-any-return,valid-type"
"""The transaction contract of `dualuse check`, typed for the API.

The body of `POST /api/checks` is the transaction JSON the CLI reads: the same field names, the
engine's own vocabularies as enums (`dualuse.engine.transaction` is their one source). What the
service knows better than the client it fills in: the exporter's member state, its Art. 12(7) bar
and the ad hoc requirements imposed on it come from the organisation (`exporter.member_state` may
be repeated, nothing else). Two fields are the service's own: `destinations` (several, one
determination each) and `parties` (screened). Any other field is refused (422, naming it);
`tests/service/test_service_contract.py` fails when this schema and the engine's fields drift apart.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints, model_validator

from dualuse.engine.result import OUTCOMES, UGEA_STATUSES
from dualuse.engine.transaction import ACTIVITIES, CIRCUMSTANCES, CUSTOMS_STATUSES, END_USES
from dualuse.law import load_law
from dualuse.service.cases.models import PartyRole


def _enum(name: str, values: Any) -> Any:
    return StrEnum(name, [(v, v) for v in values])


_LAW = load_law().data
Activity = _enum("Activity", ACTIVITIES)
EndUse = _enum("EndUse", END_USES)
Circumstance = _enum("Circumstance", CIRCUMSTANCES)
CustomsStatus = _enum("CustomsStatus", CUSTOMS_STATUSES)
# An ISO code; the engine checks it against the law data's countries (400 naming the field).
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
NationalMeasureId = _enum("NationalMeasureId", sorted({m.id for m in _LAW.national_measures}))
Role = _enum("PartyRoleCode", PartyRole.values)
Outcome = _enum("Outcome", OUTCOMES)
UgeaStatus = _enum("UgeaStatus", UGEA_STATUSES)
AnswerId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\-]{1,120}$")]
ControlCode = Annotated[str, StringConstraints(max_length=40)]
# The engine checks the format (8 digits, spaces or dots allowed; 400 naming items[n].cn_code).
CnCode = Annotated[str, StringConstraints(max_length=20)]

_STRICT = ConfigDict(extra="forbid")
SERVICE_FIELDS = frozenset({"destinations", "parties"})  # the service's own, beyond the engine's


def _service_supplied(data: Any, field: str, what: str) -> Any:
    if isinstance(data, dict) and field in data:
        raise ValueError(f"{field} is {what}; the service adds it from your organisation")
    return data


class ExporterIn(Schema):
    """Only the member state may be given, and it must be the organisation's own."""

    model_config = _STRICT
    member_state: CountryCode | None = Field(
        None, description="your organisation's member state, if repeated from a CLI file"
    )

    @model_validator(mode="before")
    @classmethod
    def _not_the_bar(cls, data: Any) -> Any:
        _service_supplied(data, "established_in", "where your organisation is established")
        return _service_supplied(data, "barred_from_ugeas",
                                 "the competent authority's decision (Art. 12(7))")


class TransactionItemIn(Schema):
    model_config = _STRICT
    control_code: ControlCode | None = Field(
        ..., description="Annex I code as printed (5A002.a.1), or null for an item not listed",
    )
    description: str = Field("", max_length=2000)
    cyber_surveillance: bool = Field(
        False, description="a cyber-surveillance item within Art. 2(20) (Art. 5)"
    )
    national_measure: NationalMeasureId | None = Field(
        None, description="id of a national control-list measure the item falls under "
        "(Arts 9, 10), as in `dualuse law`'s data",
    )
    cn_code: CnCode | None = Field(
        None, description="8-digit Combined Nomenclature code ('8466 93 90' or '84669390'), by "
        "which the EU sanctions on Russia, Belarus and Iran list goods; without it a good to "
        "such a destination is undetermined, never 'no authorisation required'",
    )


class PartyIn(Schema):
    model_config = _STRICT
    role: Role = Field(...)
    name: str = Field(..., min_length=1, max_length=300)
    country: CountryCode = Field(...)
    address: str = Field("", max_length=2000)


EXAMPLE: dict[str, Any] = {
    "as_of": "2026-06-01",
    "activity": "export",
    "destination": "RU",
    "items": [{"control_code": None, "description": "ball valve, not listed"}],
    "aware_of": [],
    "parties": [{"role": "end_user", "name": "Example Machinery OOO", "country": "RU"}],
}


class TransactionIn(Schema):
    """A transaction as `dualuse check` reads it (see `docs/determination.md`)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})
    as_of: dt.date | None = Field(None, description="the day of the export; default today")
    activity: Activity = Field(Activity("export"), description="default export")
    exporter: ExporterIn | None = None
    destination: CountryCode | None = Field(None)
    destinations: list[CountryCode] = Field(
        default_factory=list, max_length=20,
        description="the service's own: several destinations, one determination each",
    )
    origin: CountryCode | None = Field(None, description="country of origin (transit)")
    purchasing_country: CountryCode | None = Field(
        None, description="country of the purchaser, read by Art. 4(1)(b) with the destination"
    )
    items: list[TransactionItemIn] = Field(..., min_length=1, max_length=200)
    informed_of: list[EndUse] = Field(
        default_factory=list,
        description="end-uses the competent authority informed you of (Arts 4(1), 5(1), 10(1))",
    )
    aware_of: list[EndUse] = Field(
        default_factory=list, description="end-uses you are aware of (Arts 4(2), 5(2))"
    )
    circumstances: list[Circumstance] = Field(default_factory=list)
    customs_status: CustomsStatus | None = Field(
        None, description="transit: the items' customs status (Art. 2(11), 2(18))"
    )
    answers: dict[AnswerId, bool | dt.date] = Field(
        default_factory=dict,
        description="replies to an earlier determination's `missing_facts` (true = the "
        "condition is met), keyed by question id, and the dates "
        "EU003.original_authorisation_date and EU004.reimport_date",
    )
    parties: list[PartyIn] = Field(
        default_factory=list, max_length=50, description="the service's own: screened"
    )

    @model_validator(mode="before")
    @classmethod
    def _not_the_decisions(cls, data: Any) -> Any:
        return _service_supplied(data, "ad_hoc_requirements",
                                 "the competent authority's decisions imposed on you")

    def engine_data(self) -> dict[str, Any]:
        """The transaction for `determine_transaction` (JSON values; `parties` apart)."""
        data = self.model_dump(mode="json", exclude={"parties"})
        return {k: v for k, v in data.items() if v is not None}

    def party_data(self) -> list[dict[str, Any]]:
        return [p.model_dump(mode="json") for p in self.parties]


class ApplicationFactsIn(Schema):
    """An application's transaction facts beyond items, parties and destinations."""

    model_config = _STRICT
    informed_of: list[EndUse] = Field(default_factory=list)
    aware_of: list[EndUse] = Field(default_factory=list)
    circumstances: list[Circumstance] = Field(default_factory=list)
    origin: CountryCode | None = None
    purchasing_country: CountryCode | None = None
    answers: dict[AnswerId, bool | dt.date] = Field(default_factory=dict)


def engine_fields() -> dict[str, frozenset[str]]:
    """The field names this contract takes, per level, to hold against the engine's."""
    return {
        "transaction": frozenset(TransactionIn.model_fields) - SERVICE_FIELDS,
        "exporter": frozenset(ExporterIn.model_fields),
        "item": frozenset(TransactionItemIn.model_fields),
    }
