# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Transaction checks and the exporter's notifications; the authority handles notifications.

The check form asks for the facts of `dualuse check`'s transaction (the engine's vocabulary, each
word with a label in the reader's language), items picked from the product catalogue or typed,
and the parties to screen. The result page asks the open questions and runs the check again with
the answers."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dualuse.engine.transaction import (
    ACTIVITIES,
    CIRCUMSTANCES,
    CUSTOMS_STATUSES,
    END_USES,
    ITEM_FIELDS,
)
from dualuse.errors import InputError
from dualuse.service.catalogue.models import Product
from dualuse.service.checks.ad_hoc_scope import end_user_question
from dualuse.service.checks.determine import EXPORTER_KEYS, run_check, visible_checks
from dualuse.service.checks.models import Notification, NotificationKind, NotificationStatus
from dualuse.service.checks.notifications import handle_notification, submit_notification
from dualuse.service.lawdata import catalogue_on
from dualuse.service.organisations.access import Actor, require_roles
from dualuse.service.organisations.roles import AUTHORITY_ROLES, EXPORTER_ROLES
from dualuse.service.web.countries import resolve_countries, resolve_country
from dualuse.service.web.helpers import perform, pk_field, today
from dualuse.service.web.templatetags.dualuse_tags import answer_date_key

# The engine's words, as the form shows them (a test holds these to the engine's vocabularies).
END_USE_LABELS = {
    "wmd": gettext_lazy(
        "Weapons of mass destruction: chemical, biological or nuclear weapons or missiles "
        "(Art. 4(1)(a))"
    ),
    "military_end_use": gettext_lazy(
        "A military end-use in a country under an arms embargo (Art. 4(1)(b))"
    ),
    "illegal_military_parts": gettext_lazy(
        "Parts of military items exported without or against a licence (Art. 4(1)(c))"
    ),
    "human_rights": gettext_lazy(
        "Internal repression or serious violations of human rights and international "
        "humanitarian law, by cyber-surveillance items (Art. 5)"
    ),
    "public_security": gettext_lazy("Public security or human rights (Art. 10(1))"),
}
CIRCUMSTANCE_LABELS = {
    "return_after_repair": gettext_lazy("Export after repair or replacement (EU003)"),
    "exhibition": gettext_lazy("Temporary export for an exhibition or fair (EU004)"),
    "intra_group": gettext_lazy("Within your group of companies (EU007)"),
    "free_zone": gettext_lazy("Items in a free zone"),
    "public_domain": gettext_lazy("Technical assistance: information in the public domain"),
    "basic_scientific_research": gettext_lazy("Technical assistance: basic scientific research"),
    "official_tasks": gettext_lazy("Technical assistance: by authorities in their official tasks"),
    "member_state_armed_forces": gettext_lazy(
        "Technical assistance: for the armed forces of a member state"
    ),
    "mtcr_exception": gettext_lazy("Technical assistance: a purpose the MTCR excepts"),
    "minimum_for_authorised_export": gettext_lazy(
        "Technical assistance: the minimum for an authorised export (installation, operation, "
        "maintenance, repair)"
    ),
}
ACTIVITY_LABELS = {
    "export": gettext_lazy("Export out of the Union"),
    "transfer": gettext_lazy("Transfer to another member state"),
    "brokering": gettext_lazy("Brokering services"),
    "technical_assistance": gettext_lazy("Technical assistance"),
    "transit": gettext_lazy("Transit through the Union"),
}
CUSTOMS_STATUS_LABELS = {
    "non_union": gettext_lazy("Non-Union goods (in transit through the Union)"),
    "union": gettext_lazy("Union goods"),
}
ITEM_ROWS = 2  # empty rows a new form shows; "Add an item row" gives one more
MAX_ITEM_ROWS = 200


def _rows(post: Any) -> int:
    raw = str(post.get("item_rows", "")).strip()
    n = int(raw) if raw.isdigit() else ITEM_ROWS
    if "add_row" in post:
        n += 1
    return max(1, min(n, MAX_ITEM_ROWS))


def _item_from_product(actor: Actor, row: int, pk: str) -> dict[str, Any]:
    """What the catalogue knows of a product: its classification (code or 'not listed'), its
    name and description, and its CN code where the engine reads one."""
    product = Product.objects.filter(exporter=actor.organisation, pk=pk).first() if pk.isdigit() \
        else None
    if product is None:
        raise InputError("no such product in your catalogue", field=f"items[{row}].product")
    classification = product.current_classification
    if classification is None:
        raise InputError(
            f"{product.reference} is not classified yet: classify it, or type its code",
            field=f"items[{row}].product",
        )
    item: dict[str, Any] = {
        "control_code": classification.control_code or None,
        "description": f"{product.reference} {product.name}".strip(),
    }
    if "cn_code" in ITEM_FIELDS and product.cn_code:
        # A TARIC code's first 8 digits are its CN code, by which EU sanctions list goods.
        item["cn_code"] = product.cn_code[:8]
    if product.item_facts()["cyber_surveillance"]:
        # The Art. 2(20) assessment on the product found a cyber-surveillance item (Art. 5).
        item["cyber_surveillance"] = True
    return item


def check_input_from_form(
    post: Any, actor: Actor | None = None
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The check form as the engine's transaction: item rows (a product from the catalogue, or a
    typed code and description), countries by name or code (resolved here, never cut short)."""
    items = []
    for row in range(_rows(post)):
        pk = str(post.get(f"item-{row}-product", "")).strip()
        code = str(post.get(f"item-{row}-control_code", "")).strip()
        description = str(post.get(f"item-{row}-description", "")).strip()
        measure = str(post.get(f"item-{row}-national_measure", "")).strip()
        cn_code = str(post.get(f"item-{row}-cn_code", "")).strip()
        cyber = post.get(f"item-{row}-cyber_surveillance") == "on"
        if not (pk or code or description or measure or cyber or cn_code):
            continue
        item: dict[str, Any] = {"control_code": code or None, "description": description}
        if cn_code:
            item["cn_code"] = cn_code  # the engine checks its format, naming items[n].cn_code
        if pk and actor is not None:
            picked = _item_from_product(actor, row, pk)
            item = {**picked, **{k: v for k, v in item.items() if v}}
        # A product assessed as a cyber-surveillance item stays one; the box can only add the fact.
        item["cyber_surveillance"] = cyber or bool(item.get("cyber_surveillance"))
        if measure:
            item["national_measure"] = measure
        items.append(item)
    data: dict[str, Any] = {
        "as_of": post.get("as_of") or None,
        "activity": post.get("activity", "export"),
        "destinations": resolve_countries(str(post.get("destination", "")), field="destination"),
        "items": items,
        "informed_of": post.getlist("informed_of"),
        "aware_of": post.getlist("aware_of"),
        "circumstances": post.getlist("circumstances"),
    }
    for key in ("origin", "purchasing_country"):
        if str(post.get(key, "")).strip():
            data[key] = resolve_country(post.get(key), field=key)
    if post.get("customs_status"):
        data["customs_status"] = post.get("customs_status")
    parties = []
    for role in ("end_user", "consignee"):
        name = str(post.get(f"{role}_name", "")).strip()
        country = str(post.get(f"{role}_country", "")).strip()
        if country and not name:
            raise InputError("a party needs a name as well as a country", field=f"{role}_name")
        if name:
            parties.append({"role": role, "name": name,
                            "country": resolve_country(country, field=f"{role}_country")})
    return data, parties


def _form_context(actor: Actor, post: Any) -> dict[str, Any]:
    rows = _rows(post) if post else ITEM_ROWS
    t = today()
    measures = [
        (m.id, f"{m.id}: {m.citation.instrument_title or m.citation.instrument}")
        for m in catalogue_on(t).national_measures(actor.organisation.member_state)
    ]
    return {
        "activities": [(a, ACTIVITY_LABELS[a]) for a in ACTIVITIES],
        "end_uses": [(u, END_USE_LABELS[u]) for u in END_USES],
        "circumstances": [(c, CIRCUMSTANCE_LABELS[c]) for c in CIRCUMSTANCES],
        "customs_statuses": [(c, CUSTOMS_STATUS_LABELS[c]) for c in CUSTOMS_STATUSES],
        "products": Product.objects.filter(exporter=actor.organisation).prefetch_related(
            "classifications"
        ),
        "measures": measures,
        "rows": [
            {
                "n": n,
                "product": post.get(f"item-{n}-product", "") if post else "",
                "control_code": post.get(f"item-{n}-control_code", "") if post else "",
                "description": post.get(f"item-{n}-description", "") if post else "",
                "cn_code": post.get(f"item-{n}-cn_code", "") if post else "",
                "cyber_surveillance": bool(post) and post.get(f"item-{n}-cyber_surveillance"),
                "national_measure": post.get(f"item-{n}-national_measure", "") if post else "",
            }
            for n in range(rows)
        ],
        "item_rows": rows,
        "today": t,
        "form": post or {},
        "checked": {
            key: (post.getlist(key) if post else []) for key in
            ("informed_of", "aware_of", "circumstances")
        },
    }


@require_roles(*EXPORTER_ROLES)
@require_http_methods(["GET", "POST"])
def checks(request: HttpRequest, actor: Actor) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    if post is not None and "add_row" not in post:
        check = perform(request, lambda: run_check(
            actor, *check_input_from_form(post, actor), today=today()))
        if check is not None:
            return redirect("check", pk=check.pk)
    return render(
        request,
        "checks/list.html",
        {"checks": visible_checks(actor)[:100], **_form_context(actor, post)},
    )


# The sanctions' question for an item's CN code (`sanctions.RU.items[0].cn_code`): answered with
# the code itself, put into the item (one field per item, whichever regimes ask).
_CN_QUESTION = re.compile(r"^sanctions\.[A-Z]{2}\.items\[(\d+)\]\.cn_code$")


def open_questions(obj: Any) -> list[dict[str, Any]]:
    """Every question a check leaves open, once: the engine's (every destination) and those of
    the decisions imposed on the exporter."""
    seen: dict[str, dict[str, Any]] = {}
    for p in obj.per_destination or [{"determination": obj.determination}]:
        for q in (p.get("determination") or {}).get("missing_facts", []):
            cn = _CN_QUESTION.match(q["id"])
            if cn:
                seen.setdefault(f"cn_code:{cn[1]}", {**q, "kind": "cn_code", "item": int(cn[1])})
                continue
            seen.setdefault(q["id"], {**q, "kind": "fact"})
        for a in p.get("ad_hoc") or []:
            q = a.get("question")
            if q:
                kind = "end_user" if q["id"] == end_user_question(a["reference"]) else "fact"
                seen.setdefault(q["id"], {**q, "kind": kind})
    return list(seen.values())


def _answered(check: Any, post: Any) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The check's own transaction again, with the answers given on its page."""
    data = {k: check.transaction[k] for k in EXPORTER_KEYS if k in check.transaction}
    data["destinations"] = check.destinations
    data.pop("destination", None)
    answers = dict(data.get("answers") or {})
    for q in open_questions(check):
        if q["kind"] == "cn_code":
            code = str(post.get(f"cn_code:{q['item']}", "")).strip()
            items = data.get("items") or []
            if code and q["item"] < len(items):  # the engine checks it (items[n].cn_code)
                data["items"] = [dict(i) for i in items]
                data["items"][q["item"]]["cn_code"] = code
            continue
        given = post.get(f"answer:{q['id']}", "")
        if given in ("yes", "no"):
            answers[q["id"]] = given == "yes"
    dates = {answer_date_key(q["question"]) for q in open_questions(check)} - {""}
    for key in dates:
        given = str(post.get(f"date:{key}", "")).strip()
        if given:
            answers[key] = given
    data["answers"] = answers
    parties = [
        {"role": s["role"], "name": s["name"], "country": s["country"]}
        for s in check.screening
        if s.get("role") and s.get("name")
    ]
    name = str(post.get("end_user_name", "")).strip()
    if name:
        country = resolve_country(post.get("end_user_country", ""), field="end_user_country")
        parties = [p for p in parties if p["role"] != "end_user"]
        parties.append({"role": "end_user", "name": name, "country": country})
    return data, parties


@require_roles(*EXPORTER_ROLES)
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    obj = get_object_or_404(visible_checks(actor), pk=pk)
    if request.method == "POST":
        again = perform(request, lambda: run_check(
            actor, *_answered(obj, request.POST), today=today()))
        if again is not None:
            messages.success(request, _("Checked again with your answers."))
            return redirect("check", pk=again.pk)
        return redirect("check", pk=obj.pk)
    return render(
        request,
        "checks/detail.html",
        {"check": obj, "d": obj.determination, "questions": open_questions(obj)},
    )


@require_roles(*EXPORTER_ROLES, *AUTHORITY_ROLES)
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest, actor: Actor) -> HttpResponse:
    if actor.is_exporter:
        qs = Notification.objects.filter(exporter=actor.organisation)
    else:
        qs = Notification.objects.select_related("exporter")
    if request.method == "POST":
        post = request.POST
        if actor.is_exporter:
            done = perform(
                request,
                lambda: submit_notification(
                    actor,
                    kind=post.get("kind", ""),
                    items=post.get("items", ""),
                    destination=resolve_country(post.get("destination", ""), field="destination"),
                    end_user=post.get("end_user", ""),
                    facts=post.get("facts", ""),
                ),
            )
        else:
            n = get_object_or_404(qs, pk=pk_field(post, "notification"))
            done = perform(
                request,
                lambda: (
                    handle_notification(
                        actor, n, status=post.get("status", ""), response=post.get("response", "")
                    )
                    or n
                ),
            )
        if done is not None:
            messages.success(request, _("Saved."))
        return redirect("notifications")
    return render(
        request,
        "checks/notifications.html",
        {
            "notifications": qs[:200],
            "kinds": NotificationKind.choices,
            "outcomes": [
                (NotificationStatus.NO_ACTION, _("No authorisation requirement")),
                (NotificationStatus.REQUIREMENT_IMPOSED, _("Authorisation requirement imposed")),
            ],
        },
    )


__all__ = ["check", "checks", "notifications"]
