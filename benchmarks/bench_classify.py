"""Classification assistant: accuracy of `dualuse classify` against plain BM25, and latency.

Evaluation sets (written for this project in commercial language, not the list's wording):
`data/classify_eval.jsonl` (development set), `data/classify_eval_heldout.jsonl` (written
after the first synonym table; its misses were looked at once, for generic fixes only),
`data/classify_eval_nl.jsonl` (Dutch), `data/classify_eval_blind.jsonl` (written before the
second pass over the synonym table; a few of its misses were later seen),
`data/classify_eval_fresh.jsonl` (never tuned on, but measured during development) and
`data/classify_eval_final.jsonl` (written last, measured once for the closing report). The same
author wrote the sets and the tables, so independent descriptions may score lower.
A hit is at entry level: the suggested entry equals the five-character entry of an
expected code. `code@5` counts a suggestion whose code is an expected code or one of its
sub-entries.

Rows: `hybrid` is what `dualuse classify` runs (lexical + synonyms + Dutch + definitions +
static embeddings); `lexical` drops the embeddings; `no-syn` drops the synonym table (how the
method copes with vocabulary the table lacks); `bm25` is the baseline: plain BM25 (k1 1.2,
b 0.75) over each provision's own wording with its ancestors, lower-case word tokens, no
stemming, no synonyms, no definitions, best provision per entry. Latency is per query after
warm-up, p95, with the ratio to the baseline's p95 in the same run.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from dualuse.classify.build import build_classifier
from dualuse.classify.corpus import build_provisions
from dualuse.classify.lexicon import SynonymTable
from dualuse.classify.search import Classifier
from dualuse.classify_cache import load_static_embedder
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
        tfs = [Counter(self._tok(t)) for _, _, t in docs]
        lens = [sum(tf.values()) for tf in tfs]
        avg = sum(lens) / len(lens)
        df: Counter[str] = Counter()
        for tf in tfs:
            df.update(tf.keys())
        n = len(docs)
        idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.post: dict[str, list[tuple[int, float]]] = {}
        for i, tf in enumerate(tfs):
            norm = k1 * (1 - b + b * lens[i] / avg)
            for t, f in tf.items():
                self.post.setdefault(t, []).append((i, idf[t] * f * (k1 + 1) / (f + norm)))

    @staticmethod
    def _tok(text: str) -> list[str]:
        return [t for t in _TOKEN.findall(text.lower()) if t not in _STOP]

    def search(self, query: str, top: int) -> tuple[list[str], list[str]]:
        scores: dict[int, float] = {}
        for t in set(self._tok(query)):
            for i, w in self.post.get(t, ()):
                scores[i] = scores.get(i, 0.0) + w
        entries: list[str] = []
        codes: list[str] = []
        for i in sorted(scores, key=lambda i: -scores[i]):
            if self.entries[i] not in entries:
                entries.append(self.entries[i])
                codes.append(self.codes[i])
            if len(entries) == top:
                break
        return entries, codes


def _load(name: str) -> list[dict[str, object]]:
    path = DATA / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, math.ceil(0.95 * len(xs)) - 1)]


def _searcher(clf: Classifier) -> Callable[[str, int], tuple[list[str], list[str]]]:
    def search(q: str, top: int) -> tuple[list[str], list[str]]:
        try:
            res = clf.classify(q, top=top).suggestions
        except InputError:
            return [], []
        return [s.entry for s in res], [s.code for s in res]

    return search


def run(quick: bool) -> None:
    law = load_law()
    cat = law.as_of(date(2026, 1, 1))
    kw: dict[str, Any] = {
        "data_version": law.data_version, "annex_version": cat.annex_i_version.id,
    }
    t0 = time.perf_counter()
    embedder = load_static_embedder()
    hybrid, fresh = build_classifier(cat, embedder=embedder, **kw)
    build_s = time.perf_counter() - t0
    assert fresh is not None
    t0 = time.perf_counter()
    build_classifier(cat, cached_index=fresh, embedder=embedder, **kw)
    cached_s = time.perf_counter() - t0
    lexical, _ = build_classifier(cat, cached_index=fresh, **kw)
    nosyn, _ = build_classifier(cat, cached_index=fresh, embedder=embedder, **kw)
    nosyn.synonyms = SynonymTable("none", ())
    t0 = time.perf_counter()
    provisions = build_provisions(cat.entries())
    bm25 = PlainBM25([(p.code, p.entry, p.display_text()) for p in provisions])
    bm25_build_s = time.perf_counter() - t0
    print(f"dense model: {hybrid.versions['dense_model']}")
    print(f"index build: dualuse {build_s:.2f} s from scratch (incl. loading the embeddings), "
          f"{cached_s:.2f} s from cache; plain BM25 {bm25_build_s:.2f} s "
          f"(build / BM25 = {build_s / bm25_build_s:.1f}x)")
    methods = {"hybrid": _searcher(hybrid), "lexical": _searcher(lexical),
               "no-syn": _searcher(nosyn), "bm25": bm25.search}
    print(f"{'set':<14}{'n':>4}  {'method':<9}{'top-1':>7}{'top-5':>7}{'code@5':>8}"
          f"{'p95 ms':>9}{'p95/bm25':>10}")
    per_cat: dict[str, dict[str, list[int]]] = {}
    for name in ("classify_eval.jsonl", "classify_eval_heldout.jsonl", "classify_eval_nl.jsonl",
                 "classify_eval_blind.jsonl", "classify_eval_fresh.jsonl",
                 "classify_eval_final.jsonl"):
        items = _load(name)
        if quick:
            items = items[::3]
        for it in items[:5]:  # warm-up
            for search in methods.values():
                search(str(it["description"]), 5)
        lat: dict[str, list[float]] = {m: [] for m in methods}
        hits: dict[str, list[int]] = {m: [0, 0, 0] for m in methods}
        for it in items:
            expected = [str(c) for c in it["expected"]]  # type: ignore[attr-defined]
            ents = {c.split(".")[0] for c in expected}
            for m, search in methods.items():
                t0 = time.perf_counter()
                got, codes = search(str(it["description"]), 5)
                lat[m].append(time.perf_counter() - t0)
                top1 = bool(got) and got[0] in ents
                hits[m][0] += top1
                hits[m][1] += any(e in ents for e in got)
                if m in ("hybrid", "bm25"):
                    cell = per_cat.setdefault(str(it["category"]), {}).setdefault(m, [0, 0])
                    cell[0] += top1
                    cell[1] += 1
                hits[m][2] += any(c == e or c.startswith(e + ".") for c in codes for e in expected)
        n = len(items)
        base = _p95(lat["bm25"])
        label = name.removeprefix("classify_").removesuffix(".jsonl")
        for m in methods:
            h = hits[m]
            print(f"{label:<14}{n:>4}  {m:<9}{h[0] / n:>7.3f}{h[1] / n:>7.3f}{h[2] / n:>8.3f}"
                  f"{_p95(lat[m]) * 1000:>9.2f}{_p95(lat[m]) / base:>9.1f}x")
    print("top-1 per category, all sets pooled (hybrid / plain BM25, n):")
    print("  " + "  ".join(
        f"{c}: {v['hybrid'][0] / v['hybrid'][1]:.2f}/{v['bm25'][0] / v['bm25'][1]:.2f} "
        f"({v['hybrid'][1]})"
        for c, v in sorted(per_cat.items())
    ))
