"""From a product description to ranked Annex I suggestions.

Pipeline (each step explains itself in `Suggestion.why`):
1. Dutch words are rendered in English with the reviewed Dutch table (`data/classify/dutch.yaml`).
2. The product named first (the head) weighs more than its purpose or context after it.
3. Commercial phrases are expanded with the reviewed synonym table (`synonyms.yaml`).
4. BM25 over provisions with fielded context (own wording, ancestors, notes, definitions,
   referenced provisions).
5. Optional dense similarity (static token embeddings shipped in a wheel, loaded offline by the
   edge and injected) is fused in.
6. Provisions are aggregated per five-character entry and re-ranked: software (D) and
   technology (E) entries only lead when the description is about software or technology; the
   reported code moves up to the parent sub-entry when the parent scores nearly as well.
A description that shares no vocabulary with Annex I is refused (InputError), never answered
with a random entry.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from dualuse.classify.corpus import Defined, Provision, definition_index, definitions_for
from dualuse.classify.index import LexicalIndex
from dualuse.classify.lexicon import DutchTable, Expansion, SynonymTable
from dualuse.classify.text import STOP_WORDS, stem, terms, words
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
MIN_EVIDENCE = 2.0  # minimum summed impact of matched query terms to answer at all
MAX_QUERY_CHARS = 2000

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
MIN_COVERAGE = 0.4  # share of the description's content words that Annex I or the tables know
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

    def as_detail(self) -> dict[str, object]:
        """The contract plus what a person needs to decide: notice, data versions, how the
        query was read, and per result the highlights, definitions, release notes, see-also."""
        return {
            **self.as_contract(),
            "notice": self.notice,
            "versions": dict(self.versions),
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

    def as_contract(self) -> dict[str, list[dict[str, object]]]:
        """The CLI/API JSON contract: `{"results": [{code, entry, score, text, why}]}`."""
        return {
            "results": [
                {"code": s.code, "entry": s.entry, "score": s.score, "text": s.text, "why": s.why}
                for s in self.suggestions
            ]
        }


Embedder = Callable[[Sequence[str]], npt.NDArray[np.float32]]


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
        # Domain vocabulary: words of entry and first-level headings, defined terms and the
        # synonym table. A description must use some of it to be answered at all.
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
        self._by_code = {p.code: p for p in provisions}
        self._index_of = {p.code: n for n, p in enumerate(provisions)}
        self._def_index = definition_index(self.definitions)
        self._groups = np.array([p.group for p in provisions])

    # -- query understanding ---------------------------------------------------------------
    def _weights(self, english: str) -> tuple[dict[str, float], list[str], list[Expansion]]:
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
        return weights, q, expansions

    # -- ranking ---------------------------------------------------------------------------
    def classify(self, description: str, top: int = 5) -> Classification:
        text = description.strip()
        if not text:
            raise InputError("description: empty; describe the product (what it is and does)")
        if len(text) > MAX_QUERY_CHARS:
            raise InputError(f"description: longer than {MAX_QUERY_CHARS} characters")
        if top < 1 or top > 50:
            raise InputError("top: must be between 1 and 50")
        english, dutch_used = self.dutch.translate(text, self._english_words)
        weights, q, expansions = self._weights(english)
        evidence = sum(self.index.idf_weight(t) * w for t, w in weights.items() if "_" not in t)
        content = [t for t in dict.fromkeys(q) if t not in _GENERIC]
        known = [t for t in content if t in self.index.vocabulary or t in self._domain]
        coverage = len(known) / len(content) if content else 0.0
        if (
            evidence < MIN_EVIDENCE
            or coverage < MIN_COVERAGE
            or not (set(content) & self._domain or expansions)
        ):
            raise InputError(
                "description: no technical term in it occurs in Annex I or in the synonym table; "
                "describe what the product is and does (e.g. 'thermal imaging camera', "
                "'encrypted VPN router')"
            )
        scores = self.index.score(weights)
        if self.embedder is not None and self.provision_vectors is not None:
            qv = self.embedder([english])[0]
            cos = self.provision_vectors @ qv
            # Rescale so the provision nearest in meaning gets 1 and the average one 0.
            mean, top_cos = float(cos.mean()), float(cos.max())
            dense = np.clip((cos - mean) / max(top_cos - mean, 1e-6), 0.0, 1.0) ** DENSE_POWER
            scores = scores + np.float32(DENSE_SHARE * float(scores.max())) * dense
        scores = scores * self._group_prior(q) * self._opposition(q)
        ranked = self._aggregate(scores, top)
        if not ranked:
            raise InputError("description: nothing in Annex I matches it")
        suggestions = tuple(
            self._suggestion(i, float(s), weights, q, expansions, english if dutch_used else None)
            for i, s in ranked
        )
        return Classification(
            description=description,
            english=english,
            dutch_terms=tuple(dutch_used),
            expansions=tuple(expansions),
            suggestions=suggestions,
            versions=self.versions,
        )

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

    def _aggregate(self, scores: npt.NDArray[np.float32], top: int) -> list[tuple[int, float]]:
        k = min(len(scores), max(150, top * 15))
        head = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        order = head[np.argsort(-scores[head], kind="stable")]
        best: dict[int, tuple[int, float]] = {}
        second: dict[int, float] = {}
        for i in order:
            s = float(scores[i])
            if s <= 0:
                break
            e = int(self._doc_entry[i])
            if e not in best:
                best[e] = (int(i), s)
            elif e not in second:
                second[e] = s
        ranked = sorted(
            ((i, s + SECOND_BEST_SHARE * second.get(e, 0.0)) for e, (i, s) in best.items()),
            key=lambda x: -x[1],
        )
        return [(self._settle(i, scores), s) for i, s in ranked[:top]]

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

    # -- explanation -----------------------------------------------------------------------
    def _suggestion(
        self,
        i: int,
        score: float,
        weights: dict[str, float],
        q: Sequence[str],
        expansions: Sequence[Expansion],
        from_dutch: str | None = None,
    ) -> Suggestion:
        p = self.provisions[i]
        own = {stem(w): w for w in words(p.text)}
        context = {stem(w): w for _, t in p.ancestors for w in words(t)}
        qset = set(q)
        direct = [own[t] for t in dict.fromkeys(q) if t in own]
        via_syn: list[str] = []
        for ex in expansions:
            hit = [own.get(t) or context.get(t) for t in ex.stems if t in own or t in context]
            if hit:
                via_syn.append(f"'{ex.phrase}' read as '{', '.join(ex.terms)}' ({ex.source})")
        in_context = [context[t] for t in dict.fromkeys(q) if t in context and t not in own]
        parts: list[str] = []
        if direct:
            parts.append("matches " + ", ".join(dict.fromkeys(direct)))
        if in_context:
            parts.append("heading matches " + ", ".join(dict.fromkeys(in_context)))
        if via_syn:
            parts.append("synonyms: " + "; ".join(via_syn))
        if not parts:
            parts.append("related wording in its notes, definitions or references")
        if from_dutch is not None:
            parts.insert(0, f"read from Dutch as '{from_dutch}'")
        highlights = tuple(
            dict.fromkeys(
                w for w in words(p.text) if stem(w) in weights or stem(w) in qset
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
