"""Edge for the batch path: the facts of Annex I codes (Annex IV, Section I, UGEA coverage) kept
in a cache file keyed by the data and rules versions, so a new process need not derive them
again. An unreadable or unwritable cache is not an error: the facts are then derived in memory.

Cache directory: $DUALUSE_CACHE_DIR, else $XDG_CACHE_HOME/dualuse, else ~/.cache/dualuse.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from dualuse.batch.determination_tables import Compiled
from dualuse.engine.result import Question
from dualuse.engine.versions import RULES_VERSION
from dualuse.rules.context import CodeFacts, UgeaItemCoverage


def cache_dir() -> Path:
    explicit = os.environ.get("DUALUSE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "dualuse"


def _path(compiled: Compiled) -> Path:
    return cache_dir() / f"determination-facts-{compiled.law.data_version}-{RULES_VERSION}.json"


def _facts_to_json(f: CodeFacts) -> dict[str, Any]:
    return {
        "code": f.code, "listed": f.listed, "group": f.group, "category": f.category,
        "category_part": f.category_part, "entry_citation": f.entry_citation,
        "annex_iv_part": f.annex_iv_part, "annex_iv_scope": f.annex_iv_scope,
        "annex_iv_note": f.annex_iv_note,
        "ugea_items": [{"ugea": c.ugea, "status": c.status, "reasons": list(c.reasons),
                        "questions": [[q.id, q.text, q.provision] for q in c.questions]}
                       for c in f.ugea_items],
    }


def _facts_from_json(d: dict[str, Any]) -> CodeFacts:
    return CodeFacts(
        code=d["code"], listed=d["listed"], group=d["group"], category=d["category"],
        category_part=d["category_part"], entry_citation=d["entry_citation"],
        annex_iv_part=d["annex_iv_part"], annex_iv_scope=d["annex_iv_scope"],
        annex_iv_note=d["annex_iv_note"],
        ugea_items=tuple(UgeaItemCoverage(c["ugea"], c["status"], tuple(c["reasons"]),
                                          tuple(Question(*q) for q in c["questions"]))
                         for c in d["ugea_items"]),
    )


def load(compiled: Compiled) -> None:
    """Fill the compiled tables with the cached code facts, if a cache for these versions
    exists and reads cleanly."""
    try:
        raw = json.loads(_path(compiled).read_text(encoding="utf-8"))
        facts = {(r["code"], r["not_used"], r["annex"]): _facts_from_json(r["facts"])
                 for r in raw}
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
    rows = [{"code": k[0], "not_used": k[1], "annex": k[2], "facts": _facts_to_json(v)}
            for k, v in compiled.facts.items() if k[0] is not None]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                         delete=False, suffix=".tmp") as tmp:
            json.dump(rows, tmp, ensure_ascii=False, separators=(",", ":"))
        Path(tmp.name).replace(path)
        compiled.new_facts = 0
    except OSError:
        return
