"""Edge for the classifier: builds it from the bundled law and keeps the lexical index in a
cache file keyed by the data version (so a new Annex I or synonym table rebuilds it).

Cache directory: $DUALUSE_CACHE_DIR, else $XDG_CACHE_HOME/dualuse, else ~/.cache/dualuse. An
unwritable cache is not an error: the index is then built in memory each run (about a second).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from datetime import date
from pathlib import Path

from dualuse.classify.build import build_classifier
from dualuse.classify.search import Classifier
from dualuse.law import load_law

_lock = threading.Lock()
_classifiers: dict[str, Classifier] = {}


def cache_dir() -> Path:
    explicit = os.environ.get("DUALUSE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "dualuse"


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
            cat, data_version=law.data_version, annex_version=version, cached_index=cached
        )
        if fresh is not None:
            _write(path, fresh)
        _classifiers[version] = clf
        return clf


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
