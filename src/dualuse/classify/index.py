"""The lexical index: BM25 impacts over Annex I provisions, with fielded weights.

Each provision is indexed with its own wording (weight 1), the wording of its ancestors (the
entry heading gives context to a terse sub-entry), its notes and the definitions of the terms
it quotes (definition expansion: "UAV" also finds "unmanned aircraft"). Term impacts are
precomputed, so a query is a few numpy additions. The index serialises to JSON for the cache.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dualuse.classify.corpus import Defined, Provision, definition_index, definitions_for
from dualuse.classify.text import terms, with_bigrams
from dualuse.errors import DataIntegrityError

INDEX_FORMAT = 4  # bump whenever text.py, corpus.py or index.py change what is indexed

# Field weights (why: own wording decides; context and definitions only break ties).
W_OWN = 1.0
W_ANCESTOR = 0.45
W_NOTES = 0.25
W_DEFINITION = 0.2
W_REFERENCE = 0.15  # wording of the provisions a provision refers to ("software for 5A002.a")
K1 = 1.2
B = 0.75


@dataclass(frozen=True, slots=True)
class Posting:
    docs: npt.NDArray[np.int32]
    impacts: npt.NDArray[np.float32]


class LexicalIndex:
    """BM25 impacts per term over a fixed tuple of provisions."""

    def __init__(self, codes: Sequence[str], postings: dict[str, Posting]) -> None:
        self.codes = tuple(codes)
        self.postings = postings
        self.vocabulary = frozenset(postings)

    @classmethod
    def build(
        cls, provisions: Sequence[Provision], definitions: Sequence[Defined]
    ) -> LexicalIndex:
        weighted: list[dict[str, float]] = []
        def_index = definition_index(definitions)
        by_code = {p.code: p for p in provisions}
        for p in provisions:
            tf: dict[str, float] = {}
            for t in with_bigrams(terms(p.text)):
                tf[t] = tf.get(t, 0.0) + W_OWN
            for _, text in p.ancestors:
                for t in with_bigrams(terms(text)):
                    tf[t] = tf.get(t, 0.0) + W_ANCESTOR
            for note in p.notes:
                for t in terms(note):
                    tf[t] = tf.get(t, 0.0) + W_NOTES
            for ref in p.references:
                target = by_code.get(ref)
                if target is None:
                    continue
                for t in terms(target.text):
                    tf[t] = tf.get(t, 0.0) + W_REFERENCE
                if target.ancestors:
                    for t in terms(target.ancestors[0][1]):
                        tf[t] = tf.get(t, 0.0) + W_REFERENCE * W_ANCESTOR
            for d in definitions_for(p, definitions, def_index):
                for t in terms(d.text):
                    tf[t] = tf.get(t, 0.0) + W_DEFINITION
            weighted.append(tf)
        lengths = np.array([sum(tf.values()) for tf in weighted], dtype=np.float64)
        avg = float(lengths.mean()) if len(lengths) else 1.0
        df: Counter[str] = Counter()
        for tf in weighted:
            df.update(tf.keys())
        n = len(weighted)
        rows: dict[str, tuple[list[int], list[float]]] = {}
        for i, tf in enumerate(weighted):
            norm = K1 * (1 - B + B * lengths[i] / avg)
            for t, f in tf.items():
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                docs, imps = rows.setdefault(t, ([], []))
                docs.append(i)
                imps.append(idf * f * (K1 + 1) / (f + norm))
        postings = {
            t: Posting(np.array(d, dtype=np.int32), np.array(w, dtype=np.float32))
            for t, (d, w) in rows.items()
        }
        return cls([p.code for p in provisions], postings)

    def score(self, weights: dict[str, float]) -> npt.NDArray[np.float32]:
        scores = np.zeros(len(self.codes), dtype=np.float32)
        for term, w in weights.items():
            p = self.postings.get(term)
            if p is not None:
                scores[p.docs] += np.float32(w) * p.impacts
        return scores

    def docs_with(self, term: str) -> npt.NDArray[np.int32]:
        """Provisions whose indexed text (own, ancestors, notes, definitions) has the term."""
        p = self.postings.get(term)
        return p.docs if p is not None else np.zeros(0, dtype=np.int32)

    def idf_weight(self, term: str) -> float:
        """The best impact a term reaches: how much it can tell (0 for unknown terms)."""
        p = self.postings.get(term)
        return float(p.impacts.max()) if p is not None else 0.0

    def to_json(self, key: str) -> str:
        return json.dumps(
            {
                "format": INDEX_FORMAT,
                "key": key,
                "codes": list(self.codes),
                "postings": {
                    t: [p.docs.tolist(), [round(float(x), 4) for x in p.impacts]]
                    for t, p in self.postings.items()
                },
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str, key: str) -> LexicalIndex:
        """Load a cached index; DataIntegrityError if it is for another data version or format."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataIntegrityError(f"classify index cache: not JSON ({exc})") from exc
        if data.get("format") != INDEX_FORMAT or data.get("key") != key:
            raise DataIntegrityError("classify index cache: built for another data version")
        postings = {
            t: Posting(np.array(d, dtype=np.int32), np.array(w, dtype=np.float32))
            for t, (d, w) in data["postings"].items()
        }
        return cls(data["codes"], postings)
