"""The rule registry: every rule names the provision it implements, or it is not registered.

A rule is a pure function of an `ItemContext` returning a `Finding`. Rules are grouped by the
activity they govern; the engine runs them in registration order (the order of the Regulation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dualuse.law.citations import Citation
from dualuse.rules.context import Finding, ItemContext

RuleFunc = Callable[[ItemContext], Finding]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    citation: Citation
    title: str
    activities: frozenset[str]
    func: RuleFunc

    @property
    def cited(self) -> str:
        return self.citation.render()


_RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, citation: Citation, title: str, activities: tuple[str, ...]
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule. Refuses a rule without a structured citation of its provision."""
    if not isinstance(citation, Citation) or not citation.instrument or not (
        citation.article or citation.annex or citation.text
    ):
        raise TypeError(f"rule {rule_id!r} must cite the provision it implements "
                        f"(a Citation with an instrument and an article or annex)")
    if not activities:
        raise TypeError(f"rule {rule_id!r} must name the activities it governs")

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in _RULES:
            raise ValueError(f"rule {rule_id!r} registered twice")
        _RULES[rule_id] = Rule(rule_id, citation, title, frozenset(activities), func)
        _BY_ACTIVITY.clear()
        return func

    return register


# The order of the Regulation: sanctions first (they prohibit), then Arts 3-11, national law,
# decisions, Art 27.
_FAMILY_ORDER = ("sanctions", "art03", "art04", "art05", "art06", "art07", "art08", "art09",
                 "art10", "art11", "national", "ad_hoc", "art27")
# Families that run after the others and read their outcome (`ItemContext.prior_outcome`).
CLOSING_FAMILIES = frozenset({"art27"})


def _order(r: Rule) -> tuple[int, str]:
    family = r.id.split(".")[0]
    return (_FAMILY_ORDER.index(family) if family in _FAMILY_ORDER else len(_FAMILY_ORDER), r.id)


_BY_ACTIVITY: dict[str, tuple[Rule, ...]] = {}  # sorted once per activity (cleared on register)


def rules_for(activity: str) -> tuple[Rule, ...]:
    found = _BY_ACTIVITY.get(activity)
    if found is None:
        found = _BY_ACTIVITY[activity] = tuple(
            sorted((r for r in _RULES.values() if activity in r.activities), key=_order))
    return found


def closing(r: Rule) -> bool:
    return r.id.split(".")[0] in CLOSING_FAMILIES


_SPLIT: dict[str, tuple[tuple[Rule, ...], tuple[Rule, ...]]] = {}


def rules_in_two(activity: str) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """The activity's rules that run first, and those that run after them (closing)."""
    found = _SPLIT.get(activity)
    if found is None or _BY_ACTIVITY.get(activity) is None:
        rules = rules_for(activity)
        found = _SPLIT[activity] = (tuple(r for r in rules if not closing(r)),
                                    tuple(r for r in rules if closing(r)))
    return found


def all_rules() -> tuple[Rule, ...]:
    return tuple(_RULES.values())
