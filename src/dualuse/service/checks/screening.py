# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Party screening for the service through the screening core (`dualuse.screening`).

The lists are the snapshots in force in the one list store that `dualuse lists update` (and
`dualuse lists add`, for a list kept by hand) writes: `settings.SCREENING_LISTS_DIR`, found the
same way as the command finds it (`DUALUSE_LISTS_DIR`, else `<data dir>/lists`). The index is built
once per change of the snapshots in force and shared. No snapshot, an unreadable one or any failure
raises ScreeningUnavailableError: callers fail closed (the case is blocked), never read it as
"no match".

Each result says how strong each hit is: "exact" when the listed name and the screened one agree
(score 1 after normalisation: case, accents, word order, legal forms) and "possible" for a
resemblance at or above the threshold. Either is a hit to review; neither is ever shown as a
clearance.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from dualuse.batch.lists_update import load_current_by_list, store_versions
from dualuse.errors import DualuseError, ScreeningUnavailableError
from dualuse.screening import LATEST, ListRecord, Match, Query, ScreeningIndex

EXACT_SCORE = 0.995  # scores are rounded to 4 places: 1.0 is an exact agreement


@dataclass(frozen=True)
class LoadedLists:
    """One build of the index, its records (for their programmes) and what it was built from.
    Hits are named by the store's name of their list (stable across versions and file names)."""

    index: ScreeningIndex
    records: dict[tuple[str, str], ListRecord]
    store_names: dict[str, str]  # the snapshot's own list name -> the store's
    lists: list[dict[str, Any]]
    versions: dict[str, str]


_lock = threading.Lock()
_cache: dict[str, LoadedLists | None] = {"loaded": None}


def store() -> Path:
    return Path(settings.SCREENING_LISTS_DIR)


def lists_in_force() -> dict[str, str]:
    """List name -> the snapshot in force (fetched-at and content hash)."""
    return store_versions(store())


def _build(versions: dict[str, str]) -> LoadedLists:
    try:
        named = load_current_by_list(store())
        # The service screens with the latest released matcher (dualuse-match-2); each
        # result names its algorithm, so earlier results replay with theirs.
        index = ScreeningIndex([s for _, s in named], algorithm=LATEST)
    except DualuseError as exc:
        raise ScreeningUnavailableError(
            f"the screening lists cannot be read: {exc}", field="screening"
        ) from exc
    store_names: dict[str, str] = {}
    for name, snapshot in named:
        store_names.setdefault(snapshot.list_name, name)
    return LoadedLists(
        index=index,
        records={(s.list_name, r.list_id): r for _, s in named for r in s.records},
        store_names=store_names,
        lists=[
            {
                "list": name,
                "snapshot": versions.get(name, ""),
                "sha256": s.content_sha256,
                "records": s.record_count,
                "published": s.published,
            }
            for name, s in named
        ],
        versions=versions,
    )


def loaded_lists() -> LoadedLists:
    versions = lists_in_force()
    if not versions:
        raise ScreeningUnavailableError(
            f"no sanctions or restricted-party lists in the store {store()}: run "
            "`dualuse lists update` (or `dualuse lists add NAME FILE` for a list of your own)",
            field="screening",
        )
    with _lock:
        loaded = _cache["loaded"]
        if loaded is None or loaded.versions != versions:
            loaded = _cache["loaded"] = _build(versions)
        return loaded


def screening_index() -> ScreeningIndex:
    return loaded_lists().index


def strength(score: float) -> str:
    return "exact" if score >= EXACT_SCORE else "possible"


def _match_json(m: Match, loaded: LoadedLists) -> dict[str, Any]:
    record = loaded.records.get((m.list, m.list_id))
    return {
        **m.as_json(),
        "list": loaded.store_names.get(m.list, m.list),
        "strength": strength(m.score),
        "caption": m.caption,
        "programmes": list(record.programmes) if record else [],
    }


def screen_party(*, name: str, country: str, as_of: dt.date) -> dict[str, Any]:
    """One party against the lists in force: the hits (best first, each with its strength, list,
    entry, programmes and score), the strongest hit's strength, and what was screened against."""
    loaded = loaded_lists()
    hits = loaded.index.screen(Query(name=name, country=country or None))
    matches = [_match_json(m, loaded) for m in hits if m.alert]
    return {
        "matches": matches,
        "strength": matches[0]["strength"] if matches else None,
        "algorithm": loaded.index.algorithm,
        "threshold": loaded.index.threshold,
        "lists": list(loaded.lists),
        "as_of": as_of.isoformat(),
    }
