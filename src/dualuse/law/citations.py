"""Structured citations: an instrument (CELEX/ELI) plus a pinpoint, rendered as lawyers cite."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REGULATION = "32021R0821"


@dataclass(frozen=True, slots=True)
class Instrument:
    """A legal act in the registry (`data/instruments.json`)."""

    id: str
    celex: str | None
    short_title: str
    title: str
    type: str
    eli: str | None
    oj_reference: str | None
    entry_into_force: str | None
    url: str | None
    text_obtained: bool
    note: str | None


@dataclass(frozen=True, slots=True)
class Citation:
    """Instrument plus pinpoint. `instrument` is a registry id (CELEX) or, for acts outside the
    registry (national law, ISO standards), the act's own name."""

    instrument: str | None
    article: str | None = None
    paragraph: str | None = None
    point: str | None = None
    annex: str | None = None
    section: str | None = None
    part: str | None = None
    entry: str | None = None
    text: str | None = None
    instrument_title: str | None = None
    # For annexes replaced by delegated acts: the act whose text is in force on the day.
    as_replaced_by: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any], instrument_title: str | None = None) -> Citation:
        def s(key: str) -> str | None:
            value = data.get(key)
            return None if value is None else str(value)

        return cls(
            instrument=s("instrument"), article=s("article"), paragraph=s("paragraph"),
            point=s("point"), annex=s("annex"), section=s("section"), part=s("part"),
            entry=s("entry"), text=s("text"), instrument_title=instrument_title,
        )

    def render(self) -> str:
        """E.g. 'Regulation (EU) 2021/821, Art. 4(1)(b)' or
        'Delegated Regulation (EU) 2025/2003, Annex I, 5A002.a.1'."""
        name = self.instrument_title or self.instrument or self.text or "unknown instrument"
        parts = [name]
        if self.article:
            pin = f"Art. {self.article}"
            if self.paragraph:
                pin += f"({self.paragraph})"
            if self.point:
                pin += f"({self.point})"
            parts.append(pin)
        # Annex IV is cited 'Annex IV, Part I, 1A007'; Annex II, whose sections hold the
        # authorisations and each authorisation its parts,
        # 'Annex II, Section A, EU001, Part 3, point 3'.
        part_within_entry = bool(self.section and self.entry)
        if self.annex:
            annex = f"Annex {self.annex}"
            if self.part and not part_within_entry:
                annex += f", Part {self.part}"
            if self.section:
                annex += f", Section {self.section}"
            parts.append(annex)
        if self.entry:
            parts.append(self.entry)
        if self.part and part_within_entry:
            parts.append(f"Part {self.part}")
        if self.point and not self.article:
            parts.append(f"point {self.point}")
        rendered = ", ".join(parts)
        if self.as_replaced_by:
            rendered += f" (Annex {self.annex or ''} as replaced by {self.as_replaced_by})"
        return rendered

    def to_dict(self) -> dict[str, str]:
        out = {
            k: v
            for k, v in (
                ("instrument", self.instrument), ("article", self.article),
                ("paragraph", self.paragraph), ("point", self.point), ("annex", self.annex),
                ("section", self.section), ("part", self.part), ("entry", self.entry),
                ("text", self.text), ("as_replaced_by", self.as_replaced_by),
            )
            if v is not None
        }
        out["rendered"] = self.render()
        return out


def regulation(article: str, paragraph: str | None = None, point: str | None = None) -> Citation:
    """A pinpoint in Regulation (EU) 2021/821."""
    return Citation(
        instrument=REGULATION, article=article, paragraph=paragraph, point=point,
        instrument_title="Regulation (EU) 2021/821",
    )
