# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The exporter's catalogue: products, classification records, the assistant's suggestions
(verdict, cyber-surveillance families, nearest entries) and the Art. 2(20) assessment with its
Art. 5 due-diligence record."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import transaction

from dualuse.classify import assess, load_questionnaire
from dualuse.classify.families import FAMILY_IDS
from dualuse.errors import InputError
from dualuse.service.audit.chain import record
from dualuse.service.catalogue.models import (
    ClassificationRecord,
    CyberSurveillanceAssessment,
    Product,
)
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


MAX_NOTE = 4000


def suggest_codes(description: str, top: int = 5) -> dict[str, Any]:
    """The classification assistant's answer (dualuse.classify): the verdict ("listed" or
    "probably_not_listed") with its confidence and reasons, the cyber-surveillance families it
    recognised, and the nearest Annex I entries. Aids for the exporter, who classifies."""
    from dualuse.classify_cache import get_classifier

    return get_classifier(today()).classify(description, top=top).as_detail()


def product_description(product: Product) -> str:
    return f"{product.name}. {product.description}".strip()


def cyber_questionnaire() -> Any:
    return load_questionnaire("cyber_surveillance")


@transaction.atomic
def assess_cyber_surveillance(
    actor: Actor,
    product: Product,
    *,
    answers: Mapping[str, str],
    done: Collection[int] = (),
    note: str = "",
) -> CyberSurveillanceAssessment:
    """Record the Art. 2(20) assessment of a product from the questionnaire's answers, and for
    a cyber-surveillance item the Art. 5 due-diligence checklist (the steps marked done). An
    incomplete or contradictory set of answers is refused and changes nothing."""
    check_role(actor, EXPORTER_ROLES)
    if product.exporter_id != actor.organisation.pk:
        raise InputError("this product belongs to another exporter", field="product")
    if len(note) > MAX_NOTE:
        raise InputError(f"the note is longer than {MAX_NOTE} characters", field="note")
    q = cyber_questionnaire()
    given = {k: str(v).strip() for k, v in answers.items() if str(v).strip()}
    unknown = sorted(set(given) - set(q.questions))
    if unknown:
        raise InputError(f"no such question: {', '.join(unknown)}", field=unknown[0])
    result = assess(q, given)
    if not result.complete or result.outcome is None:
        nq = result.next_question
        raise InputError(
            f"the assessment is not complete: answer '{nq.text}'" if nq else
            "the assessment is not complete", field=nq.id if nq else "answers")
    data = result.record()
    cyber = dict(result.outcome.feeds.get("cyber_surveillance", {}))
    csi = cyber.get("is_cyber_surveillance_item")
    checklist = [
        {**dict(c), "done": n in set(done)} for n, c in enumerate(result.checklist)
    ] if csi else []
    recognised: list[str] = []
    try:
        found = suggest_codes(product_description(product))["cyber_surveillance_families"]
        recognised = [f for f in found if f in FAMILY_IDS]
    except InputError:
        pass
    before = product.current_cyber_assessment
    rec = CyberSurveillanceAssessment.objects.create(
        product=product,
        questionnaire_version=q.version,
        answers=given,
        outcome=result.outcome.id,
        is_cyber_surveillance_item=csi if isinstance(csi, bool) else None,
        families=recognised,
        record=data,
        due_diligence=checklist,
        note=note.strip(),
        assessed_by=actor.user,
    )
    record(
        actor=actor,
        action="product.cyber_surveillance",
        obj=rec,
        case_ref=f"product:{product.pk}",
        before={"outcome": before.outcome,
                "is_cyber_surveillance_item": before.is_cyber_surveillance_item}
        if before else None,
        after={"outcome": rec.outcome, "is_cyber_surveillance_item": rec.is_cyber_surveillance_item,
               "due_diligence_done": sum(1 for c in checklist if c["done"]),
               "questionnaire_version": q.version},
    )
    return rec
