"""Maintainer step: fit the classifier's learned weights (src/dualuse/data/classify/ranker.json).

    uv run python scripts/train_classify.py

Fitted on the project's own description sets (benchmarks/data/classify_eval*.jsonl,
classify_ordinary_dev.jsonl, classify_cyber_dev.jsonl) and the `tune` half of the public sets
(classify_public*.jsonl); the `report` half is never read here, so the benchmark's reported
figures stay held out.

1. The re-ranker: a linear model over the candidate features, fitted to put an expected entry
   first (softmax over each description's candidates).
2. The verdict: logistic regression on "is an Annex I entry the right answer" over listed
   descriptions and ordinary goods. Its threshold is chosen on cross-validated probabilities
   so that at most MAX_MISSED of the listed training descriptions would be called "probably
   not listed" (a missed listed item is worse than a false alarm).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

from dualuse.classify.build import build_classifier
from dualuse.classify.ranker import (
    RANK_FEATURES,
    VERDICT_FEATURES,
    LearnedWeights,
    LinearModel,
    Verdict,
    dump_weights,
    fit_listwise,
    fit_logistic,
)
from dualuse.classify.search import Classifier
from dualuse.classify_cache import _vector_store, load_sentence_encoder
from dualuse.errors import InputError
from dualuse.law import load_law

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
OUT = ROOT / "src" / "dualuse" / "data" / "classify" / "ranker.json"
PROJECT_SETS = ("classify_eval.jsonl", "classify_eval_heldout.jsonl", "classify_eval_nl.jsonl",
                "classify_eval_blind.jsonl", "classify_eval_fresh.jsonl",
                "classify_eval_final.jsonl")
PUBLIC_WEIGHT = 3.0  # a public (tune) description counts as this many of the project's own
MAX_MISSED = 0.01
FOLDS = 5


def load(name: str) -> list[dict[str, object]]:
    return [json.loads(x) for x in (DATA / name).read_text("utf-8").splitlines() if x.strip()]


def training_sets() -> tuple[list[tuple[str, set[str], float]], list[tuple[str, float]]]:
    """(listed: description, expected entries, weight), (ordinary: description, weight)."""
    listed: list[tuple[str, set[str], float]] = []
    ordinary: list[tuple[str, float]] = []
    for name in PROJECT_SETS:
        for it in load(name):
            listed.append((str(it["description"]), _entries(it["expected"]), 1.0))
    for it in load("classify_public.jsonl"):
        if it["split"] == "tune":
            listed.append((str(it["description"]), _entries(it["expected"]), PUBLIC_WEIGHT))
    for it in load("classify_ordinary_dev.jsonl"):
        ordinary.append((str(it["description"]), 1.0))
    for it in load("classify_ordinary_public.jsonl"):
        if it["split"] == "tune":
            ordinary.append((str(it["description"]), PUBLIC_WEIGHT))
    for name, w in (("classify_cyber_dev.jsonl", 1.0), ("classify_cyber_public.jsonl",
                                                         PUBLIC_WEIGHT)):
        for it in load(name):
            if it.get("split", "tune") != "tune":
                continue
            expected = _entries(it["expected"])
            if expected:
                listed.append((str(it["description"]), expected, w))
            else:
                ordinary.append((str(it["description"]), w))
    return listed, ordinary


def _entries(codes: object) -> set[str]:
    return {str(c).split(".")[0] for c in codes} if isinstance(codes, list) else set()


def main() -> int:
    law = load_law()
    cat = law.as_of(date(2026, 1, 1))
    encoder = load_sentence_encoder()
    if encoder is None:
        print("the sentence encoder package is not installed", file=sys.stderr)
        return 1
    clf, _ = build_classifier(cat, data_version=law.data_version,
                              annex_version=cat.annex_i_version.id, encoder=encoder,
                              encoder_name=encoder.name, vectors=_vector_store(encoder.name),
                              learned=None)
    listed, ordinary = training_sets()
    readings = {d: _reading(clf, d) for d, *_ in [*listed, *ordinary]}

    # 1. the re-ranker
    groups = []
    for d, expected, w in listed:
        r = readings[d]
        if r is None:
            continue
        cands = r[1]
        pos = [n for n, e in enumerate(cands.entries) if clf._entries[e] in expected]
        if pos:
            groups.extend([(cands.features, pos)] * round(w))
    allrows = np.concatenate([g for g, _ in groups])
    mu, sd = allrows.mean(axis=0), allrows.std(axis=0) + 1e-9
    # Fitted on standardised features; a per-query constant does not change the order, so
    # only the scale folds back into the weights.
    weights = fit_listwise([((g - mu) / sd, pos) for g, pos in groups], steps=4000) / sd
    ranker = LinearModel(RANK_FEATURES, weights)

    # 2. the verdict
    rows, ys, sws = [], [], []
    for d, y, w in [*((d, 1.0, w) for d, _, w in listed), *((d, 0.0, w) for d, w in ordinary)]:
        r = readings[d]
        if r is None:
            continue
        reading, cands = r
        scores = ranker.score(cands.features)
        order = list(np.argsort(-scores, kind="stable"))
        families = clf.families.detect(reading.q, reading.anchor_cos) if clf.families else ()
        rows.append(clf.verdict_features(reading, cands, scores, order, families))
        ys.append(y)
        sws.append(w)
    x, y, sw = np.asarray(rows), np.asarray(ys), np.asarray(sws)
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    xs = (x - mean) / std
    cv = np.zeros(len(y))
    fold = np.arange(len(y)) % FOLDS
    for k in range(FOLDS):
        wk, bk = fit_logistic(xs[fold != k], y[fold != k], sw[fold != k])
        cv[fold == k] = 1 / (1 + np.exp(-(xs[fold == k] @ wk + bk)))
    pos_cv = np.sort(cv[y == 1])
    threshold = float(pos_cv[int(np.floor(MAX_MISSED * len(pos_cv)))])
    threshold = min(max(threshold, 0.01), 0.5)
    wv, bv = fit_logistic(xs, y, sw)
    # Fold the standardisation into the weights: the shipped model reads raw features.
    verdict = LinearModel(VERDICT_FEATURES, wv / std, float(bv - (wv / std) @ mean))
    missed = float(np.mean(cv[y == 1] < threshold))
    caught = float(np.mean(cv[y == 0] < threshold))
    learned = LearnedWeights(
        version=f"{date.today().isoformat()}.1",
        ranker=ranker,
        verdict=Verdict(verdict, threshold),
        provenance={
            "fitted_by": "scripts/train_classify.py",
            "fitted_on": [*PROJECT_SETS, "classify_public.jsonl (tune)",
                          "classify_ordinary_dev.jsonl", "classify_ordinary_public.jsonl (tune)",
                          "classify_cyber_dev.jsonl", "classify_cyber_public.jsonl (tune)"],
            "listed_descriptions": int((y == 1).sum()),
            "ordinary_descriptions": int((y == 0).sum()),
            "ranker_groups": len(groups),
            "cross_validated": {"missed_listed": round(missed, 4),
                                "ordinary_called_not_listed": round(caught, 4)},
            "sentence_encoder": encoder.name,
        },
    )
    OUT.write_text(dump_weights(learned), encoding="utf-8")
    print(f"ranker: {dict(zip(RANK_FEATURES, np.round(weights, 3), strict=True))}")
    print(f"verdict threshold {threshold:.3f}; cross-validated: {missed:.1%} of listed missed, "
          f"{caught:.1%} of ordinary goods called probably not listed -> {OUT}")
    return 0


def _reading(clf: Classifier, description: str):  # type: ignore[no-untyped-def]
    try:
        r = clf.read(description)
    except InputError:
        return None
    cands = clf.candidates(r)
    return (r, cands) if cands.entries else None


if __name__ == "__main__":
    sys.exit(main())
