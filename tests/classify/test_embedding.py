"""Static embeddings: the pooling itself, and the model shipped in the wordllama wheel loaded
offline (no hub, no PyTorch)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np
import pytest

from dualuse.classify.embedding import StaticEmbedder
from dualuse.classify_cache import dense_model_files, load_static_embedder


def test_mean_pooling_of_known_vectors() -> None:
    matrix = np.array([[1.0, 0.0], [0.0, 1.0], [3.0, 4.0]], dtype=np.float32)
    vocab = {"a": 0, "b": 1, "c": 2}

    def encode(texts: Sequence[str]) -> list[list[int]]:
        return [[vocab[w] for w in t.split() if w in vocab] for t in texts]

    emb = StaticEmbedder(matrix, encode, name="test")
    v = emb(["a b", "c", "zzz"])
    assert np.allclose(v[0], [2**-0.5, 2**-0.5])
    assert np.allclose(v[1], [0.6, 0.8])
    assert np.allclose(v[2], [0.0, 0.0])  # no known token: zero vector, not NaN


def test_shipped_model_loads_offline_without_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    files = dense_model_files()
    assert files is not None, "the wordllama wheel ships its weights"
    emb = load_static_embedder(files)
    assert emb is not None and emb.dim == 128
    v = emb(["thermal imaging camera", "infrared camera for firefighters", "nuclear reactor fuel"])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2])
    assert "torch" not in sys.modules


def test_dense_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUALUSE_CLASSIFY_DENSE", "0")
    assert load_static_embedder() is None
