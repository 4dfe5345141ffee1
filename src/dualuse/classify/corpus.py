"""The searchable passages of Annex I: each provision with its ancestors, notes and the
definitions of the "quoted" terms it uses.

The classifier reads the law catalogue through the small structural protocols below, so it
works on `dualuse.law.Catalogue` (`cat.entries()`, `cat.definitions()`) and on any test double
with the same attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from dualuse.classify.text import normalise


class EntryLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def entry(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def group(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def notes(self) -> tuple[str, ...]: ...
    @property
    def not_used(self) -> bool: ...


class DefinitionLike(Protocol):
    @property
    def term(self) -> str: ...
    @property
    def qualifier(self) -> str | None: ...
    @property
    def categories(self) -> tuple[str, ...]: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Defined:
    """An Annex I definition as the classifier uses it."""

    term: str
    qualifier: str | None
    categories: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Provision:
    """One Annex I provision (entry or sub-entry) ready to index."""

    code: str
    entry: str
    category: str
    group: str
    text: str
    notes: tuple[str, ...]
    ancestors: tuple[tuple[str, str], ...]  # (code, text) from the entry down to the parent
    quoted_terms: tuple[str, ...]  # "double-quoted" defined terms used in text or ancestors
    see_also: tuple[str, ...]  # codes named in the provision's N.B. / notes
    references: tuple[str, ...] = ()  # codes named in the provision's own wording

    @property
    def level(self) -> int:
        return self.code.count(".")

    def display_text(self) -> str:
        """The provision read with its ancestors: `6A003 Cameras ... > b. Imaging cameras ...`."""
        parts = [f"{c} {t}" for c, t in self.ancestors]
        parts.append(f"{self.code} {self.text}")
        return " > ".join(parts)


_QUOTED = re.compile(r"[\"“”]([^\"“”]{2,80})[\"“”]")
_CODE = re.compile(r"\b([0-9][A-E][0-9]{3}(?:\.[a-z0-9]+)*)")


def quoted_terms(text: str) -> list[str]:
    """The "double-quoted" terms of a provision, the Annex I marker of a defined term."""
    return [m.group(1).strip() for m in _QUOTED.finditer(text)]


def referenced_codes(text: str) -> list[str]:
    """Annex I codes named in a text ("see also 6A003.b.4."), trailing dots removed."""
    return [m.group(1).rstrip(".") for m in _CODE.finditer(text)]


def build_provisions(entries: Iterable[EntryLike]) -> tuple[Provision, ...]:
    """Provisions in force and not "Not used", each with its ancestor chain."""
    by_code = {e.code: e for e in entries}
    out: list[Provision] = []
    for e in by_code.values():
        if e.not_used:
            continue
        chain: list[tuple[str, str]] = []
        parent = e.parent
        while parent is not None and parent in by_code:
            p = by_code[parent]
            chain.append((p.code, p.text))
            parent = p.parent
        chain.reverse()
        quoted: list[str] = []
        for _, t in [*chain, (e.code, e.text)]:
            for q in quoted_terms(t):
                if q not in quoted:
                    quoted.append(q)
        see: list[str] = []
        for note in e.notes:
            for c in referenced_codes(note):
                if c != e.code and c not in see:
                    see.append(c)
        refs = tuple(dict.fromkeys(c for c in referenced_codes(e.text) if c != e.code))
        out.append(
            Provision(
                references=refs,
                code=e.code,
                entry=e.entry,
                category=e.category,
                group=e.group,
                text=e.text,
                notes=tuple(e.notes),
                ancestors=tuple(chain),
                quoted_terms=tuple(quoted),
                see_also=tuple(see),
            )
        )
    out.sort(key=lambda p: _code_key(p.code))
    return tuple(out)


def build_definitions(definitions: Iterable[DefinitionLike]) -> tuple[Defined, ...]:
    return tuple(
        Defined(d.term, d.qualifier, tuple(d.categories), d.text) for d in definitions
    )


def definition_key(term: str) -> str:
    """Match key of a defined term: quotes, case and a plural 's' removed."""
    key = " ".join(normalise(term).split())
    return key[:-1] if key.endswith("s") and not key.endswith("ss") else key


def definition_index(definitions: Sequence[Defined]) -> dict[str, list[Defined]]:
    index: dict[str, list[Defined]] = {}
    for d in definitions:
        index.setdefault(definition_key(d.term), []).append(d)
    return index


def definitions_for(
    provision: Provision,
    definitions: Sequence[Defined],
    index: dict[str, list[Defined]] | None = None,
) -> tuple[Defined, ...]:
    """The definitions of the terms quoted in the provision and its ancestors, preferring the
    one whose category list includes the provision's category."""
    if index is None:
        index = definition_index(definitions)
    out: list[Defined] = []
    for term in provision.quoted_terms:
        candidates = index.get(definition_key(term), [])
        if not candidates:
            continue
        best = next(
            (d for d in candidates if provision.category in d.categories or "All" in d.categories),
            candidates[0],
        )
        if best not in out:
            out.append(best)
    return tuple(out)


def _code_key(code: str) -> tuple[object, ...]:
    parts: list[object] = []
    for p in code.split("."):
        parts.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return tuple(parts)
