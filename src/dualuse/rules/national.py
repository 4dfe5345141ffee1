"""Typed provisions of national law from the law data (`NationalMeasure.provisions`): the
services they govern, the items, the trigger and the Art. 4(1) uses, and their effect. The rules
modules of the articles (Art. 6(3)) and of national law (`national_services`) read them here."""

from __future__ import annotations

from dualuse.law import NationalMeasure
from dualuse.law.model import NationalProvision
from dualuse.rules.context import ItemContext


def applicable(ctx: ItemContext, services: tuple[str, ...]
               ) -> list[tuple[NationalMeasure, NationalProvision]]:
    """The typed provisions of the member state's law in force on the day, for these services."""
    return [(m, p) for m in ctx.cat.national_measures(ctx.tx.member_state)
            for p in m.provisions if p.service in services]


def triggered(ctx: ItemContext, p: NationalProvision) -> tuple[str, ...]:
    """The Art. 4(1) uses that trigger the provision (empty: it does not apply)."""
    if p.trigger == "informed":
        flags = ctx.tx.informed_of
    elif p.trigger == "aware":
        flags = ctx.tx.aware_of - ctx.tx.informed_of
    else:  # stated: a fact, however the person knows it
        flags = ctx.tx.informed_of | ctx.tx.aware_of
    return tuple(u for u in ctx.art_4_1_uses(flags) if u in p.uses)
