"""Sentence vectors of the Annex I provisions, for the dense part of the ranking.

Provisions down to the second level (`6A003.b.4`) get their own vector; deeper ones (thresholds
that tell leaves apart, rarely stated in a description) share their nearest ancestor's. The
vectors come from a `VectorStore` the edge fills from the file shipped with the package (int8,
keyed by a hash of the provision text) and, for any text it lacks (a newer Annex I), from the
encoder; the edge then keeps what was computed in its cache. Nothing here reads a file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dualuse.classify.corpus import Provision
from dualuse.classify.embedding import provision_text

Array = npt.NDArray[np.float32]
TextEncoder = Callable[[Sequence[str]], Array]
Progress = Callable[[int, int], None]

MAX_OWN_LEVEL = 2  # provisions deeper than this share their nearest ancestor's vector


def text_key(text: str) -> str:
    """The key a provision text's vector is stored under."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def quantise(vectors: Array) -> tuple[npt.NDArray[np.int8], Array]:
    """int8 rows with one scale each (cosines change by well under 1 %)."""
    scale = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.round(vectors / scale), -127, 127).astype(np.int8)
    return q, scale[:, 0].astype(np.float32)


def dequantise(q: npt.NDArray[np.int8], scale: Array) -> Array:
    out: Array = (q.astype(np.float32) * scale[:, None]).astype(np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: Array = out / norms
    return unit


@dataclass(slots=True)
class VectorStore:
    """Vectors by text key for one model; `fresh` holds those computed in this process."""

    model: str
    vectors: dict[str, Array]
    fresh: dict[str, Array]

    @classmethod
    def empty(cls, model: str) -> VectorStore:
        return cls(model, {}, {})

    @classmethod
    def from_arrays(cls, model: str, keys: Sequence[str], q: npt.NDArray[np.int8],
                    scale: Array) -> VectorStore:
        rows = dequantise(q, scale)
        return cls(model, {k: rows[i] for i, k in enumerate(keys)}, {})


def own_vector_row(provisions: Sequence[Provision]) -> list[int]:
    """For each provision the index of the provision whose vector it uses (itself, or its
    nearest ancestor at MAX_OWN_LEVEL)."""
    index = {p.code: i for i, p in enumerate(provisions)}
    rows: list[int] = []
    for i, p in enumerate(provisions):
        if p.level <= MAX_OWN_LEVEL:
            rows.append(i)
            continue
        chain = [c for c, _ in p.ancestors]
        target = next((index[c] for c in reversed(chain)
                       if c in index and c.count(".") <= MAX_OWN_LEVEL), i)
        rows.append(target)
    return rows


class DenseIndex:
    """Cosine similarity of a description to every provision (through its vector row)."""

    def __init__(self, provisions: Sequence[Provision], encoder: TextEncoder, name: str,
                 store: VectorStore, progress: Progress | None = None) -> None:
        self.name = name
        self.encoder = encoder
        rows = own_vector_row(provisions)
        owners = sorted(set(rows))
        texts = [provision_text(provisions[i]) for i in owners]
        keys = [text_key(t) for t in texts]
        missing = [n for n, k in enumerate(keys) if k not in store.vectors]
        if missing:
            batch = 64
            for start in range(0, len(missing), batch):
                chunk = missing[start : start + batch]
                vecs = encoder([texts[n] for n in chunk])
                for n, v in zip(chunk, vecs, strict=True):
                    store.vectors[keys[n]] = v
                    store.fresh[keys[n]] = v
                if progress is not None:
                    progress(min(start + batch, len(missing)), len(missing))
        self.matrix: Array = np.stack([store.vectors[k] for k in keys]).astype(np.float32)
        position = {o: n for n, o in enumerate(owners)}
        self.row_of = np.array([position[r] for r in rows], dtype=np.int32)

    def similarity(self, text: str) -> tuple[Array, Array]:
        """(cosine per provision, the query vector)."""
        qv = self.encoder([text])[0]
        # einsum rather than BLAS: one matrix-vector product is faster in a single loop than
        # split over BLAS threads that other work on the machine keeps waiting.
        per_row: Array = np.einsum("ij,j->i", self.matrix, qv)
        return per_row[self.row_of], qv


def shipped_arrays(store: Mapping[str, Array]) -> tuple[list[str], npt.NDArray[np.int8], Array]:
    """What the maintainer script writes: keys, int8 rows and scales."""
    keys = sorted(store)
    q, scale = quantise(np.stack([store[k] for k in keys]).astype(np.float32))
    return keys, q, scale
