"""The rules version a determination names: a release label plus a digest of the registered
rules and the provisions they cite, so a change of rules or citations shows in every result."""

from __future__ import annotations

import hashlib

from dualuse.rules import all_rules
from dualuse.rules.annex_ii.common import ugea_rules

RULES_RELEASE = "2026.11.28"


def _digest() -> str:
    parts = [f"{r.id}={r.cited}" for r in all_rules()]
    parts += [f"{u.id}={u.citation.render()}:{','.join(q.id for q in u.questions)}"
              for u in ugea_rules()]
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:8]


RULES_VERSION = f"{RULES_RELEASE}-{_digest()}"
