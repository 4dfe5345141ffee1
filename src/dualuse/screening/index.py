"""The screening index: every name of every loaded list, with a blocking index so that a query
only ever scores the few list names that share a word, a spelling variant or a consonant outline
with it, never the whole list.

Blocking keys per token: the token and its one-letter deletions (any single typo of a query word
meets the list word on a shared deletion), its consonant skeleton (transliteration variants and
other scripts), a looser skeleton (East Asian transliterations), and the whole name run together
(a query written without spaces). A list name becomes a candidate when the query words it shares
carry enough of the query's weight; only the best candidates are scored in full.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from dualuse.errors import InputError, ScreeningUnavailableError
from dualuse.screening.model import ListRecord, ListSnapshot, Match, Query, canonical_schema
from dualuse.screening.names import compare_names
from dualuse.screening.phonetic import consonant_key
from dualuse.screening.scoring import ALGORITHM, DEFAULT_THRESHOLD, check_algorithm, qualify
from dualuse.screening.text import (
    ABJAD,
    ALPHABET,
    EAST_ASIAN,
    GENERIC,
    INITIAL,
    PARTICLE,
    PreparedName,
    alternatives,
    loose_skeleton,
    prepare_name,
    skeleton,
)

MIN_COVER = 0.4  # share of the query's weight a candidate must meet in the blocking keys
VARIANT_COVER = 0.8  # a word met only through a variant key counts this much of its weight
RELATIVE_COVER = 0.7  # ... and at least this share of the best candidate's
MAX_CANDIDATES = 16  # list names scored in full per query
REPORT_FLOOR = 0.5  # matches scoring below this are not reported at all
MAX_MATCHES = 10

_MAX_BLOCK_TOKENS = 8  # one bit each in the per-name mask
# For k query tokens, row m says which tokens mask m holds: mask weights in one product.
_MASK_BITS = [
    ((np.arange(1 << k)[:, None] >> np.arange(k)) & 1).astype(np.float32)
    for k in range(_MAX_BLOCK_TOKENS + 1)
]
_SKEL, _LOOSE, _COMPACT, _SOUND = "\x01", "\x02", "\x03", "\x04"


def _sound_keys(name: PreparedName, idx: Iterable[int], joined: bool = False) -> set[str]:
    """dualuse-match-2: each word's coarse sound key (Volkov and Wolkow, Arabic and Latin
    spellings meet on it) and, with `joined`, the keys of two or three adjacent words run
    together (عبد الله / Abdallah, Nur al-Din / Noureddine)."""
    out: set[str] = set()
    if not name.classes:
        return out
    for i in idx:
        if name.families[i] == EAST_ASIAN:
            continue  # syllables romanised by rule: their outline meets too many names
        k = consonant_key(name.classes[i])
        if len(k) >= 3:
            out.add(_SOUND + k)
    if joined:
        n = len(name.classes)
        for size in (2, 3):
            for start in range(n - size + 1):
                k = consonant_key("".join(name.classes[start : start + size]))
                if len(k) >= 4:
                    out.add(_SOUND + k)
    return out


def _deletions(token: str) -> list[str]:
    if len(token) < 4:
        return [token]
    return [token, *{token[:i] + token[i + 1 :] for i in range(len(token))}]


def _token_keys(name: PreparedName, i: int) -> tuple[str, ...]:
    return _keys_for(name.tokens[i])


def _query_keys(name: PreparedName, i: int) -> tuple[str, ...]:
    """The keys a query token looks up: for a word in the Latin alphabet (or one transliterated
    letter by letter) its deletions and only a long outline (a short one meets thousands of
    names and can only give a weak spelling variant); for abjad and East Asian words all."""
    if name.families[i] != ALPHABET:
        return _keys_for(name.tokens[i])
    return _alphabet_keys(name.tokens[i])


@lru_cache(maxsize=200_000)
def _alphabet_keys(tok: str) -> tuple[str, ...]:
    keys = _deletions(tok)
    skel = skeleton(tok)
    if len(skel) >= 4:
        keys.append(_SKEL + skel)
    return tuple(keys)


@lru_cache(maxsize=200_000)
def _keys_for(tok: str) -> tuple[str, ...]:
    keys = _deletions(tok)
    skel = skeleton(tok)
    if len(skel) >= 2:
        keys.append(_SKEL + skel)
        loose = loose_skeleton(tok)
        if len(loose) >= 2:
            keys.append(_LOOSE + loose)
    return tuple(keys)


def _keyed(name: PreparedName) -> list[int]:
    """Tokens that carry blocking keys: real words and numbers, else whatever there is."""
    idx = [i for i, k in enumerate(name.kinds) if k not in (PARTICLE, GENERIC, INITIAL)]
    if idx:
        return idx
    return [i for i, k in enumerate(name.kinds) if k != INITIAL] or list(range(len(name.kinds)))


@dataclass(frozen=True, slots=True)
class ListInfo:
    """What the index says about each list it holds (for reports and explanations)."""

    list_name: str
    format: str
    content_sha256: str
    record_count: int
    published: str | None


class ScreeningIndex:
    """All names of the given list snapshots, ready to screen queries against."""

    def __init__(self, snapshots: Sequence[ListSnapshot], *, threshold: float = DEFAULT_THRESHOLD,
                 algorithm: str = ALGORITHM):
        self._v2 = check_algorithm(algorithm)
        if not snapshots:
            raise ScreeningUnavailableError("no list loaded: screening cannot run", field="list")
        if not 0.0 <= threshold <= 1.0:
            raise InputError(f"threshold {threshold} is not between 0 and 1", field="threshold")
        self.threshold = threshold
        self.algorithm = algorithm
        self.lists = tuple(
            ListInfo(s.list_name, s.format, s.content_sha256, s.record_count, s.published)
            for s in snapshots
        )
        self._records: list[tuple[str, ListRecord]] = []
        self._names: list[PreparedName] = []
        self._owner: list[int] = []
        postings: dict[str, list[int]] = {}
        for snap in snapshots:
            for record in snap.records:
                rec_no = len(self._records)
                self._records.append((snap.list_name, record))
                for raw in dict.fromkeys(a for n in record.names for a in alternatives(n)):
                    prepared = prepare_name(raw, record.schema, v2=self._v2)
                    if not prepared.tokens:
                        continue
                    name_no = len(self._names)
                    self._names.append(prepared)
                    self._owner.append(rec_no)
                    keys = {k for i in _keyed(prepared) for k in _token_keys(prepared, i)}
                    # Generic words ("international") are not searched for, but a misspelt one
                    # in a query is an unknown word that is: it meets them on a deletion.
                    keys.update(k for i, kind in enumerate(prepared.kinds) if kind == GENERIC
                                for k in _deletions(prepared.tokens[i]))
                    keys.add(_COMPACT + prepared.compact)
                    if self._v2:
                        keys.update(_sound_keys(prepared, _keyed(prepared), joined=True))
                    for key in keys:
                        bucket = postings.get(key)
                        if bucket is None:
                            postings[key] = [name_no]
                        else:
                            bucket.append(name_no)
        if not self._names:
            raise ScreeningUnavailableError("the loaded lists hold no names", field="list")
        self._postings: dict[str, npt.NDArray[np.int32]] = {
            k: np.asarray(v, dtype=np.int32) for k, v in postings.items()
        }
        # Scratch space for blocking, one per thread: a service screens from several threads.
        self._scratch = threading.local()
        self._length = np.asarray([len(n.tokens) for n in self._names], dtype=np.float32)
        self._token_sets = [frozenset(n.tokens) for n in self._names]

    @property
    def name_count(self) -> int:
        return len(self._names)

    @property
    def record_count(self) -> int:
        return len(self._records)

    def _candidates(self, q: PreparedName, min_cover: float = MIN_COVER,
                    relative: float = RELATIVE_COVER, limit: int = MAX_CANDIDATES) -> list[int]:
        """List names sharing blocking keys with the query: those meeting at least `min_cover`
        of its weight and `relative` of the best one's, the `limit` best."""
        keyed = _keyed(q)[:_MAX_BLOCK_TOKENS]
        weights = [q.weights[i] for i in keyed]
        total = sum(weights)
        postings = self._postings
        bits = getattr(self._scratch, "bits", None)
        if bits is None:
            bits = self._scratch.bits = np.zeros(len(self._names), dtype=np.uint16)
        arrays: list[npt.NDArray[np.int32]] = []
        for bit, i in enumerate(keyed):
            # Each query token sets its own bit on every list name it meets: the low byte when
            # it meets the word itself, the high byte when only a variant (typo, skeleton).
            # Setting a bit twice is harmless, so no de-duplication is needed.
            exact_flag, variant_flag = np.uint16(1 << bit), np.uint16(1 << (bit + 8))
            for n, key in enumerate(_query_keys(q, i)):
                found = postings.get(key)
                if found is not None:
                    bits[found] |= exact_flag if n == 0 else variant_flag
                    arrays.append(found)
        if self._v2:
            for bit, i in enumerate(keyed):
                for key in _sound_keys(q, (i,)):
                    found = postings.get(key)
                    if found is not None:
                        bits[found] |= np.uint16(1 << (bit + 8))
                        arrays.append(found)
            if any(f == ABJAD for f in q.families):
                # Arabic words written apart that the list writes as one (and the reverse):
                # a joined run meets the words it covers.
                n = len(q.tokens)
                for size in (2, 3):
                    for start in range(n - size + 1):
                        k = consonant_key("".join(q.classes[start : start + size]))
                        found = postings.get(_SOUND + k) if len(k) >= 4 else None
                        if found is None:
                            continue
                        mask = 0
                        for bit, i in enumerate(keyed):
                            if start <= i < start + size:
                                mask |= 1 << (bit + 8)
                        if mask:
                            bits[found] |= np.uint16(mask)
                            arrays.append(found)
        whole = postings.get(_COMPACT + q.compact)
        if whole is not None:
            bits[whole] |= np.uint16((1 << len(keyed)) - 1)
            arrays.append(whole)
        if not arrays:
            return []
        touched = arrays[0] if len(arrays) == 1 else np.concatenate(arrays)
        exact_w = _MASK_BITS[len(keyed)] @ np.asarray(weights, dtype=np.float32)
        variant_w = exact_w * VARIANT_COVER

        def cover(ids: npt.NDArray[np.int32]) -> npt.NDArray[np.float32]:
            b = bits[ids]
            exact = b & 0xFF
            result: npt.NDArray[np.float32] = exact_w[exact] + variant_w[(b >> 8) & ~exact]
            return result

        got = cover(touched)
        # A list name must meet a good share of the query, and not far less of it than the best
        # candidate does: the rest cannot outscore it.
        keep = got >= max(min_cover * total, relative * float(got.max()))
        ids = np.unique(touched[keep]) if keep.any() else touched[:0]
        if len(ids) > limit:
            # Most of the query met (the words themselves before their variants) first; among
            # equals, list names sharing more of all the query's words (particles and generic
            # words too), then those about as long as the query.
            rank = cover(ids) / total - 0.01 * np.abs(self._length[ids] - len(q.tokens))
            best = np.argsort(-rank, kind="stable")[: 4 * limit]
            ids, rank = ids[best], rank[best]
            words = frozenset(q.tokens)
            sets = self._token_sets
            shared = np.fromiter((len(words & sets[n]) for n in ids.tolist()), np.float32,
                                 len(ids))
            rank = rank + 0.05 * shared / len(words)
            ids = ids[np.argpartition(-rank, limit)[:limit]]
        bits[touched] = 0
        return [int(x) for x in ids]

    def screen(self, query: Query | str, *, threshold: float | None = None,
               limit: int = MAX_MATCHES) -> list[Match]:
        """The list records a query resembles, best first; `alert` marks those at or above the
        threshold. Raises `InputError` for an empty name."""
        if isinstance(query, str):
            query = Query(name=query)
        threshold = self.threshold if threshold is None else threshold
        schema = canonical_schema(query.schema) if query.schema else None
        if query.schema and schema is None:
            raise InputError(f"unknown schema {query.schema!r}", field="schema")
        q = prepare_name(query.name, schema, v2=self._v2)
        if not q.tokens:
            raise InputError("the name has no letters or digits to screen", field="name")
        best: dict[int, tuple[float, int, dict[str, object]]] = {}
        for name_no in self._candidates(q):
            c = self._names[name_no]
            rec_no = self._owner[name_no]
            comparison = compare_names(q, c, self._v2)
            if comparison.score < REPORT_FLOOR - 0.2:
                continue
            _, record = self._records[rec_no]
            score, features = qualify(
                comparison.score, q, c,
                query_schema=schema, list_schema=record.schema,
                query_birth_date=query.birth_date, list_birth_dates=record.birth_dates,
                query_country=query.country, list_countries=record.countries,
                query_identifiers=query.identifiers, list_identifiers=record.identifiers,
            )
            if score < REPORT_FLOOR:
                continue
            prior = best.get(rec_no)
            if prior is None or score > prior[0]:
                best[rec_no] = (score, name_no, {
                    "algorithm": self.algorithm,
                    "threshold": threshold,
                    "name": comparison.explain(q, c),
                    "features": features,
                })
        matches: list[Match] = []
        for rec_no, (score, name_no, explanation) in best.items():
            list_name, record = self._records[rec_no]
            matches.append(Match(
                list=list_name, list_id=record.list_id, name=self._names[name_no].original,
                score=score, alert=score >= threshold, explanation=explanation,
                caption=record.caption, schema=record.schema,
            ))
        matches.sort(key=lambda m: (-m.score, m.list, m.list_id))
        return matches[:limit]

    def screen_many(self, queries: Iterable[Query], *, threshold: float | None = None
                    ) -> Iterable[tuple[Query, list[Match]]]:
        for query in queries:
            yield query, self.screen(query, threshold=threshold)
