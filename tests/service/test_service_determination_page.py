"""The pages show the engine's whole answer, in Dutch and English: notes, open questions, UGEA
statuses with their conditions and obligations, items with their Annex I names, the explanation
as a tree (every provision examined, applying or not), versions; on the check, case, adviser's
and customs (licence) pages. Every word of the engine's vocabularies has a label."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from service_factories import assess_all, ready_application

from dualuse.engine.result import OUTCOMES, UGEA_STATUSES
from dualuse.engine.transaction import ACTIVITIES, CIRCUMSTANCES, CUSTOMS_STATUSES, END_USES
from dualuse.rules.registry import all_rules
from dualuse.service.cases import operations as ops
from dualuse.service.checks.determine import run_check
from dualuse.service.checks.views import (
    ACTIVITY_LABELS,
    CIRCUMSTANCE_LABELS,
    CUSTOMS_STATUS_LABELS,
    END_USE_LABELS,
)
from dualuse.service.web.templatetags import dualuse_tags as tags


def _client(actor: Any, language: str = "en") -> Client:
    c = Client(headers={"accept-language": language})
    c.force_login(actor.user)
    return c


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children", []):
        yield from _nodes(child)


def assert_shows_everything(page: str, d: dict[str, Any]) -> None:
    """Every part of one engine determination is on the page."""
    for text in [*d["legal_bases"], *d["notes"], d["annex_i_version"], d["data_version"]]:
        assert escape(text) in page, text
    for q in d["missing_facts"]:
        assert escape(tags.question_text(q["question"])) in page
        assert f'data-question="{q["id"]}"' in page
    for g in d["general_authorisations"]:
        assert f'data-ugea="{g["id"]}" data-status="{g["status"]}"' in page
        for text in [*g["reasons"], *(tags.question_text(q["question"]) for q in g["questions"]),
                     *(o["obligation"] for o in g["obligations"])]:
            assert escape(text) in page, text
    for o in d["obligations"]:
        assert escape(o["obligation"]) in page
    for i in d["items"]:
        assert f'data-index="{i["index"]}" data-outcome="{i["outcome"]}"' in page
    for node in _nodes(d["explanation"]):
        assert f'data-rule="{node["rule"]}"' in page
        assert escape(node["citation"]) in page, node["citation"]
        if node["rule"] not in ("item", "determination"):
            assert escape(tags.ugea_node_reason(node["result"])) in page, node["result"]


def test_the_check_page_shows_the_whole_determination(
    make_actor: Any, screening_runs: Any
) -> None:
    ex = make_actor("exporter_user")
    check = run_check(
        ex,
        {"activity": "export", "destinations": ["RU", "CN"],
         "items": [{"control_code": "5A002.a.1", "description": "encryption module"},
                   {"control_code": None, "description": "valve"}],
         "circumstances": ["return_after_repair"]},
        [{"role": "end_user", "name": "Volkov Dual Systems", "country": "RU"}],
        today=dt.date.today(),
    )
    page = _client(ex).get(f"/exporter/checks/{check.pk}/").content.decode()
    for p in check.per_destination:
        assert_shows_everything(page, p["determination"])
    ru = next(p["determination"] for p in check.per_destination if p["destination"] == "RU")
    # the valve has no CN code: the sanctions' goods lists ask for it (never "not listed")
    assert "sanctions.RU.items[1].cn_code" in {q["id"] for q in ru["missing_facts"]}
    assert "Russian Federation (RU)" in page
    assert "&quot;Information security&quot; systems, equipment and components" in page  # name
    # the open questions of the conditional EU003, asked with yes / no / not known
    assert 'name="answer:EU003.original_end_user"' in page
    assert 'name="date:EU003.original_authorisation_date"' in page
    # the screening hit: list, entry, programme, score, and what was screened against
    hit = check.screening[0]["result"]["matches"][0]
    assert hit["list_id"] == "T-2" and hit["programmes"] == ["test list"]
    assert 'data-list-id="T-2"' in page and "programme test list" in page
    assert "test-list.csv" in page or "user:" in page  # the list screened against
    dutch = _client(ex, "nl").get(f"/exporter/checks/{check.pk}/").content.decode()
    assert "Verboden" in dutch and "Rusland (RU)" in dutch and "Open vragen" in dutch


def test_case_adviser_and_customs_pages_show_it(
    make_actor: Any, make_org: Any, screening_runs: Any
) -> None:
    today = dt.date.today()
    authority = make_org("authority", "CDIU")
    ex, cw = make_actor("exporter_user"), make_actor("caseworker", authority)
    sr, fa = make_actor("senior_caseworker", authority), make_actor("fa_adviser")
    customs = make_actor("customs_officer")
    app = ready_application(ex, today, destination="VE", code="5A002.a.1")
    ops.submit(ex, app, today=today)
    d = app.determination.per_destination[0]["determination"]
    assert any("Venezuela is under an arms embargo" in n for n in d["notes"])
    for actor, url in ((ex, f"/exporter/applications/{app.pk}/"),
                       (cw, f"/authority/cases/{app.pk}/")):
        assert_shows_everything(_client(actor).get(url).content.decode(), d)
    ops.assign(cw, app, cw.user)
    ops.request_advice(cw, app, question="Venezuela?")
    assert_shows_everything(_client(fa).get(f"/advice/{app.pk}/").content.decode(), d)
    ops.give_advice(fa, app, app.advice_requests.get(), recommendation="no_objection",
                    advice="none")
    assess_all(cw, app)
    ops.draft_decision(cw, app, kind="grant", reasons="ok", today=today)
    ops.approve_draft(sr, app, today=today)
    decided = app.determination.per_destination[0]["determination"]
    page = _client(customs).get(f"/licences/{app.licence.pk}/").content.decode()
    assert_shows_everything(page, decided)


def test_every_engine_word_has_a_label_in_both_languages() -> None:
    vocabularies = [
        (OUTCOMES, tags.OUTCOMES), (UGEA_STATUSES, tags.UGEA_STATUSES),
        (ACTIVITIES, ACTIVITY_LABELS), (END_USES, END_USE_LABELS),
        (CIRCUMSTANCES, CIRCUMSTANCE_LABELS), (ACTIVITIES, tags.ACTIVITIES),
        (CUSTOMS_STATUSES, CUSTOMS_STATUS_LABELS),
    ]
    for words, labels in vocabularies:
        assert set(words) <= set(labels), set(words) - set(labels)
        for word in words:
            with translation.override("en"):
                english = str(labels[word])
            with translation.override("nl"):
                dutch = str(labels[word])
            assert english and dutch and dutch != english, (word, english, dutch)
    rules = {r.id for r in all_rules()}
    assert rules <= set(tags.RULES) | {f"annex_ii.eu00{n}" for n in range(1, 9)}
    with translation.override("nl"):
        for r in rules:
            with translation.override("en"):
                english = tags.rule_label(r)
            assert tags.rule_label(r) != english, r
        assert tags.rule_label("annex_ii.eu003") == "Uniebrede algemene uitvoervergunning EU003"


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_each_outcome_renders(outcome: str) -> None:
    from django.template import Context, Template

    html = Template("{% load dualuse_tags %}{{ o|outcome_label }}").render(Context({"o": outcome}))
    assert html and html != outcome
