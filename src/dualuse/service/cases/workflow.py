"""Explicit state machines for licence applications (one per application type) and licences.

Pure: states, events and guards over plain facts, no database. A transition not in a type's table
is refused with IllegalTransitionError; a guard that fails is refused with the provision it applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from dualuse.errors import DualuseError


class IllegalTransitionError(DualuseError):
    """A state change the workflow does not allow (wrong state, wrong type or a failed guard)."""


class Kind(StrEnum):
    INDIVIDUAL = "individual"
    GLOBAL = "global"
    LARGE_PROJECT = "large_project"
    BROKERING = "brokering"
    TECHNICAL_ASSISTANCE = "technical_assistance"
    INTRA_EU_TRANSFER = "intra_eu_transfer"


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_ASSESSMENT = "in_assessment"
    AWAITING_INFORMATION = "awaiting_information"
    AWAITING_ADVICE = "awaiting_advice"
    DECISION_DRAFTED = "decision_drafted"
    GRANTED = "granted"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"


class Event(StrEnum):
    SUBMIT = "submit"
    ASSIGN = "assign"
    REQUEST_INFORMATION = "request_information"
    ANSWER_INFORMATION = "answer_information"
    REQUEST_ADVICE = "request_advice"
    GIVE_ADVICE = "give_advice"
    DRAFT_DECISION = "draft_decision"
    RETURN_DRAFT = "return_draft"
    APPROVE_GRANT = "approve_grant"
    APPROVE_DENIAL = "approve_denial"
    WITHDRAW = "withdraw"


FINAL_STATES = frozenset({State.GRANTED, State.DENIED, State.WITHDRAWN})

_COMMON: dict[tuple[State, Event], State] = {
    (State.DRAFT, Event.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Event.ASSIGN): State.IN_ASSESSMENT,
    (State.IN_ASSESSMENT, Event.ASSIGN): State.IN_ASSESSMENT,
    (State.IN_ASSESSMENT, Event.REQUEST_INFORMATION): State.AWAITING_INFORMATION,
    (State.AWAITING_INFORMATION, Event.ANSWER_INFORMATION): State.IN_ASSESSMENT,
    (State.IN_ASSESSMENT, Event.DRAFT_DECISION): State.DECISION_DRAFTED,
    (State.DECISION_DRAFTED, Event.RETURN_DRAFT): State.IN_ASSESSMENT,
    (State.DECISION_DRAFTED, Event.APPROVE_GRANT): State.GRANTED,
    (State.DECISION_DRAFTED, Event.APPROVE_DENIAL): State.DENIED,
    (State.DRAFT, Event.WITHDRAW): State.WITHDRAWN,
    (State.SUBMITTED, Event.WITHDRAW): State.WITHDRAWN,
    (State.IN_ASSESSMENT, Event.WITHDRAW): State.WITHDRAWN,
    (State.AWAITING_INFORMATION, Event.WITHDRAW): State.WITHDRAWN,
}
_ADVICE: dict[tuple[State, Event], State] = {
    (State.IN_ASSESSMENT, Event.REQUEST_ADVICE): State.AWAITING_ADVICE,
    (State.AWAITING_ADVICE, Event.GIVE_ADVICE): State.IN_ASSESSMENT,
}


@dataclass(frozen=True)
class DeterminationFacts:
    """What the application's own determination says, as the guards read it."""

    undetermined: str = ""  # why the engine could not determine it ("" when it did)
    prohibited: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # dest -> provisions


def grant_problems(d: DeterminationFacts | None) -> list[str]:
    """Why no authorisation may be granted: the law prohibits the export, or it is not known."""
    if d is None:
        return ["the application has no determination: a grant needs one"]
    if d.undetermined:
        return [f"the application cannot be determined ({d.undetermined}): a grant needs one"]
    return [
        f"the export to {dest} is prohibited ({'; '.join(provisions)}): no authorisation can "
        f"be granted"
        for dest, provisions in sorted(d.prohibited.items())
    ]


# Events the state machine fires only when the application's determination allows them.
GUARDED = frozenset({Event.APPROVE_GRANT})


@dataclass(frozen=True)
class Workflow:
    kind: Kind
    transitions: Mapping[tuple[State, Event], State]
    max_validity_months: int
    legal_basis: str

    def next_state(
        self, state: State, event: Event, *, determination: DeterminationFacts | None = None
    ) -> State:
        """The state after `event`; a grant (APPROVE_GRANT) also needs the determination's facts
        and is refused while any destination is prohibited or the case is undetermined."""
        try:
            after = self.transitions[(state, event)]
        except KeyError:
            raise IllegalTransitionError(
                f"'{event}' is not allowed for a {self.kind} application in state '{state}'",
                field="state",
            ) from None
        if event in GUARDED:
            problems = grant_problems(determination)
            if problems:
                raise IllegalTransitionError(
                    "a grant is impossible: " + "; ".join(problems), field="determination"
                )
        return after

    def events_from(self, state: State) -> tuple[Event, ...]:
        return tuple(e for (s, e) in self.transitions if s == state)


# Intra-EU transfers go to member states: no Foreign Affairs advice step (NL routing, §3).
WORKFLOWS: dict[Kind, Workflow] = {
    Kind.INDIVIDUAL: Workflow(
        Kind.INDIVIDUAL, {**_COMMON, **_ADVICE}, 24, "Regulation (EU) 2021/821, Art. 12(1)(a)"
    ),
    Kind.GLOBAL: Workflow(
        Kind.GLOBAL, {**_COMMON, **_ADVICE}, 24, "Regulation (EU) 2021/821, Art. 12(1)(b)"
    ),
    Kind.LARGE_PROJECT: Workflow(
        Kind.LARGE_PROJECT,
        {**_COMMON, **_ADVICE},
        48,
        "Regulation (EU) 2021/821, Art. 2(14), 12(3)",
    ),
    Kind.BROKERING: Workflow(
        Kind.BROKERING, {**_COMMON, **_ADVICE}, 24, "Regulation (EU) 2021/821, Art. 6, 13"
    ),
    Kind.TECHNICAL_ASSISTANCE: Workflow(
        Kind.TECHNICAL_ASSISTANCE,
        {**_COMMON, **_ADVICE},
        24,
        "Regulation (EU) 2021/821, Art. 8, 13",
    ),
    Kind.INTRA_EU_TRANSFER: Workflow(
        Kind.INTRA_EU_TRANSFER, dict(_COMMON), 24, "Regulation (EU) 2021/821, Art. 11(1), Annex IV"
    ),
}

# Destinations CDIU decides on itself; others go to Foreign Affairs (nl_implementation.md §3, [S2]).
NATO_NON_EU = frozenset({"AL", "CA", "GB", "IS", "ME", "MK", "NO", "TR", "US"})
CDIU_OWN_DESTINATIONS = NATO_NON_EU | frozenset({"CH", "JP", "AU", "NZ"})


@dataclass(frozen=True)
class ApplicationFacts:
    kind: Kind
    items: int
    end_users: int
    destinations: frozenset[str]
    eu_member_states: frozenset[str]
    has_end_use_statement: bool
    end_use_statement_exempted: bool
    has_icp_evidence: bool
    items_located: bool
    end_user_location: bool
    annex_iv_items: int
    determination: DeterminationFacts | None = None


def submission_problems(f: ApplicationFacts) -> list[str]:
    """What keeps an application from being submitted, each with its provision."""
    problems: list[str] = []
    if f.determination is not None:
        if f.determination.undetermined and f.items and f.destinations:
            problems.append(f"the application cannot be determined: {f.determination.undetermined}")
        problems += [
            f"the export to {dest} is prohibited ({'; '.join(provisions)})"
            for dest, provisions in sorted(f.determination.prohibited.items())
        ]
    if f.items == 0:
        problems.append("at least one item is needed (Art. 12(4), 13(3))")
    if not f.destinations:
        problems.append("a country of destination is needed (Art. 12(4))")
    if f.kind != Kind.INTRA_EU_TRANSFER and f.end_users == 0:
        problems.append("an end-user is needed (Art. 12(4), 13(2))")
    if f.kind == Kind.INDIVIDUAL and not (f.has_end_use_statement or f.end_use_statement_exempted):
        problems.append(
            "an individual export authorisation needs an end-use statement (Art. 12(4))"
        )
    if f.kind == Kind.GLOBAL and not f.has_icp_evidence:
        problems.append("a global export authorisation needs ICP evidence (Art. 12(4), 15(2))")
    if f.kind == Kind.BROKERING and not f.items_located:
        problems.append("brokering: the location of the items in the third country (Art. 13(2))")
    if f.kind in {Kind.BROKERING, Kind.TECHNICAL_ASSISTANCE} and not f.end_user_location:
        problems.append("the exact location of the end-user is needed (Art. 13(2))")
    if f.kind == Kind.INTRA_EU_TRANSFER:
        outside = f.destinations - f.eu_member_states
        if outside:
            problems.append(
                f"an intra-Union transfer goes to member states only, not {sorted(outside)}"
                " (Art. 11)"
            )
        if f.annex_iv_items == 0:
            problems.append(
                "an intra-Union transfer authorisation is for Annex IV items (Art. 11(1))"
            )
    return problems


def advice_required(kind: Kind, destinations: frozenset[str], eu: frozenset[str]) -> bool:
    """Destinations outside the EU, NATO, CH, JP, AU and NZ are submitted to Foreign Affairs."""
    if kind == Kind.INTRA_EU_TRANSFER:
        return False
    return bool(destinations - eu - CDIU_OWN_DESTINATIONS)


class LicenceState(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    ANNULLED = "annulled"


class LicenceEvent(StrEnum):
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    MODIFY = "modify"
    REVOKE = "revoke"
    ANNUL = "annul"


LICENCE_TRANSITIONS: dict[tuple[LicenceState, LicenceEvent], LicenceState] = {
    (LicenceState.ACTIVE, LicenceEvent.SUSPEND): LicenceState.SUSPENDED,
    (LicenceState.SUSPENDED, LicenceEvent.REINSTATE): LicenceState.ACTIVE,
    (LicenceState.ACTIVE, LicenceEvent.MODIFY): LicenceState.ACTIVE,
    (LicenceState.SUSPENDED, LicenceEvent.MODIFY): LicenceState.SUSPENDED,
    (LicenceState.ACTIVE, LicenceEvent.REVOKE): LicenceState.REVOKED,
    (LicenceState.SUSPENDED, LicenceEvent.REVOKE): LicenceState.REVOKED,
    (LicenceState.ACTIVE, LicenceEvent.ANNUL): LicenceState.ANNULLED,
    (LicenceState.SUSPENDED, LicenceEvent.ANNUL): LicenceState.ANNULLED,
}


def licence_next_state(state: LicenceState, event: LicenceEvent) -> LicenceState:
    try:
        return LICENCE_TRANSITIONS[(state, event)]
    except KeyError:
        raise IllegalTransitionError(
            f"'{event}' is not allowed for a licence that is '{state}' (Art. 16(1))", field="status"
        ) from None
