# mypy: disable-error-code="untyped-decorator"
"""Template filters and tags: the engine's words (outcomes, UGEA statuses, rules) in the reader's
language, Annex I codes with their titles, countries by name, and the country picker."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualuse.errors import DualuseError
from dualuse.service.web import countries

register = template.Library()

OUTCOMES = {
    "no_authorisation_required": _("No authorisation required"),
    "notify_authority": _("Notify the competent authority"),
    "authorisation_required": _("Authorisation required"),
    "undetermined": _("Undetermined: facts needed"),
    "prohibited": _("Prohibited"),
}
UGEA_STATUSES = {
    "available": _("available"),
    "conditional": _("available under conditions"),
    "not_available": _("not available"),
    "not_needed": _("not needed"),
}
# What each rule of the engine examines, by its id (`dualuse.rules` registers them); a rule
# without a label here is shown by its id and a test fails.
RULES = {
    "determination": _("The determination"),
    "item": _("Item"),
    "sanctions.dual_use_ban": _("EU sanctions: ban on dual-use items to the destination"),
    "sanctions.goods_lists": _("EU sanctions: goods listed by CN code for the destination"),
    "sanctions.goods_unlisted": _("EU sanctions: the CN code is on none of the goods lists"),
    "sanctions.third_country_duties": _(
        "EU sanctions: duties on exports of high priority items to third countries"
    ),
    "art03.listed": _("Art. 3: export of an item listed in Annex I"),
    "art04.1.a": _("Art. 4(1)(a): informed of a WMD end-use"),
    "art04.1.b": _("Art. 4(1)(b): informed of a military end-use under an arms embargo"),
    "art04.1.c": _("Art. 4(1)(c): informed of use as parts of illegally exported military items"),
    "art04.2": _("Art. 4(2): aware of an Art. 4(1) end-use"),
    "art05.1": _("Art. 5(1): cyber-surveillance item, informed"),
    "art05.2": _("Art. 5(2): cyber-surveillance item, aware"),
    "art06.1": _("Art. 6(1): brokering of listed items, informed"),
    "art06.2": _("Art. 6(2): brokering of listed items, aware"),
    "art06.3": _("Art. 6(3): brokering of non-listed items, national extension"),
    "art07.1": _("Art. 7: transit of listed non-Union items"),
    "art08.1": _("Art. 8(1): technical assistance, informed"),
    "art08.2": _("Art. 8(2): technical assistance, aware"),
    "art09.1": _("Art. 9: national measure of the exporter's member state"),
    "art10.1": _("Art. 10: national control list of another member state"),
    "art11.1": _("Art. 11(1): intra-Union transfer of Annex IV items"),
    "art11.9": _("Art. 11(9): commercial documents of intra-Union transfers"),
    "national.brokering": _("National law on brokering services"),
    "national.technical_assistance": _("National law on technical assistance"),
    "ad_hoc": _("Requirement imposed on you by individual decision"),
    "art27.records": _("Art. 27: registers and records"),
}
_UGEA_RULE = re.compile(r"^annex_ii\.(eu00[1-8])$")
SCREENING = {
    "clear": _("No match"),
    "possible_match": _("Possible match: review needed"),
    "unavailable": _("Screening could not run: blocked"),
    "not_run": _("Not screened"),
}
_ANSWER_DATE = re.compile(r"answers\.([A-Za-z0-9_]+\.[a-z_]*date)")


@register.filter
def outcome_label(value: str | None) -> str:
    return str(OUTCOMES.get(value, value)) if value else ""


@register.filter
def ugea_status_label(value: str) -> str:
    return str(UGEA_STATUSES.get(value, value))


ACTIVITIES = {
    "export": _("Export"),
    "transfer": _("Transfer within the Union"),
    "brokering": _("Brokering services"),
    "technical_assistance": _("Technical assistance"),
    "transit": _("Transit"),
}


@register.filter
def activity_label(value: str) -> str:
    return str(ACTIVITIES.get(value, value))


@register.filter
def ugea_node_status(result: str) -> str:
    """A UGEA node's status: its result up to the first colon ("not_available: ...")."""
    return str(result or "").split(":", 1)[0].strip()


@register.filter
def ugea_node_reason(result: str) -> str:
    """A node's finding, without the UGEA status word it may start with."""
    text = str(result or "").strip()
    head, _, rest = text.partition(":")
    if head.strip() in UGEA_STATUSES:
        return rest.strip()
    return text


@register.filter
def rule_label(value: str) -> str:
    ugea = _UGEA_RULE.match(value or "")
    if ugea:
        return str(_("Union general export authorisation %(id)s") % {"id": ugea[1].upper()})
    return str(RULES.get(value, value))


@register.filter
def screening_label(value: str) -> str:
    return str(SCREENING.get(value, value))


@register.filter
def role_label(value: str) -> str:
    from dualuse.service.cases.models import PartyRole

    return str(dict(PartyRole.choices).get(value, value))


@register.filter
def country_name(value: str | None) -> str:
    return countries.country_name(value)


@register.filter
def country_names(values: Any) -> str:
    """Codes as names, comma-separated: "Russian Federation, United States"."""
    return ", ".join(countries.country_name(v) for v in values or [])


@register.filter
def country_label(value: str | None) -> str:
    """The picker's form of a code: "Germany (DE)"; an empty value stays empty."""
    return countries.label(value) if value else ""


@register.filter
def country_labels(values: Any) -> str:
    return ", ".join(countries.label(v) for v in values or [])


@register.filter
def code_title(code: str | None, on: Any = None) -> str:
    """An Annex I code's name: its entry's heading, and the sub-entry's own words."""
    if not code:
        return str(_("not listed in Annex I"))
    from dualuse.service.lawdata import catalogue_on

    day: dt.date = on if isinstance(on, dt.date) else _day(on)
    try:
        cat = catalogue_on(day)
        entry = cat.entry(str(code))
        chain = [*cat.ancestors(entry.code), entry]
    except DualuseError:
        return ""
    head = _trim(chain[0].text)
    if len(chain) == 1:
        return head
    return f"{head} › {_trim(entry.text)}"


@register.filter
def question_text(text: str) -> str:
    """A question as a person reads it: without the engine's hint for machine clients on how to
    give a date instead (the page offers a date field)."""
    return re.sub(r"\s*\(or give answers\.[^)]*\)", "", text or "")


@register.filter
def answer_date_key(question_text: str) -> str:
    """The date a question can be answered with instead ("answers.EU003.original_..._date")."""
    found = _ANSWER_DATE.search(question_text or "")
    return found.group(1) if found else ""


@register.filter
def usable_ugeas(general_authorisations: Any) -> list[str]:
    """The UGEAs a determination says can be used (available, or under conditions)."""
    return [g["id"] for g in general_authorisations or []
            if g.get("status") in ("available", "conditional")]


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.inclusion_tag("_country_input.html", takes_context=True)
def country_input(
    context: Any,
    name: str,
    label: str,
    value: Any = "",
    multiple: bool = False,
    required: bool = False,
    input_id: str = "",
) -> dict[str, Any]:
    """A country picker: type a name in Dutch or English (or a code) and pick; the server
    resolves what was typed (`web/countries.py`). The options are rendered once a page."""
    request = context.get("request")
    first = request is not None and not getattr(request, "_country_options", False)
    if request is not None:
        request._country_options = True
    if isinstance(value, list | tuple):
        shown = countries.label_list(value)
    else:
        shown = str(value or "")
        if len(shown) == 2 and shown.isalpha():
            shown = countries.label(shown.upper())
    return {
        "name": name,
        "id": input_id or name,
        "label": label,
        "value": shown,
        "multiple": multiple,
        "required": required,
        "options": countries.options() if first else None,
    }


def _day(value: Any) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    today: dt.date = timezone.localdate()
    return today


def _trim(text: str, limit: int = 140) -> str:
    words = re.sub(r",?\s*as follows:?\s*$", "", " ".join(text.split())).rstrip(";:, ")
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"
