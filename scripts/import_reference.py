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
import unicodedata
from pathlib import Path
from typing import Any

from import_annex_iii import annex_iii

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "dualuse" / "data"

REG = "32021R0821"
RECAST_APPLIES = "2021-09-09"

# Annex I versions: applicable-from date -> replacing delegated act (CELEX). Dates checked in the
# reference (Article 2 of each act: entry into force the day after publication).
ANNEX_I_VERSIONS = [
    ("2022-01-07", "32022R0001", "versions/2022-01-07.jsonl"),
    ("2023-01-12", "32023R0066", "versions/2023-01-12.jsonl"),
    ("2023-05-26", "32023R0996", "versions/2023-05-26.jsonl"),
    ("2023-12-16", "32023R2616", "versions/2023-12-16.jsonl"),
    ("2024-11-08", "32024R2547", "versions/2024-11-08.jsonl"),
    ("2025-11-15", "32025R2003", "entries.jsonl"),
]
NOT_OBTAINED_VERSIONS = [
    (
        "2021-09-09",
        "32021R0821",
        "original Annex I of Regulation (EU) 2021/821",
        "the original text (OJ L 206, 11.6.2021) could not be obtained: the only stored copies "
        "are consolidated texts (02021R0821-20230112), which read as amended by 2023/66",
    ),
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
            "Annex I text from the Official Journal as converted by legalize-dev/legalize-eu "
            "(see the reference annex_i/versions/README.md); corrigenda not checked.",
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


def version_text(ref: Path, celex: str) -> str:
    """The verbatim pages of one delegated act's Annex I (reference annex_i/versions/raw), joined:
    the pages are contiguous, from the end of Part I (or the Category 0 heading) to the end of the
    Annex; the 2022/1 file goes on with its Annex II (the new Annex IV), which is cut off."""
    pages = sorted((ref / "annex_i" / "versions" / "raw" / celex).glob("chunk_*.md"))
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    cut = re.search(r"^ANNEX II\s*$", text, flags=re.M)
    return text[: cut.start()] if cut else text


def normalised(text: str) -> str:
    """A text reduced to its wording, for comparing two renderings of the same Official Journal
    text: markdown emphasis, list and quote markers, typographic quotes and dashes, superscript
    tags and spacing are dropped."""
    text = unicodedata.normalize("NFKC", text).replace("*", "")
    text = re.sub(r"</?sup>", "", text)
    text = re.sub(r"(?m)^\s*>\s?", "", text)
    text = re.sub(r"(?m)^\s*-\s+", "", text)
    text = re.sub(r"[“”]", '"', text)
    text = re.sub(r"[‘’]", "'", text)
    text = re.sub(r"[–—]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


_CATEGORY = r"(?:\d|GTN|NTN|GSN|NSN|GISN|All)"
_CATEGORY_TOKENS = re.compile(rf"^{_CATEGORY}(?: {_CATEGORY})*$")
_DEFINITION_HEAD = re.compile(r'^"([^"]+)"(.*)$', re.S)


def parse_definition(paragraph: str) -> dict[str, Any] | None:
    """A definition as printed ('"Term" (qualifier) (1 3) means ...'): term, qualifier,
    categories and the text after them; None for a paragraph that does not start one."""
    m = _DEFINITION_HEAD.match(paragraph.strip())
    if not m:
        return None
    term, rest = m[1], m[2]
    qualifier = None
    categories: list[str] = []
    while True:
        p = re.match(r"^\s*\(([^()]*)\)", rest)
        words = re.match(r"^ ([a-z][\w -]*?) (?=\()", rest)
        if p and _CATEGORY_TOKENS.match(p[1].strip()) and not categories:
            categories = p[1].split()
        elif p and qualifier is None:
            qualifier = p[1].strip()
        elif words and not categories:  # '"Spread spectrum" radar (6) - see ...'
            term = f"{term} {words[1]}"
            rest = rest[words.end():]
            continue
        else:
            break
        rest = rest[p.end():]
    return {"term": term, "qualifier": qualifier, "categories": categories,
            "text": rest.strip().removeprefix("- ").strip()}


def definitions_in(text: str) -> list[dict[str, Any]]:
    """The definitions the pages carry in full: those printed before Part II, from the first
    paragraph that starts one (the pages may begin in the middle of a definition)."""
    head = re.split(r"^### (?:PART II|\*\*Category 0\*\*)\s*$", text, maxsplit=1, flags=re.M)[0]
    if head == text:  # no Part II heading: the pages start inside Part II
        return []
    found: list[dict[str, Any]] = []
    for paragraph in re.split(r"\n\s*\n", head):
        parsed = parse_definition(paragraph)
        if parsed is not None:
            parsed["verbatim"] = paragraph.strip()
            found.append(parsed)
        elif found and paragraph.strip():
            found[-1]["verbatim"] += "\n\n" + paragraph.strip()
            found[-1]["text"] += "\n" + paragraph.strip()
    for d in found:  # the text without the markdown of the pages (the verbatim keeps it)
        d["text"] = re.sub(r"(?m)^\s*-\s+", "", d["text"].replace("*", "")).strip()
    return found


def _current_definitions(ref: Path) -> list[dict[str, Any]]:
    out = []
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
        out.append({"term": row["term"], "qualifier": row["qualifier"],
                    "categories": row["categories"], "text": row["definition"],
                    "verbatim": row["verbatim"], "provenance": row["source"]})
    return out


def _spans(per_version: list[tuple[int, list[dict[str, Any]]]], key: Any) -> list[dict[str, Any]]:
    """Records over the Annex I versions: one per wording, spanning the consecutive versions
    whose text carries it unchanged (a version whose obtained text does not carry the record
    ends the span: nothing is claimed for it)."""
    records: list[dict[str, Any]] = []
    open_by_key: dict[Any, dict[str, Any]] = {}
    for i, rows in per_version:
        start, celex, _ = ANNEX_I_VERSIONS[i]
        end = day_before(ANNEX_I_VERSIONS[i + 1][0]) if i + 1 < len(ANNEX_I_VERSIONS) else None
        seen = set()
        for row in rows:
            k = key(row)
            seen.add(k)
            prev = open_by_key.get(k)
            if (prev is not None and prev["_index"] == i - 1
                    and prev["_wording"] == normalised(row["_text"])):
                prev["valid_to"], prev["_index"] = end, i
                prev["versions"].append(start)
                continue
            rec = {k2: v for k2, v in row.items() if not k2.startswith("_")}
            rec.update({"valid_from": start, "valid_to": end, "versions": [start],
                        "_index": i, "_wording": normalised(row["_text"])})
            rec["citation"] = {**rec["citation"], "instrument": celex}
            open_by_key[k] = rec
            records.append(rec)
    for rec in records:
        rec.pop("_index")
        rec.pop("_wording")
    return records


_REGULATION_DOCS = {"definitions": "2", "article_4": "4", "article_5": "5"}


def definitions_and_notes(
    ref: Path, today: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Definitions and notes documents of each Annex I text, as far as that text carries them.

    The current text (2025/2003) comes whole from the reference definitions.jsonl and
    notes.jsonl. For the earlier acts only the verbatim pages in versions/raw are there: they
    start at the end of Part I (2022/1 and 2023/2616: the definitions from about "Roving" on)
    or at Part II, so an earlier version carries the definitions printed in its pages, and a
    current notes document when its wording is in that act's pages. Returns the coverage per
    version as well, for versions.json."""
    current_defs = _current_definitions(ref)
    # Articles 2, 4 and 5 of the Regulation travel with the notes documents of the source; they
    # are the Regulation's own text (unchanged since it applied), not Annex I's.
    articles_docs = [n for n in read_jsonl(ref / "annex_i" / "notes.jsonl")
                     if n["doc_type"] in _REGULATION_DOCS]
    current_notes = [n for n in read_jsonl(ref / "annex_i" / "notes.jsonl")
                     if n["doc_type"] not in _REGULATION_DOCS]
    def_rows: list[tuple[int, list[dict[str, Any]]]] = []
    note_rows: list[tuple[int, list[dict[str, Any]]]] = []
    coverage: dict[str, dict[str, Any]] = {}
    def_citation = {"annex": "I", "entry": "Definitions of terms used in this Annex"}
    for i, (start, celex, _) in enumerate(ANNEX_I_VERSIONS):
        if i == len(ANNEX_I_VERSIONS) - 1:
            defs = [{**d, "_text": d["verbatim"]} for d in current_defs]
            notes = current_notes
            coverage[start] = {
                "definitions": {"count": len(defs), "complete": True,
                                "scope": "all definitions of terms used in Annex I"},
                "notes": {"count": len(notes), "complete": True,
                          "scope": "the general, technology, software, information security, "
                                   "category and section notes"},
            }
            provenance = None
        else:
            text = version_text(ref, celex)
            source = (f"reference annex_i/versions/raw/{celex} (verbatim pages of the Official "
                      f"Journal text of the act, as converted by legalize-dev/legalize-eu)")
            defs = [{**d, "_text": d["verbatim"], "provenance": source}
                    for d in definitions_in(text)]
            wording = normalised(text)
            notes = [n for n in current_notes if normalised(n["text"]) in wording]
            provenance = source
            first_last = (f'from "{defs[0]["term"]}" to "{defs[-1]["term"]}"' if defs else "")
            coverage[start] = {
                "definitions": {
                    "count": len(defs), "complete": False,
                    "scope": (f"the definitions printed in the obtained pages, {first_last}; the "
                              f"earlier ones are in pages not obtained") if defs else
                    "none: the obtained pages start after the definitions",
                },
                "notes": {
                    "count": len(notes), "complete": False,
                    "scope": "the notes documents of the current text whose wording is found "
                             "in this act's pages; Part I (general notes, GTN, NTN, GSN, NSN, "
                             "GISN) is not in the obtained pages",
                },
            }
        def_rows.append((i, [{
            "term": d["term"], "qualifier": d["qualifier"], "categories": d["categories"],
            "text": d["text"], "verbatim": d["verbatim"], "_text": d["_text"],
            "citation": def_citation, "last_verified_on": today,
            "provenance": d["provenance"],
        } for d in defs]))
        note_rows.append((i, [{
            **{k: v for k, v in n.items() if k != "source"}, "_text": n["text"],
            "citation": {"annex": "I", "entry": n.get("title")}, "last_verified_on": today,
            "provenance": provenance or n.get("source"),
        } for n in notes]))
    definitions = _spans(def_rows, lambda r: (r["term"], r["qualifier"]))
    notes_out = _spans(note_rows, lambda r: r["id"])
    for n in articles_docs:
        notes_out.append({
            **{k: v for k, v in n.items() if k != "source"},
            "valid_from": RECAST_APPLIES, "valid_to": None, "versions": [],
            "citation": {"instrument": REG, "article": _REGULATION_DOCS[n["doc_type"]]},
            "last_verified_on": today, "provenance": n.get("source"),
        })
    definitions.sort(key=lambda r: (r["term"], str(r["qualifier"]), r["valid_from"]))
    notes_out.sort(key=lambda r: (r["id"], r["valid_from"]))
    return definitions, notes_out, coverage


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


# Art. 2(19): "'arms embargo' means an arms embargo imposed by a decision or a common position
# adopted by the Council or a decision of the Organisation for Security and Cooperation in Europe
# (OSCE) or an arms embargo imposed by a binding resolution of the Security Council of the United
# Nations". Three limbs; "binding" qualifies only the third (the resolution).
ART_2_19_LIMBS = {
    "council": "a decision or a common position adopted by the Council",
    "osce": "a decision of the Organisation for Security and Cooperation in Europe (OSCE)",
    "unsc": "a binding resolution of the Security Council of the United Nations",
}


def art_2_19_limb(r: dict[str, Any]) -> str | None:
    """The limb of Art. 2(19) under which the reference's embargo is one, or None (a political
    declaration, or an embargo whose act the reference could not confirm)."""
    imposed = set(r["imposed_by"])
    legally_binding = (r.get("binding") or "").lower().startswith("legally binding")
    council_acts = [a for a in r.get("eu_legal_acts") or []
                    if re.search(r"Decision|Common Position", a)]
    if "EU" in imposed and council_acts and legally_binding:
        return "council"
    if "UN" in imposed and legally_binding:
        return "unsc"
    if "OSCE" in imposed:
        return "osce"  # a decision of the OSCE counts whatever its binding force
    return None


def art_4_1_b_relevance(r: dict[str, Any]) -> tuple[bool, str | None, str | None]:
    """(relevant to Art. 4(1)(b), Art. 2(19) limb, why the reference's own flag was overridden).

    The reference marks the OSCE embargo on Armenia and Azerbaijan not relevant because the OSCE
    decision is only politically binding; Art. 2(19) requires binding force of the UN resolution
    alone, so it is relevant. Any other difference stops the import for review."""
    limb = art_2_19_limb(r)
    relevant = limb is not None
    override = None
    if relevant != bool(r["art_4_1_b_relevant"]):
        if limb != "osce":
            raise SystemExit(f"embargoes.json {r['iso2']}: Art. 4(1)(b) relevance "
                             f"{r['art_4_1_b_relevant']} differs from the Art. 2(19) reading; "
                             f"review")
        override = ("Art. 2(19) counts 'a decision of the OSCE' as an arms embargo; 'binding' "
                    "qualifies only a resolution of the UN Security Council, so this politically "
                    "binding OSCE decision is an arms embargo for Art. 4(1)(b) (the reference "
                    "source marked it not relevant)")
    return relevant, limb and ART_2_19_LIMBS[limb], override


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
        relevant, limb, override = art_4_1_b_relevance(r)
        arms.append(
            {
                "iso2": r["iso2"],
                "destination": r["destination"],
                "imposed_by": r["imposed_by"],
                "scope": scope,
                "country_wide": country_wide,
                "art_4_1_b_relevant": relevant,
                "art_2_19": limb,
                "relevance_note": override,
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
            # Art. 2(2)(a): "It shall be prohibited to: (a) provide technical assistance, brokering
            # services or other services related to the goods and technology referred to in
            # paragraph 1 ..." (reference sanctions/32014R0833_consolidated_2023-04-27).
            by_activity={a: {"article": "2", "paragraph": "2", "point": "a"}
                         for a in ("brokering", "technical_assistance")},
            exceptions=[
                ("2", "3", "exception", "for non-military use and a non-military end-user: "
                 "humanitarian purposes, health emergencies, urgent prevention or mitigation of "
                 "events affecting health, safety or the environment, natural disasters; medical "
                 "or pharmaceutical purposes; temporary use by news media; software updates; "
                 "consumer communication devices; cyber-security and information security for "
                 "non-government users; personal effects of travellers. Declared in the customs "
                 "declaration; first use notified within 30 days (not for the last two)"),
                ("2", "4", "derogation", "the competent authority may authorise, for "
                 "non-military use and a non-military end-user, e.g. civilian cooperation of "
                 "governments, space programmes, civil nuclear safety, maritime safety, civilian "
                 "telecommunications, entities owned by Union or partner-country companies, "
                 "diplomatic missions"),
                ("2", "5", "derogation", "the competent authority may authorise items due under "
                 "contracts concluded before 26 February 2022, if requested before 1 May 2022"),
            ],
            scope="all_dual_use",
            valid_from="2022-02-25",
            valid_from_note="Art. 2 as replaced by Council Regulation (EU) 2022/328 of "
            "25 February 2022 (prohibition for all dual-use items)",
        ),
        "BY": dict(
            act="Council Regulation (EC) No 765/2006",
            article="1e",
            paragraph="1",
            # Art. 1e(2)(a): "It shall be prohibited: (a) to provide technical assistance, brokering
            # services or other services related to the goods and technology referred to in
            # paragraph 1 ..." (as inserted by 2022/355; as replaced by 2024/1865, point (a) keeps
            # the same words: reference sanctions/32024R1865_belarus_as_enacted).
            by_activity={a: {"article": "1e", "paragraph": "2", "point": "a"}
                         for a in ("brokering", "technical_assistance")},
            exceptions=[
                ("1e", "3", "exception", "for non-military use and a non-military end-user: "
                 "humanitarian purposes, health emergencies, events affecting health, safety or "
                 "the environment, natural disasters; medical or pharmaceutical purposes; "
                 "temporary use by news media; software updates; consumer communication devices; "
                 "cyber-security for non-government users; personal effects of travellers. "
                 "Declared in the customs declaration; first use notified within 30 days (not for "
                 "points (f) and (g))"),
                ("1e", "4", "derogation", "the competent authority may authorise, for "
                 "non-military use and a non-military end-user: civilian cooperation of "
                 "governments, space programmes, civil nuclear capabilities, maritime safety, "
                 "civilian telecommunications, entities owned by Union or partner-country "
                 "companies, diplomatic representations"),
                ("1e", "5", "derogation", "the competent authority may authorise items due under "
                 "contracts concluded before 3 March 2022, if requested before 1 May 2022"),
            ],
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
                # The provision that prohibits each activity where it is not paragraph 1's.
                "citation_by_activity": {
                    activity: {"instrument": celex, **pin}
                    for activity, pin in (spec.get("by_activity") or {}).items()
                },
                "exceptions_and_derogations": [
                    {"kind": kind, "text": text,
                     "citation": {"instrument": celex, "article": art, "paragraph": para}}
                    for art, para, kind, text in spec.get("exceptions") or []
                ],
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


# The Wet strategische diensten (BWBR0030545) as in force from 19 December 2024, read in
# legalize-dev/legalize-nl nl/BWBR0030545.md @ 03e6f68022e4ed83ab5453010ba6c168c7cf4629 (the
# reference nl_implementation.md, section 1.2, summarises the same articles and is checked below).
WSD = "Wet strategische diensten"
WSD_SOURCE = ("wetten.overheid.nl BWBR0030545 (version 2024-12-19) via legalize-dev/legalize-nl "
              "nl/BWBR0030545.md @ 03e6f68022e4ed83ab5453010ba6c168c7cf4629")
WSD_ART_3 = (
    "1. Het is verboden technische bijstand te verlenen indien deze bijstand verband houdt met de "
    "ontwikkeling, de productie, de behandeling, de bediening, het onderhoud, de opslag, de "
    "opsporing, de herkenning of de verspreiding van chemische, biologische of nucleaire wapens "
    "of andere nucleaire explosiemiddelen, of voor de ontwikkeling, de productie, het onderhoud "
    "of de opslag van raketten die dergelijke wapens naar hun doel kunnen voeren. 2. Het verbod, "
    "bedoeld in het eerste lid, geldt niet als één van de gronden, bedoeld in artikel 8, derde "
    "lid, van de Verordening producten voor tweeërlei gebruik, van toepassing is. 3. Onze "
    "Minister kan op aanvraag ontheffing verlenen van het eerste lid.")
WSD_ART_4_3 = (
    "Het is verboden zonder vergunning van Onze Minister tussenhandeldiensten als bedoeld in "
    "artikel 2, zevende lid, van de Verordening producten voor tweeërlei gebruik te verlenen "
    "indien: a. deze betrekking hebben op goederen voor tweeërlei gebruik die niet zijn genoemd "
    "in bijlage I van deze verordening, en b. de tussenhandelaar door Onze Minister ervan in "
    "kennis is gesteld dat de goederen voor tweeërlei gebruik, bedoeld in onderdeel a, geheel of "
    "gedeeltelijk bestemd zijn of kunnen zijn voor één van de doeleinden, bedoeld in artikel 4, "
    "eerste lid, onderdeel a, van deze verordening.")
WSD_ART_4_4 = (
    "Het is verboden zonder vergunning van Onze Minister tussenhandeldiensten als bedoeld in "
    "artikel 2, zevende lid, van de Verordening producten voor tweeërlei gebruik te verlenen "
    "indien: a. deze betrekking hebben op goederen voor tweeërlei gebruik, en b. de "
    "tussenhandelaar door Onze Minister ervan in kennis is gesteld dat de goederen voor "
    "tweeërlei gebruik geheel of gedeeltelijk bestemd zijn of kunnen zijn voor militair "
    "eindgebruik in een land van bestemming als bedoeld in artikel 4, eerste lid, onderdeel b, "
    "van deze verordening.")
WSD_ART_4_5 = (
    "Als een tussenhandelaar ervan op de hoogte is dat de goederen voor tweeërlei gebruik, "
    "bedoeld in het derde lid, onderdeel a, of vierde lid, onderdeel a, waarvoor hij voornemens "
    "is tussenhandeldiensten te verlenen, geheel of gedeeltelijk bestemd zijn voor één van de "
    "voor doeleinden, bedoeld in artikel 4, eerste lid, onderdeel a, van de Verordening "
    "producten voor tweeërlei gebruik of voor militair eindgebruik in een land van bestemming "
    "als bedoeld in artikel 4, eerste lid, onderdeel b, van deze verordening, deelt hij dit mede "
    "aan Onze Minister.")
WSD_ART_6 = (
    "1. Het is verboden zonder vergunning van Onze Minister tussenhandeldiensten goederen voor "
    "tweeërlei gebruik EU-derde land te verlenen indien degene die deze tussenhandeldiensten "
    "verleent door Onze Minister ervan in kennis is gesteld dat de goederen voor tweeërlei "
    "gebruik geheel of gedeeltelijk bestemd zijn of kunnen zijn voor één van de doeleinden, "
    "bedoeld in artikel 4, eerste lid, onderdeel a, van de Verordening producten voor tweeërlei "
    "gebruik. 2. Indien degene die tussenhandeldiensten goederen voor tweeërlei gebruik "
    "EU-derde land verleent ervan op de hoogte is dat de goederen voor tweeërlei "
    "gebruikwaarvoor hij voornemens is deze tussenhandeldiensten te verlenen, geheel of "
    "gedeeltelijk bestemd zijn voor één van de doeleinden, bedoeld in artikel 4, eerste lid, "
    "onderdeel a, van de Verordening producten voor tweeërlei gebruik deelt hij dit mede aan "
    "Onze Minister. 3. Het eerste en tweede lid zijn niet van toepassing op vervoer, financiële "
    "diensten, verzekering, herverzekering, algemene reclame of promotie met betrekking tot "
    "goederen voor tweeërlei gebruik.")
WSD_ART_7 = (
    "1. Een ieder die voornemens is tussenhandeldiensten als bedoeld in artikel 2, zevende lid, "
    "van de Verordening producten voor tweeërlei gebruik, tussenhandeldiensten goederen voor "
    "tweeërlei gebruik derde land-derde land of tussenhandeldiensten goederen voor tweeërlei "
    "gebruik EU-derde land te verlenen, deelt dit mede aan Onze Minister voorafgaand aan de "
    "eerste keer dat de tussenhandeldiensten verleend worden. 2. [...] deelt wijzigingen van de "
    "gegevens die zijn verstrekt in de melding op grond van het eerste lid onverwijld mede aan "
    "Onze Minister. 3. Een ieder die voornemens is tussenhandeldiensten [...] te verlenen met "
    "betrekking tot: a. een goed voor tweeërlei gebruik genoemd in bijlage II, Sectie I, van de "
    "Verordening producten voor tweeërlei gebruik of b. een goed voor tweeërlei gebruik uit te "
    "voeren naar een in een ministeriële regeling aan te wijzen land, deelt dit mede aan Onze "
    "Minister.")

# Typed national provisions the rules apply, per measure of the reference, each checked against
# the reference's own wording (`check`). `service`: `brokering_services` (Art. 2(7): items in a
# third country), `brokering_union_goods` (items in the Union for export: Wsd art. 6),
# `technical_assistance`; `items`: `not_listed` or `all`; `trigger`: `informed`, `aware`,
# `stated` (the use is a fact, however known) or `always`; `uses`: the Art. 4(1) points.
NATIONAL_PROVISIONS: dict[str, list[dict[str, Any]]] = {
    "NL-CATCHALL": [
        {"provision": "Wsd art. 3(1)", "instrument": WSD, "pin": "art. 3(1)",
         "replaces": None, "check": "**Art. 3**: national prohibition of **technical assistance",
         "content": "technical assistance related to WMD or their missiles is prohibited, unless "
                    "an Art. 8(3) ground applies (art. 3(2)); the Minister may grant an exemption "
                    "on application (art. 3(3))",
         "service": "technical_assistance", "items": "all", "trigger": "stated",
         "uses": ["4(1)(a)"], "effect": "prohibited", "exemptions": "Art. 8(3)",
         "derogation": {"pin": "art. 3(3)",
                        "text": "the Minister may grant an exemption (ontheffing) on application"},
         "legal_basis_eu": [], "text": WSD_ART_3},
        {"provision": "Wsd art. 4(3)", "instrument": WSD, "pin": "art. 4(3)",
         "replaces": "Wsd art. 4(3)-(5)", "check": "art. 4(3)–(4): licence needed",
         "content": "brokering services (Art. 2(7)) for items not listed in Annex I need a "
                    "licence where the broker has been informed of a use under Art. 4(1)(a)",
         "service": "brokering_services", "items": "not_listed", "trigger": "informed",
         "uses": ["4(1)(a)"], "effect": "authorisation_required",
         "legal_basis_eu": ["Art. 6(3)"], "text": WSD_ART_4_3},
        {"provision": "Wsd art. 4(4)", "instrument": WSD, "pin": "art. 4(4)",
         "replaces": "Wsd art. 4(3)-(5)", "check": "military end-use in an arms-embargoed",
         "content": "brokering services (Art. 2(7)) for dual-use items need a licence where the "
                    "broker has been informed of a military end-use in a destination under Art. "
                    "4(1)(b)",
         "service": "brokering_services", "items": "all", "trigger": "informed",
         "uses": ["4(1)(b)"], "effect": "authorisation_required",
         "legal_basis_eu": ["Art. 6(3)"], "text": WSD_ART_4_4},
        {"provision": "Wsd art. 4(5)", "instrument": WSD, "pin": "art. 4(5)",
         "replaces": "Wsd art. 4(3)-(5)", "check": "**broker's own notification duty** when aware",
         "content": "a broker aware of a use under Art. 4(1)(a) (items not listed) or of a "
                    "military end-use in a destination under Art. 4(1)(b) notifies the Minister "
                    "(a national duty: Art. 6(2) covers listed items, Art. 6(3) extends only the "
                    "'informed' rule of Art. 6(1))",
         "service": "brokering_services", "items": "per_use", "trigger": "aware",
         "uses": ["4(1)(a)", "4(1)(b)"], "effect": "notify_authority",
         "legal_basis_eu": [], "text": WSD_ART_4_5},
        {"provision": "Wsd art. 6(1)", "instrument": WSD, "pin": "art. 6(1)",
         "replaces": None, "check": "EU-to-third-country brokering (WMD)",
         "content": "brokering services for dual-use items located in the Union and destined for "
                    "export need a licence where the broker has been informed of a use under "
                    "Art. 4(1)(a)",
         "service": "brokering_union_goods", "items": "all", "trigger": "informed",
         "uses": ["4(1)(a)"], "effect": "authorisation_required",
         "legal_basis_eu": [], "text": WSD_ART_6},
        {"provision": "Wsd art. 6(2)", "instrument": WSD, "pin": "art. 6(2)",
         "replaces": None, "check": "EU-to-third-country brokering (WMD)",
         "content": "a broker of dual-use items located in the Union and destined for export who "
                    "is aware of a use under Art. 4(1)(a) notifies the Minister",
         "service": "brokering_union_goods", "items": "all", "trigger": "aware",
         "uses": ["4(1)(a)"], "effect": "notify_authority",
         "legal_basis_eu": [], "text": WSD_ART_6},
        {"provision": "Wsd art. 7(1)", "instrument": WSD, "pin": "art. 7(1)",
         "replaces": None, "check": "**notify the Minister before first providing them**",
         "content": "whoever intends to provide brokering services notifies the Minister before "
                    "providing them for the first time, and any change of the notified details "
                    "without delay (art. 7(2))",
         "service": "any_brokering", "items": "all", "trigger": "always", "uses": [],
         "effect": "obligation", "deadline": "before first providing brokering services",
         "legal_basis_eu": [], "text": WSD_ART_7},
        {"provision": "Wsd art. 7(3)(a)", "instrument": WSD, "pin": "art. 7(3)(a)",
         "replaces": None, "check": "separate notification for items of Annex II Section I",
         "content": "brokering services for an item of Annex II, Section I are notified to the "
                    "Minister separately",
         "service": "any_brokering", "items": "annex_ii_section_i", "trigger": "always",
         "uses": [], "effect": "obligation",
         "deadline": "before providing the brokering services",
         "legal_basis_eu": [], "text": WSD_ART_7},
    ],
    "FI-ACT-500-2024": [
        {"provision": "§ 6(1)", "instrument": None, "pin": "§ 6(1)", "replaces": "§ 6(1)",
         "check": "brokering licence for non-listed items when the broker has been informed",
         "content": "brokering licence for non-listed items when the broker has been informed "
                    "(Art. 6(3))",
         "service": "brokering_services", "items": "not_listed", "trigger": "informed",
         "uses": ["4(1)(a)", "4(1)(b)", "4(1)(c)"], "effect": "authorisation_required",
         "legal_basis_eu": ["Art. 6(3)"], "text": None},
    ],
}


def _typed_provisions(m: dict[str, Any], nl_notes: str) -> list[dict[str, Any]]:
    """The measure's provisions with the typed ones of NATIONAL_PROVISIONS in place of the
    reference's combined entries; each typed one must be found in the reference's wording."""
    provisions = [dict(p) for p in m.get("provisions") or []]
    wording = json.dumps(m, ensure_ascii=False) + nl_notes
    typed = NATIONAL_PROVISIONS.get(m["id"], [])
    replaced = {t["replaces"] for t in typed if t["replaces"]}
    out = [p for p in provisions if p["provision"] not in replaced]
    for t in typed:
        if t["check"] not in wording:
            raise SystemExit(f"national_measures: {m['id']} {t['provision']}: the reference no "
                             f"longer says {t['check']!r}; review")
        rec = {k: v for k, v in t.items() if k not in ("replaces", "check")}
        rec["cited"] = (f"{t['instrument']}, {t['pin']}" if t["instrument"] else None)
        rec["text_source"] = WSD_SOURCE if t["instrument"] == WSD else None
        out.append(rec)
    for p in out:  # Bsg provisions cited by their instrument, as the Wsd ones
        if p["provision"].startswith("Bsg ") and "cited" not in p:
            p["cited"] = "Besluit strategische goederen, " + p["provision"].removeprefix("Bsg ")
    return out


def _art_9_4_publication(m: dict[str, Any], framework: dict[str, Any]) -> dict[str, Any] | None:
    """The Commission's publication of the measure under Art. 9(4), where the reference names
    the compilation that carries it (Art. 10(1) applies only to lists so published)."""
    said = str(m.get("compilation") or "")
    for c in framework.get("art_9_4_compilations") or []:
        if c["reference"] in said:
            return {"reference": c["reference"], "title": c["title"], "published": c["published"],
                    "sources": c.get("sources"), "confidence": c.get("confidence")}
    return None


_CODE_IN_TEXT = re.compile(r"\b\d[A-E]\d{3}(?:\.[a-z0-9]+)*\b")


def _annex_i_takeover(m: dict[str, Any], annex_i_2025: dict[str, bool]) -> list[dict[str, Any]]:
    """The items of the measure that the reference says Annex I took over from 15 November 2025
    (Delegated Regulation (EU) 2025/2003), with the Annex I entries, each checked to be listed
    in that text ('Not used' entries dropped)."""
    out = []
    for version in (m.get("instrument") or {}).get("versions") or []:
        for item in version.get("items") or []:
            said = str(item.get("superseded_by_annex_i") or "")
            if not said.startswith(("yes", "largely")):
                continue
            ref_text = re.sub(r"\([^()]*\)", "", str(item.get("annex_i_reference") or ""))
            if "take-over" in ref_text:
                ref_text = ref_text.split("take-over", 1)[1]
            codes = [c for c in _CODE_IN_TEXT.findall(ref_text) if annex_i_2025.get(c)]
            if not codes:
                raise SystemExit(f"national_measures: {m['id']} {item['national_code']}: no "
                                 f"Annex I entry of 2025/2003 found in {ref_text!r}; review")
            out.append({"national_code": re.sub(r"\s*[\[(].*$", "", item["national_code"]),
                        "description": item["description"], "annex_i": codes,
                        "extent": said, "version": version.get("version")})
    return out


def national_measures(ref: Path, today: str) -> dict[str, Any]:
    raw = json.loads((ref / "regulation" / "national_measures.json").read_text(encoding="utf-8"))
    nl_notes = (ref / "regulation" / "nl_implementation.md").read_text(encoding="utf-8")
    annex_i_2025 = {r["code"]: not r["not_used"] for r in read_jsonl(ref / "annex_i" /
                                                                       "entries.jsonl")}
    takeover_from = ANNEX_I_VERSIONS[-1][0]
    out = []
    for m in raw["measures"]:
        inst = m.get("instrument") or {}
        start = (inst.get("in_force_from") or "").split(" ")[0] or None
        if start and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", start):
            start = None
        measure = {**m, "provisions": _typed_provisions(m, nl_notes)} if (
            m.get("provisions") or m["id"] in NATIONAL_PROVISIONS) else m
        publication = _art_9_4_publication(m, raw["eu_framework"])
        takeover = _annex_i_takeover(m, annex_i_2025)
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
            # Art. 9(4): the Commission's publication in the compilation of national control
            # lists; null where the reference did not find it (the later compilations' OJ C
            # references were not found).
            "art_9_4_publication": publication,
            "annex_i_takeover": {"from": takeover_from, "act": ANNEX_I_VERSIONS[-1][1],
                                 "items": takeover} if takeover else None,
            "measure": measure,
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


# --------------------------------------------------------------------------- changes

# What each data release changed in the law data, for replays of stored determinations
# (`dualuse.engine.replay` lists the changes made after the data version a determination names).
# History is appended, never rewritten.
DATA_CHANGES = [
    {"release": "2026.12.08", "changes": [
        "Annex I as replaced by Delegated Regulation (EU) 2022/1 is loaded (applicable "
        "2022-01-07 to 2023-01-11): dates from 2022-01-07 are answered; before that date the "
        "refusal names the reason (the original 2021 list could not be obtained).",
        "Definitions and notes documents are dated per Annex I version, as far as each act's "
        "obtained pages carry them (complete for 2025/2003 only).",
        "Armenia and Azerbaijan: the OSCE arms embargo of 28 February 1992 is an arms embargo "
        "within Art. 2(19) of Regulation (EU) 2021/821, relevant to Art. 4(1)(b).",
        "The dual-use bans on Russia and Belarus cite the provision of each activity (Council "
        "Regulation (EU) No 833/2014, Art. 2(2)(a), and (EC) No 765/2006, Art. 1e(2)(a), for "
        "brokering services and technical assistance) and list their exceptions and "
        "derogations.",
        "National measures carry the Commission's publication under Art. 9(4) (C/2023/441 of "
        "20 October 2023 for the Dutch and Spanish lists) and the items Annex I took over on "
        "15 November 2025 (Delegated Regulation (EU) 2025/2003).",
        "Dutch law: Wet strategische diensten arts. 3(1), 4(3), 4(4), 4(5), 6(1), 6(2), 7(1) "
        "and 7(3)(a) as typed provisions with their verbatim text.",
        "Annex III (the models for authorisation forms, Sections A to C) as data: every box "
        "with its number, verbatim English title, sub-fields and footnotes, from the Official "
        "Journal text; Dutch titles are the project's translation. Licence documents follow it.",
    ]},
]


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
    defs, notes, texts_coverage = definitions_and_notes(ref, today)
    for version in a1["versions"]:
        version.update(texts_coverage[version["id"]])
    write_json(
        OUT / "annex_i" / "versions.json",
        {
            "versions": a1["versions"],
            "not_obtained": [
                {"valid_from": d, "act": c, "what": w, "why": why}
                for d, c, w, why in NOT_OBTAINED_VERSIONS
            ],
        },
    )
    write_jsonl(OUT / "annex_i" / "entries.jsonl", a1["records"])
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
    # Annex III is not in the reference folder: it is read from the saved Official Journal copy
    # in scripts/sources/ (see import_annex_iii.py).
    write_json(OUT / "annex_iii.json", annex_iii(today))
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
    manifest["changes"] = DATA_CHANGES
    write_json(OUT / "MANIFEST.json", manifest)
    print(
        f"data version {manifest['data_version']}: {len(a1['records'])} Annex I records over "
        f"{len(a1['versions'])} versions"
    )


if __name__ == "__main__":
    main()
