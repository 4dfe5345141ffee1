"""Annex III of Regulation (EU) 2021/821: the models for authorisation forms, as typed data.

Individual and global export authorisations are issued "on forms containing at least all the
elements of and in the order provided for in the models set out in Section A of Annex III"
(Art. 12(2)); authorisations for brokering services and technical assistance on those of
Section B (Art. 13(5)). Each model is its boxes in order: number, title (the verbatim English of
the Official Journal; the Dutch is the project's translation, `dutch_is_translation`), sub-fields
("No", "Code") and footnotes. Read from `data/annex_iii.json` (see `scripts/import_annex_iii.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from dualuse.errors import DataIntegrityError
from dualuse.law.citations import Citation
from dualuse.law.loader import _read


@dataclass(frozen=True, slots=True)
class Wording:
    """An element's text in English (verbatim) and Dutch."""

    en: str
    nl: str | None

    def in_language(self, language: str) -> str:
        return self.nl if language == "nl" and self.nl else self.en


@dataclass(frozen=True, slots=True)
class FormField:
    """A sub-field printed in a box ("No", "Code"), with the footnote marked at it if any."""

    name: Wording
    footnote: str | None


@dataclass(frozen=True, slots=True)
class FormBox:
    number: int
    title: Wording
    fields: tuple[FormField, ...]
    footnotes: tuple[str, ...]  # footnote numbers marked at the box's title

    def marks(self, number: str) -> bool:
        """Whether footnote `number` is marked at the box's title or one of its sub-fields."""
        return number in self.footnotes or any(f.footnote == number for f in self.fields)


@dataclass(frozen=True, slots=True)
class FormSheet:
    """One sheet of a model: the form itself, or Section A's attachment 1bis."""

    id: str
    copy: str
    boxes: tuple[FormBox, ...]
    pre_printed: tuple[Wording, ...]
    issuing_authority: tuple[Wording, ...]  # heading, then the fields the authority completes
    note: Wording | None

    def box(self, number: int) -> FormBox:
        for box in self.boxes:
            if box.number == number:
                return box
        raise DataIntegrityError(f"Annex III sheet {self.id} has no box {number}")


@dataclass(frozen=True, slots=True)
class Footnote:
    number: str
    text: Wording | None  # None: marked in the source, its text not reproduced there
    at: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ModelForm:
    section: str
    title: Wording
    referred_to_in: str
    intro: tuple[Wording, ...]
    intro_printed: tuple[bool, ...]  # per intro paragraph: printed on the form, or guidance
    heading: tuple[Wording, ...]
    label: Wording
    sheets: tuple[FormSheet, ...]
    footnotes: tuple[Footnote, ...]
    citation: Citation

    def sheet(self, sheet_id: str) -> FormSheet:
        for sheet in self.sheets:
            if sheet.id == sheet_id:
                return sheet
        raise DataIntegrityError(f"Annex III Section {self.section} has no sheet {sheet_id}")

    def footnote(self, number: str) -> Footnote | None:
        return next((f for f in self.footnotes if f.number == number), None)


@dataclass(frozen=True, slots=True)
class AnnexIII:
    forms: dict[str, ModelForm]  # by section letter: "A", "B" (Section C holds no form)
    official_journal: str
    source: dict[str, str]
    last_verified_on: date
    dutch_is_translation: bool

    def form(self, section: str) -> ModelForm:
        if section not in self.forms:
            raise DataIntegrityError(f"Annex III has no model form in Section {section}")
        return self.forms[section]


def _wording(raw: dict[str, Any]) -> Wording:
    return Wording(en=raw["en"], nl=raw.get("nl"))


def _sheet(raw: dict[str, Any]) -> FormSheet:
    return FormSheet(
        id=raw["id"], copy=raw["copy"],
        boxes=tuple(
            FormBox(number=int(b["number"]), title=_wording(b["title"]),
                    fields=tuple(FormField(_wording(f), f["footnote"]) for f in b["fields"]),
                    footnotes=tuple(b["footnotes"]))
            for b in raw["boxes"]
        ),
        pre_printed=tuple(_wording(w) for w in raw.get("pre_printed", ())),
        issuing_authority=tuple(_wording(w) for w in raw.get("issuing_authority", ())),
        note=_wording(raw["note"]) if raw.get("note") else None,
    )


@lru_cache(maxsize=1)
def load_annex_iii() -> AnnexIII:
    raw = _read("annex_iii.json")
    forms = {
        f["section"]: ModelForm(
            section=f["section"], title=_wording(f["title"]), referred_to_in=f["referred_to_in"],
            intro=tuple(_wording(w) for w in f["intro"]),
            intro_printed=tuple(bool(w["printed"]) for w in f["intro"]),
            heading=tuple(_wording(w) for w in f["heading"]), label=_wording(f["label"]),
            sheets=tuple(_sheet(s) for s in f["sheets"]),
            footnotes=tuple(
                Footnote(number=n["number"], at=tuple(n["at"]),
                         text=_wording(n["text"]) if n["text"] else None)
                for n in f["footnotes"]
            ),
            citation=Citation.from_data(f["citation"], "Regulation (EU) 2021/821"),
        )
        for f in raw["forms"]
        if "sheets" in f
    }
    return AnnexIII(
        forms=forms, official_journal=raw["official_journal"], source=dict(raw["source"]),
        last_verified_on=date.fromisoformat(raw["last_verified_on"]),
        dutch_is_translation=raw["translations"]["nl"]["source"] == "project_translation",
    )
