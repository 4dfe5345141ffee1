"""Edge for the classifier: builds it from the bundled law and keeps the lexical index in a
cache file keyed by the data version (so a new Annex I or synonym table rebuilds it).

Cache directory: $DUALUSE_CACHE_DIR, else $XDG_CACHE_HOME/dualuse, else ~/.cache/dualuse. An
unwritable cache is not an error: the index is then built in memory each run (about a second).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from dualuse.cache import cache_dir
from dualuse.classify.build import build_classifier
from dualuse.classify.embedding import StaticEmbedder
from dualuse.classify.search import Classifier
from dualuse.errors import DataIntegrityError
from dualuse.law import load_law

_lock = threading.Lock()
_classifiers: dict[str, Classifier] = {}
_embedder: list[StaticEmbedder | None] = []  # loaded once per process, shared by all versions


def get_classifier(day: date | None = None) -> Classifier:
    """The classifier for the Annex I in force on `day` (today if None), built once per
    process and Annex I version."""
    law = load_law()
    cat = law.as_of(day or date.today())
    version = cat.annex_i_version.id
    with _lock:
        found = _classifiers.get(version)
        if found is not None:
            return found
        path = _index_path(law.data_version, version)
        cached = _read(path)
        clf, fresh = build_classifier(
            cat, data_version=law.data_version, annex_version=version, cached_index=cached,
            embedder=_shared_embedder(),
        )
        if fresh is not None:
            _write(path, fresh)
        _classifiers[version] = clf
        return clf


# The static embedding model shipped inside the `wordllama` wheel (MIT licence): 32,000 token
# vectors of 256 dimensions with the tokenizer they belong to. Only these two files are read;
# the package's own loader (which can download from a model hub) is never called.
DENSE_PACKAGE = "wordllama"
DENSE_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
DENSE_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
DENSE_DIMS = 128  # leading (matryoshka) dimensions used: same accuracy, a quarter of the work


def dense_model_files() -> tuple[Path, Path] | None:
    """The shipped weight and tokenizer files, or None when the package is not installed."""
    spec = importlib.util.find_spec(DENSE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    weights, tokenizer = root.joinpath(*DENSE_WEIGHTS), root.joinpath(*DENSE_TOKENIZER)
    if not weights.is_file() or not tokenizer.is_file():
        return None
    return weights, tokenizer


def load_static_embedder(files: tuple[Path, Path] | None = None) -> StaticEmbedder | None:
    """Load the shipped static embeddings offline; None (lexical search only) if unavailable
    or switched off with DUALUSE_CLASSIFY_DENSE=0."""
    if os.environ.get("DUALUSE_CLASSIFY_DENSE", "1") == "0":
        return None
    files = files or dense_model_files()
    if files is None:
        return None
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    weights, tokenizer_file = files
    tensors = load_file(str(weights))
    if len(tensors) != 1:
        raise DataIntegrityError(f"{weights}: expected one embedding matrix, got {list(tensors)}")
    matrix = next(iter(tensors.values()))
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()
    tokenizer.no_truncation()

    def encode(texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in tokenizer.encode_batch(list(texts), add_special_tokens=False)]

    return StaticEmbedder(
        matrix, encode, name=f"{DENSE_PACKAGE}:{weights.name}[:{DENSE_DIMS}]", dims=DENSE_DIMS
    )


def _shared_embedder() -> StaticEmbedder | None:
    if not _embedder:
        _embedder.append(load_static_embedder())
    return _embedder[0]


def _index_path(data_version: str, annex_version: str) -> Path:
    tag = hashlib.sha256(f"{data_version}|{annex_version}".encode()).hexdigest()[:16]
    return cache_dir() / f"classify-index-{annex_version}-{tag}.json"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".classify-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        return
