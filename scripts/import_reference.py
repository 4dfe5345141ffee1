"""Carry the law from the steering reference folder into dualuse's own data files.

Run by a maintainer when the reference changes (never at run time, never in tests):

    uv run python scripts/import_reference.py --reference ../shared/reference

It reads the reviewed reference material (Annex I versions, definitions, notes, Annex IV, Annex II,
embargoes, national measures, Articles 1-32) and writes `src/dualuse/data/` in the project's own
format: every record dated (`valid_from`/`valid_to`), cited (instrument + pinpoint), with its
verbatim text where one exists, `last_verified_on` and provenance. `last_verified_on` is the day
this import checked the record against the reference copy (counts, codes, dates); the reference
copy itself names how and when it was taken from the Official Journal sources.

History is appended, never rewritten: an Annex I wording that is unchanged across versions is one
record whose validity spans them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "dualuse" / "data"

REG = "32021R0821"
RECAST_APPLIES = "2021-09-09"

# Annex I versions: applicable-from date -> replacing delegated act (CELEX). Dates checked in the
# reference (Article 2 of each act: entry into force the day after publication).
ANNEX_I_VERSIONS = [
    ("2023-01-12", "32023R0066", "versions/2023-01-12.jsonl"),
    ("2023-05-26", "32023R0996", "versions/2023-05-26.jsonl"),
    ("2023-12-16", "32023R2616", "versions/2023-12-16.jsonl"),
    ("2024-11-08", "32024R2547", "versions/2024-11-08.jsonl"),
    ("2025-11-15", "32025R2003", "entries.jsonl"),
]
NOT_OBTAINED_VERSIONS = [
    ("2021-09-09", "32021R0821", "original Annex I of Regulation (EU) 2021/821"),
    ("2022-01-07", "32022R0001", "Annex I as replaced by Delegated Regulation (EU) 2022/1"),
]

ENTRY_FIELDS = (
    "parent",
    "level",
    "category",
    "group",
    "category_part",
    "entry",
    "regime",
    "text",
    "notes",
    "not_used",
)


def day_before(iso: str) -> str:
    return (dt.date.fromisoformat(iso) - dt.timedelta(days=1)).isoformat()


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")


def norm_code(code: str) -> str:
    """Annex I codes as printed, without the final dot and any '(for ...)' qualifier."""
    return code.split(" (")[0].strip().rstrip(".")


# --------------------------------------------------------------------------- instruments


def instruments() -> list[dict[str, Any]]:
    def act(
        celex: str,
        short: str,
        title: str,
        kind: str,
        eli: str | None,
        oj: str | None,
        in_force: str | None,
        note: str | None = None,
        obtained: bool = True,
    ) -> dict[str, Any]:
        return {
            "id": celex,
            "celex": celex,
            "short_title": short,
            "title": title,
            "type": kind,
            "eli": eli,
            "oj_reference": oj,
            "entry_into_force": in_force,
            "url": f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}",
            "text_obtained": obtained,
            "note": note,
        }

    eu = "http://data.europa.eu/eli/reg"
    return [
        act(
            REG,
            "Regulation (EU) 2021/821",
            "Regulation (EU) 2021/821 of the European Parliament and of the Council of 20 May 2021 "
            "setting up a Union regime for the control of exports, brokering, technical "
            "assistance, transit and transfer of dual-use items (recast)",
            "regulation",
            f"{eu}/2021/821/oj",
            "OJ L 206, 11.6.2021, p. 1",
            "2021-09-09",
            "Articles unchanged since adoption; Annexes I, II and IV amended by delegated acts "
            "(Art. 17).",
        ),
        act(
            "32022R0001",
            "Delegated Regulation (EU) 2022/1",
            "Commission Delegated Regulation (EU) 2022/1 of 20 October 2021 amending Annex I",
            "delegated_regulation",
            f"{eu}_del/2022/1/oj",
            "OJ L 3, 6.1.2022, p. 1",
            "2022-01-07",
            "Annex I text not obtained: dates before 2023-01-12 are outside the data's coverage.",
            obtained=False,
        ),
        act(
            "32022R0699",
            "Delegated Regulation (EU) 2022/699",
            "Commission Delegated Regulation (EU) 2022/699 of 3 May 2022 amending Annex II "
            "(removal of Russia from EU003, EU004 and EU005)",
            "delegated_regulation",
            f"{eu}_del/2022/699/oj",
            "OJ L 130I, 4.5.2022",
            "2022-05-05",
            "Urgency procedure (Art. 19); entry into force taken as the day after publication "
            "(not verified against the act; before the data's Annex I coverage).",
        ),
        act(
            "32023R0066",
            "Delegated Regulation (EU) 2023/66",
            "Commission Delegated Regulation (EU) 2023/66 of 21 October 2022 amending Annex I",
            "delegated_regulation",
            f"{eu}_del/2023/66/oj",
            "OJ L 9, 11.1.2023, p. 1",
            "2023-01-12",
        ),
        act(
            "32023R0996",
            "Delegated Regulation (EU) 2023/996",
            "Commission Delegated Regulation (EU) 2023/996 of 23 February 2023 amending Annex I",
            "delegated_regulation",
            f"{eu}_del/2023/996/oj",
            "OJ L 138, 25.5.2023, p. 1",
            "2023-05-26",
        ),
        act(
            "32023R2616",
            "Delegated Regulation (EU) 2023/2616",
            "Commission Delegated Regulation (EU) 2023/2616 of 15 September 2023 amending Annex I",
            "delegated_regulation",
            f"{eu}_del/2023/2616/oj",
            "OJ L, 2023/2616, 15.12.2023",
            "2023-12-16",
        ),
        act(
            "32024R2547",
            "Delegated Regulation (EU) 2024/2547",
            "Commission Delegated Regulation (EU) 2024/2547 of 5 September 2024 amending Annex I",
            "delegated_regulation",
            f"{eu}_del/2024/2547/oj",
            "OJ L, 2024/2547, 7.11.2024",
            "2024-11-08",
        ),
        act(
            "32025R2003",
            "Delegated Regulation (EU) 2025/2003",
            "Commission Delegated Regulation (EU) 2025/2003 of 8 September 2025 amending Annex I "
            "(corrigendum of 9 February 2026 applied)",
            "delegated_regulation",
            f"{eu}_del/2025/2003/oj",
            "OJ L, 14.11.2025",
            "2025-11-15",
        ),
    ]


_ACT_PATTERNS = [
    # Council Regulation (EU) No 833/2014 / (EC) No 765/2006
    (re.compile(r"Regulation \((?:EU|EC)\) No (\d+)/(\d{4})"), "R", lambda m: (m[2], m[1])),
    # Council Regulation (EU) 2017/1509
    (re.compile(r"Regulation \((?:EU|EC)\) (\d{4})/(\d+)"), "R", lambda m: (m[1], m[2])),
    # Council Decision (CFSP) 2015/1333
    (re.compile(r"Decision \(CFSP\) (\d{4})/(\d+)"), "D", lambda m: (m[1], m[2])),
    # Council Decision 2011/486/CFSP, Common Position 2003/495/CFSP
    (re.compile(r"(?:Decision|Common Position) (\d{4})/(\d+)/CFSP"), "D", lambda m: (m[1], m[2])),
]


def act_celex(text: str) -> tuple[str, str] | None:
    """CELEX number and short title of the first EU act named in a citation string."""
    for pattern, letter, parts in _ACT_PATTERNS:
        m = pattern.search(text)
        if m:
            year, num = parts(m)
            short = m[0]
            if "Common Position" in short:
                letter = "E"  # CELEX sector 3, type E: CFSP common positions
            return f"3{year}{letter}{int(num):04d}", short
    return None


def register_act(registry: dict[str, dict[str, Any]], text: str) -> str | None:
    found = act_celex(text)
    if not found:
        return None
    celex, short = found
    if celex not in registry:
        kind = "regulation" if celex[5] == "R" else "cfsp_act"
        registry[celex] = {
            "id": celex,
            "celex": celex,
            "short_title": ("Council " + short) if not short.startswith("Council") else short,
            "title": text.split(" (")[0].split(":")[0].strip(),
            "type": kind,
            "eli": None,
            "oj_reference": None,
            "entry_into_force": None,
            "url": f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}",
            "text_obtained": False,
            "note": "Cited by the embargo and sanctions data; text not carried in dualuse.",
        }
    return celex


# --------------------------------------------------------------------------- Annex I


def annex_i(ref: Path, today: str) -> dict[str, Any]:
    """Merge the versions into temporal records, one per code and unchanged wording."""
    versions = []
    open_records: dict[str, dict[str, Any]] = {}
    records: list[dict[str, Any]] = []
    prev_codes: set[str] = set()
    for i, (start, celex, rel) in enumerate(ANNEX_I_VERSIONS):
        rows = read_jsonl(ref / "annex_i" / rel)
        end = day_before(ANNEX_I_VERSIONS[i + 1][0]) if i + 1 < len(ANNEX_I_VERSIONS) else None
        source = rows[0]["source"]
        versions.append(
            {
                "id": start,
                "valid_from": start,
                "valid_to": end,
                "act": celex,
                "rows": len(rows),
                "source": source,
                "citation": {"instrument": celex, "annex": "I"},
                "last_verified_on": today,
            }
        )
        codes = set()
        for row in rows:
            code = row["code"]
            codes.add(code)
            body = {k: row.get(k) for k in ENTRY_FIELDS}
            if body["category_part"] is None:
                body.pop("category_part")
            current = open_records.get(code)
            if current is not None and all(current.get(k) == body.get(k) for k in ENTRY_FIELDS):
                current["valid_to"] = end
                current["versions"].append(start)
                continue
            if current is not None:
                current["valid_to"] = day_before(start)
            rec = {
                "code": code,
                **body,
                "valid_from": start,
                "valid_to": end,
                "versions": [start],
                "citation": {"instrument": celex, "annex": "I", "entry": code},
                "last_verified_on": today,
                "provenance": source,
            }
            open_records[code] = rec
            records.append(rec)
        for gone in prev_codes - codes:
            rec = open_records.pop(gone)
            assert rec["valid_to"] == day_before(start), gone
        prev_codes = codes
    records.sort(key=lambda r: (r["code"], r["valid_from"]))
    return {"versions": versions, "records": records}


def definitions_and_notes(
    ref: Path, today: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    start, celex, _ = ANNEX_I_VERSIONS[-1]
    defs = []
    for row in read_jsonl(ref / "annex_i" / "definitions.jsonl"):
        # The source splits '"Spread spectrum" radar (6) - see ...' at the closing quote; the
        # term is the whole phrase, with its category.
        m = re.match(r"^([a-z][\w -]*?) \(([\d ]+)\) - (see .*)$", row["definition"])
        if not row["categories"] and m:
            row = {
                **row,
                "term": f"{row['term']} {m[1]}",
                "categories": m[2].split(),
                "definition": m[3],
            }
        defs.append(
            {
                "term": row["term"],
                "qualifier": row["qualifier"],
                "categories": row["categories"],
                "text": row["definition"],
                "verbatim": row["verbatim"],
                "valid_from": start,
                "valid_to": None,
                "citation": {
                    "instrument": celex,
                    "annex": "I",
                    "entry": "Definitions of terms used in this Annex",
                },
                "last_verified_on": today,
                "provenance": row["source"],
            }
        )
    notes = []
    for row in read_jsonl(ref / "annex_i" / "notes.jsonl"):
        rec = {k: v for k, v in row.items() if k != "source"}
        rec.update(
            {
                "valid_from": start,
                "valid_to": None,
                "citation": {"instrument": celex, "annex": "I", "entry": row.get("title")},
                "last_verified_on": today,
                "provenance": row.get("source"),
            }
        )
        notes.append(rec)
    return defs, notes


# --------------------------------------------------------------------------- Annex IV


def annex_iv(ref: Path, eugea: dict[str, Any], today: str) -> list[dict[str, Any]]:
    """Reconcile the Regulation text (eugea.json annex_IV_items) with the secondary list.

    The Regulation text decides the Part; the secondary list decides nothing on its own: a code it
    lists that the Regulation text does not is kept, marked unverified and without a Part.
    """
    reg = eugea["annex_IV_items"]
    primary: dict[str, dict[str, Any]] = {}

    def put(raw: str, part: str, group: str) -> None:
        code = norm_code(raw)
        qualifier = raw[len(raw.split(" (")[0]) :].strip() or None
        primary[code] = {
            "part": part,
            "group": group,
            "scope": "partial" if qualifier else "full",
            "scope_note": qualifier,
        }

    for group in ("stealth", "community_strategic_control", "cryptanalysis", "mtcr"):
        for raw in reg["part_I"][group]:
            put(raw, "I", group)
    for raw in reg["part_II"]["cwc"]:
        put(raw, "II", "cwc")
    for raw in reg["part_II"]["nsg_other"]:
        put(raw, "II", "nsg_other")

    secondary = {norm_code(r["code"]): r for r in read_jsonl(ref / "annex_i" / "annex_iv.jsonl")}
    src_primary = (
        "Regulation (EU) 2021/821, Annex IV, as transcribed in the reference eugea.json "
        "(" + eugea["meta"]["transcription_source"] + ")"
    )
    out: list[dict[str, Any]] = []
    for code, p in sorted(primary.items()):
        s = secondary.get(code)
        out.append(
            {
                "code": code,
                "part": p["part"],
                "group": p["group"],
                "scope": p["scope"],
                "scope_note": p["scope_note"] or (s or {}).get("scope_note"),
                "verified": True,
                "verification": "listed in the Regulation text transcription"
                + ("; also in the secondary list" if s else "; absent from the secondary list"),
                "valid_from": RECAST_APPLIES,
                "valid_to": None,
                "citation": {"instrument": REG, "annex": "IV", "part": p["part"], "entry": code},
                "last_verified_on": today,
                "provenance": src_primary,
            }
        )
    # Category 0 (Part II, NSG) as the Regulation words it: all of Category 0 with exclusions.
    cat0_rule = reg["part_II"]["nsg_category_0"]
    for code, s in sorted(secondary.items()):
        if code in primary:
            continue
        cat0 = code.startswith("0")
        out.append(
            {
                "code": code,
                "part": "II" if cat0 else None,
                "group": s.get("group"),
                "scope": {"restricted": "partial"}.get(s["scope"], s["scope"]),
                "scope_note": s.get("scope_note"),
                "verified": cat0 and s["scope"] != "excluded",
                "verification": (
                    "Category 0 rule of Annex IV Part II in the Regulation text: " + cat0_rule
                    if cat0
                    else "secondary source only (not in the Regulation text transcription): unverified"
                ),
                "valid_from": RECAST_APPLIES,
                "valid_to": None,
                "citation": {
                    "instrument": REG,
                    "annex": "IV",
                    "part": "II" if cat0 else None,
                    "entry": code,
                },
                "last_verified_on": today,
                "provenance": s["source"],
            }
        )
    return out


# --------------------------------------------------------------------------- Annex II


_CODE_RE = re.compile(r"^(\d[A-E]\d{3}(?:\.[a-z0-9]+)*)\.?\s*(?:\((.*)\))?$")


def item_ref(raw: str) -> dict[str, Any]:
    """An Annex II item reference: an Annex I code with an optional qualifier, or a description
    ("all items in Section E ...") or a reference to another list ("ANNEX_II_SECTION_I")."""
    m = _CODE_RE.match(raw.strip())
    if m:
        return {"code": m[1], "qualifier": m[2]}
    return {"code": None, "text": raw}


def annex_ii(eugea: dict[str, Any], eugea_md: str, today: str) -> dict[str, Any]:
    src = (
        "Regulation (EU) 2021/821, Annex II, as transcribed in the reference eugea.json ("
        + eugea["meta"]["transcription_source"]
        + ")"
    )
    ugeas = []
    typed = ugea_first_use_and_registration(
        eugea_md, {u["id"]: u["annex_section"] for u in eugea["ugeas"]}
    )
    for u in eugea["ugeas"]:
        rec = json.loads(json.dumps(u))
        items = rec["items"]
        for key in ("included", "excluded"):
            if key in items:
                items[key] = [item_ref(c) for c in items[key]]
        for key in ("destinations", "excluded"):
            if key not in rec["destinations"]:
                continue
            dests = []
            for d in rec["destinations"][key]:
                iso = d["iso2"] if isinstance(d["iso2"], list) else [d["iso2"]]
                for code in iso:
                    dests.append(
                        {
                            "iso2": code,
                            "name": d["name"],
                            "note": d.get("note"),
                            "valid_from": RECAST_APPLIES,
                            "valid_to": None,
                            "citation": {
                                "instrument": REG,
                                "annex": "II",
                                "section": rec["annex_section"],
                                "entry": rec["id"],
                            },
                        }
                    )
            rec["destinations"][key] = dests
        rec.update(typed[rec["id"]])
        rec.update(
            {
                "valid_from": RECAST_APPLIES,
                "valid_to": None,
                "citation": {
                    "instrument": REG,
                    "annex": "II",
                    "section": rec["annex_section"],
                    "entry": rec["id"],
                },
                "last_verified_on": today,
                "provenance": src,
            }
        )
        ugeas.append(rec)
    section_i = [
        {
            "code": norm_code(x["code"]) if x["code"] != "ANNEX_IV_ALL" else x["code"],
            "text": x["text"],
            "partial": bool(x.get("partial")),
            "valid_from": RECAST_APPLIES,
            "valid_to": None,
            "citation": {"instrument": REG, "annex": "II", "section": "I"},
            "last_verified_on": today,
            "provenance": src,
        }
        for x in eugea["annex_II_section_I_excluded_items"]
    ]
    return {
        "general_rules": eugea["general_rules"],
        "key_numbers": eugea["meta"]["key_numbers"],
        "caveats": eugea["meta"]["caveats"],
        "ugeas": ugeas,
        "section_i": section_i,
    }


# Annex II, Part 3 of each UGEA: the first-use notification and registration paragraphs, read from
# the verbatim text so the service computes deadlines from the law data, never from constants.
_UGEA_HEADING = re.compile(r"^#### UNION GENERAL EXPORT AUTHORISATION No (EU\d{3})\s*$", re.M)
_POINT = re.compile(r"^(\d+)\. ", re.M)
_AFTER = re.compile(
    r"of the first use of this authorisation within (\d+) days from the date when the first "
    r"export took place"
)
_BEFORE = re.compile(
    r"first use of this authorisation[^.]{0,200}?no later than (\d+) days (?:prior to|before) the "
    r"date of the first export"
)
_ACK = re.compile(
    r"Registration shall be automatic and acknowledged by the competent authority to the "
    r"exporter (?:without delay and in any case )?within (\d+) working days of receipt"
)


def _part3_points(section: str) -> list[tuple[str, str]]:
    """(point number, verbatim text with its indented sub-paragraphs) of a UGEA's Part 3."""
    part3 = section.split("Part 3", 1)[1].split("\n", 1)[1]
    starts = list(_POINT.finditer(part3))
    return [
        (m.group(1), part3[m.start() : (starts[i + 1].start() if i + 1 < len(starts) else None)])
        for i, m in enumerate(starts)
    ]


def ugea_first_use_and_registration(eugea_md: str, section_of: dict[str, str]) -> dict[str, Any]:
    """Typed first-use notification and registration rules per UGEA, with verbatim text and the
    Part 3 point they come from. Raises when a UGEA's text does not state them: a reworded Annex II
    must be reviewed, not guessed."""
    heads = list(_UGEA_HEADING.finditer(eugea_md))
    out: dict[str, Any] = {}
    for i, head in enumerate(heads):
        ugea = head.group(1)
        end = heads[i + 1].start() if i + 1 < len(heads) else eugea_md.index("### I. ")
        section = eugea_md[head.end() : end]
        first_use = registration = None
        for point, text in _part3_points(section):
            flat = _POINT.sub("", " ".join(text.split()), count=1)
            cite = {
                "instrument": REG, "annex": "II", "section": section_of[ugea], "entry": ugea,
                "part": "3", "point": point,
            }
            if (m := _AFTER.search(flat)) or (m := _BEFORE.search(flat)):
                first_use = {
                    "days": int(m.group(1)),
                    "timing": "after_first_export" if m.re is _AFTER else "before_first_export",
                    # EU001-EU006: "or, alternatively, ... prior to the first use" if the member
                    # state so requires.
                    "member_state_may_require_prior": "alternatively" in flat,
                    "text": flat.split(". Member States shall notify")[0].split(" Reporting")[0],
                    "citation": cite,
                }
            if m := _ACK.search(flat):
                registration = {
                    "mandatory": "A Member State may require" not in flat,
                    "acknowledgement_working_days": int(m.group(1)),
                    "subject_to_article_12_7": "subject to Article 12(7)" in flat,
                    # the duty (or the member state's option) and the acknowledgement period
                    "text": " ".join(
                        s.strip().rstrip(".") + "." for s in flat.split(". ")
                        if "register prior to the first use" in s or "acknowledged" in s
                    ),
                    "citation": cite,
                }
        if first_use is None or registration is None:
            raise SystemExit(f"Annex II {ugea}: first-use notification or registration not found")
        out[ugea] = {"first_use_notification": first_use, "registration": registration}
    return out


def fix_russia_removal(ugeas: dict[str, Any], eugea: dict[str, Any]) -> None:
    """The reference's consolidated text no longer lists Russia in EU003-EU005; 2022/699 removed
    it. Append the pre-2022/699 history so that earlier dates resolve to the text then in force."""
    for rec in ugeas["ugeas"]:
        raw = next(u for u in eugea["ugeas"] if u["id"] == rec["id"])
        hist = raw["destinations"].get("history") or ""
        if "2022/699" in hist and not any(
            d["iso2"] == "RU" for d in rec["destinations"]["destinations"]
        ):
            rec["destinations"]["destinations"].append(
                {
                    "iso2": "RU",
                    "name": "Russia",
                    "note": "Listed in the original 2021 text; removed by Delegated Regulation (EU) "
                    "2022/699 (" + hist + ").",
                    "valid_from": RECAST_APPLIES,
                    "valid_to": "2022-05-04",
                    "removed_by": {"instrument": "32022R0699", "annex": "II", "entry": rec["id"]},
                    "citation": {
                        "instrument": REG,
                        "annex": "II",
                        "section": rec["annex_section"],
                        "entry": rec["id"],
                    },
                }
            )


# --------------------------------------------------------------------------- destinations

EU_MEMBER_STATES = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
]
# Parts of member states' territory outside the Union customs territory (Art. 4 of the Union
# Customs Code, Regulation (EU) No 952/2013) that carry their own ISO 3166-1 code.
OUTSIDE_CUSTOMS_TERRITORY = {
    "FO": "Faroe Islands (DK)",
    "GL": "Greenland (DK)",
    "PF": "French Polynesia",
    "NC": "New Caledonia",
    "WF": "Wallis and Futuna",
    "PM": "Saint Pierre and Miquelon",
    "BL": "Saint Barthélemy",
    "TF": "French Southern Territories",
    "AW": "Aruba",
    "CW": "Curaçao",
    "SX": "Sint Maarten",
    "BQ": "Bonaire, Sint Eustatius and Saba",
}
# Outermost regions with their own ISO code that are inside the customs territory.
INSIDE_CUSTOMS_TERRITORY = {"GP", "MQ", "GF", "RE", "YT", "MF", "AX"}
# ISO codes of territories whose status changed: the UK left the customs territory on 2021-01-01
# (before the recast applied), so it is simply a third country here.


def countries(today: str) -> list[dict[str, Any]]:
    iso = json.loads(Path("/usr/share/iso-codes/json/iso_3166-1.json").read_text())["3166-1"]
    out = []
    for c in sorted(iso, key=lambda c: c["alpha_2"]):
        a2 = c["alpha_2"]
        member = a2 in EU_MEMBER_STATES
        out.append(
            {
                "iso2": a2,
                "iso3": c["alpha_3"],
                "name": c.get("common_name") or c["name"],
                "official_name": c.get("official_name"),
                "eu_member_state": member,
                "eu_customs_territory": member or a2 in INSIDE_CUSTOMS_TERRITORY,
                "customs_note": OUTSIDE_CUSTOMS_TERRITORY.get(a2)
                and f"{OUTSIDE_CUSTOMS_TERRITORY[a2]}: outside the customs territory of the Union",
                "valid_from": RECAST_APPLIES,
                "valid_to": None,
                "citation": {"instrument": "ISO 3166-1", "entry": a2},
                "last_verified_on": today,
                "provenance": "ISO 3166-1 via Debian iso-codes (iso_3166-1.json); EU membership: "
                "Treaty on European Union, Art. 52; customs territory: Regulation (EU) "
                "No 952/2013, Art. 4",
            }
        )
    return out


def _bool_relevant(v: Any) -> bool | None:
    return v if isinstance(v, bool) else None


def embargoes(ref: Path, today: str, registry: dict[str, dict[str, Any]]) -> dict[str, Any]:
    raw = json.loads((ref / "regulation" / "embargoes.json").read_text(encoding="utf-8"))
    provenance = "reference regulation/embargoes.json (" + raw["meta"]["compiled_from"] + ")"

    def acts_of(r: dict[str, Any]) -> list[str]:
        out = []
        for text in r.get("eu_legal_acts", []) or []:
            celex = register_act(registry, text)
            if celex:
                out.append(celex)
        return out

    arms = []
    for r in raw["arms_embargoes"]:
        scope = r.get("scope") or ""
        country_wide = not scope.lower().startswith("targeted")
        acts = acts_of(r)
        arms.append(
            {
                "iso2": r["iso2"],
                "destination": r["destination"],
                "imposed_by": r["imposed_by"],
                "scope": scope,
                "country_wide": country_wide,
                "art_4_1_b_relevant": bool(r["art_4_1_b_relevant"]),
                "binding": r.get("binding"),
                "eu_acts": acts,
                "un_resolutions": r.get("un_resolutions"),
                "other_acts": r.get("other_acts"),
                "confidence": r["confidence"],
                "notes": r.get("notes"),
                # The source states the embargo is in force now; all of those cited predate the recast
                # except where an act number says otherwise (checked by the data health tests).
                "valid_from": RECAST_APPLIES,
                "valid_from_note": (
                    "in force on the recast's date of application or earlier (source gives no start "
                    "date; the measure's own start lies before this date)"
                ),
                "valid_to": None,
                "citation": {"instrument": acts[0]}
                if acts
                else {
                    "instrument": None,
                    "text": "; ".join(r.get("other_acts") or r.get("un_resolutions") or []),
                },
                "sources": r.get("sources"),
                "last_verified_on": today,
                "provenance": provenance,
            }
        )
    lifted = []
    for r in raw["lifted_embargoes_for_reference"]:
        lifted.append({**r, "last_verified_on": today, "provenance": provenance})
    political = [
        {**r, "last_verified_on": today, "provenance": provenance}
        for r in raw["political_measures_not_arms_embargo_under_art_2_19"]
    ]

    # Dual-use export prohibitions in EU sanctions acts: structured by hand from the reference text
    # (which quotes the act's article); scope decides how the engine applies them.
    bans_spec = {
        "RU": dict(
            act="Council Regulation (EU) No 833/2014",
            article="2",
            paragraph="1",
            scope="all_dual_use",
            valid_from="2022-02-25",
            valid_from_note="Art. 2 as replaced by Council Regulation (EU) 2022/328 of "
            "25 February 2022 (prohibition for all dual-use items)",
        ),
        "BY": dict(
            act="Council Regulation (EC) No 765/2006",
            article="1e",
            paragraph="1",
            scope="all_dual_use",
            valid_from="2022-03-03",
            valid_from_note="Art. 1e inserted by Council Regulation (EU) 2022/355 of "
            "2 March 2022 (applies from the day after publication)",
        ),
        "KP": dict(
            act="Council Regulation (EU) 2017/1509",
            article="3",
            paragraph="1",
            point="a",
            scope="all_dual_use",
            valid_from=RECAST_APPLIES,
            valid_from_note="in force before the recast applied (Regulation of 30 August 2017)",
        ),
        "IR": dict(
            act="Council Regulation (EU) No 267/2012",
            article="2",
            paragraph="1",
            scope="all_dual_use",
            valid_from="2025-09-30",
            valid_from_note="prohibition re-imposed by Council Regulation (EU) 2025/1975 "
            "(UN snapback, 29-30 September 2025)",
        ),
        "SY": dict(
            act="Council Regulation (EU) No 36/2012",
            article=None,
            paragraph=None,
            scope="all_dual_use",
            valid_from=RECAST_APPLIES,
            valid_from_note="dual-use measures maintained after the 2025 relief "
            "(Regulation (EU) 2025/1098); article numbers not verified",
        ),
        "MM": dict(
            act="Council Regulation (EU) No 401/2013",
            article="3a",
            paragraph=None,
            scope="military_end_use",
            valid_from=RECAST_APPLIES,
            valid_from_note="Art. 3a inserted by Council Regulation (EU) 2018/647; "
            "article number not verified",
        ),
    }
    bans = []
    by_iso = {r["iso2"]: r for r in raw["dual_use_prohibitions"]}
    for iso2, spec in bans_spec.items():
        r = by_iso[iso2]
        celex = register_act(registry, spec["act"])
        bans.append(
            {
                "iso2": iso2,
                "destination": r["destination"],
                "status": r["status"],
                "scope": spec["scope"],
                "legal_act_text": r["legal_act"],
                "exceptions": r.get("exceptions"),
                "confidence": r["confidence"],
                "valid_from": spec["valid_from"],
                "valid_from_note": spec["valid_from_note"],
                "valid_to": None,
                "citation": {
                    "instrument": celex,
                    "article": spec.get("article"),
                    "paragraph": spec.get("paragraph"),
                    "point": spec.get("point"),
                },
                "sources": r["source"],
                "last_verified_on": today,
                "provenance": provenance,
            }
        )
    not_bans = [
        {**r, "last_verified_on": today, "provenance": provenance}
        for r in raw["dual_use_prohibitions"]
        if r["iso2"] not in bans_spec
    ]
    return {
        "meta": raw["meta"],
        "arms_embargoes": arms,
        "sanctions_bans": bans,
        "other_measures": not_bans,
        "lifted_embargoes": lifted,
        "political_measures_not_arms_embargo": political,
        "non_state_targets": [
            {**r, "last_verified_on": today, "provenance": provenance}
            for r in raw["non_state_targets"]
        ],
    }


# --------------------------------------------------------------------------- national measures


def national_measures(ref: Path, today: str) -> dict[str, Any]:
    raw = json.loads((ref / "regulation" / "national_measures.json").read_text(encoding="utf-8"))
    out = []
    for m in raw["measures"]:
        inst = m.get("instrument") or {}
        start = (inst.get("in_force_from") or "").split(" ")[0] or None
        if start and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", start):
            start = None
        rec = {
            "id": m["id"],
            "member_state": m["member_state"],
            "type": m.get("type"),
            "legal_basis_eu": m.get("legal_basis_eu"),
            "activities": m.get("activities"),
            "valid_from": start or RECAST_APPLIES,
            "valid_from_note": None if start else "start date not given by the source",
            "valid_to": inst.get("in_force_to"),
            "citation": {
                "instrument": inst.get("title"),
                "national_reference": inst.get("official_journal") or inst.get("number"),
                "legal_basis_national": m.get("legal_basis_national"),
            },
            "confidence": m.get("confidence"),
            "measure": m,
            "last_verified_on": today,
            "provenance": "reference regulation/national_measures.json ("
            + raw["meta"]["compiled_from"]
            + ")",
        }
        out.append(rec)
    return {
        "meta": raw["meta"],
        "eu_framework": raw["eu_framework"],
        "measures": out,
        "annex_i_supersession_map": raw["annex_i_supersession_map"],
        "not_found": raw["not_found"],
    }


# --------------------------------------------------------------------------- articles


def articles(ref: Path, today: str) -> list[dict[str, Any]]:
    text = (ref / "regulation" / "articles.md").read_text(encoding="utf-8")
    parts = re.split(r"^#### Article (\d+)\s*$", text, flags=re.M)
    out = []
    chapter_re = re.compile(r"^## CHAPTER ([IVX]+) \*\*(.+?)\*\*", re.M)
    chapters = [(m.start(), m[1], m[2].strip()) for m in chapter_re.finditer(text)]
    pos = len(parts[0])
    for i in range(1, len(parts), 2):
        number = int(parts[i])
        body = parts[i + 1]
        body = chapter_re.split(body)[0] if chapter_re.search(body) else body
        body = body.strip()
        header_pos = text.find(f"#### Article {number}\n", pos)
        pos = header_pos
        chapter = [c for c in chapters if c[0] < header_pos][-1]
        paragraphs: dict[str, str] = {}
        for m in re.finditer(r"^(\d+)\.\s(.*?)(?=^\d+\.\s|\Z)", body, flags=re.M | re.S):
            paragraphs[m[1]] = m[2].strip()
        out.append(
            {
                "article": number,
                "chapter": chapter[1],
                "chapter_title": chapter[2],
                "text": body,
                "paragraphs": paragraphs,
                "valid_from": RECAST_APPLIES,
                "valid_to": None,
                "citation": {"instrument": REG, "article": str(number)},
                "last_verified_on": today,
                "provenance": "EUR-Lex consolidated English text via legalize-dev/legalize-eu "
                "eu/a5/32021R0821.md (commits 0514a889, c85060c1); footnote markers "
                "removed, wording unchanged",
            }
        )
    assert [a["article"] for a in out] == list(range(1, 33)), "Articles 1-32"
    return out


# --------------------------------------------------------------------------- main


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument(
        "--today",
        default=dt.date.today().isoformat(),
        help="the import (verification) date recorded on every record",
    )
    args = parser.parse_args()
    ref: Path = args.reference
    today: str = args.today

    registry = {i["id"]: i for i in instruments()}
    eugea = json.loads((ref / "regulation" / "eugea.json").read_text(encoding="utf-8"))

    a1 = annex_i(ref, today)
    write_json(
        OUT / "annex_i" / "versions.json",
        {
            "versions": a1["versions"],
            "not_obtained": [
                {"valid_from": d, "act": c, "what": w} for d, c, w in NOT_OBTAINED_VERSIONS
            ],
        },
    )
    write_jsonl(OUT / "annex_i" / "entries.jsonl", a1["records"])
    defs, notes = definitions_and_notes(ref, today)
    write_jsonl(OUT / "annex_i" / "definitions.jsonl", defs)
    write_jsonl(OUT / "annex_i" / "notes.jsonl", notes)
    write_json(
        OUT / "annex_iv.json",
        {
            "records": annex_iv(ref, eugea, today),
            "note": eugea["annex_IV_items"]["note"],
            "part_ii_category_0": eugea["annex_IV_items"]["part_II"]["nsg_category_0"],
            "mtcr_exemptions": eugea["annex_IV_items"]["part_I"]["mtcr_exemptions"],
        },
    )
    eugea_md = (ref / "regulation" / "eugea.md").read_text(encoding="utf-8")
    a2 = annex_ii(eugea, eugea_md, today)
    fix_russia_removal(a2, eugea)
    write_json(OUT / "annex_ii.json", a2)
    write_json(OUT / "countries.json", countries(today))
    write_json(OUT / "embargoes.json", embargoes(ref, today, registry))
    write_json(OUT / "national_measures.json", national_measures(ref, today))
    write_json(OUT / "articles.json", articles(ref, today))
    write_json(OUT / "instruments.json", sorted(registry.values(), key=lambda r: r["id"]))

    files = sorted(
        p
        for p in OUT.rglob("*")
        if p.is_file() and p.name != "MANIFEST.json" and p.suffix in {".json", ".jsonl"}
    )
    manifest = {
        "imported_on": today,
        "reference": "steering reference folder shared/reference (see docs/data_sources.md)",
        "files": {str(p.relative_to(OUT)): sha256(p) for p in files},
    }
    digest = hashlib.sha256(json.dumps(manifest["files"], sort_keys=True).encode()).hexdigest()
    manifest["data_version"] = f"{today.replace('-', '.')}-{digest[:8]}"
    write_json(OUT / "MANIFEST.json", manifest)
    print(
        f"data version {manifest['data_version']}: {len(a1['records'])} Annex I records over "
        f"{len(a1['versions'])} versions"
    )


if __name__ == "__main__":
    main()
