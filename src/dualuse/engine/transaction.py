"""The transaction a determination is asked about, read and validated from plain data.

`parse_transaction(data)` checks shape and vocabulary (no law needed); `determine` then checks
codes, countries and the date against the catalogue. Every error names the field at fault.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dualuse.errors import InputError
from dualuse.law.codes import normalise

ACTIVITIES = ("export", "transfer", "brokering", "technical_assistance", "transit")

# Art 4(1)(a), (b), (c) and Art 5(1) uses, as the competent authority informs of them or the
# exporter is aware of them. `public_security` is the Art 10(1) concern (an extension word).
END_USES = ("wmd", "military_end_use", "illegal_military_parts", "human_rights", "public_security")

# Facts about the transaction. The first four are the contract's; the rest are the Art 8(3)(b)-(f)
# exemptions for technical assistance.
CIRCUMSTANCES = (
    "return_after_repair",
    "exhibition",
    "intra_group",
    "free_zone",
    "public_domain",
    "basic_scientific_research",
    "official_tasks",
    "member_state_armed_forces",
    "mtcr_exception",
    "minimum_for_authorised_export",
)

# Provisions under which the competent authority imposes an ad hoc requirement on one exporter,
# and the activity each one governs.
AD_HOC_ARTICLES: Mapping[str, str] = {
    "4(1)(a)": "export",
    "4(1)(b)": "export",
    "4(1)(c)": "export",
    "5(1)": "export",
    "6(1)": "brokering",
    "6(3)": "brokering",
    "7(1)": "transit",
    "7(2)": "transit",
    "8(1)": "technical_assistance",
    "8(4)": "technical_assistance",
    "9(1)": "export",
    "10(1)": "export",
    "11(2)": "transfer",
}
AD_HOC_PROHIBITIONS = frozenset({"7(1)", "9(1)"})
# The customs status of the items (Art. 2(18), Union Customs Code Art. 5(23)-(24)): transit
# (Art. 2(11)) is of non-Union items only.
CUSTOMS_STATUSES = ("non_union", "union")
AD_HOC_EFFECTS = ("authorisation_required", "prohibited")

_ISO2 = re.compile(r"^[A-Z]{2}$")
_TOP_KEYS = frozenset({
    "as_of", "activity", "exporter", "destination", "origin", "purchasing_country", "items",
    "informed_of", "aware_of", "circumstances", "ad_hoc_requirements", "answers",
    "customs_status",
})
_EXPORTER_KEYS = frozenset({"member_state", "barred_from_ugeas", "established_in"})
_ITEM_KEYS = frozenset({"control_code", "cyber_surveillance", "description", "national_measure",
                        "cn_code"})
# The contract's field names, public for the edges that type them (the service's API schema).
TRANSACTION_FIELDS, EXPORTER_FIELDS, ITEM_FIELDS = _TOP_KEYS, _EXPORTER_KEYS, _ITEM_KEYS
_CN_SEPARATORS = re.compile(r"[\s.]")
_CN_DIGITS = re.compile(r"[0-9]{8}")  # ASCII digits only (str.isdigit also takes '８')


@dataclass(frozen=True, slots=True)
class Item:
    """One item (order line) of the transaction."""

    control_code: str | None
    cyber_surveillance: bool = False
    description: str = ""
    national_measure: str | None = None  # id of a national control-list measure (Arts 9, 10)
    # The 8-digit Combined Nomenclature code (digits only): EU sanctions list goods by it.
    cn_code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "control_code": self.control_code,
            "cyber_surveillance": self.cyber_surveillance,
            "description": self.description,
        }
        if self.national_measure is not None:
            out["national_measure"] = self.national_measure
        if self.cn_code is not None:
            out["cn_code"] = self.cn_code
        return out


@dataclass(frozen=True, slots=True)
class AdHocRequirement:
    """An authorisation requirement (or prohibition) the competent authority imposed on this
    exporter by individual decision, e.g. an Art 4(1) catch-all decision ('catch-all-beschikking').

    `items`: indices into the transaction's items (None = all items); `destinations`: ISO codes
    (None = any destination); the decision applies from `valid_from` to `valid_to` inclusive.
    """

    reference: str
    article: str
    effect: str = "authorisation_required"
    items: tuple[int, ...] | None = None
    destinations: frozenset[str] | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    @property
    def activity(self) -> str:
        return AD_HOC_ARTICLES[self.article]

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "article": self.article,
            "effect": self.effect,
            "items": None if self.items is None else list(self.items),
            "destinations": None if self.destinations is None else sorted(self.destinations),
            "valid_from": None if self.valid_from is None else self.valid_from.isoformat(),
            "valid_to": None if self.valid_to is None else self.valid_to.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Transaction:
    as_of: date
    activity: str
    member_state: str
    destination: str
    items: tuple[Item, ...]
    origin: str | None = None
    purchasing_country: str | None = None
    informed_of: frozenset[str] = frozenset()
    aware_of: frozenset[str] = frozenset()
    circumstances: frozenset[str] = frozenset()
    barred_from_ugeas: bool = False
    ad_hoc_requirements: tuple[AdHocRequirement, ...] = ()
    answers: Mapping[str, bool | str] = field(default_factory=dict)
    ignored_fields: tuple[str, ...] = ()
    # Where the exporter, broker or provider is resident or established when outside the Union;
    # `member_state` is then the member state where the items are (export, Art. 12(2) second
    # subparagraph) or from where the services are provided (Art. 13(1)).
    established_in: str | None = None
    customs_status: str | None = None  # non_union | union (read for transit, Art. 2(11))

    def to_dict(self) -> dict[str, Any]:
        """The normalised input: what the input hash is taken over and what a replay reads."""
        out: dict[str, Any] = {
            "as_of": self.as_of.isoformat(),
            "activity": self.activity,
            "exporter": {"member_state": self.member_state},
            "destination": self.destination,
            "origin": self.origin,
            "items": [i.to_dict() for i in self.items],
            "informed_of": sorted(self.informed_of),
            "aware_of": sorted(self.aware_of),
            "circumstances": sorted(self.circumstances),
        }
        if self.barred_from_ugeas:
            out["exporter"]["barred_from_ugeas"] = True
        if self.established_in is not None:
            out["exporter"]["established_in"] = self.established_in
        if self.customs_status is not None:
            out["customs_status"] = self.customs_status
        if self.purchasing_country is not None:
            out["purchasing_country"] = self.purchasing_country
        if self.ad_hoc_requirements:
            out["ad_hoc_requirements"] = [r.to_dict() for r in self.ad_hoc_requirements]
        if self.answers:
            out["answers"] = {k: self.answers[k] for k in sorted(self.answers)}
        return out


def parse_transaction(data: Any) -> Transaction:
    """Read a transaction from JSON-like data; InputError naming the field on any fault."""
    if not isinstance(data, Mapping):
        raise InputError("a transaction must be a JSON object", field="transaction")
    ignored = tuple(sorted(k for k in data if k not in _TOP_KEYS))
    as_of = _date(_required(data, "as_of"), "as_of")
    activity = _word(_required(data, "activity"), "activity", ACTIVITIES)
    exporter = _required(data, "exporter")
    if not isinstance(exporter, Mapping):
        raise InputError("must be an object such as {\"member_state\": \"NL\"}", field="exporter")
    ignored += tuple(f"exporter.{k}" for k in sorted(exporter) if k not in _EXPORTER_KEYS)
    member_state = _iso2(_required(exporter, "member_state", "exporter."),
                         "exporter.member_state")
    barred = _bool(exporter.get("barred_from_ugeas", False), "exporter.barred_from_ugeas")
    established_in = _optional_iso2(exporter.get("established_in"), "exporter.established_in")
    status = data.get("customs_status")
    customs_status = None if status is None else _word(status, "customs_status",
                                                       CUSTOMS_STATUSES)
    destination = _iso2(_required(data, "destination"), "destination")
    origin = _optional_iso2(data.get("origin"), "origin")
    purchasing = _optional_iso2(data.get("purchasing_country"), "purchasing_country")
    raw_items = _required(data, "items")
    if not isinstance(raw_items, list) or not raw_items:
        raise InputError("must be a non-empty list of items", field="items")
    items = []
    for i, raw in enumerate(raw_items):
        item, extra = _item(raw, f"items[{i}]")
        items.append(item)
        ignored += extra
    ad_hoc = _ad_hoc(data.get("ad_hoc_requirements"), len(items))
    return Transaction(
        as_of=as_of,
        activity=activity,
        member_state=member_state,
        destination=destination,
        items=tuple(items),
        origin=origin,
        purchasing_country=purchasing,
        informed_of=_words(data.get("informed_of"), "informed_of", END_USES),
        aware_of=_words(data.get("aware_of"), "aware_of", END_USES),
        circumstances=_words(data.get("circumstances"), "circumstances", CIRCUMSTANCES),
        barred_from_ugeas=barred,
        ad_hoc_requirements=ad_hoc,
        answers=_answers(data.get("answers")),
        ignored_fields=ignored,
        established_in=None if established_in == member_state else established_in,
        customs_status=customs_status,
    )


def _required(data: Mapping[str, Any], key: str, prefix: str = "") -> Any:
    if key not in data or data[key] is None:
        raise InputError("is required", field=prefix + key)
    return data[key]


def _date(value: Any, name: str) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InputError(f"must be a date YYYY-MM-DD, got {value!r}", field=name)
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"must be a date YYYY-MM-DD, got {value!r}", field=name) from None


def _word(value: Any, name: str, vocabulary: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.strip() not in vocabulary:
        raise InputError(
            f"unknown value {value!r}; expected one of: {', '.join(vocabulary)}", field=name
        )
    return value.strip()


def _words(value: Any, name: str, vocabulary: tuple[str, ...]) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise InputError(f"must be a list of words from: {', '.join(vocabulary)}", field=name)
    return frozenset(_word(v, f"{name}[{i}]", vocabulary) for i, v in enumerate(value))


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"must be true or false, got {value!r}", field=name)
    return value


def _iso2(value: Any, name: str) -> str:
    if not isinstance(value, str) or not _ISO2.match(value.strip().upper()):
        raise InputError(
            f"must be an ISO 3166-1 alpha-2 country code such as 'US', got {value!r}", field=name
        )
    return value.strip().upper()


def _optional_iso2(value: Any, name: str) -> str | None:
    return None if value is None or value == "" else _iso2(value, name)


def _item(raw: Any, name: str) -> tuple[Item, tuple[str, ...]]:
    if not isinstance(raw, Mapping):
        raise InputError("must be an object with a control_code", field=name)
    if "control_code" not in raw:
        raise InputError("is required (null for an item not listed in Annex I)",
                         field=f"{name}.control_code")
    code = raw["control_code"]
    if code is not None and not isinstance(code, str):
        raise InputError(f"must be an Annex I code or null, got {code!r}",
                         field=f"{name}.control_code")
    if isinstance(code, str):
        code = normalise(code) if code.strip() else None
    description = raw.get("description") or ""
    if not isinstance(description, str):
        raise InputError("must be text", field=f"{name}.description")
    measure = raw.get("national_measure")
    if measure is not None and not isinstance(measure, str):
        raise InputError("must be the id of a national measure", field=f"{name}.national_measure")
    extra = tuple(f"{name}.{k}" for k in sorted(raw) if k not in _ITEM_KEYS)
    return Item(
        control_code=code,
        cyber_surveillance=_bool(raw.get("cyber_surveillance", False),
                                 f"{name}.cyber_surveillance"),
        description=description,
        national_measure=measure.strip() if measure else None,
        cn_code=parse_cn_code(raw.get("cn_code"), f"{name}.cn_code"),
    ), extra


def parse_cn_code(value: Any, name: str) -> str | None:
    """An 8-digit CN code as printed ('8466 93 90', '8466.93.90' or '84669390') -> its digits;
    None for null or blank. InputError naming the field otherwise."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"must be an 8-digit CN code as text such as '8466 93 90', got {value!r} "
                         f"(as a number a code's leading zero is lost)", field=name)
    digits = _CN_SEPARATORS.sub("", value)
    if not digits:
        return None
    if len(digits) == 10 and _CN_DIGITS.fullmatch(digits[:8]) and digits[8:].isascii() and \
            digits[8:].isdigit():
        raise InputError(f"{value!r} has 10 digits (a TARIC code); give its first 8, the CN code",
                         field=name)
    if not _CN_DIGITS.fullmatch(digits):
        raise InputError(f"must be an 8-digit CN code such as '8466 93 90', got {value!r}",
                         field=name)
    return digits


def _ad_hoc(value: Any, n_items: int) -> tuple[AdHocRequirement, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError("must be a list of decisions", field="ad_hoc_requirements")
    out = []
    for i, raw in enumerate(value):
        name = f"ad_hoc_requirements[{i}]"
        if not isinstance(raw, Mapping):
            raise InputError("must be an object", field=name)
        reference = raw.get("reference")
        if not isinstance(reference, str) or not reference.strip():
            raise InputError("is required: the authority's decision reference",
                             field=f"{name}.reference")
        article = str(raw.get("article", "")).strip().removeprefix("Art.").strip()
        if article not in AD_HOC_ARTICLES:
            raise InputError(
                f"unknown provision {raw.get('article')!r}; expected one of: "
                f"{', '.join(AD_HOC_ARTICLES)}", field=f"{name}.article",
            )
        effect = _word(raw.get("effect", "authorisation_required"), f"{name}.effect",
                       AD_HOC_EFFECTS)
        if effect == "prohibited" and article not in AD_HOC_PROHIBITIONS:
            raise InputError(f"Art. {article} gives no power to prohibit; only "
                             f"{', '.join(sorted(AD_HOC_PROHIBITIONS))} do", field=f"{name}.effect")
        items: tuple[int, ...] | None = None
        if raw.get("items") is not None:
            if not isinstance(raw["items"], list) or not all(
                isinstance(x, int) and not isinstance(x, bool) and 0 <= x < n_items
                for x in raw["items"]
            ):
                raise InputError(f"must be a list of item indices 0..{n_items - 1}",
                                 field=f"{name}.items")
            items = tuple(sorted(set(raw["items"])))
        dests: frozenset[str] | None = None
        if raw.get("destinations") is not None:
            if not isinstance(raw["destinations"], list):
                raise InputError("must be a list of ISO codes", field=f"{name}.destinations")
            dests = frozenset(_iso2(d, f"{name}.destinations[{j}]")
                              for j, d in enumerate(raw["destinations"]))
        valid_from = _date(raw["valid_from"], f"{name}.valid_from") if raw.get(
            "valid_from") else None
        valid_to = _date(raw["valid_to"], f"{name}.valid_to") if raw.get("valid_to") else None
        out.append(AdHocRequirement(reference.strip(), article, effect, items, dests,
                                    valid_from, valid_to))
    return tuple(out)


def _answers(value: Any) -> dict[str, bool | str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError("must be an object mapping question ids to answers", field="answers")
    out: dict[str, bool | str] = {}
    for key, answer in value.items():
        if not isinstance(answer, bool | str):
            raise InputError("must be true, false or a date YYYY-MM-DD", field=f"answers.{key}")
        out[str(key)] = answer
    return out
