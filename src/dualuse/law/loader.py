"""Read the bundled law data (`dualuse/data/`) into typed records.

Reading the package's own data files is the only I/O here; the files are versioned with the code
and their hashes are in `MANIFEST.json`, which names the data version every determination cites.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from dualuse.errors import DataIntegrityError
from dualuse.law.citations import Citation, Instrument
from dualuse.law.model import (
    AnnexIVersion,
    AnnexIVListing,
    ArmsEmbargo,
    ArticleText,
    Country,
    Definition,
    Derogation,
    Entry,
    FirstUseNotification,
    ItemRef,
    NationalMeasure,
    NationalProvision,
    NoteDocument,
    Publication,
    SanctionsBan,
    SectionIExclusion,
    TakenOver,
    TextCoverage,
    Ugea,
    UgeaCondition,
    UgeaRegistration,
    Validity,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Dated(Generic[T]):
    """A record with the validity it was published under."""

    validity: Validity
    record: T


@dataclass(frozen=True, slots=True)
class LawData:
    """Everything the bundled data holds, across all dates."""

    data_version: str
    imported_on: date
    instruments: dict[str, Instrument]
    annex_i_versions: tuple[AnnexIVersion, ...]
    not_obtained_versions: tuple[dict[str, str], ...]
    entries: tuple[Entry, ...]
    definitions: tuple[Definition, ...]
    notes: tuple[NoteDocument, ...]
    annex_iv: tuple[Dated[AnnexIVListing], ...]
    annex_iv_category_0_rule: str
    ugeas_raw: tuple[dict[str, Any], ...]
    section_i: tuple[Dated[SectionIExclusion], ...]
    section_i_applies_to: frozenset[str]
    countries: dict[str, Country]
    arms_embargoes: tuple[ArmsEmbargo, ...]
    sanctions_bans: tuple[SanctionsBan, ...]
    national_measures: tuple[NationalMeasure, ...]
    articles: dict[int, dict[str, Any]]
    # What each data release changed ({"release": "2026.12.08", "changes": [...]}), oldest first.
    changes: tuple[dict[str, Any], ...] = ()


def _read(name: str) -> Any:
    path = resources.files("dualuse.data").joinpath(name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataIntegrityError(f"bundled law data file missing: {name}") from exc
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _validity(rec: dict[str, Any]) -> Validity:
    start = _day(rec["valid_from"])
    if start is None:
        raise DataIntegrityError(f"record without valid_from: {rec}")
    return Validity(start, _day(rec.get("valid_to")))


def load_countries() -> dict[str, Country]:
    """ISO 3166-1 countries with their EU status (also read alone, e.g. by screening)."""
    return {
        r["iso2"]: Country(
            iso2=r["iso2"], iso3=r["iso3"], name=r["name"], official_name=r["official_name"],
            eu_member_state=r["eu_member_state"], eu_customs_territory=r["eu_customs_territory"],
            customs_note=r["customs_note"],
        )
        for r in _read("countries.json")
    }


def load_data() -> LawData:
    manifest = _read("MANIFEST.json")
    instruments = {
        r["id"]: Instrument(**{k: r.get(k) for k in Instrument.__slots__})
        for r in _read("instruments.json")
    }

    def title(celex: str | None) -> str | None:
        inst = instruments.get(celex or "")
        return inst.short_title if inst else None

    def cite(data: dict[str, Any]) -> Citation:
        return Citation.from_data(data, title(data.get("instrument")))

    versions_doc = _read("annex_i/versions.json")
    versions = tuple(
        AnnexIVersion(
            id=v["id"], validity=_validity(v), act=v["act"], act_title=title(v["act"]) or v["act"],
            rows=v["rows"], source=v["source"],
            definitions=TextCoverage(**v["definitions"]), notes=TextCoverage(**v["notes"]),
        )
        for v in versions_doc["versions"]
    )
    entries = tuple(
        Entry(
            code=r["code"], parent=r["parent"], level=r["level"], category=r["category"],
            group=r["group"], category_part=r.get("category_part"), entry=r["entry"],
            regime=r["regime"], text=r["text"], notes=tuple(r["notes"]),
            not_used=bool(r["not_used"]), validity=_validity(r), citation=cite(r["citation"]),
            last_verified_on=date.fromisoformat(r["last_verified_on"]),
            provenance=r["provenance"],
        )
        for r in _read("annex_i/entries.jsonl")
    )
    definitions = tuple(
        Definition(
            term=r["term"], qualifier=r["qualifier"], categories=tuple(r["categories"]),
            text=r["text"], verbatim=r["verbatim"], validity=_validity(r),
            citation=cite(r["citation"]),
        )
        for r in _read("annex_i/definitions.jsonl")
    )
    notes = tuple(
        NoteDocument(
            id=r["id"], doc_type=r["doc_type"], title=r["title"], text=r["text"],
            validity=_validity(r), citation=cite(r["citation"]),
        )
        for r in _read("annex_i/notes.jsonl")
    )
    a4 = _read("annex_iv.json")
    annex_iv = tuple(
        Dated(
            _validity(r),
            AnnexIVListing(
                code=r["code"], listed_code=r["code"], part=r["part"], scope=r["scope"],
                note=r["scope_note"], verified=bool(r["verified"]),
                verification=r["verification"], citation=cite(r["citation"]),
            ),
        )
        for r in a4["records"]
    )
    a2 = _read("annex_ii.json")
    section_i = tuple(
        Dated(
            _validity(r),
            SectionIExclusion(
                code=r["code"], listed_code=r["code"], text=r["text"], partial=r["partial"],
                citation=cite(r["citation"]),
            ),
        )
        for r in a2["section_i"]
    )
    countries = load_countries()
    emb = _read("embargoes.json")
    arms = tuple(
        ArmsEmbargo(
            iso2=r["iso2"], destination=r["destination"], scope=r["scope"],
            country_wide=r["country_wide"], art_4_1_b_relevant=r["art_4_1_b_relevant"],
            imposed_by=tuple(r["imposed_by"]), binding=r.get("binding"),
            acts=tuple(cite({"instrument": a}) for a in r["eu_acts"]),
            confidence=r["confidence"], notes=r.get("notes"), validity=_validity(r),
            citation=cite(r["citation"]), art_2_19=r.get("art_2_19"),
            relevance_note=r.get("relevance_note"),
        )
        for r in emb["arms_embargoes"]
    )
    bans = tuple(
        SanctionsBan(
            iso2=r["iso2"], destination=r["destination"], scope=r["scope"], status=r["status"],
            legal_act_text=r["legal_act_text"], exceptions=r.get("exceptions"),
            confidence=r["confidence"], validity=_validity(r),
            validity_note=r.get("valid_from_note"), citation=cite(r["citation"]),
            citations_by_activity=MappingProxyType({
                a: cite(c) for a, c in (r.get("citation_by_activity") or {}).items()}),
            exceptions_and_derogations=tuple(
                Derogation(kind=x["kind"], text=x["text"], citation=cite(x["citation"]))
                for x in r.get("exceptions_and_derogations") or ()),
        )
        for r in emb["sanctions_bans"]
    )
    nat = _read("national_measures.json")
    measures = tuple(
        NationalMeasure(
            id=r["id"], member_state=r["member_state"], type=r.get("type"),
            legal_basis_eu=tuple(r.get("legal_basis_eu") or ()),
            activities=tuple(r.get("activities") or ()), confidence=r.get("confidence"),
            validity=_validity(r), validity_note=r.get("valid_from_note"),
            citation=Citation(
                instrument=r["citation"]["instrument"],
                text=r["citation"].get("national_reference"),
                instrument_title=r["citation"]["instrument"],
            ),
            measure=MappingProxyType(r["measure"]),
            publication=_publication(r.get("art_9_4_publication")),
            taken_over_from=_day((r.get("annex_i_takeover") or {}).get("from")),
            taken_over=tuple(
                TakenOver(national_code=t["national_code"], description=t["description"],
                          annex_i=tuple(t["annex_i"]), extent=t["extent"])
                for t in (r.get("annex_i_takeover") or {}).get("items", ())),
            provisions=tuple(_provision(p, r["citation"]["instrument"])
                             for p in r["measure"].get("provisions") or () if p.get("effect")),
        )
        for r in nat["measures"]
    )
    return LawData(
        data_version=manifest["data_version"],
        imported_on=date.fromisoformat(manifest["imported_on"]),
        instruments=instruments,
        annex_i_versions=versions,
        not_obtained_versions=tuple(versions_doc["not_obtained"]),
        entries=entries,
        definitions=definitions,
        notes=notes,
        annex_iv=annex_iv,
        annex_iv_category_0_rule=a4["part_ii_category_0"],
        ugeas_raw=tuple(a2["ugeas"]),
        section_i=section_i,
        section_i_applies_to=frozenset(
            x for x in a2["general_rules"]["section_I_applies_to"] if x.startswith("EU")
        ),
        countries=countries,
        arms_embargoes=arms,
        sanctions_bans=bans,
        national_measures=measures,
        articles={a["article"]: a for a in _read("articles.json")},
        changes=tuple(manifest.get("changes") or ()),
    )


def _publication(raw: dict[str, Any] | None) -> Publication | None:
    if raw is None:
        return None
    return Publication(reference=raw["reference"], title=raw["title"],
                       published=date.fromisoformat(raw["published"]))


def _provision(raw: dict[str, Any], instrument: str) -> NationalProvision:
    derogation = raw.get("derogation")
    cited = raw.get("cited") or f"{instrument}, {raw['provision']}"
    return NationalProvision(
        provision=raw["provision"], cited=cited,
        service=raw["service"], items=raw["items"], trigger=raw["trigger"],
        uses=tuple(raw.get("uses") or ()), effect=raw["effect"], content=raw["content"],
        legal_basis_eu=tuple(raw.get("legal_basis_eu") or ()), text=raw.get("text"),
        deadline=raw.get("deadline"), exemptions=raw.get("exemptions"),
        derogation=None if derogation is None else
        f"{derogation['text']} ({cited.rsplit(',', 1)[0]}, {derogation['pin']})",
    )


def _first_use(raw: dict[str, Any], title_of: dict[str, str]) -> FirstUseNotification:
    timing = raw["timing"]
    if timing not in ("before_first_export", "after_first_export"):
        raise DataIntegrityError(f"annex_ii.json: unknown first-use timing {timing!r}")
    return FirstUseNotification(
        days=int(raw["days"]), timing=timing,
        member_state_may_require_prior=bool(raw["member_state_may_require_prior"]),
        text=raw["text"],
        citation=Citation.from_data(raw["citation"], title_of.get(raw["citation"]["instrument"])),
    )


def _registration(raw: dict[str, Any], title_of: dict[str, str]) -> UgeaRegistration:
    return UgeaRegistration(
        mandatory=bool(raw["mandatory"]),
        acknowledgement_working_days=int(raw["acknowledgement_working_days"]),
        subject_to_article_12_7=bool(raw["subject_to_article_12_7"]),
        text=raw["text"],
        citation=Citation.from_data(raw["citation"], title_of.get(raw["citation"]["instrument"])),
    )


def build_ugea(raw: dict[str, Any], day: date, section_i_applies: bool,
               title_of: dict[str, str]) -> Ugea:
    """The UGEA as in force on `day`: destinations filtered by their own validity."""

    def items(key: str) -> tuple[ItemRef, ...]:
        return tuple(
            ItemRef(code=i.get("code"), qualifier=i.get("qualifier"), text=i.get("text"))
            for i in raw["items"].get(key, [])
        )

    dest = raw["destinations"]

    def on_day(key: str) -> frozenset[str]:
        return frozenset(
            d["iso2"] for d in dest.get(key, []) if _validity(d).contains(day)
        )

    details = {
        k: v for k, v in raw.items()
        if k not in {"id", "title", "annex_section", "destinations", "not_authorised_if",
                     "preconditions", "requirements", "icp_required", "valid_from", "valid_to",
                     "first_use_notification", "registration",
                     "citation", "last_verified_on", "provenance"}
    }
    return Ugea(
        id=raw["id"], title=raw["title"], annex_section=raw["annex_section"],
        items_scope=raw["items"]["scope"], included=items("included"),
        excluded=items("excluded"), destination_type=dest["type"],
        destinations=on_day("destinations") if dest["type"] == "allowlist" else frozenset(),
        excluded_destinations=on_day("excluded") if dest["type"] != "allowlist" else frozenset(),
        excluded_destination_groups=tuple(dest.get("excluded_groups", [])),
        not_authorised_if=tuple(
            UgeaCondition(code=c["code"], text=c["text"], basis=c.get("basis"))
            for c in raw["not_authorised_if"]
        ),
        preconditions=tuple(raw.get("preconditions", [])),
        icp_required=bool(raw.get("icp_required")),
        requirements=MappingProxyType(raw["requirements"]),
        first_use_notification=_first_use(raw["first_use_notification"], title_of),
        registration=_registration(raw["registration"], title_of),
        details=MappingProxyType(details),
        section_i_applies=section_i_applies,
        validity=_validity(raw),
        citation=Citation.from_data(raw["citation"], title_of.get(raw["citation"]["instrument"])),
    )


def article_text(articles: dict[int, dict[str, Any]], ref: str, title: str) -> ArticleText:
    """`ref` like '4', '4(1)' or '4(1)(b)' (the point is kept inside the paragraph text)."""
    from dualuse.errors import InputError

    head = ref.strip().removeprefix("Art.").removeprefix("Article").strip()
    number_text, _, rest = head.partition("(")
    try:
        number = int(number_text)
    except ValueError as exc:
        raise InputError(f"not an article reference: {ref!r}", field="article") from exc
    if number not in articles:
        raise InputError(
            f"Regulation (EU) 2021/821 has Articles 1-32, not {number}", field="article"
        )
    art = articles[number]
    paragraph = rest.split(")")[0] if rest else None
    text = art["text"]
    if paragraph:
        if paragraph not in art["paragraphs"]:
            raise InputError(f"Article {number} has no paragraph {paragraph}", field="article")
        text = art["paragraphs"][paragraph]
    return ArticleText(
        article=number, paragraph=paragraph, chapter=art["chapter"],
        chapter_title=art["chapter_title"], text=text,
        citation=Citation(instrument="32021R0821", article=str(number), paragraph=paragraph,
                          instrument_title=title),
    )
