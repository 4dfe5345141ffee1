"""Classification assistant: accuracy of `dualuse classify` against plain BM25, and latency.

Evaluation sets (written for this project in commercial language, not the list's wording):
`data/classify_eval.jsonl` (development set) and `data/classify_eval_heldout.jsonl` (written
after the synonym table was drafted, not used to tune it). A hit is at entry level: the
suggested entry equals the five-character entry of an expected code. "code" accuracy counts a
suggestion whose code is an expected code or one of its sub-entries.

Baseline: plain BM25 (k1 1.2, b 0.75) over each provision's own wording with its ancestors,
lower-case word tokens, no stemming, no synonyms, no definitions; best provision per entry.
Latency is per query after warm-up; p95 is reported next to the baseline's in the same run.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from datetime import date
from pathlib import Path

from dualuse.classify.build import build_classifier
from dualuse.classify.corpus import build_provisions
from dualuse.errors import InputError
from dualuse.law import load_law

DATA = Path(__file__).parent / "data"
_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(("a", "an", "and", "or", "the", "of", "for", "to", "in", "on", "at", "by",
                   "with", "from", "as", "is", "are", "be", "it", "its", "that", "this", "which",
                   "not", "no", "any", "all"))


class PlainBM25:
    """The baseline a public keyword search gives: BM25 over provision text, nothing else."""

    def __init__(self, docs: list[tuple[str, str, str]], k1: float = 1.2, b: float = 0.75):
        self.codes = [c for c, _, _ in docs]
        self.entries = [e for _, e, _ in docs]
        self.tfs = [Counter(self._tok(t)) for _, _, t in docs]
        self.lens = [sum(tf.values()) for tf in self.tfs]
        self.avg = sum(self.lens) / len(self.lens)
        df: Counter[str] = Counter()
        for tf in self.tfs:
            df.update(tf.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.post: dict[str, list[tuple[int, float]]] = {}
        for i, tf in enumerate(self.tfs):
            norm = k1 * (1 - b + b * self.lens[i] / self.avg)
            for t, f in tf.items():
                self.post.setdefault(t, []).append((i, self.idf[t] * f * (k1 + 1) / (f + norm)))

    @staticmethod
    def _tok(text: str) -> list[str]:
        return [t for t in _TOKEN.findall(text.lower()) if t not in _STOP]

    def search(self, query: str, top: int) -> list[str]:
        scores: dict[int, float] = {}
        for t in set(self._tok(query)):
            for i, w in self.post.get(t, ()):
                scores[i] = scores.get(i, 0.0) + w
        seen: list[str] = []
        for i in sorted(scores, key=lambda i: -scores[i]):
            if self.entries[i] not in seen:
                seen.append(self.entries[i])
            if len(seen) == top:
                break
        return seen


def _load(name: str) -> list[dict[str, object]]:
    path = DATA / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, math.ceil(0.95 * len(xs)) - 1)]


def run(quick: bool) -> None:
    law = load_law()
    cat = law.as_of(date(2026, 1, 1))
    t0 = time.perf_counter()
    clf, fresh = build_classifier(
        cat, data_version=law.data_version, annex_version=cat.annex_i_version.id
    )
    build_s = time.perf_counter() - t0
    assert fresh is not None
    t0 = time.perf_counter()
    build_classifier(cat, data_version=law.data_version, annex_version=cat.annex_i_version.id,
                     cached_index=fresh)
    cached_s = time.perf_counter() - t0
    provisions = build_provisions(cat.entries())
    t0 = time.perf_counter()
    bm25 = PlainBM25([(p.code, p.entry, p.display_text()) for p in provisions])
    bm25_build_s = time.perf_counter() - t0

    print(f"index build: dualuse {build_s:.2f} s from scratch, {cached_s:.2f} s from cache; "
          f"plain BM25 {bm25_build_s:.2f} s (build / BM25 = {build_s / bm25_build_s:.1f}x)")
    print(f"{'set':<10}{'n':>4}  {'method':<10}{'top-1':>7}{'top-5':>7}{'code@5':>8}"
          f"{'p95 ms':>9}")
    for name in ("classify_eval.jsonl", "classify_eval_heldout.jsonl"):
        items = _load(name)
        if quick:
            items = items[::3]
        for it in items[:5]:  # warm-up
            clf.classify(str(it["description"]))
            bm25.search(str(it["description"]), 5)
        stats: dict[str, list[float]] = {"dualuse": [0, 0, 0], "bm25": [0, 0, 0]}
        lat: dict[str, list[float]] = {"dualuse": [], "bm25": []}
        for it in items:
            expected = [str(c) for c in it["expected"]]  # type: ignore[attr-defined]
            ents = {c.split(".")[0] for c in expected}
            t0 = time.perf_counter()
            try:
                res = clf.classify(str(it["description"]), top=5).suggestions
                got = [s.entry for s in res]
                codes = [s.code for s in res]
            except InputError:
                got, codes = [], []
            lat["dualuse"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            base = bm25.search(str(it["description"]), 5)
            lat["bm25"].append(time.perf_counter() - t0)
            for method, ranked in (("dualuse", got), ("bm25", base)):
                stats[method][0] += bool(ranked) and ranked[0] in ents
                stats[method][1] += any(e in ents for e in ranked)
            stats["dualuse"][2] += any(
                c == e or c.startswith(e + ".") for c in codes for e in expected
            )
        n = len(items)
        for method in ("dualuse", "bm25"):
            s = stats[method]
            code5 = f"{s[2] / n:.3f}" if method == "dualuse" else "-"
            print(f"{name.removeprefix('classify_').removesuffix('.jsonl'):<10}{n:>4}  "
                  f"{method:<10}{s[0] / n:>7.3f}{s[1] / n:>7.3f}{code5:>8}"
                  f"{_p95(lat[method]) * 1000:>9.2f}")
        ratio = _p95(lat["dualuse"]) / max(_p95(lat["bm25"]), 1e-9)
        print(f"{'':<10}{'':>4}  p95 latency dualuse / plain BM25 = {ratio:.2f}x")
