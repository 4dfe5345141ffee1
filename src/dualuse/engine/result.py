"""What a determination answers: outcome, legal bases, UGEAs, obligations, questions, and the
explanation tree, with the data and rules versions and the hash of the input."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Outcome precedence (issue 3): prohibited > undetermined > authorisation_required >
# notify_authority > no_authorisation_required. `undetermined` (issue 13): a fact the law needs is
# missing and may decide a prohibition (e.g. the CN code of a good exported to Russia): never
# "no authorisation required" by default, and ranked above an authorisation requirement because
# the answer may still be a prohibition. The questions say what decides it.
OUTCOMES = ("no_authorisation_required", "notify_authority", "authorisation_required",
            "undetermined", "prohibited")
SEVERITY = {o: i for i, o in enumerate(OUTCOMES)}
UGEA_STATUSES = ("available", "conditional", "not_available")

_NUM = re.compile(r"(\d+)")


def worst(outcomes: list[str] | tuple[str, ...]) -> str:
    return max(outcomes, key=SEVERITY.__getitem__, default=OUTCOMES[0])


def basis_sort_key(basis: tuple[str, str]) -> tuple[int, list[Any]]:
    """(outcome, citation): most severe first, then citations in natural order (Art. 3 < 10)."""
    outcome, text = basis
    return (-SEVERITY[outcome], [int(p) if p.isdigit() else p for p in _NUM.split(text)])


def order_bases(bases: set[tuple[str, str]]) -> list[str]:
    """Distinct citations, the most severe outcome's first (a citation appears once)."""
    seen: list[str] = []
    for _, text in sorted(bases, key=basis_sort_key):
        if text not in seen:
            seen.append(text)
    return seen


@dataclass(frozen=True, slots=True)
class Question:
    """A fact the answer depends on that the input did not give. Answer it under `answers`."""

    id: str
    text: str
    provision: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "question": self.text, "provision": self.provision}


@dataclass(frozen=True, slots=True)
class Obligation:
    """A duty the transaction brings: records, notifications, documents, registration."""

    kind: str  # record_keeping | notification | document | registration | reporting | declaration
    text: str
    provision: str
    deadline: str | None = None

    def to_dict(self) -> dict[str, str]:
        out = {"kind": self.kind, "obligation": self.text, "provision": self.provision}
        if self.deadline:
            out["deadline"] = self.deadline
        return out


@dataclass(slots=True)
class Node:
    """One step of the explanation tree: which rule, under which provision, read which facts,
    and what it found."""

    rule: str
    citation: str
    result: str
    facts: dict[str, Any] = field(default_factory=dict)
    outcome: str | None = None
    children: list[Node] = field(default_factory=list)
    # For a provision tested: whether it applies (decides an outcome or brings a duty), and the
    # fact or exemption that decided it either way.
    applies: bool | None = None
    decided_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "citation": self.citation,
                               "result": self.result, "facts": self.facts}
        if self.outcome:
            out["outcome"] = self.outcome
        if self.applies is not None:
            out["applies"] = self.applies
        if self.decided_by is not None:
            out["decided_by"] = self.decided_by
        if self.children:
            out["children"] = [c.to_dict() for c in self.children]
        return out


@dataclass(frozen=True, slots=True)
class UgeaResult:
    id: str
    status: str
    reasons: tuple[str, ...]
    citation: str
    questions: tuple[Question, ...] = ()
    obligations: tuple[Obligation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "reasons": list(self.reasons),
            "citation": self.citation,
            "questions": [q.to_dict() for q in self.questions],
            "obligations": [o.to_dict() for o in self.obligations],
        }


@dataclass(frozen=True, slots=True)
class ItemResult:
    index: int
    control_code: str | None
    listed: bool
    outcome: str
    legal_bases: tuple[str, ...]
    # (UGEA id, available | conditional | not_available | not_needed)
    ugea_statuses: tuple[tuple[str, str], ...]
    cn_code: str | None = None
    annex_i_text: str | None = None  # the wording of the code's own provision in Annex I

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "control_code": self.control_code,
            "cn_code": self.cn_code,
            "annex_i_text": self.annex_i_text,
            "listed_in_annex_i": self.listed,
            "outcome": self.outcome,
            "legal_bases": list(self.legal_bases),
            "general_authorisations": {u: s for u, s in self.ugea_statuses},
        }


@dataclass(frozen=True, slots=True)
class Determination:
    outcome: str
    legal_bases: tuple[str, ...]
    general_authorisations: tuple[UgeaResult, ...]
    items: tuple[ItemResult, ...]
    obligations: tuple[Obligation, ...]
    questions: tuple[Question, ...]
    explanation: Node
    as_of: str
    annex_i_version: str
    data_version: str
    rules_version: str
    input_hash: str
    input: dict[str, Any]
    notes: tuple[str, ...] = ()
    disclaimer: str = ""
    countries: dict[str, str] = field(default_factory=dict)  # ISO code -> name, for the input's

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "legal_bases": list(self.legal_bases),
            "general_authorisations": [u.to_dict() for u in self.general_authorisations],
            "items": [i.to_dict() for i in self.items],
            "obligations": [o.to_dict() for o in self.obligations],
            "missing_facts": [q.to_dict() for q in self.questions],
            "notes": list(self.notes),
            "explanation": self.explanation.to_dict(),
            "as_of": self.as_of,
            "annex_i_version": self.annex_i_version,
            "data_version": self.data_version,
            "rules_version": self.rules_version,
            "input_hash": self.input_hash,
            "input": self.input,
            "countries": dict(self.countries),
            "disclaimer": self.disclaimer,
        }
