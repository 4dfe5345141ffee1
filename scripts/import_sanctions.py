"""Carry the EU sanctions goods lists (beyond Annex I) from the reference folder into dualuse.

Run by a maintainer when the reference changes (never at run time, never in tests):

    uv run python scripts/import_sanctions.py --reference ../shared/reference --today YYYY-MM-DD

The reference folder `sanctions/` holds verbatim Official Journal texts, page by page
(`chunk_<offset>.md`, 16,000 characters each, read from `legalize-dev/legalize-eu`; see its
README). This script joins the contiguous pages of each act, parses the parts the project needs
and writes `src/dualuse/data/sanctions/`:

- `acts.json`      the acts read (CELEX, dates, OJ, source repository/path/commit, pages used);
- `lists.json`     the goods lists (annexes), each with its dated versions: how each version came
                   about (replaced by, amended by), whether the text read is complete;
- `entries.jsonl`  one record per listed CN code (or Annex VII Part A entry) and wording, dated:
                   a record unchanged across versions spans them (history is appended);
- `articles.jsonl` the verbatim paragraphs of the articles that carry the lists, dated: the
                   April 2023 consolidated text of Regulation 833/2014 as the base, then each
                   amending act's insertions, replacements and deletions in the order of their
                   entry into force;
- `regimes.json`   per destination, which article prohibits which list (export and services),
                   the lists that are not bundled, the third-country duties (Arts 12g, 12gb,
                   2a(1aa); 765/2006 Arts 8g, 8ga) and the exceptions and derogations, each tied
                   to the verbatim paragraph it comes from (the script checks that the paragraph
                   says what the record says: dates, CN codes, annexes).

Amending acts are applied as enacted, in the order of their entry into force. Anything that does
not parse as expected stops the import with a message naming the act, the page and the text.
Afterwards `MANIFEST.json` is rewritten (the same way `import_reference.py` writes it), so the data
version changes with every change of the data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The Annex I importer's file writers, shared (run as `python scripts/import_sanctions.py`, the
# scripts folder is on the path).
from import_reference import day_before, write_json, write_jsonl

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "dualuse" / "data"
OUT = DATA / "sanctions"
REPO = "legalize-dev/legalize-eu"
PAGE = 16_000

R833, R765, R1529, R267 = "32014R0833", "32006R0765", "32023R1529", "32012R0267"


class ImportFailure(SystemExit):
    """The reference text does not say what the importer expects: stop, naming where."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"import_sanctions: {where}: {message}")


# --------------------------------------------------------------------------- the acts

# Dates of entry into force and how each was established. Where the reference folder holds the
# act's first page the script reads them from its front matter; otherwise they were read from the
# front matter of the same file at the same commit (offset 0, `read_file`), and the script checks
# them against what the saved pages say (the date of listing of the entities an act adds, the
# cut-off dates in its own text).
ACTS: dict[str, dict[str, Any]] = {
    R833: {
        "folder": "32014R0833_consolidated_2023-04-27",
        "short_title": "Council Regulation (EU) No 833/2014",
        "title": "Council Regulation (EU) No 833/2014 of 31 July 2014 concerning restrictive "
                 "measures in view of Russia's actions destabilising the situation in Ukraine",
        "regime": "RU", "state": "consolidated", "consolidated_on": "2023-04-27",
        "oj_reference": "OJ L 229, 31.7.2014, p. 1", "eli": "http://data.europa.eu/eli/reg/2014/833/oj",
        "date_evidence": "consolidated version whose front matter says last_updated 2023-04-27 "
                         "(reference README); the articles are taken as in force on that day",
    },
    "32024R1745": {
        "folder": "32024R1745_as_enacted", "regime": "RU", "state": "as_enacted",
        "short_title": "Council Regulation (EU) 2024/1745",
        "title": "Council Regulation (EU) 2024/1745 of 24 June 2024 amending Regulation (EU) No "
                 "833/2014 (14th package)",
        "document_date": "2024-06-24", "publication_date": "2024-06-24",
        "entry_into_force": "2024-06-25", "oj_reference": "OJ L, 2024/1745, 24.6.2024",
        "eli": "http://data.europa.eu/eli/reg/2024/1745/oj",
        "date_evidence": "front matter of eu/8f/32024R1745.md at the commit below (offset 0): "
                         "publication 2024-06-24, entry_into_force 2024-06-25 (Art. 2: the day "
                         "after publication)",
    },
    "32025R0395": {
        "folder": "32025R0395_as_enacted", "regime": "RU", "state": "as_enacted",
        "short_title": "Council Regulation (EU) 2025/395",
        "title": "Council Regulation (EU) 2025/395 of 24 February 2025 amending Regulation (EU) "
                 "No 833/2014 (16th package)",
        "document_date": "2025-02-24", "publication_date": "2025-02-24",
        "entry_into_force": "2025-02-25", "oj_reference": "OJ L, 2025/395, 24.2.2025",
        "eli": "http://data.europa.eu/eli/reg/2025/395/oj",
        "date_evidence": "reference README (in force 25.2.2025); Art. 2: the day after "
                         "publication; Art. 3k(3ag) as inserted speaks of contracts concluded "
                         "before 25 February 2025",
        "check_text": "contracts concluded before 25 February 2025",
    },
    "32025R0932": {
        "folder": "32025R0932_as_enacted", "regime": "RU", "state": "as_enacted",
        "short_title": "Council Regulation (EU) 2025/932",
        "title": "Council Regulation (EU) 2025/932 of 20 May 2025 amending Regulation (EU) No "
                 "833/2014 (17th package)",
        "oj_reference": "OJ L, 2025/932, 20.5.2025",
        "eli": "http://data.europa.eu/eli/reg/2025/932/oj",
        "date_evidence": "front matter of the saved first page (entry_into_force)",
        "front_matter": "chunk_000000.md", "listing_date": "21.5.2025",
    },
    "32025R1494": {
        "folder": "32025R1494_as_enacted", "regime": "RU", "state": "as_enacted",
        "short_title": "Council Regulation (EU) 2025/1494",
        "title": "Council Regulation (EU) 2025/1494 of 18 July 2025 amending Regulation (EU) No "
                 "833/2014 (18th package)",
        "document_date": "2025-07-18", "publication_date": "2025-07-19",
        "entry_into_force": "2025-07-20", "oj_reference": "OJ L, 2025/1494, 19.7.2025",
        "eli": "http://data.europa.eu/eli/reg/2025/1494/oj",
        "date_evidence": "front matter of eu/33/32025R1494.md at the commit below (offset 0): "
                         "publication 2025-07-19, entry_into_force 2025-07-20; the entities it "
                         "adds to Annex IV are listed on 20.7.2025",
        "listing_date": "20.7.2025",
    },
    "32025R2033": {
        "folder": "32025R2033_as_enacted", "regime": "RU", "state": "as_enacted",
        "short_title": "Council Regulation (EU) 2025/2033",
        "title": "Council Regulation (EU) 2025/2033 of 23 October 2025 amending Regulation (EU) "
                 "No 833/2014 (19th package)",
        "document_date": "2025-10-23", "publication_date": "2025-10-23",
        "entry_into_force": "2025-10-24", "oj_reference": "OJ L, 2025/2033, 23.10.2025",
        "eli": "http://data.europa.eu/eli/reg/2025/2033/oj",
        "date_evidence": "reference README (in force 24.10.2025); the entities it adds to "
                         "Annex IV are listed on 24.10.2025; Art. 3k(3aj) speaks of contracts "
                         "concluded before 24 October 2025",
        "listing_date": "24.10.2025",
    },
    R765: {
        "folder": None, "regime": "BY", "state": "not_read",
        "short_title": "Council Regulation (EC) No 765/2006",
        "title": "Council Regulation (EC) No 765/2006 of 18 May 2006 concerning restrictive "
                 "measures in view of the situation in Belarus and the involvement of Belarus in "
                 "the Russian aggression against Ukraine",
        "oj_reference": "OJ L 134, 20.5.2006, p. 1",
        "eli": "http://data.europa.eu/eli/reg/2006/765/oj",
        "date_evidence": "the consolidated text stored (2022-03-10) is stale and was not read; "
                         "its articles and annexes are cited as amended by 2024/1865",
    },
    "32024R1865": {
        "folder": "32024R1865_belarus_as_enacted", "regime": "BY", "state": "as_enacted",
        "short_title": "Council Regulation (EU) 2024/1865",
        "title": "Council Regulation (EU) 2024/1865 of 29 June 2024 amending Regulation (EC) No "
                 "765/2006",
        "document_date": "2024-06-29", "publication_date": "2024-06-30",
        "entry_into_force": "2024-07-01", "oj_reference": "OJ L, 2024/1865, 30.6.2024",
        "eli": "http://data.europa.eu/eli/reg/2024/1865/oj",
        "date_evidence": "front matter of eu/85/32024R1865.md at the commit below (offset 0): "
                         "publication 2024-06-30, entry_into_force 2024-07-01; Art. 8g(2)(b) as "
                         "inserted speaks of contracts concluded before 1 July 2024",
        "check_text": "contracts concluded before 1 July 2024",
    },
    R1529: {
        "folder": "32023R1529_iran_uav", "regime": "IR", "state": "consolidated",
        "short_title": "Council Regulation (EU) 2023/1529",
        "title": "Council Regulation (EU) 2023/1529 of 20 July 2023 concerning restrictive "
                 "measures in view of Iran's military support of Russia's war of aggression "
                 "against Ukraine",
        "oj_reference": "OJ L 186, 25.7.2023, p. 1",
        "eli": "http://data.europa.eu/eli/reg/2023/1529/oj",
        "date_evidence": "front matter of the saved first page: entry_into_force 2023-07-26, "
                         "consolidated version last_updated (taken as in force from) the date "
                         "below",
        "front_matter": "chunk_000000.md",
    },
    R267: {
        "folder": None, "regime": "IR", "state": "not_read",
        "short_title": "Council Regulation (EU) No 267/2012",
        "title": "Council Regulation (EU) No 267/2012 of 23 March 2012 concerning restrictive "
                 "measures against Iran",
        "oj_reference": "OJ L 88, 24.3.2012, p. 1",
        "eli": "http://data.europa.eu/eli/reg/2012/267/oj",
        "date_evidence": "not read (reference README): its goods annexes are not bundled",
    },
}


@dataclass
class Act:
    celex: str
    meta: dict[str, Any]
    pages: dict[int, str] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)

    @property
    def day(self) -> str:
        return str(self.meta.get("entry_into_force") or self.meta.get("consolidated_on"))

    def span(self, first: int, last: int) -> str:
        """The text of the contiguous pages first..last (offsets), joined."""
        out = []
        for offset in range(first, last + PAGE, PAGE):
            if offset not in self.pages:
                raise ImportFailure(self.celex, f"page chunk_{offset:06d}.md is not saved")
            out.append(self.pages[offset])
            self.used.add(offset)
        return "".join(out)


def load_acts(ref: Path) -> dict[str, Act]:
    folder_root = ref / "sanctions"
    readme = (folder_root / "README.md").read_text(encoding="utf-8")
    acts: dict[str, Act] = {}
    for celex, meta in ACTS.items():
        act = Act(celex, dict(meta))
        folder = meta.get("folder")
        if folder:
            section = readme.split(f"### `{folder}/`", 1)
            if len(section) != 2:
                raise ImportFailure(celex, f"the README has no section for {folder}/")
            m = re.search(r"Source: `(eu/[0-9a-f]{2}/" + celex
                          + r"\.md)` @ (?:commit )?`([0-9a-f]{40})`", section[1])
            if not m:
                raise ImportFailure(celex, "the README names no source path @ commit")
            act.source = {"repo": REPO, "path": m[1], "commit": m[2]}
            for page in sorted((folder_root / folder).glob("chunk_*.md")):
                offset = int(page.stem.removeprefix("chunk_"))
                text = page.read_text(encoding="utf-8")
                if len(text) > PAGE:
                    raise ImportFailure(celex, f"{page.name} is longer than one page")
                act.pages[offset] = text
            fm = meta.get("front_matter")
            if fm:
                head = act.pages[0]
                eif = re.search(r'^entry_into_force: "(\d{4}-\d\d-\d\d)"', head, re.M)
                doc = re.search(r'^document_date: "(\d{4}-\d\d-\d\d)"', head, re.M)
                if not eif or not doc:
                    raise ImportFailure(celex, f"{fm}: no entry_into_force/document_date")
                act.meta["document_date"] = doc[1]
                if act.meta["state"] == "consolidated":
                    upd = re.search(r'^last_updated: "(\d{4}-\d\d-\d\d)"', head, re.M)
                    if not upd:
                        raise ImportFailure(celex, f"{fm}: no last_updated")
                    act.meta["original_entry_into_force"] = eif[1]
                    act.meta["consolidated_on"] = upd[1]
                else:
                    act.meta["entry_into_force"] = eif[1]
        acts[celex] = act
    # Cross-checks of the dates against the acts' own saved text.
    for act in acts.values():
        text = "".join(act.pages.values())
        listing = act.meta.get("listing_date")
        if listing and f"| {listing}" not in text:
            raise ImportFailure(act.celex, f"no entity listed on {listing} in the saved pages")
        check = act.meta.get("check_text")
        if check and check not in text:
            raise ImportFailure(act.celex, f"the saved pages do not say {check!r}")
    return acts


# --------------------------------------------------------------------------- text helpers


def between(text: str, start: str, end: str | None, where: str) -> str:
    """The text from the one occurrence of `start` up to the first `end` after it."""
    count = text.count(start)
    if count != 1:
        raise ImportFailure(where, f"{start!r} occurs {count} times (expected once)")
    tail = text.split(start, 1)[1]
    if end is None:
        return tail
    if end not in tail:
        raise ImportFailure(where, f"{end!r} not found after {start!r}")
    return tail.split(end, 1)[0]


def unquote(line: str) -> str:
    """A line of an amending act's quoted text without the quotation's own markup."""
    line = line.strip()
    while line.startswith(">"):
        line = line[1:].strip()
    return line


_CN = re.compile(r"^(?:(Ex|ex)\s+)?(\d{2}(?:\s?\d{2}){0,3})$")
_ROW = re.compile(r"^\|(.*)\|\s*$")


def cn_digits(printed: str, where: str) -> str:
    digits = printed.replace(" ", "")
    if not digits.isdigit() or len(digits) not in (2, 4, 6, 8):
        raise ImportFailure(where, f"not a CN code: {printed!r}")
    return digits


def close_quote(text: str) -> str:
    """Drop the amending act's closing quotation mark and punctuation after a quoted annex."""
    return re.sub(r"\s*’\s*[.;]?\s*$", "", text).strip()


@dataclass
class Row:
    printed: str
    digits: str
    ex: bool
    text: str
    table: str | None = None
    table_title: str | None = None


def cn_rows(block: str, where: str, complete: bool = True,
            code_column: int = 0) -> tuple[list[Row], bool]:
    """Rows `| CN code | Description |` of a table (header and rule skipped). With
    complete=False the block may end inside a row, which is then dropped (returned flag)."""
    rows: list[Row] = []
    lines = [unquote(x) for x in block.splitlines()]
    lines = [x for x in lines if x]
    truncated = False
    for i, line in enumerate(lines):
        if not line.startswith("|"):
            continue
        m = _ROW.match(line)
        if not m:
            if not complete and i == len(lines) - 1:
                truncated = True
                break
            raise ImportFailure(where, f"a table row that does not close: {line[:80]!r}")
        cells = [c.strip() for c in m[1].split("|")]
        code = cells[code_column]
        if code.lower() in ("cn code", "---", "") or set(code) <= {"-"}:
            if code == "" and len(cells) > code_column + 1 and cells[code_column + 1] not in (
                    "", "---", "CN code", "Description"):
                raise ImportFailure(where, f"a row without a CN code: {line[:80]!r}")
            continue
        cm = _CN.match(code)
        if not cm:
            raise ImportFailure(where, f"not a CN code cell: {code!r}")
        text = close_quote(cells[code_column + 1])
        rows.append(Row(cm[2], cn_digits(cm[2], where), bool(cm[1]), text))
    return rows, truncated


# --------------------------------------------------------------------------- Annex VII

_PART_B_HEADING = re.compile(r"^(?:###\s+|‘)?(\d{1,2})\.\s+(.+?)\s*$")
_ENTRY = re.compile(r"^-\s+‘?(X\.[A-E]\.[IVX]+\.\d{3})\b\s*(.*)$")
# 2024/1745 prints Part A as a table: | X.A.I.001 | Electronic devices ... |
_ENTRY_ROW = re.compile(r"^\|\s*(X\.[A-E]\.[IVX]+\.\d{3})\s*\|\s*(.*?)\s*\|\s*$")
_LOOKS_LIKE_ENTRY = re.compile(r"^(?:-\s+‘?|\|\s*)X\.?[A-E]")
# Misprints in the texts read, corrected here and recorded on the entry (act, as printed).
MISPRINTS = {("2024/1745 Annex II", "X.AVIII.013"): "X.A.VIII.013"}
_CATEGORY = re.compile(r"^###\s+(Category\s+[IVX]+\b.*)$")


@dataclass
class AnnexVII:
    preamble: str | None
    part_a: dict[str, dict[str, str]]  # code -> {"category", "text"}
    part_a_complete: bool
    tables: dict[str, tuple[str, list[Row]]]  # table number -> (title, rows)

    def copy(self) -> AnnexVII:
        return AnnexVII(self.preamble, {k: dict(v) for k, v in self.part_a.items()},
                        self.part_a_complete, {k: (t, list(r)) for k, (t, r) in
                                               self.tables.items()})


def part_b(text: str, where: str, whole: bool = True) -> dict[str, tuple[str, list[Row]]]:
    tables: dict[str, tuple[str, list[Row]]] = {}
    current: str | None = None
    chunks: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for raw in text.splitlines():
        line = unquote(raw)
        m = _PART_B_HEADING.match(line)
        if m and not line.startswith("|"):
            current = m[1]
            if current in titles:
                raise ImportFailure(where, f"Part B table {current} appears twice")
            titles[current] = m[2].rstrip("’").strip()
            chunks[current] = []
            continue
        if current is not None:
            chunks[current].append(line)
    for number, lines in chunks.items():
        rows, _ = cn_rows("\n".join(lines), f"{where}, Part B table {number}")
        if not rows:
            raise ImportFailure(where, f"Part B table {number} has no rows")
        for r in rows:
            r.table, r.table_title = number, titles[number]
        tables[number] = (titles[number], rows)
    if whole and [int(k) for k in tables] != list(range(1, len(tables) + 1)):
        raise ImportFailure(where, f"Part B tables are not numbered 1..n: {list(tables)}")
    return tables


def part_a(text: str, where: str, complete: bool) -> dict[str, dict[str, str]]:
    """Part A entries (X.A.I.001 ...), each with its verbatim text (markdown lines)."""
    entries: dict[str, dict[str, str]] = {}
    category: str | None = None
    current: str | None = None
    buffer: list[str] = []
    misprinted: set[str] = set()

    def flush() -> None:
        if current is not None:
            entries[current]["text"] = "\n".join(buffer).strip()

    for raw in text.splitlines():
        line = unquote(raw)
        for (where_, printed), code in MISPRINTS.items():
            if where_ == where and printed in line:
                line = line.replace(printed, code)
                misprinted.add(code)
        cm = _CATEGORY.match(line)
        if cm:
            flush()
            current, buffer = None, []
            category = cm[1].strip()
            continue
        em = _ENTRY.match(line) or _ENTRY_ROW.match(line)
        if not em and _LOOKS_LIKE_ENTRY.match(line):
            raise ImportFailure(where, f"an entry code the importer cannot read: {line[:60]!r}")
        if em:
            flush()
            current = em[1]
            if current in entries:
                raise ImportFailure(where, f"Part A entry {current} appears twice")
            roman = current.split(".")[2]
            if category is not None and not category.startswith(f"Category {roman}"):
                cat_roman = category.split()[1].rstrip(".")
                if cat_roman != roman:
                    raise ImportFailure(where, f"{current} under {category!r}")
            entries[current] = {"category": category or f"Category {roman}"}
            if current in misprinted:
                entries[current]["note"] = next(
                    f"printed {p!r} in the text read" for (w, p), c in MISPRINTS.items()
                    if w == where and c == current)
            buffer = [f"{current} {em[2]}".strip()]
            continue
        if current is not None and line and line not in ("|  |  |", "| --- | --- |"):
            buffer.append(line)
    flush()
    if not entries:
        raise ImportFailure(where, "no Part A entries")
    return entries


def annex_vii_full(text: str, where: str) -> AnnexVII:
    body = between(text, "> ‘ANNEX VII", None, where)
    a_text, b_text = body.split("### Part B", 1) if body.count("### Part B") == 1 else (None, None)
    if a_text is None or b_text is None:
        raise ImportFailure(where, "Annex VII without exactly one Part B heading")
    preamble = between(a_text, "### Part A", "### Category I", where).strip()
    return AnnexVII(preamble, part_a(a_text.split("### Part A", 1)[1], where, True), True,
                    part_b(b_text, where))


def apply_vii_amendments(base: AnnexVII, text: str, where: str) -> tuple[AnnexVII, list[str]]:
    """Apply an act's 'Annex VII ... is amended as follows' points in order."""
    body = between(text, "Annex VII to Regulation (EU) No 833/2014 is amended as follows:",
                   "\n## ANNEX", where)
    out = base.copy()
    done: list[str] = []
    points = re.split(r"^- \(([a-z])\) ", body, flags=re.M)
    if len(points) < 3:
        raise ImportFailure(where, "no amendment points")
    for letter, content in zip(points[1::2], points[2::2], strict=True):
        head, _, rest = content.partition("\n")
        head = head.strip()
        label = f"{where} point ({letter})"
        if m := re.fullmatch(r"[Ii]n Part A, Category ([IVX]+), the following section is "
                             r"inserted:", head):
            new = part_a(rest, label, True)
            for code, rec in new.items():
                if code in out.part_a:
                    raise ImportFailure(label, f"{code} inserted but already present")
                if code.split(".")[2] != m[1]:
                    raise ImportFailure(label, f"{code} is not in Category {m[1]}")
                out.part_a[code] = {"category": _category_of(out, m[1], label),
                                    "text": close_quote(rec["text"])}
                done.append(f"Part A: {code} inserted")
        elif m := re.fullmatch(r"in Part A, Category ([IVX]+), section (X\.[A-E]\.[IVX]+\.\d{3}), "
                               r"the following item is added:", head):
            code = m[2]
            item = close_quote(unquote(rest.strip().splitlines()[0]).lstrip("- ‘"))
            letter_item = re.match(r"^([a-z])\. ", item)
            if code not in out.part_a or not letter_item:
                raise ImportFailure(label, f"cannot add {item!r} to {code}")
            previous = chr(ord(letter_item[1]) - 1)
            last = out.part_a[code]["text"].splitlines()[-1]
            if not last.startswith(f"- {previous}. "):
                raise ImportFailure(label, f"{code} does not end with item {previous}.")
            out.part_a[code]["text"] += f"\n- {item}"
            done.append(f"Part A: {code} item {letter_item[1]} added")
        elif m := re.fullmatch(r"in Part A, Category ([IVX]+), section (X\.[A-E]\.[IVX]+\.\d{3}) "
                               r"is replaced by the following:", head):
            code = m[2]
            new = part_a(rest, label, True)
            if list(new) != [code] or code not in out.part_a:
                raise ImportFailure(label, f"replacement of {code} gives {list(new)}")
            out.part_a[code] = {"category": out.part_a[code]["category"],
                                "text": close_quote(new[code]["text"])}
            done.append(f"Part A: {code} replaced")
        elif m := re.fullmatch(r"[Ii]n Part B, [Tt]able (?:(\d+), )?‘(?:(\d+)\.\s+)?([^’]+)’,? is "
                               r"replaced by the following:", head):
            number = m[1] or m[2]
            if number not in out.tables or out.tables[number][0] != m[3].strip():
                raise ImportFailure(label, f"no Part B table {number} {m[3]!r} to replace")
            new_tables = part_b(rest, label, whole=False)
            if list(new_tables) != [number]:
                raise ImportFailure(label, f"replacement gives tables {list(new_tables)}")
            title, rows = next(iter(new_tables.values()))
            for r in rows:
                r.table, r.table_title = number, title
            out.tables[number] = (title, rows)
            done.append(f"Part B: table {number} replaced")
        else:
            raise ImportFailure(label, f"an amendment the importer does not know: {head!r}")
    return out, done


def _category_of(annex: AnnexVII, roman: str, where: str) -> str:
    for rec in annex.part_a.values():
        if rec["category"].split()[1].rstrip(".") == roman:
            return rec["category"]
    raise ImportFailure(where, f"no Category {roman} in Part A")


# --------------------------------------------------------------------------- lists and entries


@dataclass
class Version:
    list_id: str
    valid_from: str
    act: str
    how: str
    complete: bool
    rows: list[Row]
    title: str
    last_code: str | None = None
    part_a: dict[str, dict[str, str]] | None = None
    preamble: str | None = None
    pages: list[str] = field(default_factory=list)


def list_versions(acts: dict[str, Act]) -> list[Version]:
    a1745, a395, a932 = acts["32024R1745"], acts["32025R0395"], acts["32025R0932"]
    a1494, a2033 = acts["32025R1494"], acts["32025R2033"]
    versions: list[Version] = []

    def pages(act: Act, first: int, last: int) -> list[str]:
        return [f"chunk_{o:06d}.md" for o in range(first, last + PAGE, PAGE)]

    # Annex VII: replaced whole by 2024/1745, 2025/395 (Part A read only from Category IX) and
    # 2025/932; amended by 2025/1494 and 2025/2033.
    vii_title = "List of goods and technology referred to in Articles 2a(1) and 2b(1)"
    t = a1745.span(480000, 608000)
    v1745 = annex_vii_full(between(t, "Annex VII to Regulation (EU) No 833/2014 is replaced by "
                                      "the following:", "## ANNEX III", "2024/1745 Annex II"),
                           "2024/1745 Annex II")
    t = a395.span(592000, 640000)
    b_text = between(t, "### Part B", "## ANNEX IV", "2025/395 Annex III")
    a_text = t.split("### Part B", 1)[0]
    first = a_text.find("\n- X.")  # the saved pages begin inside X.A.IX.004: drop that tail
    if first < 0:
        raise ImportFailure("2025/395 Annex III", "no Part A entry in the saved pages")
    v395 = AnnexVII(None, part_a(a_text[first:], "2025/395 Annex III", False), False,
                    part_b(b_text, "2025/395 Annex III"))
    t = a932.span(416000, 560000)
    v932 = annex_vii_full(between(t, "Annex VII to Regulation (EU) No 833/2014 is replaced by "
                                     "the following:", "## ANNEX III", "2025/932 Annex II"),
                          "2025/932 Annex II")
    v1494, done1494 = apply_vii_amendments(v932, a1494.span(64000, 80000), "2025/1494 Annex II")
    v2033, done2033 = apply_vii_amendments(v1494, a2033.span(80000, 96000), "2025/2033 Annex II")
    for act, annex, how, complete_a, pg in (
        (a1745, v1745, "Annex VII replaced by Annex II to Regulation (EU) 2024/1745 (Art. 1(31))",
         True, pages(a1745, 480000, 608000)),
        (a395, v395, "Annex VII replaced by Annex III to Regulation (EU) 2025/395 (Art. 1(37)); "
                     "Part A read from X.A.IX.004 onwards only", False,
         pages(a395, 592000, 640000)),
        (a932, v932, "Annex VII replaced by Annex II to Regulation (EU) 2025/932 (Art. 1(2))",
         True, pages(a932, 416000, 560000)),
        (a1494, v1494, "Annex VII as replaced by 2025/932, amended by Annex II to Regulation (EU) "
                       "2025/1494 (Art. 1(22)): " + "; ".join(done1494), True,
         pages(a1494, 64000, 80000)),
        (a2033, v2033, "Annex VII as replaced by 2025/932 and amended by 2025/1494, amended by "
                       "Annex II to Regulation (EU) 2025/2033 (Art. 1(23)): " + "; ".join(done2033),
         True, pages(a2033, 80000, 96000)),
    ):
        rows = [r for _, (_, rs) in sorted(annex.tables.items(), key=lambda x: int(x[0]))
                for r in rs]
        versions.append(Version("RU.VII.B", act.day, act.celex, how, True, rows,
                                vii_title + " — Part B", pages=pg))
        versions.append(Version("RU.VII.A", act.day, act.celex, how, complete_a, [],
                                vii_title + " — Part A", part_a=annex.part_a,
                                preamble=annex.preamble, pages=pg))

    # Annex XXIII: replaced whole by 2024/1745, 2025/395, 2025/1494 (each read only in part)
    # and 2025/2033 (complete).
    xxiii_title = "List of goods and technology as referred to in Article 3k"
    for act, first, last, how in (
        (a1745, 608000, 608000, "Annex XXIII replaced by Annex V to Regulation (EU) 2024/1745 "
                                "(Art. 1(34))"),
        (a395, 640000, 640000, "Annex XXIII replaced by Annex VII to Regulation (EU) 2025/395 "
                               "(Art. 1(41))"),
        (a1494, 80000, 80000, "Annex XXIII replaced by Annex IV to Regulation (EU) 2025/1494 "
                              "(Art. 1(24))"),
    ):
        text = act.span(first, last)
        block = between(text, "Annex XXIII to Regulation (EU) No 833/2014 is replaced by the "
                              "following:", None, f"{act.celex} Annex XXIII")
        rows, truncated = cn_rows(block, f"{act.celex} Annex XXIII", complete=False)
        if not truncated or not rows:
            raise ImportFailure(act.celex, "the saved part of Annex XXIII was expected to end "
                                "inside a row (the rest is not saved)")
        versions.append(Version("RU.XXIII", act.day, act.celex, how + "; only the part saved "
                                f"(up to CN {rows[-1].printed}) was read", False, rows,
                                xxiii_title, last_code=rows[-1].printed,
                                pages=pages(act, first, last)))
    t = a2033.span(96000, 192000)
    block = between(t, "Annex XXIII to Regulation (EU) No 833/2014 is replaced by the following:",
                    "## ANNEX IX", "2025/2033 Annex VIII")
    rows, _ = cn_rows(block, "2025/2033 Annex VIII")
    if not any(r.digits == "8466" for r in rows):
        raise ImportFailure("2025/2033 Annex VIII", "heading 8466 expected in Annex XXIII")
    versions.append(Version("RU.XXIII", a2033.day, a2033.celex, "Annex XXIII replaced by Annex "
                            "VIII to Regulation (EU) 2025/2033 (Art. 1(29))", True, rows,
                            xxiii_title, pages=pages(a2033, 96000, 176000)))
    block = between(t, "The following Annex is added to Regulation (EU) No 833/2014:\n\n> ‘ANNEX "
                       "XXIIIG", "## ANNEX X\n", "2025/2033 Annex IX")
    rows, _ = cn_rows(block, "2025/2033 Annex IX")
    versions.append(Version("RU.XXIIIG", a2033.day, a2033.celex, "Annex XXIIIG added by Annex IX "
                            "to Regulation (EU) 2025/2033 (Art. 1(30))", True, rows,
                            "List of goods and technology as referred to in Article 3k(3aj)",
                            pages=pages(a2033, 176000, 192000)))

    # Annex XL (common high priority items): replaced by 2024/1745; title replaced by 2025/2033.
    t = a1745.span(720000, 736000)
    block = between(t, "Annex XL to Regulation (EU) No 833/2014 is replaced by the following:",
                    "## ANNEX X\n", "2024/1745 Annex IX")
    if "## List of goods and technology as referred to in Article 12g" not in block:
        raise ImportFailure("2024/1745 Annex IX", "Annex XL title not as expected")
    xl_rows, _ = cn_rows(block, "2024/1745 Annex IX")
    if xl_rows[0].printed != "8457 10" or xl_rows[-1].printed != "9030 82":
        raise ImportFailure("2024/1745 Annex IX", "Annex XL expected from 8457 10 to 9030 82")
    versions.append(Version("RU.XL", a1745.day, a1745.celex, "Annex XL replaced by Annex IX to "
                            "Regulation (EU) 2024/1745 (Art. 1(38))", True, xl_rows,
                            "List of goods and technology as referred to in Article 12g",
                            pages=pages(a1745, 720000, 736000)))
    new_title = between(a2033.span(192000, 192000), "In Annex XL to Regulation (EU) No 833/2014, "
                        "the title is replaced by the following:", "## ANNEX XII",
                        "2025/2033 Annex XI")
    title = close_quote(unquote(new_title.strip().splitlines()[-1]))
    if title != "List of goods and technology as referred to in Articles 2, 2a, 12g and 12gb":
        raise ImportFailure("2025/2033 Annex XI", f"unexpected title {title!r}")
    versions.append(Version("RU.XL", a2033.day, a2033.celex, "Annex XL as replaced by 2024/1745, "
                            "title replaced by Annex XI to Regulation (EU) 2025/2033 (Art. 1(32))",
                            True, xl_rows, title, pages=pages(a2033, 192000, 192000)))

    # Annex VIII (partner countries): replaced by 2024/1745; title replaced by 2025/2033.
    t = a1745.span(608000, 608000)
    block = between(t, "Annex VIII to Regulation (EU) No 833/2014 is replaced by the following:",
                    "## ANNEX IV", "2024/1745 Annex III")
    names = [unquote(x).rstrip("’.").strip() for x in block.splitlines()]
    names = [x for x in names if x and not x.startswith(("‘ANNEX", "## List", "ANNEX"))]
    partner_rows = [Row(_ISO[n], _ISO[n], False, n) if n in _ISO else _unknown_country(n)
                    for n in names]
    title = between(block, "## List of ", "\n", "2024/1745 Annex III").strip()
    versions.append(Version("RU.VIII", a1745.day, a1745.celex, "Annex VIII replaced by Annex III "
                            "to Regulation (EU) 2024/1745 (Art. 1(32))", True, partner_rows,
                            "List of " + title, pages=pages(a1745, 608000, 608000)))
    title_2033 = between(a2033.span(96000, 96000), "In Annex VIII to Regulation (EU) No 833/2014, "
                         "the title is replaced by the following:", "## ANNEX IV",
                         "2025/2033 Annex III")
    title_2033 = close_quote(unquote(title_2033.strip().splitlines()[-1]))
    if "12g(1) and 12gb" not in title_2033:
        raise ImportFailure("2025/2033 Annex III", f"unexpected Annex VIII title {title_2033!r}")
    versions.append(Version("RU.VIII", a2033.day, a2033.celex, "Annex VIII as replaced by "
                            "2024/1745, title replaced by Annex III to Regulation (EU) 2025/2033 "
                            "(Art. 1(24))", True, partner_rows, title_2033,
                            pages=pages(a2033, 96000, 96000)))

    # Belarus: Annex XXX (common high priority goods) added by 2024/1865.
    a1865 = acts["32024R1865"]
    t = a1865.span(368000, 368000)
    block = between(t, "> ANNEX XXX\n", None, "2024/1865 Annex XXX")
    rows, _ = cn_rows(block, "2024/1865 Annex XXX")
    if len(rows) != 50:
        raise ImportFailure("2024/1865 Annex XXX", f"{len(rows)} CN codes, expected 50")
    versions.append(Version("BY.XXX", a1865.day, a1865.celex, "Annex XXX added by the Annex to "
                            "Regulation (EU) 2024/1865 (Art. 1(26))", True, rows,
                            "List of common high priority goods and technology referred to in "
                            "Article 8g", pages=pages(a1865, 368000, 368000)))

    # Iran: Annex II of Regulation 2023/1529, consolidated version.
    a1529 = acts[R1529]
    t = a1529.span(0, 32000)
    block = between(t, "## ANNEX II\n", "## ANNEX III", "2023/1529 Annex II")
    versions.append(Version("IR.II", a1529.meta["consolidated_on"], R1529, "Annex II of "
                            "Regulation (EU) 2023/1529 as consolidated on "
                            f"{a1529.meta['consolidated_on']}", True, iran_rows(block),
                            "List of items referred to in Article 2", pages=pages(a1529, 32000,
                                                                                     32000)))
    return versions


_ISO = {"THE UNITED STATES OF AMERICA": "US", "JAPAN": "JP", "UNITED KINGDOM": "GB",
        "SOUTH KOREA": "KR", "AUSTRALIA": "AU", "CANADA": "CA", "NEW ZEALAND": "NZ",
        "NORWAY": "NO", "SWITZERLAND": "CH", "LIECHTENSTEIN": "LI", "ICELAND": "IS"}


def _unknown_country(name: str) -> Row:
    raise ImportFailure("Annex VIII", f"a partner country the importer cannot name: {name!r}")


def iran_rows(block: str) -> list[Row]:
    """2023/1529 Annex II: `| Description | CN code(s) |` rows, several codes a row, `ex` per
    code; the category heading gives the table."""
    out: list[Row] = []
    category = None
    for line in block.splitlines():
        if line.startswith("### Category"):
            category = line.removeprefix("### ").strip()
            continue
        m = _ROW.match(line)
        if not m:
            continue
        cells = [c.strip() for c in m[1].split("|")]
        if len(cells) != 2 or cells[1] in ("**CN code**", "---"):
            continue
        description, codes = cells
        for printed, ex in _iran_codes(codes):
            out.append(Row(printed, cn_digits(printed, "2023/1529 Annex II"), ex, description,
                           table=category, table_title=category))
    if not out or category is None:
        raise ImportFailure("2023/1529 Annex II", "no rows")
    return out


def _iran_codes(cell: str) -> list[tuple[str, bool]]:
    """'ex 8542 33 8543 70 02' -> [('8542 33', True), ('8543 70 02', False)]; 'ex 85 06' is
    heading 8506 as printed with a space."""
    tokens = cell.split()
    out: list[tuple[list[str], bool]] = []
    ex_next = False
    for tok in tokens:
        if tok.lower() == "ex":
            ex_next = True
            continue
        if not tok.isdigit() or len(tok) not in (2, 4):
            raise ImportFailure("2023/1529 Annex II", f"unexpected token {tok!r} in {cell!r}")
        starts_new = (not out or ex_next or (len(tok) == 4 and len("".join(out[-1][0])) >= 4)
                      or len("".join(out[-1][0])) >= 8)
        if starts_new:
            out.append(([tok], ex_next))
        else:
            out[-1][0].append(tok)
        ex_next = False
    result = []
    for groups, ex in out:
        digits = "".join(groups)
        if len(digits) not in (4, 6, 8):
            raise ImportFailure("2023/1529 Annex II", f"cannot read the codes {cell!r}")
        result.append((" ".join([digits[:4], *[digits[i:i + 2] for i in range(4, len(digits), 2)]]),
                       ex))
    return result


# --------------------------------------------------------------------------- articles

_PARA = re.compile(r"^(\d+[a-z]*)\.\s+(.*)$")


def paragraphs(article_text: str, where: str) -> dict[str, str]:
    """Numbered paragraphs of one article ('1', '1a', '3ag' ...), each with its points."""
    out: dict[str, list[str]] = {}
    current: str | None = None
    intro: list[str] = []
    for raw in article_text.splitlines():
        line = unquote(raw).lstrip("‘").strip()
        if not line:
            continue
        m = _PARA.match(line)
        if m and not line.startswith("- "):
            current = m[1]
            if current in out:
                raise ImportFailure(where, f"paragraph {current} appears twice")
            out[current] = [f"{current}. {m[2]}"]
        elif current is None:
            intro.append(line)
        else:
            out[current].append(line)
    if not out:
        raise ImportFailure(where, "no numbered paragraphs")
    return {k: close_quote("\n".join(v)) for k, v in out.items()}


def article(text: str, number: str, where: str) -> str:
    start = f"#### Article {number}\n"
    if text.count(start) != 1:
        raise ImportFailure(where, f"Article {number} heading not found once")
    tail = text.split(start, 1)[1]
    return re.split(r"^#### Article ", tail, maxsplit=1, flags=re.M)[0]


def quoted_article(text: str, number: str, where: str) -> str:
    """An article as inserted or replaced by an amending act ('> ‘Article 12g' ... '’')."""
    pattern = (r"^> ‘?Article " + re.escape(number)
               + r"\n(.*?)(?=^> ‘?Article \w+\n|^;|^- \(\d+\)|^#### )")
    m = re.search(pattern, text, flags=re.M | re.S)
    if not m:
        raise ImportFailure(where, f"quoted Article {number} not found")
    return m[1]


@dataclass
class Para:
    instrument: str
    article: str
    paragraph: str
    point: str | None
    text: str
    valid_from: str
    act: str
    how: str
    valid_to: str | None = None
    page: str = ""


def articles(acts: dict[str, Act]) -> list[Para]:
    base = acts[R833]
    t = base.span(16000, 64000)
    out: list[Para] = []
    by_key: dict[tuple[str, str, str, str | None], Para] = {}

    def add(p: Para) -> None:
        key = (p.instrument, p.article, p.paragraph, p.point)
        old = by_key.get(key)
        if old is not None and old.valid_to is None:
            old.valid_to = day_before(p.valid_from)
        by_key[key] = p
        out.append(p)

    def delete(instrument: str, art: str, para: str, act: Act) -> None:
        key = (instrument, art, para, None)
        old = by_key.get(key)
        if old is None or old.valid_to is not None:
            raise ImportFailure(act.celex, f"deletes Art. {art}({para}), which is not in force")
        old.valid_to = day_before(act.day)

    consolidated = base.meta["consolidated_on"]
    for number in ("2", "2a", "2b", "3", "3b", "3c", "3f", "3h", "3k"):
        for para, text in paragraphs(article(t, number, f"833/2014 Art. {number}"),
                                     f"833/2014 Art. {number}").items():
            add(Para(R833, number, para, None, text, consolidated, R833,
                     f"consolidated text of {consolidated}", page="chunks 016000-064000"))

    # 2024/1745: Art. 12g replaced, Arts 12ga and 12gb inserted.
    a = acts["32024R1745"]
    t = a.span(96000, 112000)
    for number in ("12g", "12ga", "12gb"):
        how = "replaced" if number == "12g" else "inserted"
        for para, text in paragraphs(quoted_article(t, number, f"2024/1745 Art. {number}"),
                                     f"2024/1745 Art. {number}").items():
            add(Para(R833, number, para, None, text, a.day, a.celex,
                     f"Art. {number} {how} by Art. 1 of Regulation (EU) 2024/1745",
                     page="chunks 096000-112000"))

    # 2025/395: Art. 3k amended; Art. 12gb replaced.
    a = acts["32025R0395"]
    # The saved page begins inside Art. 1(10)(a) ('...b, 3ac, 3ad, 3ae and 3af are deleted'):
    # the paragraphs deleted before 3ab are not known (none of them is carried here but the
    # expired transitional paragraphs 3-3c of the base text, kept with their own end dates).
    t = a.span(64000, 64000)
    if not t.startswith("b, 3ac, 3ad, 3ae and 3af are deleted;"):
        raise ImportFailure("2025/395 chunk_064000", "expected to begin inside Art. 1(10)(a)")
    _amend_3k(t.split("- (11) ", 1)[0], a, add, delete)
    t = a.span(96000, 96000)
    for para, text in paragraphs(quoted_article(t, "12gb", "2025/395 Art. 12gb"),
                                 "2025/395 Art. 12gb").items():
        add(Para(R833, "12gb", para, None, text, a.day, a.celex,
                 "Art. 12gb replaced by Art. 1(34) of Regulation (EU) 2025/395",
                 page="chunk_096000"))
    for key, p in list(by_key.items()):  # paragraphs of the old 12gb that the new one lacks
        if key[1] == "12gb" and p.act == "32024R1745" and p.valid_to is None:
            p.valid_to = day_before(a.day)

    # 2025/1494: Art. 2a(1aa) and (6a) inserted; Art. 3k amended.
    a = acts["32025R1494"]
    t = a.span(32000, 32000)
    block = between(t, "- (2) Article 2a is amended as follows:", "- (3) Article 3k is amended",
                    "2025/1494 Art. 1(2)")
    for para, text in paragraphs(block.replace("- (a) the following paragraph is inserted:", "")
                                 .replace("- (b) the following paragraph is inserted:", ""),
                                 "2025/1494 Art. 1(2)").items():
        if para not in ("1aa", "6a"):
            raise ImportFailure("2025/1494 Art. 1(2)", f"unexpected paragraph {para}")
        add(Para(R833, "2a", para, None, text, a.day, a.celex,
                 "inserted by Art. 1(2) of Regulation (EU) 2025/1494", page="chunk_032000"))
    _amend_3k(between(t, "- (3) Article 3k is amended as follows:", "- (4) ",
                      "2025/1494 Art. 1(3)"), a, add, delete)

    # 2025/2033: Art. 3k amended.
    a = acts["32025R2033"]
    t = a.span(32000, 32000)
    _amend_3k(between(t, "- (3) Article 3k is amended as follows:", "- (4) ",
                      "2025/2033 Art. 1(3)"), a, add, delete)

    # Belarus, 2024/1865: Arts 8g and 8ga inserted; the prohibitions by annex, as inserted.
    a = acts["32024R1865"]
    t = a.span(32000, 48000) + a.span(96000, 96000)
    for number in ("8g", "8ga", "1bb", "1fd", "1ga", "1gc"):
        for para, text in paragraphs(quoted_article(t, number, f"2024/1865 Art. {number}"),
                                     f"2024/1865 Art. {number}").items():
            add(Para(R765, number, para, None, text, a.day, a.celex,
                     f"Art. {number} inserted by Art. 1 of Regulation (EU) 2024/1865",
                     page="chunks 032000-048000, 096000"))
    block = between(t, "- (6) Article 1f is amended as follows:", "- (7) ",
                    "2024/1865 Art. 1(6)")
    for para, text in paragraphs(_strip_instructions(block), "2024/1865 Art. 1(6)").items():
        add(Para(R765, "1f", para, None, text, a.day, a.celex,
                 "inserted in Art. 1f by Art. 1(6) of Regulation (EU) 2024/1865",
                 page="chunk_048000"))

    # Iran, 2023/1529 Art. 2 (consolidated).
    a = acts[R1529]
    t = a.span(0, 16000)
    for para, text in paragraphs(article(t, "2", "2023/1529 Art. 2"),
                                 "2023/1529 Art. 2").items():
        add(Para(R1529, "2", para, None, text, a.meta["consolidated_on"], R1529,
                 f"consolidated text of {a.meta['consolidated_on']}",
                 page="chunks 000000-016000"))
    return out


def _strip_instructions(block: str) -> str:
    return "\n".join(x for x in block.splitlines()
                     if not re.match(r"^- \([a-z]\) ", x.strip()) and x.strip() != ";")


def _amend_3k(text: str, act: Act, add: Any, delete: Any) -> None:
    """Apply one act's amendments of Art. 3k: inserted/replaced paragraphs, added/replaced points
    of paragraph 5a, deleted paragraphs."""
    where = f"{act.celex} Art. 3k"
    for m in re.finditer(r"paragraphs? ((?:\d+[a-z]*(?:, | and )?)+) (?:is|are) deleted", text):
        for para in re.split(r", | and ", m[1]):
            if para:
                delete(R833, "3k", para, act)
    points = re.split(r"^- \(([a-z])\) ", text, flags=re.M)
    for content in points[2::2]:
        head, _, rest = content.partition("\n")
        if "deleted" in head and "inserted" not in head:
            continue
        if re.match(r"(?:in paragraph 5a, the following points? (?:is|are) added|in paragraph "
                    r"5a, point \([a-z]\) is replaced by the following):", head):
            for m in re.finditer(r"^> - ‘?\(([a-z])\) (.*?)(?:’)?;?$", rest, flags=re.M):
                add(Para(R833, "3k", "5a", m[1], f"({m[1]}) {close_quote(m[2].rstrip(';'))}",
                         act.day, act.celex, f"Art. 3k(5a) point ({m[1]}) "
                         f"{'replaced' if 'replaced' in head else 'added'} by {act.celex}"))
            continue
        if re.match(r"(?:the following paragraphs? (?:is|are) inserted|paragraph \w+ is replaced "
                    r"by the following):", head):
            for para, ptext in paragraphs(rest, where).items():
                add(Para(R833, "3k", para, None, ptext, act.day, act.celex,
                         f"Art. 3k({para}) {'replaced' if 'replaced' in head else 'inserted'} "
                         f"by Regulation (EU) {act.meta['short_title'].split()[-1]}"))
            continue
        raise ImportFailure(where, f"an amendment the importer does not know: {head!r}")


# --------------------------------------------------------------------------- regimes


def _cite(instrument: str, article: str, paragraph: str | None = None,
          point: str | None = None) -> dict[str, str]:
    out = {"instrument": instrument, "article": article}
    if paragraph:
        out["paragraph"] = paragraph
    if point:
        out["point"] = point
    return out


def regimes(paras: list[Para]) -> dict[str, Any]:
    """The legal hooks, each tied to the verbatim paragraph it rests on (checked here)."""

    def in_force(instrument: str, art: str, para: str, day: str, must: tuple[str, ...],
                 point: str | None = None) -> Para:
        found = [p for p in paras if (p.instrument, p.article, p.paragraph, p.point) == (
            instrument, art, para, point) and p.valid_from <= day and (
            p.valid_to is None or day <= p.valid_to)]
        if len(found) != 1:
            raise ImportFailure("regimes", f"{instrument} Art. {art}({para}) in force on {day}: "
                                f"{len(found)} texts")
        for text in must:
            if text not in found[0].text:
                raise ImportFailure("regimes", f"Art. {art}({para}) does not say {text!r}")
        return found[0]

    def hook(instrument: str, art: str, para: str, day: str, must: tuple[str, ...],
             point: str | None = None) -> dict[str, Any]:
        p = in_force(instrument, art, para, day, must, point)
        return {**_cite(instrument, art, para, point), "valid_from": p.valid_from}

    ru, by, ir = "2023-04-27", "2024-07-01", "2024-05-16"
    services = ("technical assistance, brokering services",)
    out: dict[str, Any] = {
        "RU": {
            "destination": "RU", "instrument": R833,
            "prohibitions": [
                {"list": "RU.VII.B", "annex": "VII", "part": "B",
                 "export": hook(R833, "2a", "1", ru, ("as listed in Annex VII", "in Russia")),
                 "services": hook(R833, "2a", "2", ru, services, None) | {"point": "a"}},
                {"list": "RU.XXIII", "annex": "XXIII",
                 "export": hook(R833, "3k", "1", ru, ("as listed in Annex XXIII",)),
                 "services": hook(R833, "3k", "2", ru, services) | {"point": "a"}},
            ],
            "described": [
                {"list": "RU.VII.A", "annex": "VII", "part": "A",
                 "export": hook(R833, "2a", "1", ru, ("as listed in Annex VII",)),
                 "services": hook(R833, "2a", "2", ru, services) | {"point": "a"}},
            ],
            "unbundled": [
                {"annex": "II", "export": hook(R833, "3", "1", ru, ("as listed in Annex II",)),
                 "services": hook(R833, "3", "2", ru, services) | {"point": "a"}},
                {"annex": "X", "export": hook(R833, "3b", "1", ru, ("as listed in Annex X",)),
                 "services": hook(R833, "3b", "2", ru, services) | {"point": "a"}},
                {"annex": "XI", "export": hook(R833, "3c", "1", ru, ("as listed in Annex XI",)),
                 "services": hook(R833, "3c", "4", ru, services) | {"point": "a"}},
                {"annex": "XX", "export": hook(R833, "3c", "1", ru, ("as listed in Annex XX",)),
                 "services": hook(R833, "3c", "4", ru, services) | {"point": "a"}},
                {"annex": "XVI", "export": hook(R833, "3f", "1", ru, ("as listed in Annex XVI",)),
                 "services": hook(R833, "3f", "2", ru, services) | {"point": "a"}},
                {"annex": "XVIII", "export": hook(R833, "3h", "1", ru,
                                                  ("as listed in Annex XVIII",)),
                 "services": None},
            ],
            # The bundled lists are those of 2025/2033. A 20th package, Regulation (EU)
            # 2026/506, is known from a third-party document but not in the reference; an act
            # numbered 2026/... cannot apply before 1 January 2026.
            "verified_through": "2025-12-31",
            "later_acts_not_bundled": ["Council Regulation (EU) 2026/506 (20th package, date not "
                                       "known; numbered in 2026)"],
            "third_country": {
                "partner_list": "RU.VIII",
                "no_russia_clause": hook(R833, "12g", "1", "2024-06-25",
                                         ("contractually prohibit re-exportation to Russia",
                                          "Annex XL", "Annex VIII")) | {
                    "lists": ["RU.XL"],
                    "not_bundled": "Annexes XI, XX and XXXV to Regulation (EU) No 833/2014 and "
                                   "firearms and ammunition listed in Annex I to Regulation (EU) "
                                   "No 258/2012",
                    "execution_exempt": _cn_in(in_force(R833, "12g", "2", "2024-06-25",
                                                        ("execution of contracts",)).text, "(a)")},
                "due_diligence": hook(R833, "12gb", "1", "2024-06-25", ("Annex XL",)) | {
                    "lists": ["RU.XL"], "applies_from": "2024-12-26",
                    "not_bundled": "Annex XLVIII (goods as listed in it, from 26 May 2025)"},
                "informed_authorisation": hook(R833, "2a", "1aa", "2025-07-20",
                                               ("as listed in Annex VII", "has been informed")) | {
                    "lists": ["RU.VII.B", "RU.VII.A"]},
            },
        },
        "BY": {
            "destination": "BY", "instrument": R765,
            "prohibitions": [], "described": [],
            "unbundled": [
                {"annex": "Va", "export": {**_cite(R765, "1f", "1"), "valid_from": by},
                 "services": {**_cite(R765, "1f", "2", "a"), "valid_from": by}},
                {"annex": "XVIII", "export": hook(R765, "1bb", "1", by,
                                                  ("as listed in Annex XVIII",)),
                 "services": None},
                {"annex": "XX", "export": hook(R765, "1gc", "1", by, ("as listed in Annex XX",)),
                 "services": None},
                {"annex": "XXIV", "export": hook(R765, "1fd", "1", by,
                                                 ("as listed in Annex XXIV",)),
                 "services": None},
                {"annex": "XXV", "export": hook(R765, "1ga", "1", by, ("as listed in Annex XXV",)),
                 "services": None},
            ],
            "verified_through": None,
            "later_acts_not_bundled": ["the current consolidated text of Regulation (EC) No "
                                       "765/2006 and Belarus acts after 2024/1865 (not located)"],
            "third_country": {
                "partner_list": None,
                "partner_list_note": "Annex Vba to Regulation (EC) No 765/2006 (the countries "
                                     "exempted from Art. 8g) is not bundled",
                "no_russia_clause": hook(R765, "8g", "1", by,
                                         ("contractually prohibit re-exportation to Belarus",
                                          "Annex XXX", "Annex Vba")) | {
                    "lists": ["BY.XXX"],
                    "not_bundled": "Annexes XVI, XVII and XXVIII to Regulation (EC) No 765/2006 "
                                   "and firearms and ammunition listed in Annex I to Regulation "
                                   "(EU) No 258/2012",
                    "execution_exempt": _cn_in(in_force(R765, "8g", "2", by,
                                                        ("execution of contracts",)).text, "(a)")},
                "due_diligence": hook(R765, "8ga", "1", by, ("Annex XXX", "2 January 2025")) | {
                    "lists": ["BY.XXX"], "applies_from": "2025-01-02", "not_bundled": None},
                "informed_authorisation": None,
            },
        },
        "IR": {
            "destination": "IR", "instrument": R1529,
            "prohibitions": [
                {"list": "IR.II", "annex": "II",
                 "export": hook(R1529, "2", "1", ir, ("as listed in Annex II", "in Iran")),
                 "services": hook(R1529, "2", "2", ir, services) | {"point": "a"}},
            ],
            "described": [],
            "unbundled": [
                {"annex": "267/2012", "instrument": R267, "effect": "unknown",
                 "export": {"instrument": R267, "text": "the goods annexes of Council Regulation "
                            "(EU) No 267/2012 (not read)", "valid_from": ir},
                 "services": None},
            ],
            # The consolidated text read is that of 2024-05-16; later versions were not reached.
            "verified_through": "2024-05-16",
            "later_acts_not_bundled": ["versions of Regulation (EU) 2023/1529 consolidated after "
                                       "2024-05-16", "Council Regulation (EU) No 267/2012 "
                                       "(not read)"],
            "third_country": None,
        },
    }
    out["RU"]["provisions"] = _ru_provisions(in_force)
    out["BY"]["provisions"] = []
    out["IR"]["provisions"] = [
        _provision("IR.2(3)", "derogation", in_force(R1529, "2", "3", ir, (
            "competent authorities may authorise", "medical or pharmaceutical purposes")),
            lists=["IR.II"]),
    ]
    return out


def _cn_in(text: str, after: str | None = None) -> list[str]:
    """The CN codes a paragraph names ('CN codes 8457 10, 8458 11 ...'), as printed."""
    if after is not None:
        text = text.split(after, 1)[1].split("\n")[0]
    found = re.findall(r"\b(\d{4}(?: \d{2}){0,2})\b(?=\s*(?:,|and|as|;|\.|$|\)|when|’))", text)
    if not found:
        raise ImportFailure("provisions", f"no CN codes in {text[:120]!r}")
    return [f.strip() for f in found]


def _provision(pid: str, kind: str, para: Para, *, lists: list[str], cn: list[str] | None = None,
               until: str | None = None, contracts_before: str | None = None,
               list_not_bundled: str | None = None, point: str | None = None) -> dict[str, Any]:
    if until is not None:
        words = _long_date(until)
        if words not in para.text:
            raise ImportFailure(pid, f"the paragraph does not say {words!r}")
    if contracts_before is not None and _long_date(contracts_before) not in para.text:
        raise ImportFailure(pid, f"the paragraph does not say {_long_date(contracts_before)!r}")
    if cn is not None:
        named = _cn_in(para.text)
        missing = [c for c in cn if c not in named]
        if missing:
            raise ImportFailure(pid, f"the paragraph does not name CN {missing} (names {named})")
    return {
        "id": pid, "kind": kind, "lists": lists, "cn_codes": cn,
        "citation": _cite(para.instrument, para.article, para.paragraph, point),
        "applies_until": until, "contracts_before": contracts_before,
        "list_not_bundled": list_not_bundled,
        "valid_from": para.valid_from, "valid_to": para.valid_to,
    }


def _long_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _ru_provisions(in_force: Any) -> list[dict[str, Any]]:
    ru = "2023-04-27"
    vii, xxiii = ["RU.VII.B", "RU.VII.A"], ["RU.XXIII"]
    p = _provision
    out = [
        p("RU.2a(3)", "exception", in_force(R833, "2a", "3", ru, (
            "shall not apply", "non-military use", "shall declare in the customs declaration")),
          lists=vii),
        p("RU.2a(4)", "derogation", in_force(R833, "2a", "4", ru, (
            "competent authorities may authorise",)), lists=vii),
        p("RU.3k(4)", "exception", in_force(R833, "3k", "4", ru, (
            "diplomatic or consular missions",)), lists=xxiii),
        p("RU.3k(5)", "derogation", in_force(R833, "3k", "5", ru, (
            "competent authorities of the Member States may authorise",)), lists=xxiii),
        p("RU.3k(5a)", "derogation", in_force(R833, "3k", "5a", ru, (
            "personal household use",)), lists=xxiii, cn=["8417 20"]),
    ]
    # Paragraphs inserted by the acts bundled (the day each is in force).
    for pid, art_para, day, kind, kw in (
        ("RU.3k(3ag)", "3ag", "2025-02-25", "exception",
         dict(until="2025-05-26", contracts_before="2025-02-25", list_not_bundled="XXIIID")),
        ("RU.3k(3ah)", "3ah", "2025-07-20", "exception",
         dict(until="2025-10-21", contracts_before="2025-07-20", list_not_bundled="XXIIIE")),
        ("RU.3k(3ai)", "3ai", "2025-07-20", "exception",
         dict(until="2026-01-21", contracts_before="2025-07-20", list_not_bundled="XXIIIF")),
        ("RU.3k(3ak)", "3ak", "2025-10-24", "exception",
         dict(until="2026-04-25", contracts_before="2025-10-24", cn=["6902", "6909 19"])),
        ("RU.3k(5aa)", "5aa", "2025-02-25", "derogation",
         dict(cn=["2920 90", "3917 10", "3920 62"])),
        ("RU.3k(5f)", "5f", "2025-02-25", "derogation", dict(cn=["9026", "9027", "9031"])),
        ("RU.3k(5g)", "5g", "2025-02-25", "derogation", dict(cn=["8517 62", "8523 52"])),
        ("RU.3k(5h)", "5h", "2025-07-20", "derogation", dict(cn=["8422 30"])),
        ("RU.3k(5i)", "5i", "2025-07-20", "derogation", dict(cn=["3402 90"])),
    ):
        out.append(p(pid, kind, in_force(R833, "3k", art_para, day, ()), lists=xxiii, **kw))
    out.append(p("RU.3k(3aj)", "exception", in_force(R833, "3k", "3aj", "2025-10-24", (
        "Annex XXIIIG",)), lists=xxiii, until="2026-01-25", contracts_before="2025-10-24"))
    out[-1]["exception_list"] = "RU.XXIIIG"
    # Points of paragraph 5a added later, each naming its CN codes.
    for point, day, cn in (("d", "2025-02-25", ["7007 19 80"]),
                           ("e", "2025-07-20", ["7615 10", "8414 60", "8422 30"]),
                           ("e", "2025-10-24", ["7615 10", "8414 60", "8422 30", "8423 10"]),
                           ("f", "2025-07-20", ["3916 20"])):
        out.append(p(f"RU.3k(5a)({point})", "derogation",
                     in_force(R833, "3k", "5a", day, (), point=point), lists=xxiii, cn=cn,
                     point=point))
    return out


# --------------------------------------------------------------------------- records


def entry_records(versions: list[Version], acts: dict[str, Act], today: str) -> tuple[
        list[dict[str, Any]], list[dict[str, Any]]]:
    """Temporal entry records (one per list, code and wording) and the list versions."""
    by_list: dict[str, list[Version]] = {}
    for v in versions:
        by_list.setdefault(v.list_id, []).append(v)
    records: list[dict[str, Any]] = []
    list_versions: list[dict[str, Any]] = []
    for list_id, vs in by_list.items():
        vs.sort(key=lambda v: v.valid_from)
        open_recs: dict[tuple[str, ...], dict[str, Any]] = {}
        for i, v in enumerate(vs):
            valid_to = day_before(vs[i + 1].valid_from) if i + 1 < len(vs) else None
            act = acts[v.act]
            src = {**act.source, "pages": v.pages}
            countries = None
            if list_id == "RU.VIII":  # a list of countries, carried on the version itself
                countries = [{"iso2": r.digits, "as_printed": r.text} for r in v.rows]
            list_versions.append({
                "list": list_id, "valid_from": v.valid_from, "valid_to": valid_to,
                **({"countries": countries} if countries is not None else {}),
                "act": v.act, "how": v.how, "complete": v.complete, "title": v.title,
                "last_code_read": v.last_code, "entries": len(v.part_a or v.rows),
                "preamble": v.preamble, "source": src, "last_verified_on": today,
            })
            seen: set[tuple[str, ...]] = set()
            items: list[tuple[tuple[str, ...], dict[str, Any]]] = []
            if v.part_a is not None:
                for code, rec in v.part_a.items():
                    items.append(((code, rec["text"]), {
                        "code": code, "category": rec["category"], "text": rec["text"],
                        **({"note": rec["note"]} if rec.get("note") else {})}))
            else:
                for r in v.rows:
                    items.append(((r.digits, r.printed, str(r.ex), r.text, r.table or ""), {
                        "cn_code": r.printed, "digits": r.digits, "ex": r.ex, "text": r.text,
                        "table": r.table, "table_title": r.table_title,
                        "except": _excepted(r)}))
            if countries is not None:
                continue
            for key, body in items:
                if key in seen:
                    continue  # the same row printed twice in one list (e.g. Belarus XXVIII)
                seen.add(key)
                rec = open_recs.get(key)
                if rec is not None and rec["valid_to"] is None:
                    continue  # unchanged wording: the record spans this version too
                part = list_id.split(".")[2] if list_id.count(".") == 2 else None
                annex = list_id.split(".")[1]
                entry = body.get("code") or body.get("cn_code")
                rec = {"list": list_id, **body, "valid_from": v.valid_from, "valid_to": None,
                       "citation": {"instrument": R833 if list_id.startswith("RU.") else (
                           R765 if list_id.startswith("BY.") else R1529), "annex": annex,
                           **({"part": part} if part else {}), "entry": entry},
                       "act": v.act, "source": act.source, "last_verified_on": today,
                       "provenance": f"{act.meta['short_title']}: {v.how}"}
                open_recs[key] = rec
                records.append(rec)
            for key, rec in open_recs.items():
                if rec["valid_to"] is None and key not in seen:
                    rec["valid_to"] = day_before(v.valid_from)
    return records, list_versions


_EXCEPT = re.compile(r"^[^()]*, except CN code (\d{4} \d{2} \d{2})$")


def _excepted(r: Row) -> list[str] | None:
    """An 'Ex' entry whose only qualification is a CN code it excepts ('New pneumatic tyres, of
    rubber, except CN code 4011 30 00'): the codes excepted, so that the rest is covered whole."""
    m = _EXCEPT.match(r.text) if r.ex else None
    if not m:
        return None
    digits = m[1].replace(" ", "")
    if not digits.startswith(r.digits):
        raise ImportFailure(r.printed, f"excepts {m[1]}, which is not under it")
    return [digits]


def _list_meta() -> list[dict[str, Any]]:
    return [
        {"id": "RU.VII.A", "regime": "RU", "instrument": R833, "annex": "VII", "part": "A",
         "by": "description", "role": "prohibition"},
        {"id": "RU.VII.B", "regime": "RU", "instrument": R833, "annex": "VII", "part": "B",
         "by": "cn", "role": "prohibition"},
        {"id": "RU.XXIII", "regime": "RU", "instrument": R833, "annex": "XXIII", "part": None,
         "by": "cn", "role": "prohibition"},
        {"id": "RU.XXIIIG", "regime": "RU", "instrument": R833, "annex": "XXIIIG", "part": None,
         "by": "cn", "role": "exception"},
        {"id": "RU.XL", "regime": "RU", "instrument": R833, "annex": "XL", "part": None,
         "by": "cn", "role": "third_country"},
        {"id": "RU.VIII", "regime": "RU", "instrument": R833, "annex": "VIII", "part": None,
         "by": "country", "role": "partner_countries"},
        {"id": "BY.XXX", "regime": "BY", "instrument": R765, "annex": "XXX", "part": None,
         "by": "cn", "role": "third_country"},
        {"id": "IR.II", "regime": "IR", "instrument": R1529, "annex": "II", "part": None,
         "by": "cn", "role": "prohibition"},
    ]


# What this data changed, per data release (merged into MANIFEST.json's "changes", next to the
# entries `import_reference.py` writes there; run this script after that one).
SANCTIONS_CHANGES = [
    {"release": "2026.12.08", "changes": [
        "EU sanctions beyond Annex I are loaded as dated, cited data (data/sanctions/): "
        "Regulation (EU) No 833/2014 Annex VII (Parts A and B) as replaced by 2024/1745, "
        "2025/395 and 2025/932 and amended by 2025/1494 and 2025/2033; Annex XXIII as replaced "
        "by 2025/2033 (earlier versions in part); Annexes XXIIIG, XL and VIII; the articles "
        "that carry them (base text of 27 April 2023 and the amendments read); Regulation (EC) "
        "No 765/2006 Annex XXX and Arts 8g, 8ga (2024/1865); Regulation (EU) 2023/1529 Annex II "
        "(consolidated 16 May 2024).",
    ]},
]


def write_manifest(today: str) -> str:
    """MANIFEST.json as `import_reference.py` wrote it, over the same files and the sanctions
    files (other data, such as the screening's or the classifier's, is left to its own
    importer), with its change log extended by SANCTIONS_CHANGES."""
    old = json.loads((DATA / "MANIFEST.json").read_text(encoding="utf-8"))
    files = sorted({DATA / name for name in old.get("files") or {}} | {
        p for p in (DATA / "sanctions").rglob("*") if p.is_file() and p.suffix in {".json",
                                                                                  ".jsonl"}})
    changes = [dict(c, changes=list(c["changes"])) for c in old.get("changes") or ()]
    for entry in SANCTIONS_CHANGES:
        same = next((c for c in changes if c["release"] == entry["release"]), None)
        if same is None:
            changes.append({"release": entry["release"], "changes": list(entry["changes"])})
        else:
            same["changes"] += [c for c in entry["changes"] if c not in same["changes"]]
    manifest: dict[str, Any] = {
        "imported_on": today,
        "reference": "steering reference folder shared/reference (see docs/data_sources.md)",
        "files": {str(p.relative_to(DATA)): hashlib.sha256(p.read_bytes()).hexdigest()
                  for p in files},
    }
    digest = hashlib.sha256(json.dumps(manifest["files"], sort_keys=True).encode()).hexdigest()
    manifest["data_version"] = f"{today.replace('-', '.')}-{digest[:8]}"
    manifest["changes"] = sorted(changes, key=lambda c: c["release"])
    write_json(DATA / "MANIFEST.json", manifest)
    return str(manifest["data_version"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument("--today", default=dt.date.today().isoformat(),
                        help="the import (verification) date recorded on every record")
    args = parser.parse_args()
    today: str = args.today
    acts = load_acts(args.reference)
    versions = list_versions(acts)
    paras = articles(acts)
    hooks = regimes(paras)
    records, list_versions_ = entry_records(versions, acts, today)
    lists = []
    for meta in _list_meta():
        vs = [v for v in list_versions_ if v["list"] == meta["id"]]
        if not vs:
            raise ImportFailure(meta["id"], "no version built")
        lists.append({**meta, "versions": vs})
    write_json(OUT / "acts.json", [
        {"id": a.celex, "celex": a.celex, **{k: v for k, v in a.meta.items() if k not in (
            "folder", "front_matter", "listing_date", "check_text")},
         "source": ({**a.source, "pages_read": [f"chunk_{o:06d}.md" for o in sorted(a.used)]}
                    if a.source else None), "last_verified_on": today}
        for a in acts.values()])
    write_json(OUT / "lists.json", lists)
    write_jsonl(OUT / "entries.jsonl", [r for r in records if "code" not in r])
    write_jsonl(OUT / "annex_vii_part_a.jsonl", [r for r in records if "code" in r])
    write_jsonl(OUT / "articles.jsonl", [
        {"instrument": p.instrument, "article": p.article, "paragraph": p.paragraph,
         "point": p.point, "text": p.text, "valid_from": p.valid_from, "valid_to": p.valid_to,
         "citation": _cite(p.instrument, p.article, p.paragraph, p.point), "act": p.act,
         "how": p.how, "source": {**acts[p.act].source, "pages": p.page},
         "last_verified_on": today, "provenance": p.how}
        for p in paras])
    write_json(OUT / "regimes.json", hooks)
    version = write_manifest(today)
    counts = {m["id"]: [v["entries"] for v in m["versions"]] for m in lists}
    print(f"data version {version}: {len(records)} entry records, {len(paras)} paragraphs; "
          f"entries per list version: {counts}")


if __name__ == "__main__":
    main()
