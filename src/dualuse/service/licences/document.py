# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The licence document: the boxes of the model authorisation in Annex III, Section A of
Regulation (EU) 2021/821 (Art. 12(2): "at least all the elements of and in the order provided for
in the models"), in the holder's language, dated in the Netherlands' time, as HTML (a template) and
as PDF.

The PDF embeds Unicode fonts (DejaVu Sans for Latin, Greek, Cyrillic, Arabic and Hebrew; Droid
Sans Fallback for Chinese, Japanese and Korean), both from Debian packages (fonts-dejavu-core,
fonts-droid-fallback; `scripts/system-deps` installs them), and shapes text with HarfBuzz, so a
party's name prints as written in any script. Without the fonts the PDF is refused with a clear
error; nothing is ever printed as "?".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from dualuse.errors import DualuseError
from dualuse.service.cases.models import KIND_CHOICES, PartyRole


class DocumentUnavailableError(DualuseError):
    """The licence PDF cannot be produced here (its fonts are not installed)."""


@dataclass(frozen=True)
class Box:
    number: str
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ItemRow:
    number: int
    description: str
    cn_code: str
    control_code: str
    value: str
    quantity: str


@dataclass(frozen=True)
class LicenceDocument:
    language: str
    title: str
    number: str
    issued_on: dt.date
    boxes: tuple[Box, ...]
    items: tuple[ItemRow, ...]
    after_items: tuple[Box, ...]
    issued_by: str
    status_note: str = ""
    footer: tuple[str, ...] = field(default_factory=tuple)


EXPORT_KINDS = frozenset({"individual", "global", "large_project"})


def _party_lines(parties: list[Any]) -> tuple[str, ...]:
    lines = []
    for p in parties:
        where = ", ".join(x for x in (p.address.strip(), p.country) if x)
        lines.append(f"{p.name}" + (f" — {where}" if where else ""))
    return tuple(lines) or ("—",)


def _authority(licence: Any) -> tuple[str, str]:
    membership = getattr(licence.approved_by, "membership", None)
    org = membership.organisation if membership is not None else None
    name = org.name if org is not None else "CDIU"
    return name, (org.address if org is not None else "")


def _issued_on(licence: Any) -> dt.date:
    # The day in the Netherlands (Europe/Amsterdam), not in UTC: issued at 00:30 CET is that day.
    return timezone.localtime(licence.issued_at).date()


def build_document(licence: Any) -> LicenceDocument:
    """The licence's content, box by box, in the licence's (the holder's) language."""
    with translation.override(licence.language):
        return _build(licence)


def _build(licence: Any) -> LicenceDocument:
    app = licence.application
    parties = list(app.parties.all())
    by_role = {role: [p for p in parties if p.role == role] for role in PartyRole.values}
    holder = licence.exporter
    authority, authority_address = _authority(licence)
    issued_on = _issued_on(licence)
    kinds = dict(KIND_CHOICES)
    located = ", ".join(app.located_in_member_states) or holder.member_state
    if app.items_location.strip():
        located += f" ({app.items_location.strip()})"
    boxes = (
        Box("1", _("Exporter"), tuple(x for x in (
            holder.name, holder.address.strip(), _("EORI %(eori)s") % {"eori": holder.eori},
        ) if x)),
        Box("2", _("Identification number"), (licence.number,)),
        Box("3", _("Expiry date"), (
            licence.valid_to.isoformat(),
            _("valid from %(day)s") % {"day": licence.valid_from.isoformat()},
        )),
        Box("4", _("Contact point details"), (
            authority, _("case %(ref)s") % {"ref": app.reference},
        )),
        Box("5", _("Consignee"), _party_lines(by_role[PartyRole.CONSIGNEE])),
        Box("6", _("Issuing authority"), tuple(x for x in (
            authority, authority_address.strip(),
            _("for the Minister for Foreign Trade and Development Cooperation (the Netherlands)"),
        ) if x)),
        Box("7", _("Agent/representative (if not the exporter)"),
            _party_lines(by_role[PartyRole.AGENT])),
        Box("8", _("Country of origin"), ("—",)),
        Box("9", _("Member State where the items are located or will be located"), (located,)),
        Box("10", _("Member State where the export customs procedure will be made"),
            (_("any Member State (Art. 12(1))"),)),
        Box("11", _("End-user (if different from the consignee)"),
            _party_lines(by_role[PartyRole.END_USER])),
        Box("12", _("Country of final destination"), (", ".join(licence.destinations),)),
        Box("13", _("Intermediate consignee(s)"),
            _party_lines(by_role[PartyRole.INTERMEDIATE_CONSIGNEE])),
    )
    items = tuple(
        ItemRow(
            number=n,
            description=i.description,
            cn_code=i.cn_code or "—",
            control_code=i.control_code or _("not listed"),
            value=f"EUR {i.value_eur}",
            quantity=f"{i.quantity} {i.unit}",
        )
        for n, i in enumerate(licence.items.all(), start=1)
    )
    after = (
        Box("20", _("End-use"), (app.end_use or "—",)),
        Box("21", _("Date of contract (if applicable)"), ("—",)),
        Box("22", _("Export customs procedure"), (
            _("export (Art. 269 of the Union Customs Code)") if licence.kind in EXPORT_KINDS
            else "—",  # brokering, technical assistance, an intra-Union transfer: no export
        )),
        Box("23", _("Additional information required by national legislation"), tuple(x for x in (
            _("Conditions: %(conditions)s") % {"conditions": licence.conditions or _("none")},
            _("Valid throughout the customs territory of the Union (Art. 12(1) of Regulation "
              "(EU) 2021/821)."),
            _("Version %(version)s.") % {"version": licence.version},
        ) if x)),
    )
    status_note = ""
    if licence.status != "active":
        status_note = _("Status: %(status)s") % {"status": licence.get_status_display()}
    return LicenceDocument(
        language=licence.language,
        title=str(kinds.get(licence.kind, licence.kind)),
        number=licence.number,
        issued_on=issued_on,
        boxes=boxes,
        items=items,
        after_items=after,
        issued_by=_("Issued on %(day)s by %(authority)s.") % {
            "day": issued_on.isoformat(), "authority": authority,
        },
        status_note=status_note,
        footer=(_("European Union — Regulation (EU) 2021/821"),),
    )


# -- PDF -------------------------------------------------------------------------------------

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/droid"))
FONTS = {
    ("Sans", ""): "DejaVuSans.ttf",
    ("Sans", "B"): "DejaVuSans-Bold.ttf",
    ("CJK", ""): "DroidSansFallbackFull.ttf",
}


def _font_path(name: str) -> Path:
    dirs = [Path(d) for d in getattr(settings, "PDF_FONT_DIRS", ())] + list(FONT_DIRS)
    for folder in dirs:
        if (folder / name).is_file():
            return folder / name
    raise DocumentUnavailableError(
        f"the licence PDF needs the font {name} (Debian packages fonts-dejavu-core and "
        "fonts-droid-fallback); the licence document page shows the same content",
        field="document",
    )


# Loading the CJK font and shaping text cost most of a PDF's time (about 5x for a Latin-only
# licence), so each is used only when the document's text needs it.
_CJK = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
_SHAPED = (  # scripts whose letters join or reorder (Hebrew, Arabic ..., Indic, South-East Asian)
    (0x0590, 0x08FF), (0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x18AF),
    (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF),
)


def _uses(text: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= ord(ch) <= hi for ch in text if ord(ch) > 0x24F for lo, hi in ranges)


def _all_text(doc: LicenceDocument) -> str:
    parts = [doc.title, doc.issued_by]
    for box in (*doc.boxes, *doc.after_items):
        parts += [box.title, *box.lines]
    for row in doc.items:
        parts += [row.description, row.cn_code, row.control_code, row.quantity]
    return " ".join(parts)


class _LicencePDF(FPDF):
    """Every page names the licence and its page: a long licence stays one document."""

    number = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Sans", "", 8)
        self.cell(0, 5, f"{self.number} · {self.page_no()}/{{nb}}", align="R")


def _pdf_with_fonts(text: str) -> _LicencePDF:
    pdf = _LicencePDF(format="A4")
    for (family, style), file_name in FONTS.items():
        if family == "CJK" and not _uses(text, _CJK):
            continue
        pdf.add_font(family, style, str(_font_path(file_name)))
    if _uses(text, _CJK):
        pdf.set_fallback_fonts(["CJK"], exact_match=False)
    if _uses(text, _SHAPED):
        pdf.set_text_shaping(True)
    return pdf


def licence_pdf(licence: Any) -> bytes:
    doc = build_document(licence)
    pdf = _pdf_with_fonts(_all_text(doc))
    pdf.number = doc.number
    with translation.override(doc.language):
        pdf.set_lang(doc.language)
        pdf.set_title(f"{doc.title} {doc.number}")
        pdf.set_author(doc.issued_by)
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        pdf.set_font("Sans", "", 9)
        pdf.cell(0, 5, doc.footer[0], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sans", "B", 15)
        pdf.multi_cell(0, 8, doc.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sans", "B", 11)
        pdf.multi_cell(0, 6, f"{doc.number}    {doc.status_note}".strip(),
                       new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        _boxes(pdf, doc.boxes)
        pdf.ln(2)
        _items(pdf, doc.items)
        pdf.ln(2)
        _boxes(pdf, doc.after_items)
        pdf.ln(4)
        pdf.set_font("Sans", "B", 10)
        pdf.multi_cell(0, 5.5, doc.issued_by, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# A table row must fit on one page: longer text (long conditions, a long item description) is
# set as a paragraph that breaks across pages instead. Nothing is cut.
LONG_TEXT = 1200


def _boxes(pdf: FPDF, boxes: tuple[Box, ...]) -> None:
    run: list[Box] = []
    for box in boxes:
        if sum(len(line) for line in box.lines) <= LONG_TEXT:
            run.append(box)
            continue
        _box_table(pdf, tuple(run))
        run = []
        _paragraph(pdf, f"{box.number}. {box.title}", "\n".join(box.lines))
    _box_table(pdf, tuple(run))


def _paragraph(pdf: FPDF, title: str, text: str) -> None:
    pdf.set_font("Sans", "B", 9.5)
    pdf.multi_cell(0, 5, title, border="LTR", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 9.5)
    pdf.multi_cell(0, 5, text, border="LBR", new_x="LMARGIN", new_y="NEXT")


def _items(pdf: FPDF, items: tuple[ItemRow, ...]) -> None:
    headings = (
        f"15 {_('Item No.')}", f"14 {_('Description of item')}", f"16 {_('Commodity code (CN)')}",
        f"17 {_('Control list No.')}", f"18 {_('Currency and value')}",
        f"19 {_('Quantity of items')}",
    )
    rows = [(str(i.number), i.description, i.cn_code, i.control_code, i.value, i.quantity)
            for i in items]
    if any(len(row[1]) > LONG_TEXT for row in rows):
        for row in rows:
            _paragraph(pdf, f"{headings[0]} {row[0]}",
                       "\n".join(f"{h}: {v}" for h, v in zip(headings[1:], row[1:], strict=True)))
        return
    pdf.set_font("Sans", "", 9)
    heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(col_widths=(12, 50, 22, 24, 22, 20), headings_style=heading, line_height=5,
                   text_align="LEFT") as table:
        table.row(list(headings))
        for row in rows:
            table.row(list(row))


def _box_table(pdf: FPDF, boxes: tuple[Box, ...]) -> None:
    if not boxes:
        return
    pdf.set_font("Sans", "", 9.5)
    with pdf.table(col_widths=(38, 62), first_row_as_headings=False, line_height=5,
                   text_align="LEFT") as table:
        for box in boxes:
            row = table.row()
            row.cell(f"{box.number}. {box.title}", style=FontFace(emphasis="BOLD"))
            row.cell("\n".join(box.lines))
