"""Edge for the batch path: the facts of Annex I codes (Annex IV, Section I, UGEA coverage) kept
in a cache file keyed by the data and rules versions, so a new process need not derive them
again. Only what the batch decides on is kept (the reasons and questions are the
per-transaction engine's). An unreadable or unwritable cache is not an error: the facts are
then derived in memory.

Cache directory: $DUALUSE_CACHE_DIR, else $XDG_CACHE_HOME/dualuse, else ~/.cache/dualuse.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from dualuse.batch.determination_tables import Compiled
from dualuse.cache import cache_dir
from dualuse.engine.result import Question
from dualuse.engine.versions import RULES_VERSION
from dualuse.rules.context import CodeFacts, UgeaItemCoverage


def _path(compiled: Compiled) -> Path:
    return cache_dir() / f"determination-facts-{compiled.law.data_version}-{RULES_VERSION}.json"


_PLACEHOLDER = (Question("batch", "asked in the per-transaction determination", ""),)


def _facts_to_json(f: CodeFacts) -> list[Any]:
    # What the batch reads: the decision facts, not the reasons' and questions' texts.
    return [f.code, f.listed, f.group, f.category, f.category_part, f.annex_iv_part,
            f.annex_iv_scope, [[c.ugea, c.status] for c in f.ugea_items]]


def _facts_from_json(d: list[Any], coverage: dict[tuple[str, str], UgeaItemCoverage]
                     ) -> CodeFacts:
    items = []
    for uid, status in d[7]:
        c = coverage.get((uid, status))
        if c is None:
            c = coverage[(uid, status)] = UgeaItemCoverage(
                uid, status, (), _PLACEHOLDER if status == "conditional" else ())
        items.append(c)
    return CodeFacts(code=d[0], listed=d[1], group=d[2], category=d[3], category_part=d[4],
                     entry_citation=None, annex_iv_part=d[5], annex_iv_scope=d[6],
                     annex_iv_note=None, ugea_items=tuple(items))


def load(compiled: Compiled) -> None:
    """Fill the compiled tables with the cached code facts, if a cache for these versions
    exists and reads cleanly."""
    try:
        raw = json.loads(_path(compiled).read_text(encoding="utf-8"))
        coverage: dict[tuple[str, str], UgeaItemCoverage] = {}
        facts = {(r[0], r[1], r[2]): _facts_from_json(r[3], coverage) for r in raw}
    except (OSError, ValueError, KeyError, TypeError):
        return
    for key, value in facts.items():
        compiled.facts.setdefault(key, value)


def save(compiled: Compiled) -> None:
    """Write the code facts when new ones were derived or no cache exists yet (atomically;
    errors ignored)."""
    path = _path(compiled)
    if not compiled.new_facts and path.exists():
        return
    rows = [[k[0], k[1], k[2], _facts_to_json(v)]
            for k, v in compiled.facts.items() if k[0] is not None]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                         delete=False, suffix=".tmp") as tmp:
            tmp.write(json.dumps(rows, ensure_ascii=False, separators=(",", ":")))
        Path(tmp.name).replace(path)
        compiled.new_facts = 0
    except OSError:
        return
