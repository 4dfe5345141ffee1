"""The product page and the catalogue API: the assistant's verdict ("probably not listed") and
cyber-surveillance families, and the Art. 2(20) assessment stored on the product with its
Art. 5 due-diligence record, audited, and carried into checks as the product's
`cyber_surveillance` fact."""

from __future__ import annotations

from typing import Any

from django.test import Client

from dualuse.service.audit.models import AuditEvent
from dualuse.service.catalogue.models import CyberSurveillanceAssessment
from dualuse.service.catalogue.operations import add_product, assess_cyber_surveillance
from dualuse.service.organisations.models import ApiToken

# The path of a non-listed cyber-surveillance item through the Art. 2(20) questionnaire.
CSI_ANSWERS = {"listed": "no", "family": "facial_emotion_recognition",
               "specially_designed": "yes", "covert": "yes", "natural_persons": "yes",
               "functions": "yes", "ict_source": "yes", "commercial_only": "no",
               "informed": "no", "aware": "no"}


def _client(actor: Any, language: str = "en") -> Client:
    c = Client(headers={"accept-language": language})
    c.force_login(actor.user)
    return c


def _api(actor: Any) -> Client:
    raw = ApiToken.issue(actor.user, "test")[1]
    return Client(headers={"authorization": f"Bearer {raw}"})


def _product(actor: Any, name: str, description: str = "", ref: str = "P1") -> Any:
    return add_product(actor, reference=ref, name=name, description=description, cn_code="")


def test_product_page_says_probably_not_listed_for_ordinary_goods(make_actor: Any) -> None:
    ex = make_actor("exporter_user")
    p = _product(ex, "Men's cotton T-shirt", "Crew neck, short sleeves, 100 % cotton jersey")
    page = _client(ex).get(f"/exporter/products/{p.pk}/?suggest=1").content.decode()
    assert "Probably not listed in Annex I" in page
    assert "Nearest entries" in page  # still shown, for the exporter to rule out
    assert "(confidence 0.9" in page or "(confidence 0.8" in page


def test_product_page_shows_families_and_leads_to_the_assessment(make_actor: Any) -> None:
    ex = make_actor("exporter_user")
    p = _product(ex, "Face recognition suite",
                 "Facial recognition software for city surveillance cameras")
    page = _client(ex).get(f"/exporter/products/{p.pk}/?suggest=1").content.decode()
    assert "Cyber-surveillance families recognised" in page
    assert "Facial or emotion recognition" in page and "Video surveillance" in page
    assert 'href="#cyber"' in page
    # The assessment form is prefilled with the family the assistant recognised.
    assert '<option value="facial_emotion_recognition" selected>' in page


def test_assessment_is_stored_audited_and_flows_into_the_check_item(make_actor: Any) -> None:
    ex = make_actor("exporter_user")
    p = _product(ex, "Face recognition suite", "Facial recognition software for CCTV")
    assert p.item_facts()["cyber_surveillance"] is False
    r = _client(ex).post(f"/exporter/products/{p.pk}/",
                         {"action": "cyber", **{f"q_{k}": v for k, v in CSI_ANSWERS.items()},
                          "done": ["0", "2"], "note": "customer is a city police"})
    assert r.status_code == 302 and r["Location"].endswith("#cyber")
    a = CyberSurveillanceAssessment.objects.get(product=p)
    assert a.outcome == "csi_due_diligence" and a.is_cyber_surveillance_item is True
    assert "facial_emotion_recognition" in a.families
    assert [c["done"] for c in a.due_diligence][:3] == [True, False, True]
    assert p.cyber_surveillance is True
    assert p.item_facts() == {"description": "Face recognition suite", "control_code": None,
                              "cyber_surveillance": True}
    ev = AuditEvent.objects.filter(action="product.cyber_surveillance").get()
    assert ev.after["is_cyber_surveillance_item"] is True
    page = _client(ex).get(f"/exporter/products/{p.pk}/").content.decode()
    assert "Due-diligence record" in page and "☑" in page


def test_incomplete_or_bad_answers_change_nothing(make_actor: Any) -> None:
    ex = make_actor("exporter_user")
    p = _product(ex, "Tracker", "Covert GPS tracker")
    c = _client(ex)
    r = c.post(f"/exporter/products/{p.pk}/", {"action": "cyber", "q_listed": "no",
                                               "q_family": "location_tracking"}, follow=True)
    assert "the assessment is not complete" in r.content.decode()
    r = c.post(f"/exporter/products/{p.pk}/", {"action": "cyber", "q_listed": "maybe"},
               follow=True)
    assert "is not one of" in r.content.decode()
    assert not CyberSurveillanceAssessment.objects.exists()
    assert not AuditEvent.objects.filter(action="product.cyber_surveillance").exists()


def test_another_organisation_cannot_assess_or_see_the_product(make_actor: Any) -> None:
    ex = make_actor("exporter_user")
    other = make_actor("exporter_user")
    p = _product(ex, "Tracker", "Covert GPS tracker")
    assert _client(other).get(f"/exporter/products/{p.pk}/").status_code == 404
    assert _api(other).get(f"/api/products/{p.pk}").status_code == 404
    r = _api(other).post(f"/api/products/{p.pk}/cyber-surveillance",
                         {"answers": CSI_ANSWERS}, content_type="application/json")
    assert r.status_code == 404
    from dualuse.errors import InputError

    try:
        assess_cyber_surveillance(other, p, answers=CSI_ANSWERS)
    except InputError as exc:
        assert "another exporter" in str(exc)
    else:  # pragma: no cover - the operation must refuse
        raise AssertionError("another organisation assessed the product")


def test_api_classify_gives_the_verdict_and_the_families(make_actor: Any) -> None:
    api = _api(make_actor("exporter_user"))
    r = api.post("/api/classify", {"description": "zero-click phone hacking toolkit for police"},
                 content_type="application/json")
    assert r.status_code == 200
    body = r.json()
    assert body["verdict"] == "listed"
    assert "intrusion_software" in body["cyber_surveillance_families"]
    # A listed family leads to its entries: intrusion software is 4A005, 4D004, 4E001.
    assert {x["entry"] for x in body["results"][:3]} == {"4A005", "4D004", "4E001"}
    r = api.post("/api/classify", {"description": "stainless steel kitchen sink"},
                 content_type="application/json")
    assert r.json()["verdict"] == "probably_not_listed"
    assert r.json()["results"], "the nearest entries are still given"
    assert api.post("/api/classify", {"description": ""},
                    content_type="application/json").status_code == 422
    assert api.post("/api/classify", {"description": "x" * 2001},
                    content_type="application/json").status_code == 422


def test_api_records_the_assessment_and_reports_the_product_fact(make_actor: Any) -> None:
    ex = make_actor("exporter_user")
    api = _api(ex)
    p = _product(ex, "Face recognition suite", "Facial recognition software for CCTV")
    assert api.get(f"/api/products/{p.pk}").json()["cyber_surveillance"] is None
    r = api.post(f"/api/products/{p.pk}/cyber-surveillance",
                 {"answers": {"listed": "no"}}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "family"
    r = api.post(f"/api/products/{p.pk}/cyber-surveillance",
                 {"answers": CSI_ANSWERS, "done": [1]}, content_type="application/json")
    assert r.status_code == 201
    assert r.json()["is_cyber_surveillance_item"] is True
    got = api.get(f"/api/products/{p.pk}").json()
    assert got["cyber_surveillance"] is True and got["item"]["cyber_surveillance"] is True
    assert api.get(f"/api/products/{p.pk}/classification").json()[
        "cyber_surveillance_families"]


def test_a_product_assessed_as_cyber_surveillance_item_carries_the_fact_into_a_check(
    make_actor: Any,
) -> None:
    """Picked from the catalogue on the check form, the product's Art. 2(20) assessment reaches
    the engine as the item's `cyber_surveillance` fact (Art. 5), without ticking the box."""
    from dualuse.service.catalogue.operations import classify
    from dualuse.service.checks.models import TransactionCheck

    ex = make_actor("exporter_user")
    p = _product(ex, "Face recognition suite", "Facial recognition software for CCTV")
    classify(ex, p, control_code="", rationale="no Annex I entry fits")
    assess_cyber_surveillance(ex, p, answers=CSI_ANSWERS, done=[0], note="city police")
    r = _client(ex).post("/exporter/checks/", {
        "destination": "BR", "activity": "export", "item_rows": "1", "item-0-product": str(p.pk),
        "aware_of": ["human_rights"],
    })
    assert r.status_code == 302, r.content.decode()[:500]
    check = TransactionCheck.objects.get(exporter=ex.organisation)
    assert check.transaction["items"][0]["cyber_surveillance"] is True
    # Art. 5(2): aware of a human-rights use of a cyber-surveillance item -> notify.
    assert check.outcome == "notify_authority"
    assert "Regulation (EU) 2021/821, Art. 5(2)" in check.legal_bases
