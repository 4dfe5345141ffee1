# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Party screening for the service through the screening core (`dualuse.screening`).

The lists are the files in `settings.SCREENING_LISTS_DIR` (published list files in any format the
core reads, or the authority's own CSV); the index is built once per change of those files and
shared. No lists, an unreadable list or any failure raises ScreeningUnavailableError: callers fail
closed (the case is blocked), never read it as "no match".
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from django.conf import settings

from dualuse.errors import DualuseError, ScreeningUnavailableError
from dualuse.screening import LATEST, Query, ScreeningIndex, read_lists

_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "index": None}


def _list_files() -> list[Path]:
    folder = Path(settings.SCREENING_LISTS_DIR)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def screening_index() -> ScreeningIndex:
    files = _list_files()
    if not files:
        raise ScreeningUnavailableError(
            f"no sanctions or restricted-party lists in {settings.SCREENING_LISTS_DIR}",
            field="screening",
        )
    key = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    with _lock:
        if _cache["key"] != key:
            try:
                snapshots = read_lists({p.name: p.read_bytes() for p in files})
                # The service screens with the latest released matcher (dualuse-match-2); each
                # result names its algorithm, so earlier results replay with theirs.
                _cache["index"] = ScreeningIndex(snapshots, algorithm=LATEST)
            except DualuseError as exc:
                raise ScreeningUnavailableError(
                    f"the screening lists cannot be read: {exc}", field="screening"
                ) from exc
            _cache["key"] = key
        return _cache["index"]


def screen_party(*, name: str, country: str, as_of: dt.date) -> dict[str, Any]:
    index = screening_index()
    matches = index.screen(Query(name=name, country=country or None))
    return {
        "matches": [m.as_json() for m in matches if m.alert],
        "algorithm": index.algorithm,
        "threshold": index.threshold,
        "lists": [
            {"list": info.list_name, "sha256": info.content_sha256, "records": info.record_count}
            for info in index.lists
        ],
        "as_of": as_of.isoformat(),
    }
