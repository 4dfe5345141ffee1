"""What every UGEA (Annex II, Sections A-H) asks of an export, and the registry of UGEA rules.

Per item, a UGEA is `available`, `conditional` (it hangs on facts the input did not give: the
questions say which; answer them under `answers`), `not_available`, or `not_needed` (the item
needs no authorisation). Conditions that turn on what the exporter was informed of or is aware
of are read from `informed_of`, `aware_of` and `circumstances`; anything else the exporter must
declare is returned as a declaration it makes by using the UGEA.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dualuse.engine.result import Obligation, Question
from dualuse.law import Ugea
from dualuse.law.citations import Citation
from dualuse.rules.context import ItemContext

# Condition codes (law data) -> the flags that trigger them.
_INFORMED = {
    "informed_wmd": ("wmd",),
    "informed_illegally_exported_military_parts": ("illegal_military_parts",),
    "informed_military_police_intelligence_security_end_use": ("military_end_use",),
    "human_rights": ("human_rights",),
    "human_rights_interception": ("human_rights",),
}
# Awareness conditions the vocabulary cannot state: answered through `answers` (true = aware).
_AWARENESS = ("reexport_outside_allowed", "reexport_to_excluded", "end_use_changed",
              "classified_confidentiel")


@dataclass(frozen=True, slots=True)
class UgeaQuestion:
    """A condition of use that hangs on a fact; `True` answers mean the condition is met."""

    id: str
    text: str
    covers: tuple[str, ...] = ()  # the not_authorised_if codes it answers
    check: Callable[[ItemContext, str], bool | None] | None = None  # decide from a dated answer


@dataclass(frozen=True, slots=True)
class UgeaRule:
    id: str
    citation: Citation
    circumstance: str | None = None  # the circumstance the UGEA is limited to (EU003, 4, 7)
    questions: tuple[UgeaQuestion, ...] = ()


@dataclass(slots=True)
class UgeaItemResult:
    status: str
    reasons: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    declarations: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)


_UGEA_RULES: dict[str, UgeaRule] = {}


def register(ugea_rule: UgeaRule) -> UgeaRule:
    c = ugea_rule.citation
    if not isinstance(c, Citation) or not c.instrument or not c.annex:
        raise TypeError(f"UGEA rule {ugea_rule.id!r} must cite its Section of Annex II")
    if ugea_rule.id in _UGEA_RULES:
        raise ValueError(f"UGEA rule {ugea_rule.id!r} registered twice")
    _UGEA_RULES[ugea_rule.id] = ugea_rule
    return ugea_rule


def ugea_rules() -> tuple[UgeaRule, ...]:
    return tuple(_UGEA_RULES[k] for k in sorted(_UGEA_RULES))


def section(letter: str, ugea_id: str) -> Citation:
    return Citation(instrument="32021R0821", annex="II", section=letter, entry=ugea_id,
                    instrument_title="Regulation (EU) 2021/821")


def _triggered(code: str, ctx: ItemContext, ugea_id: str) -> bool:
    tx = ctx.tx
    if code in _INFORMED:
        return bool(set(_INFORMED[code]) & tx.informed_of)
    if code == "informed_military_end_use_embargo":
        return "military_end_use" in tx.informed_of and ctx.embargoed
    if code == "aware_of_above_uses":
        uses = {"wmd", "illegal_military_parts"}
        if ctx.embargoed or ugea_id in ("EU007", "EU008"):
            uses.add("military_end_use")
        if ugea_id in ("EU005", "EU007", "EU008"):
            uses.add("human_rights")
        return bool(uses & tx.aware_of)
    if code == "security_service_end_user":
        return "military_end_use" in tx.aware_of
    if code == "free_zone_destination":
        return "free_zone" in tx.circumstances
    return False


def evaluate(rule: UgeaRule, ugea: Ugea | None, ctx: ItemContext, item_outcome: str,
             needs_authorisation: bool, blocks: list[str]) -> UgeaItemResult:
    """The UGEA's status for one item of the transaction."""
    uid = rule.id
    res = UgeaItemResult("available", facts={"ugea": uid, "item_outcome": item_outcome})
    if ctx.tx.activity != "export":
        res.status = "not_available"
        res.reasons.append(f"UGEAs are export authorisations (Art. 12(1)(d)); they do not "
                           f"cover {ctx.tx.activity.replace('_', ' ')}")
        return res
    if item_outcome == "prohibited":
        res.status = "not_available"
        res.reasons.append("the export is prohibited: " + "; ".join(blocks))
        return res
    if not needs_authorisation:
        res.status = "not_needed" if item_outcome != "authorisation_required" else "not_available"
        if res.status == "not_available":
            res.reasons.append("UGEAs cover items listed in Annex I only: " + "; ".join(blocks))
        return res
    if ugea is None:
        res.status = "not_available"
        res.reasons.append(f"{uid} is not in force on {ctx.tx.as_of.isoformat()}")
        return res
    if ctx.tx.barred_from_ugeas:
        res.status = "not_available"
        res.reasons.append("the competent authority has prohibited the exporter from using UGEAs "
                           "(Art. 12(7))")
        return res
    if blocks:
        res.status = "not_available"
        res.reasons.extend(blocks)
        return res
    if not ctx.dest.ugea_covers(uid):
        res.status = "not_available"
        res.reasons.append(f"{ctx.dest.name} ({ctx.dest.iso2}) is not a destination of {uid}")
        return res
    cov = ctx.code.ugea_item(uid)
    if cov is None or cov.status == "excluded":
        res.status = "not_available"
        res.reasons.extend(cov.reasons if cov else (f"{uid} does not cover the item",))
        return res
    for cond in ugea.not_authorised_if:
        if _triggered(cond.code, ctx, uid):
            res.status = "not_available"
            res.reasons.append(f"not authorised if: {cond.text}"
                               + (f" ({cond.basis})" if cond.basis else ""))
    if res.status == "not_available":
        return res
    if rule.circumstance and rule.circumstance not in ctx.tx.circumstances:
        res.status = "not_available"
        res.reasons.append(f"{uid} covers only exports in the circumstance "
                           f"'{rule.circumstance}', which was not stated")
        return res
    answers = ctx.tx.answers
    for cond in ugea.not_authorised_if:
        if cond.code in _AWARENESS:
            key = f"{uid}.{cond.code}"
            if answers.get(key) is True:
                res.status = "not_available"
                res.reasons.append(f"not authorised if: {cond.text}")
            else:
                res.declarations.append(f"not the case that: {cond.text}")
    if res.status == "not_available":
        return res
    conditional = cov.status == "conditional"
    if conditional:
        res.reasons.extend(cov.reasons)
        res.questions.extend(q for q in cov.questions if answers.get(q.id) is not True)
        if any(answers.get(q.id) is False for q in cov.questions):
            res.status = "not_available"
            res.reasons.append("the item is outside the items it covers (answer given)")
            return res
        conditional = bool(res.questions)
    provision = rule.citation.render()
    for q in rule.questions:
        answer = q.check(ctx, uid) if q.check else None
        if answer is None:
            given = answers.get(q.id)
            answer = given if isinstance(given, bool) else None
        if answer is False:
            res.status = "not_available"
            res.reasons.append(f"condition not met: {q.text}")
        elif answer is None:
            conditional = True
            res.questions.append(Question(q.id, q.text, provision))
    if res.status == "not_available":
        return res
    if conditional:
        res.status = "conditional"
        res.reasons.append(f"{uid} can be used only if the conditions in the questions are met")
    else:
        res.reasons.append(f"{uid} covers the item and the destination; no exclusion applies")
    return res


def answered_date(ctx: ItemContext, key: str) -> date | None:
    value = ctx.tx.answers.get(key)
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            from dualuse.errors import InputError

            raise InputError(f"must be a date YYYY-MM-DD, got {value!r}",
                             field=f"answers.{key}") from None
    return None


def obligations(ugea: Ugea, provision: str) -> tuple[Obligation, ...]:
    """Registration, first-use notification, reporting and declaration duties of the UGEA, as
    the law data states them."""
    req = dict(ugea.requirements)
    out: list[Obligation] = []
    reg = req.get("registration")
    if isinstance(reg, dict):
        if reg.get("mandatory_eu_level"):
            out.append(Obligation("registration", f"Register with the competent authority of "
                                  f"the member state where you are established before first "
                                  f"using {ugea.id}.", provision, "prior to first use"))
        elif reg.get("member_state_may_require_prior_registration"):
            out.append(Obligation("registration", f"Register before first use of {ugea.id} if "
                                  f"your member state requires it.", provision,
                                  "prior to first use, where required"))
    first = req.get("first_use_notification")
    if isinstance(first, dict) and first.get("deadline"):
        out.append(Obligation("notification", f"Notify the first use of {ugea.id} to the "
                              f"competent authority.", provision, str(first["deadline"])))
    if req.get("icp"):
        out.append(Obligation("compliance", str(req["icp"]), provision))
    if req.get("reporting"):
        rep = req["reporting"]
        text = rep if isinstance(rep, str) else f"report {rep.get('frequency', '')}: " + ", ".join(
            rep.get("minimum_content", []))
        out.append(Obligation("reporting", f"Reporting on the use of {ugea.id}: {text}",
                              provision))
    if req.get("customs_declaration"):
        out.append(Obligation("declaration", f"Customs declaration: "
                              f"{req['customs_declaration']}", provision))
    if req.get("documentary_evidence"):
        out.append(Obligation("document", str(req["documentary_evidence"]), provision))
    return tuple(out)
