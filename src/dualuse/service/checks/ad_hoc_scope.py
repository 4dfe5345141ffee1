"""Does an ad hoc requirement the authority imposed on the exporter reach this transaction?

Pure (plain values in, a reasoned answer out; no framework, database or clock), so it can move to
`rules/ad_hoc.py` with the engine's own ad hoc rule. The decision names the items (Annex I codes,
a code covering its sub-items), the end-users and the destinations it concerns; the engine then
applies those that reach the transaction. End-users are compared with the screening core's name
matcher, never as exact strings, and it fails closed:

- the end-user matches a named one (at the matcher's alert threshold): the decision binds;
- it resembles one (at least `RESEMBLES`): the decision binds, and the exporter is asked whether
  it is another organisation; a "yes" (true) answer lifts it, and is kept with the check;
- no end-user is named: the decision binds, and the exporter is asked to name the end-user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dualuse.engine.transaction import AD_HOC_ARTICLES
from dualuse.errors import UnknownCodeError, UnknownCountryError
from dualuse.law import Catalogue
from dualuse.law.codes import normalise
from dualuse.screening import ALGORITHM, DEFAULT_THRESHOLD, explain_pair

# A name score at which the matcher finds half the distinctive words of the two names the same
# ("Northwestern Polytechnical University" ~ "Northwest Polytechnical University" is 0.5): too
# close to let pass unasked under a decision that names the end-user.
RESEMBLES = 0.5


@dataclass(frozen=True)
class Scope:
    """An imposed requirement as the decision states it."""

    reference: str  # e.g. "AH-3"
    article: str  # the engine's spelling: "4(1)(a)"
    control_codes: tuple[str, ...] = ()
    end_users: tuple[str, ...] = ()
    destinations: tuple[str, ...] = ()
    valid_from: dt.date | None = None


@dataclass(frozen=True)
class Reach:
    reference: str
    binds: bool
    reason: str
    items: tuple[int, ...] | None = None  # None: every item
    end_user: dict[str, Any] | None = None  # the matcher's best pair, score and explanation
    question: dict[str, str] | None = None  # {id, question, provision}, while it is open

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "binds": self.binds,
            "reason": self.reason,
            "items": None if self.items is None else list(self.items),
            "end_user": self.end_user,
            "question": self.question,
        }


def covers(scope_code: str, code: str | None) -> bool:
    """5A002 covers 5A002 and 5A002.a.1, not 5A003."""
    if not code:
        return False
    a, b = normalise(scope_code), normalise(code)
    return b == a or b.startswith(a + ".")


def other_end_user_question(reference: str) -> str:
    """The answer id that says the end-user is another organisation than the decision names."""
    return f"{reference}.other_end_user"


def end_user_question(reference: str) -> str:
    return f"{reference}.end_user"


def best_match(given: Iterable[str], named: Iterable[str]) -> dict[str, Any] | None:
    best: dict[str, Any] | None = None
    for a in given:
        for b in named:
            score, explanation = explain_pair(a, b, "LegalEntity")
            if best is None or score > best["score"]:
                best = {"given": a, "named": b, "score": round(score, 4),
                        "algorithm": ALGORITHM, "explanation": explanation}
    return best


def reach(
    scope: Scope,
    *,
    activity: str,
    destination: str,
    as_of: dt.date,
    item_codes: Sequence[str | None],
    end_users: Sequence[str],
    answers: Mapping[str, Any],
    provision: str,
) -> Reach:
    """Whether the decision reaches a transaction, and why (see the module's doc)."""
    ref = scope.reference
    governs = AD_HOC_ARTICLES.get(scope.article)
    if governs != activity:
        return Reach(ref, False, f"concerns {str(governs).replace('_', ' ')}, not "
                                 f"{activity.replace('_', ' ')}")
    if scope.destinations and destination not in scope.destinations:
        return Reach(ref, False, f"concerns {', '.join(scope.destinations)}, not {destination}")
    if scope.valid_from and as_of < scope.valid_from:
        return Reach(ref, False, f"applies from {scope.valid_from.isoformat()}")
    items: tuple[int, ...] | None = None
    if scope.control_codes:
        items = tuple(i for i, code in enumerate(item_codes)
                      if any(covers(s, code) for s in scope.control_codes))
        if not items:
            return Reach(ref, False, f"concerns items under {', '.join(scope.control_codes)}; "
                                     f"none of this transaction's")
    if not scope.end_users:
        return Reach(ref, True, "binds every end-user", items)
    named = ", ".join(scope.end_users)
    names = [n for n in end_users if n.strip()]
    if not names:
        return Reach(ref, True, f"names end-users ({named}) and this transaction names none: it "
                                f"binds until the end-user is named", items, question={
            "id": end_user_question(ref),
            "question": f"Decision {ref} requires an authorisation for exports to {named}. Who "
                        f"is the end-user? Until you name it, the decision applies.",
            "provision": provision})
    match = best_match(names, scope.end_users)
    assert match is not None
    said = f"{match['given']!r} ~ {match['named']!r} (score {match['score']:.2f}, {ALGORITHM})"
    if match["score"] >= DEFAULT_THRESHOLD:
        return Reach(ref, True, f"the end-user is one the decision names: {said}", items, match)
    if match["score"] >= RESEMBLES:
        key = other_end_user_question(ref)
        if answers.get(key) is True:
            return Reach(ref, False, f"the end-user resembles one the decision names ({said}); "
                                     f"you declared it is another organisation", items, match)
        return Reach(ref, True, f"the end-user resembles one the decision names ({said}): it "
                                f"binds unless it is another organisation", items, match,
                     question={
            "id": key,
            "question": f"Is {match['given']} another organisation than {match['named']}, "
                        f"whom decision {ref} names? Until you answer yes, the decision applies.",
            "provision": provision})
    return Reach(ref, False, f"the end-user is none the decision names (best {said})", items,
                 match)


def validate_scope(
    cat: Catalogue, control_codes: Iterable[str], destinations: Iterable[str]
) -> tuple[list[str], list[str]]:
    """The codes and destinations of a decision, checked against the law as of its day: an
    unknown code (UnknownCodeError, with suggestions) or country (UnknownCountryError) is
    refused, never stored."""
    codes = []
    for i, raw in enumerate(c for c in control_codes if c.strip()):
        try:
            codes.append(cat.entry(raw.strip()).code)
        except UnknownCodeError as exc:
            raise UnknownCodeError(exc.code, field=f"control_codes[{i}]",
                                   suggestions=exc.suggestions, as_of=cat.as_of.isoformat()
                                   ) from None
    dests = []
    for i, raw in enumerate(d for d in destinations if d.strip()):
        try:
            dests.append(cat.country(raw).iso2)
        except UnknownCountryError:
            raise UnknownCountryError(f"unknown country {raw.strip()!r}",
                                      field=f"destinations[{i}]") from None
    return list(dict.fromkeys(codes)), list(dict.fromkeys(dests))
