"""The determination: run the rules for each item, decide the UGEAs, aggregate, explain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, replace
from typing import Any

from dualuse import OJ_DISCLAIMER
from dualuse.engine.result import (
    SEVERITY,
    Determination,
    ItemResult,
    Node,
    Obligation,
    Question,
    UgeaResult,
    order_bases,
    worst,
)
from dualuse.engine.transaction import Transaction, parse_transaction
from dualuse.engine.versions import RULES_VERSION
from dualuse.errors import InputError, UnknownCodeError
from dualuse.law import Catalogue, Law
from dualuse.rules import rules_in_two
from dualuse.rules.annex_ii.common import evaluate, obligations, ugea_rules
from dualuse.rules.context import CountryFacts, ItemContext, code_facts, country_facts
from dualuse.rules.sanctions_goods.facts import goods_facts


@dataclass(frozen=True, slots=True)
class ItemDecision:
    """Everything decided for one item: the part of a determination the batch path reproduces."""

    outcome: str
    bases: frozenset[tuple[str, str]]  # (outcome, citation)
    ugea: tuple[tuple[str, str], ...]  # (UGEA id, status)


def input_hash(tx: Transaction) -> str:
    canonical = json.dumps(tx.to_dict(), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def determine(
    transaction: Transaction | Mapping[str, Any], catalogue: Catalogue | Law
) -> Determination:
    """Decide a transaction against the law as of its `as_of` date. See `dualuse.engine`."""
    tx = transaction if isinstance(transaction, Transaction) else parse_transaction(transaction)
    if isinstance(catalogue, Law):
        cat = catalogue.as_of(tx.as_of)
    else:
        cat = catalogue
        if cat.as_of != tx.as_of:
            raise InputError(f"the catalogue is the law as of {cat.as_of.isoformat()}, the "
                             f"transaction is dated {tx.as_of.isoformat()}", field="as_of")
    return _determine(establishment(tx, cat), cat)


# Which member state's competent authority decides for a person established outside the Union.
_COMPETENT = {
    "export": "the member state where the items are located (Art. 12(2), second subparagraph; "
              "or give that member state as origin)",
    "transfer": "the member state from which the items are transferred (Art. 11(3))",
    "brokering": "the member state from where the brokering services are provided (Art. 13(1))",
    "technical_assistance": "the member state from where the technical assistance is provided "
                            "(Art. 13(1))",
    "transit": "the member state where the items are (Art. 7(1))",
}


def establishment(tx: Transaction, cat: Catalogue) -> Transaction:
    """The member state whose competent authority and law govern the transaction.

    An exporter, broker or provider resident or established in a member state is governed by
    it (Arts 12(2), 13(1)). One established outside the Union is not refused: the Regulation
    applies to it where it acts from the Union, and the competent authority is that of the
    member state where the items are located (export, Art. 12(2), second subparagraph) or from
    where the services are provided (Art. 13(1)) - given as `exporter.member_state` with
    `exporter.established_in`, or, for an export, read from an `origin` in the Union."""
    ms = country_facts(cat, tx.member_state, "exporter.member_state")
    if tx.established_in is not None:
        est = country_facts(cat, tx.established_in, "exporter.established_in")
        if est.member_state:
            raise InputError(
                f"{est.name} ({est.iso2}) is a member state: a person established in a member "
                f"state is governed by it (Arts 12(2), 13(1)); give it as exporter.member_state",
                field="exporter.established_in")
    if ms.member_state:
        return tx
    if tx.established_in is None and tx.activity == "export" and tx.origin is not None \
            and country_facts(cat, tx.origin, "origin").member_state:
        return replace(tx, established_in=ms.iso2, member_state=tx.origin)
    who = {"brokering": "a broker", "technical_assistance": "a provider of technical "
           "assistance"}.get(tx.activity, "an exporter")
    raise InputError(
        f"{ms.name} ({ms.iso2}) is not a member state of the European Union. For {who} "
        f"established outside the Union give exporter.established_in: '"
        f"{tx.established_in or ms.iso2}' and, as exporter.member_state, "
        f"{_COMPETENT[tx.activity]}", field="exporter.member_state")


def _validate(tx: Transaction, cat: Catalogue,
              same_state_check: bool = True) -> tuple[CountryFacts, CountryFacts | None]:
    ms = country_facts(cat, tx.member_state, "exporter.member_state")
    if not ms.member_state:
        raise InputError(f"{tx.member_state} is not a member state of the European Union",
                         field="exporter.member_state")
    dest = country_facts(cat, tx.destination, "destination")
    if tx.activity == "transfer":
        if not dest.member_state:
            raise InputError(f"a transfer goes to another member state; {tx.destination} is not "
                             f"one (use activity 'export')", field="destination")
        if same_state_check and dest.iso2 == ms.iso2:
            raise InputError("a transfer goes to another member state, not the exporter's own",
                             field="destination")
    elif dest.customs_territory or dest.member_state:
        raise InputError(
            f"{dest.name} ({dest.iso2}) is inside the customs territory of the Union: not a "
            f"destination for {tx.activity.replace('_', ' ')} (use activity 'transfer' between "
            f"member states)", field="destination")
    if tx.origin is not None:
        origin = country_facts(cat, tx.origin, "origin")
        if tx.activity == "transit" and (origin.customs_territory or origin.member_state):
            raise InputError(
                f"transit (Art. 2(11)) is of non-Union items entering the customs territory of "
                f"the Union from outside; {origin.name} ({origin.iso2}) is inside it (items "
                f"leaving from there are exported: use activity 'export')", field="origin")
    if tx.activity == "transit" and tx.customs_status == "union":
        raise InputError("transit (Art. 2(11)) is of non-Union items only; Union goods leaving "
                         "the customs territory are exported (Art. 2(2)): use activity 'export'",
                         field="customs_status")
    purchasing = (country_facts(cat, tx.purchasing_country, "purchasing_country")
                  if tx.purchasing_country else None)
    return dest, purchasing


def _item_context(tx: Transaction, cat: Catalogue, index: int, dest: CountryFacts,
                  purchasing: CountryFacts | None) -> ItemContext:
    item = tx.items[index]
    try:
        facts = code_facts(cat, item.control_code)
    except UnknownCodeError as exc:
        raise UnknownCodeError(exc.code, field=f"items[{index}].control_code",
                               suggestions=exc.suggestions,
                               as_of=cat.as_of.isoformat()) from None
    return ItemContext(tx, cat, index, item, facts, dest, purchasing,
                       goods_facts(cat, item.cn_code))


@dataclass(frozen=True, slots=True)
class RulesOutcome:
    """What the article rules decided for one item (before the UGEAs)."""

    outcome: str
    bases: frozenset[tuple[str, str]]
    needs_authorisation: bool  # Art 3(1) applies: a UGEA may be the authorisation
    blocks: tuple[str, ...]  # why no UGEA can serve the item
    findings: tuple[Any, ...]


def apply_rules(ctx: ItemContext, known: Mapping[str, Any] | None = None,
                known_after: MutableMapping[tuple[str, str], Any] | None = None) -> RulesOutcome:
    """Stage 1: the article rules for the transaction's activity. The batch path reuses the
    findings of rules already run on the same facts: `known`, of the rules that run first and
    do not read the CN code; `known_after`, of the closing rules, by (rule, prior outcome),
    which it also fills."""
    opening, closing_rules = rules_in_two(ctx.tx.activity)
    if known is None:
        first = tuple(r.func(ctx) for r in opening)
    else:
        first = tuple(known[r.id] if r.id in known else r.func(ctx) for r in opening)
    before = worst([f.outcome for f in first if f.outcome] or ["no_authorisation_required"])
    after = replace(ctx, prior_outcome=before)
    if known_after is None:
        findings = first + tuple(r.func(after) for r in closing_rules)
    else:
        closing_findings = []
        for r in closing_rules:
            f = known_after.get((r.id, before))
            if f is None:
                f = known_after[(r.id, before)] = r.func(after)
            closing_findings.append(f)
        findings = first + tuple(closing_findings)
    outcome = worst([f.outcome for f in findings if f.outcome] or ["no_authorisation_required"])
    bases = frozenset((f.outcome, b) for f in findings if f.outcome for b in f.bases)
    blocks = [f.blocks_ugea for f in findings if f.blocks_ugea]
    needs = any(f.rule == "art03.listed" and f.outcome for f in findings)
    if not needs and outcome == "authorisation_required" and not blocks:
        blocks = ["the item is not listed in Annex I; UGEAs cover Annex I items only"]
    return RulesOutcome(outcome, bases, needs, tuple(blocks), findings)


def apply_ugea(ctx: ItemContext, rules: RulesOutcome, ugea_rule: Any) -> Any:
    """Stage 2: one UGEA's status for the item, given the rules' outcome."""
    try:
        ugea = ctx.cat.ugea(ugea_rule.id)
    except InputError:
        ugea = None
    return ugea, evaluate(ugea_rule, ugea, ctx, rules.outcome, rules.needs_authorisation,
                          list(rules.blocks))


def decide_item(ctx: ItemContext) -> tuple[ItemDecision, Node, list[Any], list[Any]]:
    """Run the rules for one item; return the decision, its explanation node, the findings and
    the per-UGEA results."""
    rules = apply_rules(ctx)
    findings = list(rules.findings)
    ugea_results = []
    for ur in ugea_rules():
        ugea, result = apply_ugea(ctx, rules, ur)
        ugea_results.append((ur, ugea, result))
    decision = ItemDecision(rules.outcome, rules.bases,
                            tuple((ur.id, r.status) for ur, _, r in ugea_results))
    node = Node(
        rule="item", citation=ctx.code.entry_citation or "not listed in Annex I",
        result=rules.outcome, outcome=rules.outcome,
        facts={"index": ctx.index, "control_code": ctx.code.code, "cn_code": ctx.item.cn_code,
               "cyber_surveillance": ctx.item.cyber_surveillance,
               "description": ctx.item.description},
        children=[Node(f.rule, f.citation, f.result, f.facts, f.outcome, applies=f.applies,
                       decided_by=f.decided_by) for f in findings],
    )
    for ur, _, r in ugea_results:
        node.children.append(Node(f"annex_ii.{ur.id.lower()}", ur.citation.render(),
                                  f"{r.status}: " + "; ".join(r.reasons), r.facts))
    return decision, node, findings, ugea_results


def aggregate_ugea(statuses: list[str]) -> str:
    """A transaction's UGEA status from its items' (not_needed items do not count)."""
    relevant = [s for s in statuses if s != "not_needed"]
    if not relevant or "not_available" in relevant:
        return "not_available"
    return "conditional" if "conditional" in relevant else "available"


def _determine(tx: Transaction, cat: Catalogue) -> Determination:
    dest, purchasing = _validate(tx, cat)
    item_results: list[ItemResult] = []
    item_nodes: list[Node] = []
    all_bases: set[tuple[str, str]] = set()
    questions: dict[str, Question] = {}
    duties: dict[tuple[str, str], Obligation] = {}
    notes: list[str] = []
    per_ugea: dict[str, list[tuple[int, Any]]] = {}
    annex_iv = False
    for index in range(len(tx.items)):
        ctx = _item_context(tx, cat, index, dest, purchasing)
        annex_iv = annex_iv or (ctx.code.listed and ctx.code.annex_iv_part is not None)
        decision, node, findings, ugea_results = decide_item(ctx)
        item_nodes.append(node)
        all_bases |= decision.bases
        for f in findings:
            for q in f.questions:
                questions.setdefault(q.id, q)
            for o in f.obligations:
                if decision.outcome == "prohibited" and o.kind in ("record_keeping",
                                                                   "notification"):
                    continue  # nothing may be done: no records to keep, nothing to notify
                duties.setdefault((o.kind, o.text), o)
            notes.extend(n for n in f.notes if n not in notes)
        for ur, ugea, r in ugea_results:
            per_ugea.setdefault(ur.id, []).append((index, (ur, ugea, r)))
        item_results.append(ItemResult(
            index=index, control_code=ctx.code.code, cn_code=ctx.item.cn_code,
            listed=ctx.code.listed,
            outcome=decision.outcome,
            legal_bases=tuple(order_bases(set(decision.bases))),
            ugea_statuses=decision.ugea,
            annex_i_text=ctx.code.text,
        ))
    outcome = worst([i.outcome for i in item_results])
    ugeas, ugea_nodes = _ugea_results(tx, per_ugea, questions, duties)
    if outcome == "authorisation_required" and not any(
        u.status in ("available", "conditional") for u in ugeas
    ):
        route = application_route(tx, dest, {b for o, b in all_bases
                                             if o == "authorisation_required"}, cat,
                                  annex_iv)
        if route is not None:
            duties.setdefault(("application", route.text), route)
    tx_dict = tx.to_dict()
    root = Node(
        rule="determination", citation="Regulation (EU) 2021/821", result=outcome,
        outcome=outcome,
        facts={"activity": tx.activity, "member_state": tx.member_state,
               "destination": tx.destination, "as_of": tx.as_of.isoformat(),
               "informed_of": sorted(tx.informed_of), "aware_of": sorted(tx.aware_of),
               "circumstances": sorted(tx.circumstances)},
        children=[*item_nodes, *ugea_nodes],
    )
    if tx.ignored_fields:
        notes.append("Input fields not read: " + ", ".join(tx.ignored_fields))
    if dest.embargo_citation and dest.arms_embargo:
        notes.append(f"{dest.name} is under an arms embargo ({dest.embargo_citation}: "
                     f"{dest.embargo_scope}).")
    return Determination(
        outcome=outcome,
        legal_bases=tuple(order_bases(all_bases)),
        general_authorisations=tuple(ugeas),
        items=tuple(item_results),
        obligations=tuple(duties.values()),
        questions=tuple(questions.values()),
        explanation=root,
        as_of=tx.as_of.isoformat(),
        annex_i_version=cat.annex_i_version.id,
        data_version=cat.data_version,
        rules_version=RULES_VERSION,
        input_hash=input_hash(tx),
        input=tx_dict,
        notes=tuple(notes),
        disclaimer=OJ_DISCLAIMER,
        countries={c: cat.country(c).name for c in dict.fromkeys(
            x for x in (tx.member_state, tx.destination, tx.origin, tx.purchasing_country,
                        tx.established_in) if x)},
    )


def application_route(tx: Transaction, dest: CountryFacts, bases: set[str],
                      cat: Catalogue, annex_iv: bool) -> Obligation | None:
    """How to apply for the authorisation the transaction needs when no UGEA serves it: to whom
    and with what (Arts 12(2), 12(4) and 14(1) for exports under Arts 3, 4, 5, 9 and 10;
    Art. 13 for brokering and technical assistance; Art. 11(3) for transfers)."""
    if not bases:
        return None
    where = (f"the competent authority of {cat.country(tx.member_state).name} (NL: CDIU)")
    outside = tx.established_in is not None
    if tx.activity == "export":
        who = (f"{where}, the member state where the items are located: you are established "
               f"outside the Union (Art. 12(2), second subparagraph; where the contract gives "
               f"the right to dispose of the items to you, the exporter is your contracting "
               f"party in the Union, Art. 2(3))" if outside else
               f"{where}, the member state where you are resident or established")
        text = (f"Apply for an individual or global export authorisation to {who}. Give complete "
                f"information on the end-user, the country of destination and the end-use; an "
                f"individual authorisation needs an end-use statement (Art. 12(4)).")
        provisions = "Regulation (EU) 2021/821, Art. 12(2), 12(4)"
        if not dest.art_8_3_a or annex_iv:
            text += (" If the items are or will be located in another member state, say so in "
                     "the application: that member state is consulted (Art. 14(1)).")
            provisions += ", 14(1)"
        return Obligation("application", text, provisions)
    if tx.activity in ("brokering", "technical_assistance"):
        service = ("brokering services" if tx.activity == "brokering" else
                   "technical assistance")
        who = (f"{where}, from where the services are provided (you are established outside "
               f"the Union)" if outside else f"{where}, where you are resident or established")
        detail = ("the location of the items in the originating third country, a set quantity, "
                  "the end-user and its exact location (Art. 13(2)-(3))"
                  if tx.activity == "brokering" else
                  "the end-user and its exact location (Art. 13(2)-(3))")
        return Obligation("application", f"Apply for an authorisation of the {service} to {who};"
                          f" it identifies {detail}.",
                          "Regulation (EU) 2021/821, Art. 13(1)-(3)")
    if tx.activity == "transfer":
        return Obligation("application", f"Apply for the transfer authorisation to {where}, the "
                          f"member state from which the items are transferred.",
                          "Regulation (EU) 2021/821, Art. 11(3)")
    return Obligation("application", "Apply to the competent authority that imposed the "
                      "authorisation requirement for this transit.",
                      "Regulation (EU) 2021/821, Art. 7(2)")


def _ugea_results(
    tx: Transaction, per_ugea: dict[str, list[tuple[int, Any]]],
    questions: dict[str, Question], duties: dict[tuple[str, str], Obligation],
) -> tuple[list[UgeaResult], list[Node]]:
    results = []
    nodes = []
    for uid in sorted(per_ugea):
        rows = per_ugea[uid]
        status = aggregate_ugea([r.status for _, (_, _, r) in rows])
        ur, ugea, _ = rows[0][1]
        by_reason: dict[str, list[int]] = {}
        qs: dict[str, Question] = {}
        declarations: list[str] = []
        for index, (_, _, r) in rows:
            if r.status == "not_needed":
                continue
            if status == "not_available" and r.status != "not_available":
                continue
            for x in r.reasons:
                by_reason.setdefault(x, []).append(index)
            if status == "conditional":
                for q in r.questions:
                    qs.setdefault(q.id, q)
            declarations.extend(d for d in r.declarations if d not in declarations)
        reasons = [x if len(tx.items) == 1 or len(ix) == len(tx.items) else
                   f"item{'s' if len(ix) > 1 else ''} {', '.join(map(str, ix))}: {x}"
                   for x, ix in by_reason.items()]
        if not reasons:
            reasons.append("no item needs an export authorisation: no general authorisation "
                           "is needed")
        provision = ur.citation.render()
        duty: tuple[Obligation, ...] = ()
        if status in ("available", "conditional") and ugea is not None:
            duty = obligations(ugea, provision)
            duty += tuple(Obligation("declaration", f"By using {uid} you declare it is {d}",
                                     provision) for d in declarations)
        results.append(UgeaResult(uid, status, tuple(reasons), provision, tuple(qs.values()),
                                  duty))
        nodes.append(Node(f"annex_ii.{uid.lower()}", provision, status, {
            "items": {str(i): r.status for i, (_, _, r) in rows}}, None))
        for q in qs.values():
            questions.setdefault(q.id, q)
    return results, nodes


def severity(outcome: str) -> int:
    return SEVERITY[outcome]
