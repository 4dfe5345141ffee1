"""Party screening against sanctions and restricted-party lists (pure core: bytes in, matches out).

Python API (what the CLI, the batch runner and the web service call)::

    from dualuse.screening import Query, ScreeningIndex, read_lists

    snapshots = read_lists({"consolidated.xml": xml_bytes, "sdn.csv": ..., "alt.csv": ...})
    index = ScreeningIndex(snapshots, threshold=0.7)       # build once, share between threads
    for m in index.screen(Query(name="Vladimir Putin", schema="Person", country="RU")):
        m.list, m.list_id, m.name, m.score, m.alert, m.explanation

* `read_lists(files)` takes {file name: raw bytes}, detects each format from its content and
  returns one `ListSnapshot` per list (list name, format, content hash, records with the list's
  own ids). A malformed file raises `InputError` naming the file and line.
* `ScreeningIndex.screen(query)` returns `Match`es best first (score in [0, 1], `alert` at the
  threshold, a per-feature `explanation` naming the algorithm). An index with no names raises
  `ScreeningUnavailableError`: callers must fail closed and never read that as "no match".
* `score_names(left, right, schema)` / `explain_pair(...)` score two bare names.
* `diff_snapshots(old, new)` reports added, removed and amended records between two versions.

Two released algorithm versions (`ALGORITHMS`): `dualuse-match-1` (`ALGORITHM`, the default
where a caller names none) and `dualuse-match-2` (`MATCH_2`, `LATEST`: also across scripts and
spellings, nicknames, Wade-Giles). `ScreeningIndex(..., algorithm=MATCH_2)`,
`score_names(a, b, schema, algorithm=MATCH_2)`. Released versions are never edited in place.
"""

from __future__ import annotations

from dualuse.screening.changes import ListChanges, diff_snapshots
from dualuse.screening.formats import read_lists
from dualuse.screening.index import ListInfo, ScreeningIndex
from dualuse.screening.model import ListRecord, ListSnapshot, Match, Query, canonical_schema
from dualuse.screening.scoring import (
    ALGORITHM,
    ALGORITHMS,
    DEFAULT_THRESHOLD,
    LATEST,
    MATCH_2,
    explain_pair,
    score_names,
)

__all__ = [
    "ALGORITHM",
    "ALGORITHMS",
    "DEFAULT_THRESHOLD",
    "LATEST",
    "MATCH_2",
    "ListChanges",
    "ListInfo",
    "ListRecord",
    "ListSnapshot",
    "Match",
    "Query",
    "ScreeningIndex",
    "canonical_schema",
    "diff_snapshots",
    "explain_pair",
    "read_lists",
    "score_names",
]
