"""`dualuse law ...`: look up the law as of a date (Annex I entries, Annex II UGEAs, statistics)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from enum import StrEnum
from typing import Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from dualuse import OJ_DISCLAIMER
from dualuse.cli.common import parse_date, print_json, user_errors
from dualuse.law import Catalogue, Entry, load_law
from dualuse.rules.annex_ii.coverage import item_coverage

app = typer.Typer(help="Look up the law as of a date: Annex I entries, UGEAs, statistics.",
                  no_args_is_help=True)
out = Console()


class Format(StrEnum):
    text = "text"
    json = "json"


def _catalogue(as_of: str | None) -> Catalogue:
    law = load_law()
    day = parse_date(as_of) or _default_day()
    return law.as_of(day)


def _default_day() -> date:
    # The CLI is an edge: it may read the clock; the core never does.
    return date.today()


def _entry_json(e: Entry) -> dict[str, Any]:
    return {
        "code": e.code, "parent": e.parent, "level": e.level, "category": e.category,
        "group": e.group, "category_part": e.category_part, "entry": e.entry,
        "regime": e.regime, "text": e.text, "notes": list(e.notes), "not_used": e.not_used,
        "valid_from": e.validity.valid_from.isoformat(),
        "valid_to": e.validity.valid_to.isoformat() if e.validity.valid_to else None,
        "citation": e.citation.to_dict(), "last_verified_on": e.last_verified_on.isoformat(),
        "provenance": e.provenance,
    }


def show_data(cat: Catalogue, code: str) -> dict[str, Any]:
    entry = cat.entry(code)
    iv = cat.annex_iv(entry.code)
    s1 = cat.section_i_exclusion(entry.code)
    # The engine's own reading of Annex II's item lists, so `law show` and `check` agree.
    titles = {u.id: (u.title, u.citation.render()) for u in cat.ugeas()}
    ugeas = [
        {"id": c.ugea, "title": titles[c.ugea][0], "status": c.status,
         "may_cover": c.status != "excluded",
         "reason": None if c.status == "covered" else "; ".join(c.reasons),
         "questions": [q.text for q in c.questions], "citation": titles[c.ugea][1]}
        for c in item_coverage(cat, entry.code)
    ]
    return {
        "as_of": cat.as_of.isoformat(),
        "annex_i_version": {"id": cat.annex_i_version.id,
                            "act": cat.annex_i_version.act_title},
        "data_version": cat.data_version,
        "entry": _entry_json(entry),
        "ancestors": [_entry_json(a) for a in cat.ancestors(entry.code)],
        "notes": [{"id": n.id, "title": n.title, "text": n.text,
                   "citation": n.citation.render()} for n in cat.notes_for(entry.code)],
        "definitions": [{"term": d.term, "qualifier": d.qualifier, "text": d.text,
                         "citation": d.citation.render()}
                        for d in cat.definitions_for(entry.code)],
        "definitions_available": cat.definitions_available,
        "definitions_complete": cat.definitions_complete,
        "definitions_scope": cat.annex_i_version.definitions.scope,
        "notes_scope": cat.annex_i_version.notes.scope,
        "annex_iv": None if iv is None else {
            "listed_code": iv.listed_code, "part": iv.part, "scope": iv.scope, "note": iv.note,
            "verified": iv.verified, "verification": iv.verification,
            "citation": iv.citation.render()},
        "annex_ii_section_i": None if s1 is None else {
            "listed_code": s1.listed_code, "text": s1.text, "partial": s1.partial},
        "general_authorisations": ugeas,
        "disclaimer": OJ_DISCLAIMER,
    }


@app.command("show")
def show(
    code: str = typer.Argument(..., help="Annex I code as printed, e.g. 5A002.a.1"),
    as_of: str | None = typer.Option(None, "--as-of", help="date (YYYY-MM-DD); default today"),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json"),
) -> None:
    """An Annex I entry with its ancestors, notes, definitions, Annex IV status and UGEAs."""
    with user_errors():
        data = show_data(_catalogue(as_of), code)
    if fmt is Format.json:
        print_json(data)
        return
    e = data["entry"]
    out.print(f"[bold]{e['code']}[/]  (Annex I as of {data['as_of']}: "
              f"{data['annex_i_version']['act']}; regime {e['regime']})")
    for a in data["ancestors"]:
        out.print(f"  [dim]{a['code']}[/] {a['text']}", highlight=False)
    out.print(Panel(e["text"] + ("\n\n" + "\n".join(e["notes"]) if e["notes"] else ""),
                    title=e["code"], subtitle=e["citation"]["rendered"]))
    if data["notes"]:
        out.print("[bold]Notes that apply[/]")
        for n in data["notes"]:
            crypto = " (includes the Cryptography Note)" if "Cryptography Note" in n["text"] else ""
            out.print(f"  • {n['title']}{crypto}", highlight=False)
    if data["definitions"]:
        out.print("[bold]Definitions[/]")
        for d in data["definitions"]:
            out.print(f"  • \"{d['term']}\": {d['text']}", highlight=False)
    if not data["definitions_complete"]:
        out.print(f"[dim]Definitions of this Annex I version bundled: "
                  f"{data['definitions_scope']}. Notes: {data['notes_scope']}.[/]",
                  highlight=False)
    iv = data["annex_iv"]
    out.print("[bold]Annex IV[/]: " + ("not listed (no intra-EU transfer authorisation under "
                                       "Art. 11(1))" if iv is None else
                                       f"listed as {iv['listed_code']}, Part {iv['part'] or '?'},"
                                       f" {iv['scope']}" + ("" if iv["verified"] else
                                                             " (unverified)")))
    table = Table("UGEA", "item lists", "why")
    for u in data["general_authorisations"]:
        table.add_row(u["id"], u["status"], u["reason"] or "")
    out.print(table)
    out.print(f"[dim]{OJ_DISCLAIMER}[/]")


def stats_data(as_of: date | None) -> dict[str, Any]:
    law = load_law()
    day = as_of or _default_day()
    cat = law.as_of(day)
    entries = cat.entries()
    first, last = law.coverage
    return {
        "as_of": day.isoformat(),
        "data_version": law.data_version,
        "coverage": {"from": first.isoformat(), "to": last.isoformat() if last else None},
        "annex_i_version": {"id": cat.annex_i_version.id, "act": cat.annex_i_version.act_title,
                            "valid_from": cat.annex_i_version.validity.valid_from.isoformat()},
        "annex_i_versions": [
            {"id": v.id, "act": v.act_title, "rows": v.rows,
             "valid_from": v.validity.valid_from.isoformat(),
             "valid_to": v.validity.valid_to.isoformat() if v.validity.valid_to else None}
            for v in law.annex_i_versions
        ],
        "counts": {
            "annex_i_entries": len(entries),
            "annex_i_top_level_entries": sum(1 for e in entries if e.level == 0),
            "annex_i_not_used": sum(1 for e in entries if e.not_used),
            "definitions": len(cat.definitions()),
            "note_documents": len(cat.note_documents()),
            "annex_iv_listed_codes": sum(1 for e in entries if e.level == 0
                                         and cat.annex_iv(e.code) is not None),
            "annex_ii_ugeas": len(cat.ugeas()),
            "countries": len(cat.countries()),
            "eu_member_states": sum(1 for c in cat.countries() if c.eu_member_state),
            "arms_embargoes": sum(1 for c in cat.countries() if cat.arms_embargo(c.iso2)),
            "sanctions_bans": sum(len(cat.sanctions_bans(c.iso2)) for c in cat.countries()),
            "national_measures": len(law.data.national_measures),
            "instruments": len(law.instruments()),
            "articles": 32,
        },
        "per_category": dict(sorted(Counter(e.category for e in entries).items())),
        "per_regime": dict(sorted(Counter(e.regime for e in entries).items())),
        "per_group": dict(sorted(Counter(e.group for e in entries).items())),
    }


@app.command("stats")
def stats(
    as_of: str | None = typer.Option(None, "--as-of", help="date (YYYY-MM-DD); default today"),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json"),
) -> None:
    """Counts per annex, category and regime; coverage dates; data version."""
    with user_errors():
        data = stats_data(parse_date(as_of))
    if fmt is Format.json:
        print_json(data)
        return
    out.print(f"[bold]dualuse law data[/] {data['data_version']} — as of {data['as_of']}, "
              f"Annex I per {data['annex_i_version']['act']}")
    out.print(f"coverage: {data['coverage']['from']} onwards")
    t = Table("count", "value")
    for k, v in data["counts"].items():
        t.add_row(k.replace("_", " "), str(v))
    out.print(t)
    for key in ("per_category", "per_regime", "per_group"):
        t = Table(key.replace("_", " "), "entries")
        for k, v in data[key].items():
            t.add_row(k, str(v))
        out.print(t)


@app.command("ugea")
def ugea(
    ugea_id: str = typer.Argument(..., help="EU001 ... EU008"),
    as_of: str | None = typer.Option(None, "--as-of", help="date (YYYY-MM-DD); default today"),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json"),
) -> None:
    """A Union general export authorisation: items, destinations, conditions, duties."""
    with user_errors():
        cat = _catalogue(as_of)
        u = cat.ugea(ugea_id)
    data = {
        "id": u.id, "title": u.title, "annex_section": u.annex_section,
        "citation": u.citation.render(), "as_of": cat.as_of.isoformat(),
        "items_scope": u.items_scope,
        "included": [{"code": i.code, "qualifier": i.qualifier, "text": i.text}
                     for i in u.included],
        "excluded": [{"code": i.code, "qualifier": i.qualifier, "text": i.text}
                     for i in u.excluded],
        "section_i_applies": u.section_i_applies,
        "destination_type": u.destination_type,
        "destinations": sorted(u.destinations),
        "excluded_destinations": sorted(u.excluded_destinations),
        "excluded_destination_groups": list(u.excluded_destination_groups),
        "not_authorised_if": [{"code": c.code, "text": c.text, "basis": c.basis}
                              for c in u.not_authorised_if],
        "preconditions": list(u.preconditions),
        "icp_required": u.icp_required,
        "requirements": dict(u.requirements),
        "first_use_notification": {
            "days": u.first_use_notification.days,
            "timing": u.first_use_notification.timing,
            "member_state_may_require_prior": (
                u.first_use_notification.member_state_may_require_prior
            ),
            "citation": u.first_use_notification.citation.render(),
        },
        "registration": {
            "mandatory": u.registration.mandatory,
            "acknowledgement_working_days": u.registration.acknowledgement_working_days,
            "subject_to_article_12_7": u.registration.subject_to_article_12_7,
            "citation": u.registration.citation.render(),
        },
    }
    if fmt is Format.json:
        print_json(data)
        return
    out.print(f"[bold]{u.id}[/] — {u.title}  [dim]({data['citation']})[/]")
    out.print(f"[bold]Items[/]: {u.items_scope}")
    for i in u.included:
        out.print(f"  + {i.code or i.text}" + (f" ({i.qualifier})" if i.qualifier else ""),
                  highlight=False)
    for i in u.excluded:
        out.print(f"  − {i.code or i.text}" + (f" ({i.qualifier})" if i.qualifier else ""),
                  highlight=False)
    if u.destination_type == "allowlist":
        names = [cat.country(c).name for c in sorted(u.destinations)]
        out.print("[bold]Destinations[/]: " + ", ".join(names))
    else:
        out.print("[bold]Destinations[/]: all except " + ", ".join(
            sorted(u.excluded_destinations)))
    out.print("[bold]Not authorised if[/]")
    for c in u.not_authorised_if:
        out.print(f"  • {c.text}", highlight=False)
    for p in u.preconditions:
        out.print(f"  • precondition: {p}", highlight=False)
    out.print("[bold]Duties[/]")
    fu, reg = u.first_use_notification, u.registration
    when = "before" if fu.timing == "before_first_export" else "after"
    out.print(f"  • first-use notification: {fu.days} days {when} the first export"
              + (" (or before first use, if the member state requires)"
                 if fu.member_state_may_require_prior else "")
              + f"  [dim]({fu.citation.render()})[/]", highlight=False)
    duty = "mandatory" if reg.mandatory else "if the member state requires"
    ack = reg.acknowledgement_working_days
    out.print(f"  • registration: {duty}; acknowledged within {ack} working days"
              f"  [dim]({reg.citation.render()})[/]", highlight=False)
    for k, v in u.requirements.items():
        out.print(f"  • {k.replace('_', ' ')}: {v}", highlight=False)
    out.print(f"[dim]{OJ_DISCLAIMER}[/]")
