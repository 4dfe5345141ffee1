"""Classification assistant: ranking, the "probably not listed" verdict and the
cyber-surveillance families, against baselines measured in the same run.

Sets (benchmarks/data/):
  * held out, reported: the `report` half of the public sets, descriptions taken from public
    product literature with their sources (`classify_public.jsonl`: listed items, English and
    Dutch; `classify_ordinary_public.jsonl`: ordinary goods, commercial titles and HS
    headings; `classify_cyber_public.jsonl`: cyber-surveillance items with their families).
    scripts/train_classify.py never reads them.
  * fitted on (shown for information): the project's own sets (`classify_eval*.jsonl`,
    `classify_ordinary_dev.jsonl`, `classify_cyber_dev.jsonl`) and the `tune` half of the
    public sets.
A ranking hit is at entry level: the suggested entry equals the five-character entry of an
expected code (any one counts); `code@5` counts a suggested code equal to an expected code or
one of its sub-entries.

Methods: `dualuse` is what `dualuse classify` runs (lexical + synonyms + Dutch + sentence
encoder + learned re-ranker); `previous` is the release before it (lexical + static embeddings,
hand-set fusion), `bm25` plain BM25 over each provision with its ancestors. Latency is p95 per
query after warm-up, with its ratio to BM25's p95 in the same run, and against the 50 ms
budget.

Verdict: the share of listed descriptions called "probably not listed" (the costly error), the
share of ordinary goods called so, and the calibration of the stated confidence (Brier score,
expected calibration error over 5 bins). Baselines: `always listed` (the previous release,
which had no verdict) and `previous refusal` (the previous release refused a description
sharing too little vocabulary with Annex I; counted here as a "not listed").
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from dualuse.classify.build import build_classifier
from dualuse.classify.corpus import build_provisions
from dualuse.classify.search import LISTED, Classification, Classifier
from dualuse.classify_cache import get_classifier, load_static_embedder
from dualuse.errors import InputError
from dualuse.law import load_law

DATA = Path(__file__).parent / "data"
BUDGET_MS = 50.0
_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(("a", "an", "and", "or", "the", "of", "for", "to", "in", "on", "at", "by",
                   "with", "from", "as", "is", "are", "be", "it", "its", "that", "this", "which",
                   "not", "no", "any", "all"))
PROJECT_SETS = ("classify_eval.jsonl", "classify_eval_heldout.jsonl", "classify_eval_nl.jsonl",
                "classify_eval_blind.jsonl", "classify_eval_fresh.jsonl",
                "classify_eval_final.jsonl")
# The previous release refused a description below these (its MIN_EVIDENCE, MIN_COVERAGE).
PREVIOUS_MIN_EVIDENCE = 2.0
PREVIOUS_MIN_COVERAGE = 0.4


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


def _load(name: str) -> list[dict[str, Any]]:
    path = DATA / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, math.ceil(0.95 * len(xs)) - 1)]


Search = Callable[[str, int], tuple[list[str], list[str]]]


def _searcher(clf: Classifier) -> Search:
    def search(q: str, top: int) -> tuple[list[str], list[str]]:
        try:
            res = clf.classify(q, top=top).suggestions
        except InputError:
            return [], []
        return [s.entry for s in res], [s.code for s in res]

    return search


@dataclass
class SetResult:
    n: int
    top1: float
    top5: float
    code5: float
    p95_ms: float


def rank(items: list[dict[str, Any]], search: Search) -> tuple[SetResult, list[float]]:
    hits = [0, 0, 0]
    lat: list[float] = []
    for it in items:
        expected = [str(c) for c in it["expected"]]
        ents = {c.split(".")[0] for c in expected}
        t0 = time.perf_counter()
        got, codes = search(str(it["description"]), 5)
        lat.append(time.perf_counter() - t0)
        hits[0] += bool(got) and got[0] in ents
        hits[1] += any(e in ents for e in got)
        hits[2] += any(c == e or c.startswith(e + ".") for c in codes for e in expected)
    n = max(1, len(items))
    return SetResult(len(items), hits[0] / n, hits[1] / n, hits[2] / n,
                     _p95(lat) * 1000 if lat else 0.0), lat


def _previous_refuses(clf: Classifier, description: str) -> bool:
    try:
        r = clf.read(description)
    except InputError:
        return True
    return r.evidence < PREVIOUS_MIN_EVIDENCE or r.coverage < PREVIOUS_MIN_COVERAGE


def calibration(pairs: list[tuple[float, bool]]) -> tuple[float, float]:
    """(Brier score, expected calibration error over 5 bins) of stated confidences."""
    if not pairs:
        return 0.0, 0.0
    conf = np.array([c for c, _ in pairs])
    right = np.array([float(r) for _, r in pairs])
    brier = float(np.mean((conf - right) ** 2))
    bins = np.minimum((conf * 5).astype(int), 4)
    ece = 0.0
    for b in range(5):
        m = bins == b
        if m.any():
            ece += float(m.mean()) * abs(float(conf[m].mean()) - float(right[m].mean()))
    return brier, ece


def run(quick: bool) -> None:
    law = load_law()
    day = date(2026, 1, 1)
    cat = law.as_of(day)
    t0 = time.perf_counter()
    dualuse = get_classifier(day)
    build_s = time.perf_counter() - t0
    kw: dict[str, Any] = {"data_version": law.data_version,
                          "annex_version": cat.annex_i_version.id}
    previous, _ = build_classifier(cat, embedder=load_static_embedder(), learned=None,
                                   families=None, **kw)
    t0 = time.perf_counter()
    provisions = build_provisions(cat.entries())
    bm25 = PlainBM25([(p.code, p.entry, p.display_text()) for p in provisions])
    bm25_s = time.perf_counter() - t0
    print(f"versions: {dualuse.versions}")
    print(f"classifier ready in {build_s:.1f} s (index, encoder, shipped vectors); "
          f"plain BM25 {bm25_s:.2f} s")

    public = _load("classify_public.jsonl")
    sets: list[tuple[str, list[dict[str, Any]]]] = [
        ("REPORT public EN", [r for r in public if r["split"] == "report" and r["lang"] == "en"]),
        ("REPORT public NL", [r for r in public if r["split"] == "report" and r["lang"] == "nl"]),
        ("fitted public tune", [r for r in public if r["split"] == "tune"]),
        ("fitted project sets", [it for n in PROJECT_SETS for it in _load(n)]),
    ]
    methods: dict[str, Search] = {"dualuse": _searcher(dualuse),
                                  "previous": _searcher(previous), "bm25": bm25.search}
    for items in (s for _, s in sets):  # warm-up
        for it in items[:3]:
            for search in methods.values():
                search(str(it["description"]), 5)
    print(f"\n{'set':<22}{'n':>4}  {'method':<9}{'top-1':>7}{'top-5':>7}{'code@5':>8}"
          f"{'p95 ms':>8}{'/bm25':>7}{'/budget':>9}")
    for label, items in sets:
        if quick:
            items = items[::3]
        results = {m: rank(items, s)[0] for m, s in methods.items()}
        base = max(results["bm25"].p95_ms, 1e-6)
        for m, r in results.items():
            print(f"{label:<22}{r.n:>4}  {m:<9}{r.top1:>7.3f}{r.top5:>7.3f}{r.code5:>8.3f}"
                  f"{r.p95_ms:>8.1f}{r.p95_ms / base:>6.1f}x{r.p95_ms / BUDGET_MS:>8.2f}x")

    # -- the verdict -------------------------------------------------------------------------
    ordinary = _load("classify_ordinary_public.jsonl")
    cyber = _load("classify_cyber_public.jsonl")
    verdict_sets = [
        ("REPORT listed (public)", [r for r in public if r["split"] == "report"], True),
        ("REPORT listed cyber", [r for r in cyber if r["split"] == "report" and r["expected"]],
         True),
        ("REPORT ordinary commercial", [r for r in ordinary if r["split"] == "report"
                                        and r["kind"] == "commercial"], False),
        ("REPORT ordinary HS", [r for r in ordinary if r["split"] == "report"
                                and r["kind"] == "hs"], False),
        ("REPORT unlisted cyber", [r for r in cyber if r["split"] == "report"
                                   and not r["expected"]], False),
        ("fitted project listed", [it for n in PROJECT_SETS for it in _load(n)], True),
        ("fitted ordinary dev", _load("classify_ordinary_dev.jsonl"), False),
    ]
    print(f"\n{'verdict':<28}{'n':>4}{'called not listed':>19}{'always listed':>15}"
          f"{'previous refusal':>18}")
    pairs: list[tuple[float, bool]] = []
    for label, items, listed in verdict_sets:
        if quick:
            items = items[::3]
        said: list[Classification] = [dualuse.classify(str(it["description"])) for it in items]
        nl = sum(c.verdict != LISTED for c in said)
        refused = sum(_previous_refuses(previous, str(it["description"])) for it in items)
        n = max(1, len(items))
        tag = "(missed: lower is better)" if listed else "(right: higher is better)"
        print(f"{label:<28}{len(items):>4}{nl / n:>19.3f}{0.0:>15.3f}{refused / n:>18.3f}  {tag}")
        if label.startswith("REPORT"):
            pairs += [(c.confidence, (c.verdict == LISTED) == listed) for c in said]
    brier, ece = calibration(pairs)
    print(f"calibration of the stated confidence on the REPORT sets (n={len(pairs)}): "
          f"Brier {brier:.3f}, ECE {ece:.3f} (a constant 0.5 gives Brier 0.250)")

    # -- cyber-surveillance families ---------------------------------------------------------
    print("\ncyber-surveillance families (REPORT set, and the project's own fitted set):")
    for label, items in (("REPORT public", [r for r in cyber if r["split"] == "report"]),
                         ("fitted cyber dev", _load("classify_cyber_dev.jsonl"))):
        tp: Counter[str] = Counter()
        fp: Counter[str] = Counter()
        fn: Counter[str] = Counter()
        exact = lead = leads = 0
        for it in items:
            c = dualuse.classify(str(it["description"]))
            got = {m.family.id for m in c.families}
            want = set(it["families"])
            exact += got == want
            for f in got & want:
                tp[f] += 1
            for f in got - want:
                fp[f] += 1
            for f in want - got:
                fn[f] += 1
            if it["expected"]:
                leads += 1
                ents = {str(e).split(".")[0] for e in it["expected"]}
                lead += any(s.entry in ents for s in c.suggestions[:5])
        n = max(1, len(items))
        tot_p = sum(tp.values()) / max(1, sum(tp.values()) + sum(fp.values()))
        tot_r = sum(tp.values()) / max(1, sum(tp.values()) + sum(fn.values()))
        print(f"  {label}: n={len(items)}, exact family set {exact / n:.3f}, precision "
              f"{tot_p:.3f}, recall {tot_r:.3f}; listed families' entries in the top 5: "
              f"{lead}/{leads}")
        for f in sorted(set(tp) | set(fp) | set(fn)):
            print(f"    {f:<28} tp {tp[f]:>2}  fp {fp[f]:>2}  fn {fn[f]:>2}")
