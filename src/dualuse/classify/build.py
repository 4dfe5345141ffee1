"""Assemble a Classifier from the law catalogue and the reviewed vocabulary data."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib import resources
from typing import Protocol

from dualuse.classify.corpus import (
    DefinitionLike,
    EntryLike,
    build_definitions,
    build_provisions,
)
from dualuse.classify.dense import DenseIndex, Progress, TextEncoder, VectorStore
from dualuse.classify.embedding import StaticEmbedder, embed_provisions
from dualuse.classify.families import FamilyTable, anchor_matrix, parse_families
from dualuse.classify.index import INDEX_FORMAT, LexicalIndex
from dualuse.classify.lexicon import DutchTable, SynonymTable, parse_dutch, parse_synonyms
from dualuse.classify.ranker import LearnedWeights, parse_weights
from dualuse.classify.search import Classifier, NoteRef
from dualuse.errors import DataIntegrityError

# Note documents that release or frame items (cited under a suggestion when they apply).
_RELEASING_NOTE_TYPES = frozenset({
    "general_software_note", "general_technology_note", "nuclear_software_note",
    "nuclear_technology_note", "information_security_note", "section_note",
})


class NoteDocLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def doc_type(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...


class CatalogueLike(Protocol):
    """What the classifier needs of `dualuse.law.Catalogue`."""

    def entries(self) -> Sequence[EntryLike]: ...
    def definitions(self) -> Sequence[DefinitionLike]: ...
    def notes_for(self, code: str) -> Sequence[NoteDocLike]: ...


def vocabulary_text() -> tuple[str, str]:
    """The bundled synonym and Dutch tables (package data, read-only)."""
    base = resources.files("dualuse.data") / "classify"
    return (
        (base / "synonyms.yaml").read_text(encoding="utf-8"),
        (base / "dutch.yaml").read_text(encoding="utf-8"),
    )


def bundled_text(name: str) -> str | None:
    """A bundled data file of the classifier (families, learned weights), or None."""
    path = resources.files("dualuse.data") / "classify" / name
    return path.read_text(encoding="utf-8") if path.is_file() else None


LEARNED_WEIGHTS = "ranker.json"
FAMILIES = "cyber_families.yaml"


def index_key(data_version: str, annex_version: str, synonyms: str) -> str:
    """Cache key: the index depends on the data, the Annex I version and the index format."""
    digest = hashlib.sha256(synonyms.encode()).hexdigest()[:8]
    return f"{data_version}|{annex_version}|f{INDEX_FORMAT}|{digest}"


def build_classifier(
    catalogue: CatalogueLike,
    *,
    data_version: str,
    annex_version: str,
    synonyms_text: str | None = None,
    dutch_text: str | None = None,
    cached_index: str | None = None,
    embedder: StaticEmbedder | None = None,
    encoder: TextEncoder | None = None,
    encoder_name: str = "",
    vectors: VectorStore | None = None,
    learned: LearnedWeights | str | None = LEARNED_WEIGHTS,
    families: FamilyTable | str | None = FAMILIES,
    progress: Progress | None = None,
) -> tuple[Classifier, str | None]:
    """The classifier for a catalogue day, and the index JSON to cache (None if it came from
    `cached_index`). A stale or corrupt `cached_index` is ignored and the index rebuilt.

    `encoder` is the sentence encoder (dense part) with the `vectors` known for its provision
    texts (those it lacks are computed, `progress` told, and left in `vectors.fresh` for the
    edge to keep). `learned` and `families` default to the bundled files; pass None to go
    without (then the verdict is always "listed": never "probably not listed" by default)."""
    if synonyms_text is None or dutch_text is None:
        syn_default, dutch_default = vocabulary_text()
        synonyms_text = synonyms_text if synonyms_text is not None else syn_default
        dutch_text = dutch_text if dutch_text is not None else dutch_default
    synonyms: SynonymTable = parse_synonyms(synonyms_text)
    dutch: DutchTable = parse_dutch(dutch_text)
    provisions = build_provisions(catalogue.entries())
    definitions = build_definitions(catalogue.definitions())
    key = index_key(data_version, annex_version, synonyms_text)
    index: LexicalIndex | None = None
    fresh: str | None = None
    if cached_index is not None:
        try:
            index = LexicalIndex.from_json(cached_index, key)
        except (DataIntegrityError, KeyError, TypeError, ValueError):
            index = None
        if index is not None and index.codes != tuple(p.code for p in provisions):
            index = None
    if index is None:
        index = LexicalIndex.build(provisions, definitions)
        fresh = index.to_json(key)

    def notes_for(code: str) -> tuple[NoteRef, ...]:
        return tuple(
            NoteRef(d.title, d.text)
            for d in catalogue.notes_for(code)
            if d.doc_type in _RELEASING_NOTE_TYPES
        )

    if isinstance(learned, str):
        text = bundled_text(learned)
        learned = parse_weights(text, origin=learned) if text is not None else None
    if isinstance(families, str):
        text = bundled_text(families)
        families = parse_families(text, origin=families) if text is not None else None
    dense = anchors = None
    if encoder is not None:
        store = vectors if vectors is not None else VectorStore.empty(encoder_name)
        dense = DenseIndex(provisions, encoder, encoder_name, store, progress)
        if families is not None:
            anchors = anchor_matrix(families, encoder)
    versions = {
        "data_version": data_version,
        "annex_i_version": annex_version,
        "synonyms_version": synonyms.version,
        "dutch_version": dutch.version,
        "sentence_encoder": encoder_name if encoder is not None else "none",
        "static_embeddings": embedder.name if embedder is not None else "none",
        "learned_weights": learned.version if learned is not None else "none",
        "families_version": families.version if families is not None else "none",
    }
    static = embed_provisions(provisions, embedder) if embedder is not None else None
    clf = Classifier(
        provisions, definitions, index, synonyms, dutch, notes_for, versions,
        embedder=embedder, provision_vectors=static, dense=dense, learned=learned,
        families=families, anchors=anchors,
    )
    return clf, fresh
