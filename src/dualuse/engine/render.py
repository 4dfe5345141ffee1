"""Plain-text rendering of a determination: each provision tested, with why it applies or why it
does not (the fact or exemption that decided it), the UGEAs, the obligations and questions, the
versions, and the Official Journal disclaimer. Outcomes and countries are written in words,
Annex I codes with the wording of their provision."""

from __future__ import annotations

from dualuse.engine.result import Determination, Node

_LABEL = {
    "prohibited": "PROHIBITED",
    "undetermined": "UNDETERMINED: FACTS NEEDED (see below)",
    "authorisation_required": "AUTHORISATION REQUIRED",
    "notify_authority": "NOTIFY THE COMPETENT AUTHORITY (it decides)",
    "no_authorisation_required": "NO AUTHORISATION REQUIRED",
}
_WORDS = {
    "prohibited": "prohibited",
    "undetermined": "undetermined: facts needed",
    "authorisation_required": "authorisation required",
    "notify_authority": "notify the competent authority",
    "no_authorisation_required": "no authorisation required",
}
_TITLE = 90


def outcome_words(outcome: str) -> str:
    return _WORDS[outcome]


def render_text(d: Determination) -> str:
    tx = d.input

    def country(code: str | None) -> str:
        return f"{d.countries.get(code or '', code)} ({code})"

    header = (f"  {tx['activity'].replace('_', ' ').capitalize()} from "
              f"{country(tx['exporter']['member_state'])} to {country(tx['destination'])} "
              f"as of {d.as_of} (Annex I version {d.annex_i_version})")
    context = []
    if tx["exporter"].get("established_in"):
        context.append(f"established in {country(tx['exporter']['established_in'])}")
    if tx.get("origin"):
        context.append(f"items in {country(tx['origin'])}")
    if tx.get("purchasing_country"):
        context.append(f"purchasing country {country(tx['purchasing_country'])}")
    lines = [
        f"Determination: {_LABEL[d.outcome]}",
        header,
        *([f"  ({'; '.join(context)})"] if context else []),
        "",
        "Legal bases:",
        *([f"  - {b}" for b in d.legal_bases] or [
            "  (none yet: the facts needed below decide)" if d.outcome == "undetermined" else
            "  (none: no provision requires an authorisation or a notification; why each one "
            "tested does not is said per item)"]),
        "",
        "Items:",
    ]
    for item, node in zip(d.items, d.explanation.children, strict=False):
        code = item.control_code or "no Annex I code"
        title = item.annex_i_text or node.facts.get("description") or ""
        if len(title) > _TITLE:
            title = title[:_TITLE].rstrip() + "…"
        lines.append(f"  [{item.index}] {code}{f' ({title})' if title else ''}: "
                     f"{outcome_words(item.outcome)}")
        lines.extend(_findings(node))
    lines += ["", "Union general export authorisations (Annex II):"]
    for u in d.general_authorisations:
        lines.append(f"  {u.id} {u.status.replace('_', ' ')} ({u.citation})")
        lines.extend(f"      {r}" for r in u.reasons)
    if d.obligations:
        lines += ["", "Obligations:"]
        for o in d.obligations:
            deadline = f" [{o.deadline}]" if o.deadline else ""
            lines.append(f"  - {o.text}{deadline} ({o.provision})")
    if d.questions:
        lines += ["", "Facts needed (answer under 'answers' by id):"]
        lines.extend(f"  ? {q.id}: {q.text} ({q.provision})" for q in d.questions)
    if d.notes:
        lines += ["", "Notes:"]
        lines.extend(f"  * {n}" for n in d.notes)
    lines += [
        "",
        f"Data version {d.data_version}; rules version {d.rules_version}; input {d.input_hash}",
        d.disclaimer,
    ]
    return "\n".join(lines) + "\n"


def _findings(node: Node) -> list[str]:
    """Each provision tested for the item: those that apply, then why each other does not."""
    tested = [c for c in node.children if c.applies is not None]
    applying = [c for c in tested if c.applies]
    not_applying = [c for c in tested if not c.applies]
    out = []
    if applying:
        out.append("      applies:")
        out.extend(f"        + {c.citation}: {c.result}" for c in applying)
    if not_applying:
        out.append("      does not apply:")
        out.extend(f"        - {c.citation}: {c.result}" for c in not_applying)
    return out
