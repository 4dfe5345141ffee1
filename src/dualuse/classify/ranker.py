"""Learned weights: the re-ranker of candidate entries and the "listed or probably not listed"
verdict, both linear models over named features.

The weights are data (`data/classify/ranker.json`), fitted by `scripts/train_classify.py` on the
project's own description sets and the tuning half of the public ones, never on the sets the
benchmark reports. The file names its features, so a file fitted for other features is refused
rather than misread.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from dualuse.errors import DataIntegrityError

# What each candidate entry is described by (search.py computes them; see its docstring).
RANK_FEATURES = (
    "lexical",          # best lexical provision of the entry / best lexical provision overall
    "lexical_second",   # the entry's runner-up provision, same scale
    "lexical_rank",     # 1 / (1 + rank of the entry by lexical score)
    "dense",            # best cosine of a provision of the entry (sentence encoder)
    "dense_gap",        # dense minus the best cosine over all provisions (<= 0)
    "dense_rank",       # 1 / (1 + rank of the entry by cosine)
    "synonym_source",   # a synonym the description used names this entry as its source
    "head_coverage",    # share of the head's content words found in the entry's wording
    "group_prior",      # software/technology prior of the entry for this description
    "lexical_head",     # lexical score of the head's words alone, same scale as `lexical`
    "category_vote",    # share of the ten provisions nearest in meaning in the entry's category
    "entry_size",       # log(1 + provisions of the entry): large entries meet more words
)

# What the verdict is decided on (per description, about its best candidate).
VERDICT_FEATURES = (
    "top_score",        # re-ranker score of the best entry
    "margin",           # best minus second-best re-ranker score
    "dense_max",        # best raw cosine to any provision
    "lexical_evidence",  # log(1 + summed impact of the description's matched words)
    "coverage",         # share of the content words Annex I or the tables know
    "head_known",       # share of the head's content words that Annex I or the tables know
    "head_coverage",    # share of the head's content words found in the best entry's wording
    "synonym_hits",     # log(1 + number of synonym groups used)
    "listed_family",    # a listed cyber-surveillance family was recognised
    "unlisted_family",  # a cyber-surveillance family Annex I does not name was recognised
)


@dataclass(frozen=True, slots=True)
class LinearModel:
    features: tuple[str, ...]
    weights: npt.NDArray[np.float64]
    bias: float = 0.0

    def score(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        out: npt.NDArray[np.float64] = rows @ self.weights + self.bias
        return out


@dataclass(frozen=True, slots=True)
class Verdict:
    """The calibrated verdict model: P(listed) = sigmoid(score); 'listed' at or above the
    threshold (set low: a missed listed item is worse than a false alarm)."""

    model: LinearModel
    threshold: float

    def probability(self, row: npt.NDArray[np.float64]) -> float:
        z = float(self.model.score(row[None, :])[0])
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@dataclass(frozen=True, slots=True)
class LearnedWeights:
    version: str
    ranker: LinearModel
    verdict: Verdict
    provenance: Mapping[str, Any] = field(default_factory=dict)


def _model(data: Any, expected: tuple[str, ...], where: str) -> LinearModel:
    if not isinstance(data, dict):
        raise DataIntegrityError(f"{where}: expected a mapping")
    names = tuple(data.get("features", ()))
    if names != expected:
        raise DataIntegrityError(
            f"{where}: fitted for features {list(names)}, this code computes {list(expected)}"
        )
    weights = data.get("weights")
    if not isinstance(weights, list) or len(weights) != len(expected):
        raise DataIntegrityError(f"{where}: one weight per feature is needed")
    return LinearModel(names, np.asarray(weights, dtype=np.float64),
                       float(data.get("bias", 0.0)))


def parse_weights(text: str, *, origin: str = "ranker.json") -> LearnedWeights:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataIntegrityError(f"{origin}: not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise DataIntegrityError(f"{origin}: expected a mapping")
    ranker = _model(data.get("ranker"), RANK_FEATURES, f"{origin}: ranker")
    v = data.get("verdict")
    verdict_model = _model(v, VERDICT_FEATURES, f"{origin}: verdict")
    threshold = v.get("threshold") if isinstance(v, dict) else None
    if not isinstance(threshold, int | float) or not 0.0 < float(threshold) < 1.0:
        raise DataIntegrityError(f"{origin}: verdict threshold must be between 0 and 1")
    return LearnedWeights(str(data.get("version", "")), ranker,
                          Verdict(verdict_model, float(threshold)),
                          dict(data.get("provenance", {})))


def dump_weights(weights: LearnedWeights) -> str:
    def model(m: LinearModel) -> dict[str, Any]:
        return {"features": list(m.features), "weights": [round(float(w), 6) for w in m.weights],
                "bias": round(m.bias, 6)}

    return json.dumps({
        "version": weights.version,
        "provenance": dict(weights.provenance),
        "ranker": model(weights.ranker),
        "verdict": {**model(weights.verdict.model),
                    "threshold": round(weights.verdict.threshold, 6)},
    }, indent=1, ensure_ascii=False) + "\n"


# -- fitting (used by the maintainer script and the tests; plain numpy) ---------------------

def fit_listwise(groups: Sequence[tuple[npt.NDArray[np.float64], Sequence[int]]],
                 l2: float = 1e-3, steps: int = 3000, rate: float = 0.5
                 ) -> npt.NDArray[np.float64]:
    """Weights w maximising the softmax likelihood of the right candidates in each group
    (rows = candidates, positives = indices of right answers; any one counts)."""
    x = np.concatenate([g for g, _ in groups])
    sizes = np.array([len(g) for g, _ in groups])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    owner = np.repeat(np.arange(len(groups)), sizes)
    positive = np.zeros(len(x), dtype=bool)
    for start, (_, pos) in zip(starts, groups, strict=True):
        positive[start + np.asarray(pos, dtype=np.int64)] = True
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        s = x @ w
        s = s - np.maximum.reduceat(s, starts)[owner]
        e = np.exp(s)
        p = e / np.add.reduceat(e, starts)[owner]
        ep = np.where(positive, e, 0.0)
        target = ep / np.add.reduceat(ep, starts)[owner]
        grad = x.T @ (p - target) / len(groups) + l2 * w
        w -= rate * grad
    return w


def fit_logistic(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64],
                 sample_weight: npt.NDArray[np.float64] | None = None,
                 l2: float = 1e-2, steps: int = 4000, rate: float = 0.5
                 ) -> tuple[npt.NDArray[np.float64], float]:
    """Logistic regression (weights, bias) by gradient descent; calibrated by construction on
    the data it is fitted on."""
    n, dim = x.shape
    sw = np.ones(n) if sample_weight is None else sample_weight
    sw = sw / sw.mean()
    w = np.zeros(dim)
    b = 0.0
    for _ in range(steps):
        z = np.clip(x @ w + b, -40, 40)
        p = 1.0 / (1.0 + np.exp(-z))
        err = (p - y) * sw
        w -= rate * (x.T @ err / n + l2 * w)
        b -= rate * float(err.mean())
    return w, b
