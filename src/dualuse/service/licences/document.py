"""The licence document as PDF (the HTML form is a template): number, holder, items with their
limits, destinations, end-users, conditions and validity, in the order of the Annex III models."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF

from dualuse import OJ_DISCLAIMER

KIND_TITLES = {
    "individual": "Individual export authorisation",
    "global": "Global export authorisation",
    "large_project": "Large project authorisation",
    "brokering": "Authorisation for brokering services",
    "technical_assistance": "Authorisation for technical assistance",
    "intra_eu_transfer": "Authorisation for an intra-Union transfer (Annex IV)",
}


def _latin1(text: str) -> str:
    # The core PDF fonts are Latin-1; anything else is replaced rather than lost silently.
    return text.encode("latin-1", "replace").decode("latin-1")


def licence_pdf(licence: Any) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(f"Licence {licence.number}")
    pdf.set_author("Competent authority (CDIU, on behalf of the Minister)")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def line(text: str, size: int = 10, style: str = "") -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, 5.5, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    line("European Union - Regulation (EU) 2021/821", 9)
    line(KIND_TITLES.get(licence.kind, licence.kind), 15, "B")
    line(f"Licence number: {licence.number}    Status: {licence.status}", 11, "B")
    pdf.ln(2)
    holder = licence.exporter
    line(f"1. Exporter: {holder.name}, EORI {holder.eori}, {holder.member_state}")
    line(f"2. Destination(s): {', '.join(licence.destinations)}")
    line(f"3. End-user(s): {'; '.join(licence.end_users) or '-'}")
    line(f"4. Valid from {licence.valid_from.isoformat()} to {licence.valid_to.isoformat()}")
    line("5. Items:", 10, "B")
    for n, item in enumerate(licence.items.all(), start=1):
        line(
            f"   {n}. {item.control_code or 'not listed'} - {item.description}: "
            f"{item.quantity} {item.unit}, EUR {item.value_eur} "
            f"(remaining {item.quantity_remaining} {item.unit}, EUR {item.value_remaining})"
        )
    line(f"6. Conditions: {licence.conditions or 'none'}")
    line(
        f"Version {licence.version}; issued {licence.issued_at:%Y-%m-%d}. Valid throughout the "
        "customs territory of the Union (Art. 12(1)).",
        9,
    )
    pdf.ln(3)
    line(OJ_DISCLAIMER, 7)
    return bytes(pdf.output())
