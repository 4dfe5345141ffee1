# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""API for the catalogue: the classification assistant's answer for a description or a product
(verdict, confidence, reasons, cyber-surveillance families, nearest entries), the products with
their facts for checks, and recording a product's Art. 2(20) assessment with its Art. 5
due-diligence record. Exporter roles only; a product is visible to its own organisation only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from dualuse.service.api.endpoints import ERRORS, actor
from dualuse.service.catalogue.models import CyberSurveillanceAssessment, Product
from dualuse.service.catalogue.operations import (
    MAX_NOTE,
    assess_cyber_surveillance,
    product_description,
    suggest_codes,
)
from dualuse.service.organisations.access import Actor, check_role
from dualuse.service.organisations.roles import EXPORTER_ROLES

router = Router(tags=["catalogue"])


class ClassifyIn(Schema):
    description: str = Field(min_length=1, max_length=2000)
    top: int = Field(5, ge=1, le=20)


class ResultOut(Schema):
    code: str
    entry: str
    score: float
    text: str
    why: str


class FamilyOut(Schema):
    id: str
    label: str
    listed: bool
    evidence: list[str]
    source: str
    next: str
    entries: list[str] = Field(default_factory=list)
    assessment: str | None = None


class ClassificationOut(Schema):
    verdict: str = Field(description="listed | probably_not_listed")
    confidence: float
    reasons: list[str]
    cyber_surveillance_families: list[str]
    cyber_surveillance: list[FamilyOut]
    results: list[ResultOut]
    notice: str
    versions: dict[str, str]


class AssessmentOut(Schema):
    id: int
    outcome: str
    is_cyber_surveillance_item: bool | None
    summary: str
    citations: list[str]
    questionnaire_version: str
    families: list[str]
    due_diligence: list[dict[str, Any]]
    assessed_at: str


class ProductOut(Schema):
    id: int
    reference: str
    name: str
    description: str
    control_code: str | None
    cyber_surveillance: bool | None = Field(
        description="Art. 2(20) assessment: true (a cyber-surveillance item), false, or null "
        "(not assessed, or listed in Annex I)")
    item: dict[str, Any] = Field(description="the facts a transaction check takes for it")
    cyber_assessment: AssessmentOut | None


class AssessmentIn(Schema):
    answers: dict[str, str] = Field(description="question id -> answer value")
    done: list[int] = Field(default_factory=list,
                            description="indices of the due-diligence steps done")
    note: str = Field("", max_length=MAX_NOTE)


def _exporter(request: HttpRequest) -> Actor:
    return check_role(actor(request), EXPORTER_ROLES)


def _answer(description: str, top: int = 5) -> dict[str, Any]:
    keys = ClassificationOut.model_fields
    return {k: v for k, v in suggest_codes(description, top=top).items() if k in keys}


def _assessment_out(a: CyberSurveillanceAssessment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    outcome = a.record.get("outcome") or {}
    return {
        "id": a.pk,
        "outcome": a.outcome,
        "is_cyber_surveillance_item": a.is_cyber_surveillance_item,
        "summary": outcome.get("summary", ""),
        "citations": list(outcome.get("citations", [])),
        "questionnaire_version": a.questionnaire_version,
        "families": list(a.families),
        "due_diligence": list(a.due_diligence),
        "assessed_at": a.assessed_at.isoformat(),
    }


def _product_out(p: Product) -> dict[str, Any]:
    item = p.item_facts()
    return {
        "id": p.pk,
        "reference": p.reference,
        "name": p.name,
        "description": p.description,
        "control_code": item["control_code"],
        "cyber_surveillance": p.cyber_surveillance,
        "item": item,
        "cyber_assessment": _assessment_out(p.current_cyber_assessment),
    }


@router.post("/classify", response={200: ClassificationOut, **ERRORS},
             operation_id="classify_description")
def classify_description(request: HttpRequest, body: ClassifyIn) -> dict[str, Any]:
    """Is an Annex I entry a fit for this description, or is the item probably not listed?
    With the confidence, the reasons, the cyber-surveillance families and the nearest
    entries. A suggestion: the exporter classifies, the competent authority decides."""
    _exporter(request)
    return _answer(body.description, body.top)


@router.get("/products", response={200: list[ProductOut], **ERRORS},
             operation_id="list_products")
def list_products(request: HttpRequest) -> list[dict[str, Any]]:
    """Your organisation's products with their classification and cyber-surveillance fact."""
    a = _exporter(request)
    return [_product_out(p) for p in Product.objects.filter(exporter=a.organisation)]


@router.get("/products/{product_id}", response={200: ProductOut, **ERRORS},
             operation_id="get_product")
def get_product(request: HttpRequest, product_id: int) -> dict[str, Any]:
    a = _exporter(request)
    return _product_out(get_object_or_404(Product, pk=product_id, exporter=a.organisation))


@router.get("/products/{product_id}/classification", response={200: ClassificationOut, **ERRORS},
             operation_id="classify_product")
def classify_product(request: HttpRequest, product_id: int) -> dict[str, Any]:
    """The assistant's answer for the product's name and description."""
    a = _exporter(request)
    p = get_object_or_404(Product, pk=product_id, exporter=a.organisation)
    return _answer(product_description(p))


@router.post("/products/{product_id}/cyber-surveillance",
             response={201: AssessmentOut, **ERRORS},
             operation_id="record_cyber_assessment")
def record_cyber_assessment(request: HttpRequest, product_id: int,
                            body: AssessmentIn) -> Status[Any]:
    """Record the product's Art. 2(20) assessment (the `dualuse classify cyber` questionnaire's
    answers) and, for a cyber-surveillance item, which Art. 5 due-diligence steps are done.
    An incomplete set of answers is refused (400) and changes nothing."""
    a = _exporter(request)
    p = get_object_or_404(Product, pk=product_id, exporter=a.organisation)
    rec = assess_cyber_surveillance(a, p, answers=body.answers, done=body.done, note=body.note)
    return Status(201, _assessment_out(rec))
