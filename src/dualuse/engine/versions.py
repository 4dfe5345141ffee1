"""The rules version a determination names: a release label plus a digest of the source of the
rule modules (and of the engine that applies them) and of the provisions they cite, so any change
of a rule's logic or citation shows in every result and in a replay. `RULES_CHANGES` says what
each release changed, for replays of determinations made under an earlier one."""

from __future__ import annotations

import hashlib
import inspect
import sys

from dualuse.rules import all_rules
from dualuse.rules.annex_ii.common import ugea_rules

RULES_RELEASE = "2026.12.08"

# What each rules release changed, with the provision that decides it (history is appended).
RULES_CHANGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("2026.12.08", (
        "Art. 2(19): an arms embargo imposed by a decision of the OSCE counts ('binding' "
        "qualifies only a UN Security Council resolution): Armenia and Azerbaijan are under an "
        "arms embargo for Art. 4(1)(b).",
        "Sanctions: brokering services and technical assistance to Russia are prohibited by "
        "Council Regulation (EU) No 833/2014, Art. 2(2)(a), to Belarus by (EC) No 765/2006, "
        "Art. 1e(2)(a) (not paragraph 1); a prohibition lists the act's exceptions and "
        "derogations.",
        "Art. 10(1) applies only to national control lists the Commission published under "
        "Art. 9(4): before the publication date it does not; where the date is unknown the "
        "determination asks. It also follows the other member state's destination scope and "
        "authorisation requirements only.",
        "Art. 2(7): items located in the Union or staying in one third country are not brokered "
        "within Art. 2(7); where the items are is asked for when not given. Art. 6(3) extends "
        "only the 'informed' rule of Art. 6(1): a Dutch broker's awareness duty for non-listed "
        "items is Wsd art. 4(5); Wsd art. 4(3)-(4) name Art. 4(1)(a) and (b) only.",
        "Art. 7(1)-(2): a transit is prohibited or made subject to authorisation by a decision "
        "of the competent authority, not by being informed: informed transit is "
        "'notify_authority' with the decision asked for; the customs status (Art. 2(11)) is "
        "checked and asked for.",
        "Arts 12(2), 13(1): exporters, brokers and providers established outside the Union are "
        "decided under the member state where the items are or from where the services are "
        "provided (exporter.established_in).",
        "Art. 27 records and the application route (Arts 11(3), 12(2), 12(4), 13, 14(1)) for "
        "every authorisation, also under Arts 4, 5, 9 and 10.",
        "Dutch law: Wsd art. 3(1) prohibits technical assistance related to WMD (unless an "
        "Art. 8(3) ground applies); Wsd art. 6 (brokering of items in the Union) and art. 7 "
        "(notification before first brokering; Annex II Section I items).",
        "A note lists the items of a national measure Annex I took over (the Dutch "
        "semiconductor measure: 3B501 and more, from 2025-11-15).",
        "Every provision tested says whether it applies and what decided it (explanation "
        "'applies' and 'decided_by'; the text output lists why each one does not apply).",
        "Sanctions beyond Annex I (items[].cn_code): exports to Russia of goods whose CN code "
        "falls under Annex VII Part B or Annex XXIII are prohibited by Council Regulation (EU) "
        "No 833/2014, Arts 2a(1) and 3k(1) (services: 2a(2)(a), 3k(2)(a)); to Iran under "
        "Annex II by Regulation (EU) 2023/1529, Art. 2(1); exceptions and derogations are asked.",
        "Fail closed (new outcome 'undetermined'): an item to Russia, Belarus or Iran without "
        "its CN code, or with one that lists not bundled may name, is no longer 'no "
        "authorisation required' until the exporter answers (sanctions.*.cn_code, "
        "sanctions.*.other_listings).",
        "Exports of common high priority items to third countries other than the partner "
        "countries bring the no-Russia clause (833/2014 Art. 12g(1)) and due diligence "
        "(Art. 12gb(1)); for Belarus 765/2006 Arts 8g(1), 8ga(1); Art. 2a(1aa) requires an "
        "authorisation for Annex VII goods once the authority informed the exporter.",
    )),
)


def changes_since(release: str) -> tuple[str, ...]:
    """The rules changes of the releases after `release` (a rules version's label)."""
    return tuple(c for r, changes in RULES_CHANGES if r > release for c in changes)


def _sources() -> list[str]:
    names = sorted({r.func.__module__ for r in all_rules()} | {
        "dualuse.rules.context", "dualuse.rules.registry", "dualuse.rules.annex_ii.common",
        "dualuse.rules.annex_ii.coverage", "dualuse.rules.national",
        "dualuse.engine.determination", "dualuse.engine.transaction", "dualuse.engine.result",
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
