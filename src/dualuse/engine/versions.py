"""The rules version a determination names: a release label plus a digest of the source of the
rule modules (and of the engine that applies them) and of the provisions they cite, so any change
of a rule's logic or citation shows in every result and in a replay."""

from __future__ import annotations

import hashlib
import inspect
import sys

from dualuse.rules import all_rules
from dualuse.rules.annex_ii.common import ugea_rules

RULES_RELEASE = "2026.11.28"


def _sources() -> list[str]:
    names = sorted({r.func.__module__ for r in all_rules()} | {
        "dualuse.rules.context", "dualuse.rules.registry", "dualuse.rules.annex_ii.common",
        "dualuse.rules.annex_ii.coverage", "dualuse.engine.determination",
        "dualuse.rules.sanctions_goods.facts",
        *(f"dualuse.rules.annex_ii.{u.id.lower()}" for u in ugea_rules()),
    })
    out = []
    for name in names:
        module = sys.modules.get(name)
        try:
            out.append(inspect.getsource(module) if module else name)
        except (OSError, TypeError):  # no source shipped: fall back to the module's name
            out.append(name)
    return out


def _digest() -> str:
    parts = [f"{r.id}={r.cited}" for r in all_rules()]
    parts += [f"{u.id}={u.citation.render()}:{','.join(q.id for q in u.questions)}"
              for u in ugea_rules()]
    parts += _sources()
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:8]


RULES_VERSION = f"{RULES_RELEASE}-{_digest()}"
