"""The determination: run the rules for each item, decide the UGEAs, aggregate, explain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
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
from dualuse.rules import rules_for
from dualuse.rules.annex_ii.common import evaluate, obligations, ugea_rules
from dualuse.rules.art03_listed import CITATION as ART_3_1
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
    return _determine(tx, cat)


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
        country_facts(cat, tx.origin, "origin")
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


def apply_rules(ctx: ItemContext, known: Mapping[str, Any] | None = None) -> RulesOutcome:
    """Stage 1: the article rules for the transaction's activity. `known`: findings of rules
    already run on the same facts (the batch path reuses those that do not read the CN code)."""
    findings = tuple(known[r.id] if known is not None and r.id in known else r.func(ctx)
                     for r in rules_for(ctx.tx.activity))
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
        children=[Node(f.rule, f.citation, f.result, f.facts, f.outcome) for f in findings],
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
    for index in range(len(tx.items)):
        ctx = _item_context(tx, cat, index, dest, purchasing)
        decision, node, findings, ugea_results = decide_item(ctx)
        item_nodes.append(node)
        all_bases |= decision.bases
        for f in findings:
            for q in f.questions:
                questions.setdefault(q.id, q)
            for o in f.obligations:
                if decision.outcome == "prohibited" and o.kind == "record_keeping":
                    continue  # nothing may be exported: no export to keep records of
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
        ))
    outcome = worst([i.outcome for i in item_results])
    ugeas, ugea_nodes = _ugea_results(tx, per_ugea, questions, duties)
    if outcome in ("authorisation_required",) and not any(
        u.status in ("available", "conditional") for u in ugeas
    ) and ART_3_1.render() in {b for _, b in all_bases}:
        duties.setdefault(("application", "individual"), Obligation(
            "application", "Apply for an individual or global export authorisation to the "
            "competent authority of the member state where you are established (NL: CDIU); an "
            "individual authorisation needs an end-use statement.",
            "Regulation (EU) 2021/821, Art. 12(2), 12(4)"))
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
    )


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
