"""Art. 16(5): is a transaction essentially identical to a valid denial?

Pure: plain values in, a reasoned resemblance out. A denial resembles a transaction when an item
falls under the same Annex I entry (the same code, or one code a sub-item of the other) and either
the end-user is the same (the screening core's name matcher, so transliterations and legal forms do
not hide it) or the destination is the same. Only a resemblance on item *and* end-user is one the
authority must examine before it decides; item and destination alone is shown for information.
The authority, not this function, decides what is essentially identical.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dualuse.screening import ALGORITHM, DEFAULT_THRESHOLD, explain_pair


@dataclass(frozen=True)
class Facts:
    """What the comparison needs of a transaction or a denial."""

    control_codes: tuple[str, ...]
    destinations: tuple[str, ...]
    end_users: tuple[str, ...]


@dataclass(frozen=True)
class Resemblance:
    codes: tuple[tuple[str, str], ...]  # (transaction code, denial code)
    destinations: tuple[str, ...]
    end_user: dict[str, Any] | None  # names, score, the matcher's explanation
    must_examine: bool

    def grounds(self) -> str:
        parts = ["same Annex I entry: " + ", ".join(f"{a} ~ {b}" for a, b in self.codes)]
        if self.end_user:
            parts.append(
                f"end-user {self.end_user['transaction']!r} ~ {self.end_user['denial']!r} "
                f"(score {self.end_user['score']:.2f}, {ALGORITHM})"
            )
        if self.destinations:
            parts.append("same destination: " + ", ".join(self.destinations))
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "codes": [list(p) for p in self.codes],
            "destinations": list(self.destinations),
            "end_user": self.end_user,
            "must_examine": self.must_examine,
            "grounds": self.grounds(),
            "algorithm": ALGORITHM,
        }


def _normal(code: str) -> str:
    return code.strip().upper().rstrip(".")


def same_entry(a: str, b: str) -> bool:
    """5A002 and 5A002.a.1 are the same entry; 5A002 and 5A0021 or 5A003 are not."""
    x, y = _normal(a), _normal(b)
    if not x or not y:
        return False
    short, long = sorted((x, y), key=len)
    return long == short or long.startswith(short + ".")


def _best_end_user(
    ours: Iterable[str], theirs: Iterable[str], threshold: float
) -> dict[str, Any] | None:
    best: dict[str, Any] | None = None
    for a in ours:
        for b in theirs:
            score, explanation = explain_pair(a, b, "LegalEntity")
            if score >= threshold and (best is None or score > best["score"]):
                best = {
                    "transaction": a, "denial": b, "score": round(score, 4),
                    "explanation": explanation,
                }
    return best


def resemble(
    transaction: Facts, denial: Facts, *, threshold: float = DEFAULT_THRESHOLD
) -> Resemblance | None:
    codes = tuple(
        (a, b) for a in transaction.control_codes for b in denial.control_codes if same_entry(a, b)
    )
    if not codes:
        return None
    destinations = tuple(sorted(set(transaction.destinations) & set(denial.destinations)))
    end_user = _best_end_user(transaction.end_users, denial.end_users, threshold)
    if end_user is None and not destinations:
        return None
    return Resemblance(codes, destinations, end_user, must_examine=end_user is not None)
