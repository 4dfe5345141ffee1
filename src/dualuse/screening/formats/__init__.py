"""Read sanctions and restricted-party list files, with the format detected from the content.

`read_lists({file name: bytes})` returns one `ListSnapshot` per list found: an OFAC CSV set
(several files) is one list, every other supported file is one list. Supported: UN SC consolidated
XML, OFAC SDN and consolidated non-SDN legacy CSV sets, US Consolidated Screening List CSV, BIS
Denied Persons List, UK OFSI consolidated CSV, EU Financial Sanctions File XML and CSV,
FollowTheMoney JSON lines, and the user's own CSV (see `user_csv`). Gzip-compressed files are
read as they are. Bytes in, records out: no file system, no network.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Mapping
from pathlib import PurePosixPath

from dualuse.errors import InputError
from dualuse.screening.formats import (
    bis_dpl,
    eu_fsf,
    ftm_jsonl,
    ofac_legacy_csv,
    uk_ofsi,
    un_consolidated,
    us_csl,
    user_csv,
)
from dualuse.screening.formats._common import content_hash, decode, list_error
from dualuse.screening.model import ListRecord, ListSnapshot

_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")
_OFAC_ROW = re.compile(r'^\d+,(\d+,)?("|-0-)')


class UnrecognisedListError(InputError):
    """A file whose content is none of the supported list formats."""


def _unpack(name: str, data: bytes) -> bytes:
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise list_error(name, None, f"broken gzip file: {exc}") from exc
    return data


def _root_tag(data: bytes) -> str:
    for m in _ROOT.finditer(data[:4096]):
        tag = m.group(2).decode("ascii", "replace")
        if not tag.startswith(("xml", "!")):
            return tag
    return ""


def detect(name: str, data: bytes) -> str:
    """The format of one (unpacked) file, from its content."""
    head = data[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        tag = _root_tag(head)
        if tag == "CONSOLIDATED_LIST":
            return un_consolidated.FORMAT
        if tag == "export":
            return eu_fsf.FORMAT_XML
        raise UnrecognisedListError(f"{name}: XML with root <{tag}> is not a supported list")
    if head.startswith(b"{"):
        return ftm_jsonl.FORMAT
    text = decode(head, name)
    first = text.splitlines()[0] if text else ""
    if _OFAC_ROW.match(first):
        return ofac_legacy_csv.FORMAT
    lines = text.splitlines()[:3]
    for line in lines:
        if "\t" in line:
            cells = [c.strip().strip('"') for c in line.split("\t")]
            if bis_dpl.looks_like(cells):
                return bis_dpl.FORMAT
        if ";" in line and eu_fsf.looks_like_csv([c.strip('"') for c in line.split(";")]):
            return eu_fsf.FORMAT_CSV
        cells = [c.strip().strip('"') for c in line.split(",")]
        if uk_ofsi.looks_like(cells):
            return uk_ofsi.FORMAT
        if us_csl.looks_like(cells):
            return us_csl.FORMAT
    if lines and user_csv.looks_like([c.strip().strip('"') for c in lines[0].split(",")]):
        return user_csv.FORMAT
    raise UnrecognisedListError(f"{name}: not a supported list format")


def _parse_one(name: str, data: bytes, fmt: str) -> ListSnapshot:
    published: str | None = None
    records: list[ListRecord]
    if fmt == un_consolidated.FORMAT:
        records, published = un_consolidated.parse(data, name)
        list_name = un_consolidated.LIST_NAME
    elif fmt == eu_fsf.FORMAT_XML:
        records, published = eu_fsf.parse_xml(data, name)
        list_name = eu_fsf.LIST_NAME
    elif fmt == ftm_jsonl.FORMAT:
        records, _ = ftm_jsonl.parse(decode(data, name), name)
        list_name = "ftm:" + PurePosixPath(name).stem.split(".")[0]
    else:
        text = decode(data, name)
        if fmt == bis_dpl.FORMAT:
            records, list_name = bis_dpl.parse(text, name), bis_dpl.LIST_NAME
        elif fmt == eu_fsf.FORMAT_CSV:
            records, list_name = eu_fsf.parse_csv(text, name), eu_fsf.LIST_NAME
        elif fmt == uk_ofsi.FORMAT:
            records, list_name = uk_ofsi.parse(text, name), uk_ofsi.LIST_NAME
        elif fmt == us_csl.FORMAT:
            records, list_name = us_csl.parse(text, name), us_csl.LIST_NAME
        else:
            records = user_csv.parse(text, name)
            list_name = "user:" + PurePosixPath(name).stem.split(".")[0]
    if not records:
        raise list_error(name, None, "the list holds no records")
    return ListSnapshot(list_name, fmt, content_hash({name: data}), tuple(records), published)


def read_lists(
    files: Mapping[str, bytes], *, skip_unrecognised: bool = False
) -> list[ListSnapshot]:
    """Parse list files given as {file name: raw bytes}; one snapshot per list.

    Raises `InputError` naming the file (and line, where there is one) for a malformed file.
    With `skip_unrecognised`, files of no supported format are left out (a folder's README);
    otherwise they are an error."""
    snapshots: list[ListSnapshot] = []
    ofac_sets: dict[str, dict[str, bytes]] = {}
    for name in sorted(files):
        data = _unpack(name, files[name])
        try:
            fmt = detect(name, data)
        except UnrecognisedListError:
            if skip_unrecognised:
                continue
            raise
        if fmt == ofac_legacy_csv.FORMAT:
            base = PurePosixPath(name).name.lower()
            key = "ofac_cons" if base.startswith("cons") else "ofac_sdn"
            ofac_sets.setdefault(key, {})[name] = data
            continue
        snapshots.append(_parse_one(name, data, fmt))
    for key, members in sorted(ofac_sets.items()):
        records = ofac_legacy_csv.parse_set(dict(members))
        if not records:
            raise list_error(", ".join(sorted(members)), None, "the list holds no records")
        snapshots.append(ListSnapshot(key, ofac_legacy_csv.FORMAT, content_hash(members),
                                      tuple(records)))
    if not snapshots:
        raise InputError(f"no supported list among {', '.join(sorted(files)) or 'no files'}",
                         field="list")
    return snapshots


__all__ = ["UnrecognisedListError", "detect", "read_lists"]
