# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The licence document: the boxes of the model authorisations of Annex III of Regulation (EU)
2021/821, in the holder's language, dated in the Netherlands' time, as HTML (a template) and as
PDF. Individual and global export authorisations follow Section A (Art. 12(2): "at least all the
elements of and in the order provided for in the models"; a large project authorisation is one of
them, Art. 2(14)), with its attachment 1bis carrying the write-offs; authorisations for brokering
services and technical assistance follow Section B (Art. 13(5)). The boxes, their numbers and
titles are law data (`dualuse.law.annex_iii`); a box the service holds nothing for is printed
empty under its title.

The PDF embeds Unicode fonts (DejaVu Sans for Latin, Greek, Cyrillic, Arabic and Hebrew; Droid
Sans Fallback for Chinese, Japanese and Korean), both from Debian packages (fonts-dejavu-core,
fonts-droid-fallback; `scripts/system-deps` installs them), and shapes text with HarfBuzz, so a
party's name prints as written in any script. Without the fonts the PDF is refused with a clear
error; nothing is ever printed as "?".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from dualuse.errors import DualuseError
from dualuse.law.annex_iii import FormBox, FormSheet, ModelForm, load_annex_iii
from dualuse.service.cases.models import KIND_CHOICES, PartyRole


class DocumentUnavailableError(DualuseError):
    """The licence PDF cannot be produced here (its fonts are not installed)."""


@dataclass(frozen=True)
class Box:
    """A box of the model: its number ("" for the model's unnumbered elements), its title in the
    document's language, what the licence says in it, and its sub-fields ("No", "Code")."""

    kind: ClassVar[str] = "box"
    number: str
    title: str
    lines: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def content(self) -> tuple[str, ...]:
        return self.lines + tuple(f"{name}: {value}".rstrip() for name, value in self.fields)


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""  # the model's note to the table


@dataclass(frozen=True)
class ItemGroup:
    """One item's boxes (Section A: 13-18; Section B: 13-17) and, on the attachment 1bis, the
    write-offs against it (boxes 23-27)."""

    kind: ClassVar[str] = "item"
    caption: str
    boxes: tuple[Box, ...]
    deductions: Table | None = None


@dataclass(frozen=True)
class Sheet:
    copy: str  # the model's copy number: "1", or "1 Bis" for the attachment
    label: str  # the model's "LICENCE"
    parts: tuple[Box | ItemGroup, ...]
    footnotes: tuple[str, ...] = ()

    @property
    def runs(self) -> tuple[tuple[Box, ...] | ItemGroup, ...]:
        """Consecutive boxes together (one table each), item groups apart."""
        out: list[tuple[Box, ...] | ItemGroup] = []
        for part in self.parts:
            if isinstance(part, ItemGroup):
                out.append(part)
            elif out and isinstance(out[-1], tuple):
                out[-1] = (*out[-1], part)
            else:
                out.append((part,))
        return tuple(out)


@dataclass(frozen=True)
class LicenceDocument:
    language: str
    title: str
    number: str
    issued_on: dt.date
    model: str  # e.g. "Regulation (EU) 2021/821, Annex III, Section A"
    heading: tuple[str, ...]
    intro: tuple[str, ...]
    sheets: tuple[Sheet, ...]
    issued_by: str
    status_note: str = ""
    model_note: str = ""


# Art. 12(2): individual and global export authorisations (a large project authorisation is one,
# Art. 2(14)) on Section A; Art. 13(5): brokering services and technical assistance on Section B.
# Annex III has no model for intra-Union transfers (Art. 11): their document uses Section A's
# boxes and says so.
SECTION_OF_KIND = {
    "individual": "A", "global": "A", "large_project": "A",
    "brokering": "B", "technical_assistance": "B", "intra_eu_transfer": "A",
}
ITEM_BOXES = {"A": range(13, 19), "B": range(13, 18)}
DEDUCTION_BOXES = range(23, 28)


def _party_lines(parties: Iterable[Any], with_role: bool = False) -> tuple[str, ...]:
    roles = dict(PartyRole.choices)
    lines = []
    for p in parties:
        where = ", ".join(x for x in (p.address.strip(), p.country) if x)
        role = f" ({roles.get(p.role, p.role)})" if with_role else ""
        lines.append(f"{p.name}{role}" + (f" — {where}" if where else ""))
    return tuple(lines)


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
        return _Builder(licence).document()


Values = tuple[tuple[str, ...], dict[str, str]]  # a box's lines and its sub-fields' values


class _Builder:
    """What the licence says in each box of its model. A box not named here is printed empty:
    the service holds nothing for it (see docs/service.md)."""

    def __init__(self, licence: Any) -> None:
        self.licence = licence
        self.app = licence.application
        self.language = licence.language
        self.section = SECTION_OF_KIND.get(licence.kind, "A")
        self.form: ModelForm = load_annex_iii().form(self.section)
        self.parties = list(self.app.parties.all())
        self.items = list(licence.items.all())
        self.authority, self.authority_address = _authority(licence)
        self.issued_on = _issued_on(licence)

    def role(self, *roles: object) -> list[Any]:
        return [p for p in self.parties if p.role in roles]

    def text(self, wording: Any) -> str:
        return str(wording.in_language(self.language))

    # -- the boxes of each model ------------------------------------------------------------

    def common(self) -> dict[int, Callable[[], Values]]:
        holder = self.licence.exporter
        return {
            1: lambda: (tuple(x for x in (holder.name, holder.address.strip()) if x),
                        {"No": _("EORI %(eori)s") % {"eori": holder.eori} if holder.eori else ""}),
            2: lambda: ((self.licence.number,), {}),
            3: lambda: ((self.licence.valid_to.isoformat(),), {}),
            4: lambda: ((self.authority, _("case %(ref)s") % {"ref": self.app.reference}), {}),
            6: lambda: (tuple(x for x in (
                self.authority, self.authority_address.strip(),
                _("for the Minister for Foreign Trade and Development Cooperation (the "
                  "Netherlands)"),
            ) if x), {}),
        }

    def section_a(self) -> dict[int, Callable[[], Values]]:
        located = self.app.items_location.strip()
        return {
            **self.common(),
            # The model has no box for intermediate consignees or purchasers: the goods are
            # consigned through the first (box 5, with their role); the second is in box 22.
            5: lambda: (_party_lines(self.role(PartyRole.CONSIGNEE))
                        + _party_lines(self.role(PartyRole.INTERMEDIATE_CONSIGNEE), True), {}),
            7: lambda: (_party_lines(self.role(PartyRole.AGENT)), {}),
            9: lambda: (_party_lines(self.role(PartyRole.END_USER)), {}),
            10: lambda: ((located,) if located else (),
                         {"Code": ", ".join(self.app.located_in_member_states)}),
            12: lambda: ((), {"Code": ", ".join(self.licence.destinations)}),
            19: lambda: ((self.app.end_use,) if self.app.end_use.strip() else (), {}),
            22: lambda: (self.additional_information()
                         + _party_lines(self.role(PartyRole.PURCHASER), True), {}),
        }

    def section_b(self) -> dict[int, Callable[[], Values]]:
        located = self.app.items_location.strip()
        return {
            **self.common(),
            7: lambda: (_party_lines(self.role(PartyRole.CONSIGNEE)), {}),
            8: lambda: ((), {"Code": self.licence.exporter.member_state}),
            9: lambda: ((located,) if located else (), {}),
            10: lambda: (_party_lines(self.role(PartyRole.END_USER)), {}),
            11: lambda: ((), {"Code": ", ".join(self.licence.destinations)}),
            12: lambda: (_party_lines(self.role(PartyRole.AGENT, PartyRole.INTERMEDIATE_CONSIGNEE,
                                                PartyRole.PURCHASER), with_role=True), {}),
            18: lambda: ((self.app.end_use,) if self.app.end_use.strip() else (), {}),
            19: lambda: (self.additional_information(), {}),
        }

    def additional_information(self) -> tuple[str, ...]:
        return (
            _("Conditions: %(conditions)s") % {"conditions": self.licence.conditions or _("none")},
            _("Valid from %(day)s.") % {"day": self.licence.valid_from.isoformat()},
        )

    def item_values(self, item: Any) -> dict[int, tuple[str, ...]]:
        value = (f"EUR {item.value_eur}",)
        quantity = (f"{item.quantity} {item.unit}",)
        cn = (item.cn_code,) if item.cn_code else ()
        listed = (item.control_code,) if item.control_code else ()
        if self.section == "B":
            return {13: (item.description,), 14: cn, 15: listed, 16: value, 17: quantity}
        return {13: (item.description,), 15: cn, 16: listed, 17: value, 18: quantity}

    # -- assembling the sheets --------------------------------------------------------------

    def box(self, model: FormBox, values: Values) -> Box:
        lines, fields = values
        return Box(
            number=str(model.number),
            title=self.text(model.title) + self.mark(*model.footnotes),
            lines=tuple(line for line in lines if line),
            fields=tuple((self.text(f.name) + self.mark(f.footnote), fields.get(f.name.en, ""))
                         for f in model.fields),
        )

    def mark(self, *numbers: str | None) -> str:
        """The markers of the footnotes whose text the model gives ("(1)")."""
        return "".join(f" ({n})" for n in numbers
                       if n and (note := self.form.footnote(n)) and note.text)

    def sheet(self, model: FormSheet) -> Sheet:
        values = self.section_a() if self.section == "A" else self.section_b()
        item_numbers = ITEM_BOXES[self.section]
        parts: list[Box | ItemGroup] = []
        for model_box in model.boxes:
            if model_box.number in item_numbers:
                if model_box.number == item_numbers[0]:
                    parts += self.item_groups(model, with_deductions=model.id == "1bis")
                continue
            if model_box.number in DEDUCTION_BOXES:
                continue  # in the item groups, under each item
            parts.append(self.box(model_box, values.get(model_box.number, lambda: ((), {}))()))
        if model.pre_printed:
            parts.append(Box("", " — ".join(self.text(w) for w in model.pre_printed),
                             self.pre_printed()))
        if model.issuing_authority:
            heading, *fields = model.issuing_authority
            filled = {"Issuing Authority": self.authority, "Date": self.issued_on.isoformat()}
            parts.append(Box("", self.text(heading),
                             fields=tuple((self.text(f), filled.get(f.en, "")) for f in fields)))
        footnotes = tuple(
            f"({n.number}) {self.text(n.text)}" for n in self.form.footnotes
            if n.text and any(b.marks(n.number) for b in model.boxes)
        )
        return Sheet(copy=model.copy, label=self.text(self.form.label), parts=tuple(parts),
                     footnotes=footnotes)

    def pre_printed(self) -> tuple[str, ...]:
        lines = [_("Version %(version)s.") % {"version": self.licence.version}]
        if self.section == "B":
            lines.append(_("Valid throughout the customs territory of the Union (Art. 13(2) of "
                           "Regulation (EU) 2021/821)."))
        return tuple(lines)

    def item_groups(self, model: FormSheet, *, with_deductions: bool) -> list[ItemGroup]:
        numbers = ITEM_BOXES[self.section]
        groups = []
        for n, item in enumerate(self.items, start=1):
            got = self.item_values(item)
            groups.append(ItemGroup(
                caption=_("Item %(n)s of %(total)s") % {"n": n, "total": len(self.items)},
                boxes=tuple(self.box(model.box(b), (got.get(b, ()), {})) for b in numbers),
                deductions=self.deductions(model, item) if with_deductions else None,
            ))
        return groups

    def deductions(self, model: FormSheet, item: Any) -> Table:
        """The write-offs against an item, as the attachment's boxes 23-27: 24 gives in part 1
        the quantity still available and in part 2 the quantity deducted (the model's note).
        Box 25 (in words) is left empty; box 27 names the Member State of the declaration (the
        country code in its MRN)."""
        rows = []
        available = item.quantity
        for use in item.uses.all():
            available -= use.quantity
            if use.kind == "reversal":
                document = _("Reversal, export declaration MRN %(mrn)s of %(day)s: %(why)s")
            elif use.kind == "correction":
                document = _("Correction, export declaration MRN %(mrn)s of %(day)s: %(why)s")
            else:
                document = _("Export declaration MRN %(mrn)s of %(day)s")
            rows.append((
                f"{use.quantity} {item.unit}; EUR {use.value_eur}",
                f"1. {available} {item.unit}\n2. {use.quantity} {item.unit}",
                "",
                document % {"mrn": use.declaration_ref, "day": use.exported_on.isoformat(),
                            "why": use.reasons},
                use.declaration_ref[2:4],
            ))
        return Table(
            headings=tuple(f"{b}. {self.text(model.box(b).title)}" for b in DEDUCTION_BOXES),
            rows=tuple(rows),
            note=self.text(model.note) if model.note else "",
        )

    def document(self) -> LicenceDocument:
        kinds = dict(KIND_CHOICES)
        transfer = self.licence.kind == "intra_eu_transfer"
        sheets = tuple(self.sheet(s) for s in self.form.sheets)
        status_note = ""
        if self.licence.status != "active":
            status_note = _("Status: %(status)s") % {"status": self.licence.get_status_display()}
        return LicenceDocument(
            language=self.language,
            title=str(kinds.get(self.licence.kind, self.licence.kind)),
            number=self.licence.number,
            issued_on=self.issued_on,
            model=self.form.citation.render(),
            heading=tuple(self.text(w) for w in self.form.heading[: 1 if transfer else None]),
            intro=() if transfer else tuple(
                self.text(w) for w, printed in zip(self.form.intro, self.form.intro_printed,
                                                   strict=True) if printed
            ),
            sheets=sheets,
            issued_by=_("Issued on %(day)s by %(authority)s.") % {
                "day": self.issued_on.isoformat(), "authority": self.authority,
            },
            status_note=status_note,
            model_note=_("Annex III of Regulation (EU) 2021/821 has no model for authorisations "
                         "of intra-Union transfers (Art. 11): this document follows the boxes of "
                         "Section A.") if transfer else "",
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
    parts = [doc.title, doc.issued_by, doc.model_note, *doc.heading, *doc.intro]
    for sheet in doc.sheets:
        parts += list(sheet.footnotes)
        for part in sheet.parts:
            boxes = part.boxes if isinstance(part, ItemGroup) else (part,)
            for box in boxes:
                parts += [box.label, *box.content]
            if isinstance(part, ItemGroup) and part.deductions:
                table = part.deductions
                parts += [table.note, *table.headings, *(c for r in table.rows for c in r)]
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
        pdf.set_subject(doc.model)
        pdf.set_auto_page_break(auto=True, margin=15)
        for n, sheet in enumerate(doc.sheets):
            pdf.add_page()
            _sheet_head(pdf, doc, sheet, first=n == 0)
            for run in sheet.runs:
                if isinstance(run, ItemGroup):
                    _item_group(pdf, run)
                else:
                    _boxes(pdf, run)
            if sheet.footnotes:
                pdf.ln(2)
                pdf.set_font("Sans", "", 7.5)
                for note in sheet.footnotes:
                    pdf.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("Sans", "B", 10)
        pdf.multi_cell(0, 5.5, doc.issued_by, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _sheet_head(pdf: FPDF, doc: LicenceDocument, sheet: Sheet, *, first: bool) -> None:
    """The model's head: its copy number and "LICENCE", the Union and the model's title; the
    kind of authorisation (Section A: "the visibility of the nature of the authorisation"); on
    the form itself, the model's statement of validity."""
    pdf.set_font("Sans", "B", 9)
    pdf.cell(0, 5, f"{sheet.copy} · {sheet.label}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 9)
    for line in doc.heading:
        pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "B", 14)
    pdf.multi_cell(0, 7.5, doc.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "B", 11)
    pdf.multi_cell(0, 6, f"{doc.number}    {doc.status_note}".strip(),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 8.5)
    for line in (*doc.intro, doc.model_note) if first else ():
        if line:
            pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


# A table row must fit on one page: longer text (long conditions, a long item description) is
# set as a paragraph that breaks across pages instead. Nothing is cut.
LONG_TEXT = 1200


def _boxes(pdf: FPDF, boxes: tuple[Box, ...]) -> None:
    run: list[Box] = []
    for box in boxes:
        if sum(len(line) for line in box.content) <= LONG_TEXT:
            run.append(box)
            continue
        _box_table(pdf, tuple(run))
        run = []
        _paragraph(pdf, box.label, "\n".join(box.content))
    _box_table(pdf, tuple(run))


def _paragraph(pdf: FPDF, title: str, text: str) -> None:
    pdf.set_font("Sans", "B", 9)
    pdf.multi_cell(0, 5, title, border="LTR", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 9)
    pdf.multi_cell(0, 5, text, border="LBR", new_x="LMARGIN", new_y="NEXT")


def _item_group(pdf: FPDF, group: ItemGroup) -> None:
    pdf.ln(1)
    pdf.set_font("Sans", "B", 8.5)
    pdf.cell(0, 4.5, group.caption, new_x="LMARGIN", new_y="NEXT")
    _boxes(pdf, group.boxes)
    if group.deductions is None:
        return
    pdf.set_font("Sans", "", 8)
    if group.deductions.note:
        pdf.ln(1.5)
        pdf.multi_cell(0, 4.2, group.deductions.note, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(col_widths=(26, 18, 18, 24, 14), headings_style=heading, line_height=4.2,
                   text_align="LEFT") as table:
        table.row(list(group.deductions.headings))
        for row in group.deductions.rows:
            table.row(list(row))


def _box_table(pdf: FPDF, boxes: tuple[Box, ...]) -> None:
    if not boxes:
        return
    pdf.set_font("Sans", "", 8.5)
    with pdf.table(col_widths=(40, 60), first_row_as_headings=False, line_height=4.2,
                   text_align="LEFT") as table:
        for box in boxes:
            row = table.row()
            row.cell(box.label, style=FontFace(emphasis="BOLD"))
            row.cell("\n".join(box.content))
