"""Screening at the edge: read list files and folders, query and pair CSVs, write results.

Everything here reads whole inputs and validates them before any output is written, so bad
input changes nothing; the output is written to a temporary file and renamed into place."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from dualuse.errors import InputError
from dualuse.screening import (
    ALGORITHM,
    ListSnapshot,
    Query,
    ScreeningIndex,
    canonical_schema,
    read_lists,
    score_names,
)
from dualuse.screening.evidence import normalise_date
from dualuse.screening.text import fold

Progress = Callable[[int], None]


def read_list_paths(paths: Iterable[Path]) -> list[ListSnapshot]:
    """Parse list files or folders (every supported file inside a folder; others skipped)."""
    snapshots: list[ListSnapshot] = []
    for path in paths:
        if path.is_dir():
            files = {str(p.relative_to(path)): p.read_bytes()
                     for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith(".")}
            snapshots += read_lists(files, skip_unrecognised=True)
        elif path.is_file():
            snapshots += read_lists({path.name: path.read_bytes()})
        else:
            raise InputError(f"{path}: no such file or folder", field="list")
    return snapshots


def _csv_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", field="input") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})", field="input") from None


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(_csv_text(path), newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError(f"{path}, line 1: empty file", field="input") from None
    except csv.Error as exc:
        raise InputError(f"{path}, line 1: malformed CSV: {exc}", field="input") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{path}, line 1: missing column(s) {', '.join(missing)}",
                         field="input")
    try:
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise InputError(f"{path}, line {reader.line_num}: expected {len(header)} "
                                 f"columns, found {len(row)}", field="input")
            yield reader.line_num, dict(zip(header, row, strict=True))
    except csv.Error as exc:
        raise InputError(f"{path}, line {reader.line_num}: malformed CSV: {exc}",
                         field="input") from None


def read_queries(path: Path) -> list[Query]:
    """QUERIES.csv: `id,name` and optional `schema`, `birth_date`, `country`, `identifiers`."""
    queries: list[Query] = []
    for line, row in _rows(path, ("id", "name")):
        where = f"{path}, line {line}"
        name = row["name"].strip()
        if not name:
            raise InputError(f"{where}: name is empty", field="name")
        if not fold(name):
            raise InputError(f"{where}: name {name!r} has no letters or digits", field="name")
        raw_schema = row.get("schema", "").strip()
        schema = canonical_schema(raw_schema) if raw_schema else None
        if raw_schema and schema is None:
            raise InputError(f"{where}: schema {raw_schema!r} is not Person, Organization, "
                             "Vessel, Aircraft or LegalEntity", field="schema")
        birth = row.get("birth_date", "").strip() or None
        if birth and normalise_date(birth) is None:
            raise InputError(f"{where}: birth_date {birth!r} is not a date", field="birth_date")
        idents = tuple(x.strip() for x in row.get("identifiers", "").split(";") if x.strip())
        queries.append(Query(name=name, schema=schema, birth_date=birth,
                             country=row.get("country", "").strip() or None,
                             identifiers=idents, id=row["id"].strip()))
    return queries


def read_pairs(path: Path) -> list[dict[str, str]]:
    rows = []
    for line, row in _rows(path, ("left", "right")):
        raw_schema = row.get("schema", "").strip()
        if raw_schema and canonical_schema(raw_schema) is None:
            raise InputError(f"{path}, line {line}: schema {raw_schema!r} is unknown",
                             field="schema")
        rows.append(row)
    return rows


@contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """Write to a temporary file next to `path`, renamed into place only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def screen_to_jsonl(index: ScreeningIndex, queries: list[Query], output: Path,
                    threshold: float | None = None, progress: Progress | None = None) -> int:
    """One JSON line per query: {"id", "matches": [...]} best first. Returns the alert count."""
    alerts = 0
    with atomic_output(output) as fh:
        for k, query in enumerate(queries, 1):
            matches = index.screen(query, threshold=threshold)
            alerts += sum(m.alert for m in matches)
            fh.write(json.dumps({"id": query.id, "matches": [m.as_json() for m in matches]},
                                ensure_ascii=False) + "\n")
            if progress and k % 50 == 0:
                progress(50)
        if progress:
            progress(len(queries) % 50)
    return alerts


def score_pairs_csv(rows: list[dict[str, str]], output: Path,
                    progress: Progress | None = None, algorithm: str = ALGORITHM) -> None:
    """The pair rows as read, with a `score` column added."""
    if not rows:
        with atomic_output(output) as fh:
            fh.write("left,right,score\n")
        return
    columns = [c for c in rows[0] if c != "score"] + ["score"]
    with atomic_output(output) as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for k, row in enumerate(rows, 1):
            schema = canonical_schema(row.get("schema", "")) if row.get("schema") else None
            score = score_names(row["left"], row["right"], schema, algorithm)
            writer.writerow({**row, "score": f"{score:.4f}"})
            if progress and k % 100 == 0:
                progress(100)
        if progress:
            progress(len(rows) % 100)
