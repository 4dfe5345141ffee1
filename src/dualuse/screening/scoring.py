"""The name score qualified by secondary evidence, with an explanation.

Two released versions: `dualuse-match-1` and `dualuse-match-2` (match-1 plus sound classes
across scripts and spellings, nicknames and short forms, Wade-Giles and pinyin; see
docs/screening.md). Released algorithm versions are never edited in place: a change to any
weight, word list or rule that moves a score is a new version name, and the old one stays
available until it is retired, so stored screening results can be replayed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dualuse.errors import InputError
from dualuse.screening.evidence import (
    Effect,
    birth_date_effect,
    country_effect,
    identifier_effect,
    legal_form_effect,
    schema_effect,
)
from dualuse.screening.names import compare_names
from dualuse.screening.text import PreparedName, alternatives, prepare_name

ALGORITHM = "dualuse-match-1"  # the default where a caller names none (stored results replay)
MATCH_2 = "dualuse-match-2"
ALGORITHMS = (ALGORITHM, MATCH_2)
LATEST = MATCH_2
DEFAULT_THRESHOLD = 0.7


def check_algorithm(name: str) -> bool:
    """True for dualuse-match-2; InputError for a name that is no released version."""
    if name not in ALGORITHMS:
        raise InputError(f"unknown algorithm {name!r}; released: {', '.join(ALGORITHMS)}",
                         field="algorithm")
    return name == MATCH_2


def qualify(
    name_score: float,
    query_name: PreparedName,
    list_name: PreparedName,
    *,
    query_schema: str | None = None,
    list_schema: str = "LegalEntity",
    query_birth_date: str | None = None,
    list_birth_dates: Iterable[str] = (),
    query_country: str | None = None,
    list_countries: Iterable[str] = (),
    query_identifiers: Iterable[str] = (),
    list_identifiers: Iterable[str] = (),
) -> tuple[float, dict[str, Any]]:
    """Apply the evidence features to a name score: (final score in [0, 1], features)."""
    features: dict[str, Any] = {}
    score = name_score
    effects: list[tuple[str, Effect | None]] = [
        ("schema", schema_effect(query_schema, list_schema, score)),
        ("legal_form", legal_form_effect(query_name.legal_forms, list_name.legal_forms)),
    ]
    if name_score >= 0.4:  # evidence qualifies a name match; it never makes one on its own
        effects += [
            ("birth_date", birth_date_effect(query_birth_date, list_birth_dates)),
            ("country", country_effect(query_country, list_countries)),
            ("identifier", identifier_effect(query_identifiers, list_identifiers, score)),
        ]
    for feature, result in effects:
        if result is None:
            continue
        effect, detail = result
        score += effect
        features[feature] = {"effect": round(effect, 4), **detail}
    return min(1.0, max(0.0, score)), features


def score_names(left: str, right: str, schema: str | None = None,
                algorithm: str = ALGORITHM) -> float:
    """The score of two bare names (the `dualuse screen pairs` mode)."""
    return explain_pair(left, right, schema, algorithm)[0]


def explain_pair(
    left: str, right: str, schema: str | None = None, algorithm: str = ALGORITHM
) -> tuple[float, dict[str, Any]]:
    """Score and explanation of two bare names; a name holding several ('A/B') scores as its
    best part."""
    v2 = check_algorithm(algorithm)
    best: tuple[float, dict[str, Any]] = (0.0, {"algorithm": algorithm, "name": None,
                                                "features": {}})
    for lname in alternatives(left):
        q = prepare_name(lname, schema, v2=v2)
        if not q.tokens:
            continue
        for rname in alternatives(right):
            c = prepare_name(rname, schema, v2=v2)
            if not c.tokens:
                continue
            comparison = compare_names(q, c, v2)
            score, features = qualify(comparison.score, q, c)
            if score > best[0] or best[1]["name"] is None:
                best = (score, {"algorithm": algorithm, "name": comparison.explain(q, c),
                                "features": features})
    return best
