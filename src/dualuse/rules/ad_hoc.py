"""Ad hoc requirements: an authorisation requirement (or prohibition) the competent authority
imposed on this exporter by individual decision under Arts 4(1), 5(1), 6, 7, 8, 9, 10 or 11(2)
(NL: a 'catch-all-beschikking'). The service supplies them as `ad_hoc_requirements`."""

from __future__ import annotations

from typing import Any

from dualuse.engine.transaction import AdHocRequirement
from dualuse.law.citations import Citation
from dualuse.rules.context import Finding, ItemContext, cite
from dualuse.rules.registry import rule

CITATION = Citation(instrument="32021R0821", article="4", paragraph="1",
                    text="and Arts 5(1), 6, 7, 8, 9(1), 10(1), 11(2): individual decisions",
                    instrument_title="Regulation (EU) 2021/821")


# How the rule is named where no decision binds the item (its registry citation pins Art. 4(1)).
CITED = ("Regulation (EU) 2021/821, Arts 4(1), 5(1), 6, 7, 8, 9(1), 10(1), 11(2) (decisions of "
         "the competent authority)")


def _pin(article: str) -> str:
    head, _, rest = article.partition("(")
    parts = [p.rstrip(")") for p in rest.split("(")] if rest else []
    return cite(head, parts[0] if parts else None, parts[1] if len(parts) > 1 else None)


def why_not_binding(req: AdHocRequirement, ctx: ItemContext) -> str | None:
    """Why the decision does not bind this item, or None when it does."""
    if req.activity != ctx.tx.activity:
        return f"concerns {req.activity.replace('_', ' ')}, not {ctx.tx.activity}"
    if req.items is not None and ctx.index not in req.items:
        return "concerns other items"
    if req.destinations is not None and ctx.dest.iso2 not in req.destinations:
        return "concerns other destinations"
    if req.valid_from and ctx.tx.as_of < req.valid_from:
        return f"applies from {req.valid_from.isoformat()}"
    if req.valid_to and ctx.tx.as_of > req.valid_to:
        return f"expired on {req.valid_to.isoformat()}"
    return None


@rule("ad_hoc", CITATION, "Requirement imposed on the exporter by individual decision",
      ("export", "transfer", "brokering", "technical_assistance", "transit"))
def ad_hoc(ctx: ItemContext) -> Finding:
    reqs = ctx.tx.ad_hoc_requirements
    facts: dict[str, Any] = {"decisions": [r.reference for r in reqs]}
    if not reqs:
        return Finding("ad_hoc", CITED, "no ad hoc requirement imposed", facts,
                       decided_by="no decision of the competent authority given")
    binding = []
    skipped = []
    for req in reqs:
        why = why_not_binding(req, ctx)
        if why is None:
            binding.append(req)
        else:
            skipped.append(f"{req.reference}: {why}")
    facts["not_binding"] = skipped
    if not binding:
        return Finding("ad_hoc", CITED, "no ad hoc requirement binds this item ("
                       + "; ".join(skipped) + ")", facts, decided_by="; ".join(skipped))
    prohibited = [r for r in binding if r.effect == "prohibited"]
    chosen = prohibited or binding
    outcome = "prohibited" if prohibited else "authorisation_required"
    bases = tuple(dict.fromkeys(_pin(r.article) for r in chosen))
    refs = ", ".join(f"{r.reference} (Art. {r.article})" for r in chosen)
    return Finding("ad_hoc", bases[0], f"the competent authority's decision {refs}: "
                   f"{outcome.replace('_', ' ')}", facts, outcome=outcome, bases=bases,
                   blocks_ugea=f"an authorisation requirement imposed by decision {refs}",
                   decided_by=f"decision {refs}")
