"""Which UGEAs' item lists cover an Annex I code (Annex II, Sections A-H, and Section I).

A code is `covered`, `excluded`, or `conditional` where the answer hangs on a fact about the item
that a control code alone does not give: an inclusion qualified 'only ...', a code printed above
the sub-entries a UGEA names, a partial Section I exclusion, EU004's demonstration software.
"""

from __future__ import annotations

from dualuse.engine.result import Question
from dualuse.law import Catalogue, Ugea
from dualuse.law.codes import is_within
from dualuse.rules.context import UgeaItemCoverage

# EU007 Part 1: software and technology only, not those related to these items.
_EU007_RELATED = ("4A005", "4D004", "4E001.c", "5A001.f", "5A001.j")


def item_coverage(cat: Catalogue, code: str) -> tuple[UgeaItemCoverage, ...]:
    entry = cat.entry(code)
    return tuple(_one(cat, u, entry.code, entry.group, entry.category) for u in cat.ugeas())


def _one(cat: Catalogue, u: Ugea, code: str, group: str, category: str) -> UgeaItemCoverage:
    section = f"Annex II, Section {u.annex_section}"
    if u.id == "EU007" and group not in ("D", "E"):
        return UgeaItemCoverage(u.id, "excluded",
                                (f"EU007 covers only software and technology ({section}); "
                                 f"{code} is in group {group}",))
    reason = cat.ugea_item_exclusion(u.id, code)
    questions: list[Question] = []
    if reason is not None:
        if u.id == "EU004" and group == "D" and "Section D" in reason:
            questions.append(Question(
                "EU004.demonstration_software",
                f"Is {code} software necessary for the proper functioning of the equipment "
                f"exported for the demonstration? (EU004 excludes other Category D software)",
                f"{section}, Part 1"))
        elif u.section_i_applies and reason.startswith("Annex II Section I"):
            hit = cat.section_i_exclusion(code)
            if hit is None or not hit.partial:
                return UgeaItemCoverage(u.id, "excluded", (reason,))
            own = _own_exclusion(u, code, group)
            if own is not None:
                return UgeaItemCoverage(u.id, "excluded", (own,))
            questions.append(Question(
                f"{u.id}.section_i.{hit.listed_code}",
                f"Is the item outside the part of {hit.listed_code} that Annex II Section I "
                f"excludes ({hit.text})?", "Regulation (EU) 2021/821, Annex II, Section I"))
        elif "is not among the items" in reason:
            # A code above the sub-entries the UGEA names: it depends on which sub-entry.
            below = [r.code for r in u.included if r.code and is_within(r.code, code)]
            if not below:
                return UgeaItemCoverage(u.id, "excluded", (reason,))
            questions.append(Question(
                f"{u.id}.items.{code}",
                f"Is the item specified in {', '.join(below)} (the entries {u.id} covers)?",
                f"{section}, Part 1"))
        else:
            return UgeaItemCoverage(u.id, "excluded", (reason,))
    for ref in u.included:
        if ref.code and ref.qualifier and is_within(code, ref.code):
            questions.append(Question(f"{u.id}.items.{ref.code}",
                                      f"Does {code} meet {u.id}'s restriction: {ref.qualifier}?",
                                      f"{section}, Part 1"))
    for ref in u.excluded:
        if ref.code and ref.code != code and is_within(ref.code, code):
            questions.append(Question(f"{u.id}.excluded.{ref.code}",
                                      f"Is the item outside {ref.code}, which {u.id} excludes?",
                                      f"{section}, Part 1"))
    if u.id == "EU007":
        if any(is_within(code, r) for r in ("4D004", "4E001.c")):
            return UgeaItemCoverage(u.id, "excluded", (
                f"EU007 excludes software and technology related to items under "
                f"{', '.join(_EU007_RELATED)} ({section}, Part 1)",))
        if category in ("4", "5"):
            questions.append(Question(
                "EU007.related_items",
                "Is the software or technology related to items under 4A005, 5A001.f or "
                "5A001.j (which EU007 excludes)?", f"{section}, Part 1"))
    if questions:
        return UgeaItemCoverage(u.id, "conditional",
                                (f"{code}: whether {u.id} covers the item depends on facts not "
                                 f"given",), tuple(questions))
    return UgeaItemCoverage(u.id, "covered", (f"{u.id} covers {code} ({section}, Part 1)",))


def _own_exclusion(u: Ugea, code: str, group: str) -> str | None:
    """The UGEA's own exclusions (Section I aside): listed codes and whole Sections D/E."""
    for ref in u.excluded:
        if ref.code and is_within(code, ref.code):
            return f"{u.id} excludes {ref.code}"
        sections = (ref.text or "").replace("Sections D and E", "Section D Section E")
        if f"Section {group}" in sections and not (u.id == "EU004" and group == "D"):
            return f"{u.id} excludes {ref.text}"
    included = [r.code for r in u.included if r.code]
    if included and not any(is_within(code, c) for c in included):
        return f"{code} is not among the items {u.id} covers ({u.items_scope})"
    return None
