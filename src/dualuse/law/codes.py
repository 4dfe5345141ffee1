"""Annex I control codes: format, normalisation, ancestry and suggestions for mistyped codes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# As printed in the Official Journal, without the final dot: 5A002, 5A002.a.1, 1C350.42,
# 0B004.b.10.1. Category digit, group letter A-E, three digits, then dotted segments.
CODE_RE = re.compile(r"^[0-9][A-E][0-9]{3}(?:\.[a-z0-9]+)*$")
_SEGMENTS_RE = re.compile(r"([0-9]+|[a-z]+)")


def is_well_formed(code: str) -> bool:
    return bool(CODE_RE.match(code))


def normalise(raw: str) -> str:
    """The printed form of a code typed by a person: '5a002.A.1.' -> '5A002.a.1',
    '5A002a1' -> '5A002.a.1'. Does not decide whether the code exists."""
    text = raw.strip().rstrip(".").replace(" ", "")
    if len(text) < 5:
        return text.upper()
    head, tail = text[:5].upper(), text[5:].lower()
    if tail and not tail.startswith("."):
        tail = "." + ".".join(_SEGMENTS_RE.findall(tail))
    return head + tail


def ancestors_of(code: str) -> list[str]:
    """Syntactic ancestors, entry first: '5A002.a.1' -> ['5A002', '5A002.a']."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def is_within(code: str, scope: str) -> bool:
    """True when `code` is `scope` or one of its sub-entries."""
    return code == scope or code.startswith(scope + ".")


def suggest(code: str, known: Iterable[str], limit: int = 3) -> tuple[str, ...]:
    """Close existing codes for an unknown one ('did you mean 5A002.a.1?')."""
    known = list(known)
    target = normalise(code)
    if target in known:
        return (target,)
    close = difflib.get_close_matches(target, known, n=limit, cutoff=0.75)
    if close:
        return tuple(close)
    # Fall back to the nearest existing ancestor and its first children.
    for anc in reversed([*ancestors_of(target), target]):
        kids = sorted(k for k in known if k.startswith(anc + ".") and k.count(".") ==
                      anc.count(".") + 1)
        if anc in known:
            return tuple([anc, *kids][:limit])
    prefix = target[:4]
    return tuple(sorted(k for k in known if k.startswith(prefix) and "." not in k)[:limit])
