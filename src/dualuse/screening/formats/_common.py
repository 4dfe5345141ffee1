"""Shared helpers for the list parsers: decoding, CSV reading with line numbers, errors."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Mapping

from dualuse.errors import InputError


def list_error(file: str, line: int | None, message: str) -> InputError:
    where = f"{file}, line {line}" if line else file
    return InputError(f"{where}: {message}", field="list")


def decode(data: bytes, file: str, encodings: tuple[str, ...] = ("utf-8-sig", "cp1252")) -> str:
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def csv_rows(text: str, file: str, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each row; a malformed row raises naming file and line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise list_error(file, reader.line_num, f"malformed CSV: {exc}") from exc


def content_hash(files: Mapping[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode("utf-8") + b"\0")
        h.update(hashlib.sha256(files[name]).digest())
    return h.hexdigest()


def split_multi(value: str, sep: str = ";") -> list[str]:
    return [v.strip() for v in value.split(sep) if v.strip()]


def dedupe(values: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for v in values:
        v = " ".join(v.split())
        if v and v not in seen:
            seen[v] = None
    return tuple(seen)
