"""Plain-text rendering of a determination: each finding with its provision, the UGEAs, the
obligations and questions, the versions, and the Official Journal disclaimer."""

from __future__ import annotations

from dualuse.engine.result import Determination, Node

_LABEL = {
    "prohibited": "PROHIBITED",
    "undetermined": "UNDETERMINED: FACTS NEEDED (see below)",
    "authorisation_required": "AUTHORISATION REQUIRED",
    "notify_authority": "NOTIFY THE COMPETENT AUTHORITY",
    "no_authorisation_required": "NO AUTHORISATION REQUIRED",
}


def render_text(d: Determination) -> str:
    tx = d.input
    lines = [
        f"Determination: {_LABEL[d.outcome]}",
        f"  {tx['activity'].replace('_', ' ')} from {tx['exporter']['member_state']} to "
        f"{tx['destination']} as of {d.as_of} (Annex I version {d.annex_i_version})",
        "",
        "Legal bases:",
        *([f"  - {b}" for b in d.legal_bases] or [
            "  (none yet: the facts needed below decide)" if d.outcome == "undetermined" else
            "  (none: no provision requires an authorisation or a notification)"]),
        "",
        "Items:",
    ]
    for item, node in zip(d.items, d.explanation.children, strict=False):
        code = item.control_code or "no Annex I code"
        lines.append(f"  [{item.index}] {code}: {_LABEL[item.outcome].lower()}")
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
    out = []
    for child in node.children:
        if child.outcome:
            out.append(f"      {child.citation}: {child.result}")
    return out or ["      no provision applies"]
