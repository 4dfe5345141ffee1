# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The exporter's catalogue: products, classification records and the assistant's suggestions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dualuse.errors import InputError
from dualuse.service.audit.chain import record
from dualuse.service.catalogue.models import ClassificationRecord, Product
from dualuse.service.lawdata import catalogue_on
from dualuse.service.organisations.access import Actor, check_role
from dualuse.service.organisations.roles import EXPORTER_ROLES
from dualuse.service.web.helpers import today


@transaction.atomic
def add_product(
    actor: Actor, *, reference: str, name: str, description: str, cn_code: str
) -> Product:
    check_role(actor, EXPORTER_ROLES)
    if not reference.strip() or not name.strip():
        raise InputError("a product needs a reference and a name", field="reference")
    if Product.objects.filter(exporter=actor.organisation, reference=reference.strip()).exists():
        raise InputError(f"reference {reference!r} is already in the catalogue", field="reference")
    p = Product.objects.create(
        exporter=actor.organisation,
        reference=reference.strip(),
        name=name.strip(),
        description=description,
        cn_code=cn_code.strip(),
    )
    record(
        actor=actor,
        action="product.add",
        obj=p,
        case_ref=f"product:{p.pk}",
        after={"reference": p.reference, "name": p.name},
    )
    return p


@transaction.atomic
def classify(
    actor: Actor, product: Product, *, control_code: str, rationale: str
) -> ClassificationRecord:
    check_role(actor, EXPORTER_ROLES)
    if product.exporter_id != actor.organisation.pk:
        raise InputError("this product belongs to another exporter", field="product")
    cat = catalogue_on(today())
    code = control_code.strip()
    if code:
        cat.entry(code)
    if not rationale.strip():
        raise InputError("a classification states its rationale", field="rationale")
    before = product.current_classification
    rec = ClassificationRecord.objects.create(
        product=product,
        control_code=code,
        annex_i_version=cat.annex_i_version.id,
        rationale=rationale,
        classified_by=actor.user,
    )
    record(
        actor=actor,
        action="product.classify",
        obj=rec,
        case_ref=f"product:{product.pk}",
        before={"control_code": before.control_code} if before else None,
        after={"control_code": code, "annex_i_version": rec.annex_i_version},
    )
    return rec


def suggest_codes(description: str) -> list[dict[str, Any]]:
    """Annex I suggestions from the classification assistant (dualuse.classify): aids for the
    exporter, who classifies."""
    from dualuse.classify_cache import get_classifier

    results: list[dict[str, Any]] = (
        get_classifier(today()).classify(description, top=5).as_contract()["results"]
    )
    return results
