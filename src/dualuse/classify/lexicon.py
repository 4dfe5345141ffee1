"""Reviewed vocabulary data: commercial-term synonyms and the Dutch→English term table.

Both tables live in `dualuse/data/classify/` as YAML with a source for each group; this module
parses them (text in, typed tables out) and applies them to a query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from dualuse.classify.text import terms, words
from dualuse.errors import DataIntegrityError


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    """Commercial phrases that mean the Annex I terms `annex` (with the source that says so)."""

    commercial: tuple[str, ...]
    annex: tuple[str, ...]
    source: str
    patterns: tuple[tuple[str, ...], ...]  # commercial phrases as stem sequences
    expansion: tuple[str, ...]  # annex terms as stems (bigrams added by the index)


@dataclass(frozen=True, slots=True)
class Expansion:
    phrase: str  # the commercial phrase found in the query
    terms: tuple[str, ...]  # Annex I wording it stands for
    stems: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class SynonymTable:
    version: str
    groups: tuple[SynonymGroup, ...]
    _by_first: dict[str, list[tuple[int, int]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # Phrase lookup by first stem, so expansion costs O(query length), not O(table size).
        for gi, g in enumerate(self.groups):
            for pi, pattern in enumerate(g.patterns):
                self._by_first.setdefault(pattern[0], []).append((gi, pi))

    def expand(self, query_stems: Sequence[str]) -> list[Expansion]:
        """Every group whose commercial phrase occurs (as stems, in order) in the query."""
        hits: dict[int, int] = {}
        q = tuple(query_stems)
        for i, first in enumerate(q):
            for gi, pi in self._by_first.get(first, ()):
                pattern = self.groups[gi].patterns[pi]
                if gi not in hits and q[i : i + len(pattern)] == pattern:
                    hits[gi] = pi
        return [
            Expansion(g.commercial[pi], g.annex, g.expansion, g.source)
            for gi, pi in sorted(hits.items())
            for g in (self.groups[gi],)
        ]


def parse_synonyms(text: str, *, origin: str = "synonyms.yaml") -> SynonymTable:
    data = _load(text, origin)
    groups: list[SynonymGroup] = []
    raw_groups = data.get("groups")
    if not isinstance(raw_groups, list) or not raw_groups:
        raise DataIntegrityError(f"{origin}: 'groups' must be a non-empty list")
    for i, g in enumerate(raw_groups):
        where = f"{origin}: groups[{i}]"
        commercial = _str_list(g, "commercial", where)
        annex = _str_list(g, "annex", where)
        source = g.get("source")
        if not isinstance(source, str) or not source.strip():
            raise DataIntegrityError(f"{where}: 'source' is required (who says these are synonyms)")
        patterns = tuple(tuple(terms(c)) for c in commercial)
        if any(not p for p in patterns):
            raise DataIntegrityError(f"{where}: a commercial phrase has no content words")
        expansion = tuple(dict.fromkeys(s for a in annex for s in terms(a)))
        groups.append(SynonymGroup(tuple(commercial), tuple(annex), source, patterns, expansion))
    return SynonymTable(str(data.get("version", "")), tuple(groups))


@dataclass(frozen=True, slots=True)
class DutchTable:
    """Dutch words and phrases with their English (Annex I) wording; Dutch function words."""

    version: str
    phrases: Mapping[tuple[str, ...], str]
    function_words: frozenset[str]
    max_len: int

    def translate(self, text: str, english_vocabulary: frozenset[str]) -> tuple[str, list[str]]:
        """English rendering of `text` and the Dutch terms translated.

        A word is translated when the table knows it and it is not itself a word of the
        English Annex I text (so "camera" or "laser" pass unchanged); an unknown Dutch compound
        ("warmtebeeldcamera") is split into known parts.
        """
        toks = words(text)
        out: list[str] = []
        used: list[str] = []
        i = 0
        while i < len(toks):
            for k in range(min(self.max_len, len(toks) - i), 0, -1):
                key = tuple(toks[i : i + k])
                if key in self.phrases and (k > 1 or key[0] not in english_vocabulary):
                    out.append(self.phrases[key])
                    if self.phrases[key] != " ".join(key):  # "drones" -> "drones" is English
                        used.append(" ".join(key))
                    i += k
                    break
            else:
                tok = toks[i]
                if tok in self.function_words and tok not in english_vocabulary:
                    i += 1
                    continue
                known = None if tok in english_vocabulary else self._singular(tok)
                parts = None if tok in english_vocabulary or known else self._split(tok)
                if known:
                    out.append(self.phrases[(known,)])
                    if self.phrases[(known,)] != tok:
                        used.append(tok)
                elif parts:
                    out.extend(self.phrases[(p,)] for p in parts)
                    used.append(tok)
                else:
                    out.append(tok)
                i += 1
        return " ".join(out), used

    def _singular(self, word: str) -> str | None:
        """A Dutch plural or inflected form of a listed word ("filterbussen" -> "filterbus",
        "geavanceerde" -> "geavanceerd"), or None."""
        if len(word) < 4:
            return None
        candidates = [word[:-2], word[:-1], word[:-3]] if word.endswith("en") else []
        if word.endswith(("s", "e")):
            candidates.append(word[:-1])
        for c in candidates:
            if len(c) >= 3 and (c,) in self.phrases:
                return c
            # doubled consonant before -en: "bussen" -> "bus"
            if len(c) >= 4 and c[-1] == c[-2] and (c[:-1],) in self.phrases:
                return c[:-1]
        return None

    def _known(self, word: str) -> str | None:
        if (word,) in self.phrases:
            return word
        return self._singular(word)

    def _split(self, word: str) -> list[str] | None:
        """Split a Dutch compound into known words (linking -s-/-e- allowed), longest first."""
        if len(word) < 7:
            return None
        for cut in range(len(word) - 3, 3, -1):
            head, tail = word[:cut], word[cut:]
            for h in (head, head[:-1] if head.endswith(("s", "e")) else None):
                if h and (h,) in self.phrases:
                    tail_known = self._known(tail)
                    if tail_known:
                        return [h, tail_known]
                    rest = self._split(tail)
                    if rest:
                        return [h, *rest]
        return None


def parse_dutch(text: str, *, origin: str = "dutch.yaml") -> DutchTable:
    data = _load(text, origin)
    raw = data.get("terms")
    if not isinstance(raw, dict) or not raw:
        raise DataIntegrityError(f"{origin}: 'terms' must be a non-empty mapping nl -> en")
    phrases: dict[tuple[str, ...], str] = {}
    for nl, en in raw.items():
        if not isinstance(nl, str) or not isinstance(en, str):
            raise DataIntegrityError(f"{origin}: term {nl!r}: Dutch and English must be text")
        key = tuple(words(nl))
        if not key:
            raise DataIntegrityError(f"{origin}: term {nl!r} has no words")
        phrases[key] = en
    fw = data.get("function_words", [])
    if not isinstance(fw, list):
        raise DataIntegrityError(f"{origin}: 'function_words' must be a list")
    return DutchTable(
        str(data.get("version", "")),
        phrases,
        frozenset(str(w) for w in fw),
        max(len(k) for k in phrases),
    )


def _load(text: str, origin: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataIntegrityError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise DataIntegrityError(f"{origin}: expected a mapping at the top level")
    return data


def _str_list(group: Any, key: str, where: str) -> list[str]:
    if not isinstance(group, dict):
        raise DataIntegrityError(f"{where}: expected a mapping")
    value = group.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise DataIntegrityError(f"{where}: '{key}' must be a non-empty list of text")
    return list(value)
