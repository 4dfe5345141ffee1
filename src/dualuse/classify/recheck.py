"""Catalogue re-check: what a new Annex I version changes for the exporter's classified products.

For every product classified under a code, compare the code's provision and its sub-tree in
the old and the new Annex I: unchanged, amended (wording of the code, an ancestor or a
sub-entry changed), renumbered (the old wording now sits under another code), removed (gone or
"Not used"), or extended (sub-entries added under it). Renumbering is found by matching the
old wording against the new list, so a moved provision is not reported as removed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz, process

from dualuse.classify.corpus import EntryLike
from dualuse.errors import InputError

RENUMBER_MIN_SIMILARITY = 95.0  # edit similarity (0-100) of old and new wording, same category


class VersionedCatalogue(Protocol):
    def entries(self) -> Sequence[EntryLike]: ...


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    name: str
    code: str


@dataclass(frozen=True, slots=True)
class Change:
    """One difference inside the product's code (or its ancestors/sub-entries)."""

    code: str
    kind: str  # amended | added | removed
    old_text: str | None
    new_text: str | None


@dataclass(frozen=True, slots=True)
class ProductRecheck:
    product: Product
    status: str  # unchanged | amended | renumbered | removed | extended | unknown_code
    new_code: str | None
    changes: tuple[Change, ...]
    summary: str
    notes_changed: bool = False  # notes in the entry family differ (see summary)


@dataclass(frozen=True, slots=True)
class RecheckReport:
    old_version: str
    new_version: str
    products: tuple[ProductRecheck, ...]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.products:
            out[p.status] = out.get(p.status, 0) + 1
        return out


def recheck(
    products: Iterable[Product],
    old: VersionedCatalogue,
    new: VersionedCatalogue,
    *,
    old_version: str,
    new_version: str,
    progress: Callable[[int], None] | None = None,
) -> RecheckReport:
    """Re-check every product; `progress(n)` is called after each one (for a progress bar)."""
    old_by = _Codes({e.code: e for e in old.entries()})
    new_by = _Codes({e.code: e for e in new.entries()})
    new_listed = [c for c, e in new_by.items() if not e.not_used]
    new_texts = [_norm(new_by[c].text) for c in new_listed]
    results: list[ProductRecheck] = []
    for n, p in enumerate(products, start=1):
        results.append(_one(p, old_by, new_by, new_listed, new_texts))
        if progress is not None:
            progress(n)
    return RecheckReport(old_version, new_version, tuple(results))


class _Codes(dict[str, EntryLike]):
    """Codes of one Annex I version, with each five-character entry's codes for sub-trees."""

    def __init__(self, by_code: dict[str, EntryLike]) -> None:
        super().__init__(by_code)
        self.by_entry: dict[str, list[str]] = {}
        for c in by_code:
            self.by_entry.setdefault(c.split(".")[0], []).append(c)


def _subtree(code: str, by: dict[str, EntryLike]) -> dict[str, str]:
    prefix = code + "."
    family = by.by_entry.get(code.split(".")[0], []) if isinstance(by, _Codes) else list(by)
    return {c: _body(by[c]) for c in family if c == code or c.startswith(prefix)}


def _body(e: EntryLike) -> str:
    return e.text


_NOTE_FRAME = frozenset({"note", "notes", "technical", "nb", "purposes", "the", "of", "for", "a",
                         "an", "and", "or", "in", "to", "is", "this", "see", "also"})
MIN_NOTE_WORDS_CHANGED = 3  # fewer differing words is numbering/heading noise between sources


def _notes_words(code: str, by: dict[str, EntryLike]) -> Counter[str]:
    """The content words of all notes of the code's ancestors and sub-tree, as a bag: the
    sources attach, split, number and head notes differently, so only the wording counts."""
    codes = [*_ancestors(code, by), *_subtree(code, by)]
    return Counter(
        w for c in codes for n in by[c].notes for w in _norm(n).split()
        if len(w) > 2 and w not in _NOTE_FRAME
    )


def _notes_changed(code: str, old: dict[str, EntryLike], new: dict[str, EntryLike]) -> bool:
    a, b = _notes_words(code, old), _notes_words(code, new)
    return sum(((a - b) + (b - a)).values()) >= MIN_NOTE_WORDS_CHANGED


def _ancestors(code: str, by: dict[str, EntryLike]) -> dict[str, str]:
    out: dict[str, str] = {}
    e = by.get(code)
    parent = e.parent if e is not None else None
    while parent is not None and parent in by:
        out[parent] = _body(by[parent])
        parent = by[parent].parent
    return out


_DIGIT_GROUP = re.compile(r"(?<=\d)[ \u00a0\u2009\u202f](?=\d{3}(?!\d))")


def _norm(text: str) -> str:
    """Wording without typography: case, spacing, punctuation and digit grouping ("1 150" and
    "1150") do not make an amendment."""
    text = _DIGIT_GROUP.sub("", text.lower())
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def _one(
    p: Product,
    old_by: dict[str, EntryLike],
    new_by: dict[str, EntryLike],
    new_listed: list[str],
    new_texts: list[str],
) -> ProductRecheck:
    old_e = old_by.get(p.code)
    if old_e is None or old_e.not_used:
        return ProductRecheck(
            p, "unknown_code", None, (),
            f"{p.code} is not a listed code in the old Annex I version: check the classification",
        )
    new_e = new_by.get(p.code)
    if new_e is None or new_e.not_used or _norm(new_e.text) != _norm(old_e.text):
        # The wording left this code: was it moved?
        same_category = [i for i, c in enumerate(new_listed) if c[0] == p.code[0]]
        match = process.extractOne(
            _norm(old_e.text), [new_texts[i] for i in same_category], scorer=fuzz.ratio,
            score_cutoff=RENUMBER_MIN_SIMILARITY,
        )
        if match is not None:
            match = (match[0], match[1], same_category[match[2]])
        if match is not None:
            target = new_listed[match[2]]
            if target != p.code and (new_e is None or new_e.not_used or
                                     _norm(new_e.text) != _norm(old_e.text)):
                changes = _diff(_subtree(p.code, old_by), _subtree(target, new_by),
                                rename=(p.code, target))
                return ProductRecheck(
                    p, "renumbered", target, changes,
                    f"{p.code} is now {target} (same wording)"
                    + (f"; {len(changes)} wording change(s) in its sub-entries" if changes else ""),
                )
        if new_e is None or new_e.not_used:
            return ProductRecheck(
                p, "removed", None,
                (Change(p.code, "removed", old_e.text, new_e.text if new_e else None),),
                f"{p.code} is no longer a listed provision: the product may be decontrolled "
                "or covered elsewhere; classify it again",
            )
    changes = _diff(
        {**_ancestors(p.code, old_by), **_subtree(p.code, old_by)},
        {**_ancestors(p.code, new_by), **_subtree(p.code, new_by)},
        rename=None,
    )
    notes = _notes_changed(p.code, old_by, new_by)
    notes_remark = (
        "; the notes of the entry family differ (the data of older versions holds fewer "
        "notes, so re-read the notes printed under the entry)" if notes else ""
    )
    if not changes:
        return ProductRecheck(
            p, "unchanged", p.code, (), f"{p.code}: wording unchanged{notes_remark}", notes
        )
    kinds = {c.kind for c in changes}
    if kinds == {"added"}:
        return ProductRecheck(
            p, "extended", p.code, changes,
            f"{p.code}: {len(changes)} sub-entr{'y' if len(changes) == 1 else 'ies'} added; "
            f"check whether the product now falls under a new one{notes_remark}",
            notes,
        )
    return ProductRecheck(
        p, "amended", p.code, changes,
        f"{p.code}: wording changed in {len(changes)} provision(s) of the entry, its ancestors "
        f"or sub-entries; re-read them against the product{notes_remark}",
        notes,
    )


def _diff(
    old: dict[str, str], new: dict[str, str], rename: tuple[str, str] | None
) -> tuple[Change, ...]:
    def mapped(code: str) -> str:
        if rename and (code == rename[0] or code.startswith(rename[0] + ".")):
            return rename[1] + code[len(rename[0]):]
        return code

    old_m = {mapped(c): t for c, t in old.items()}
    out: list[Change] = []
    for code in sorted(set(old_m) | set(new)):
        a, b = old_m.get(code), new.get(code)
        if a is None and b is not None:
            out.append(Change(code, "added", None, b))
        elif b is None and a is not None:
            out.append(Change(code, "removed", a, None))
        elif a is not None and b is not None and _norm(a) != _norm(b):
            out.append(Change(code, "amended", a, b))
    return tuple(out)


def parse_products(rows: Iterable[dict[str, str]], origin: str) -> tuple[Product, ...]:
    """Products from table rows with `code` and `product` (or `id`/`name`) columns."""
    out: list[Product] = []
    for n, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip().rstrip(".")
        name = (row.get("product") or row.get("name") or "").strip()
        pid = (row.get("id") or name or code).strip()
        if not code:
            raise InputError(f"{origin}: line {n}: column 'code' is empty")
        if not name and not row.get("id"):
            raise InputError(f"{origin}: line {n}: column 'product' is empty")
        out.append(Product(pid, name or pid, code))
    if not out:
        raise InputError(f"{origin}: no products (expected columns: product, code)")
    return tuple(out)
