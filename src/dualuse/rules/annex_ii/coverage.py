"""Which UGEAs' item lists cover an Annex I code (Annex II, Sections A-H, and Section I).

A code is `covered`, `excluded`, or `conditional` where the answer hangs on a fact about the item
that a control code alone does not give: an inclusion qualified 'only ...', a code printed above
the sub-entries a UGEA names, a partial Section I exclusion, EU004's demonstration software.
"""

from __future__ import annotations

from dataclasses import dataclass

from dualuse.engine.result import Question
from dualuse.law import Catalogue, ItemRef, SectionIExclusion, Ugea
from dualuse.law.codes import ancestors_of, is_within
from dualuse.rules.context import UgeaItemCoverage

# EU007 Part 1: software and technology only, not those related to these items.
_EU007_RELATED = ("4A005", "4D004", "4E001.c", "5A001.f", "5A001.j")


@dataclass(frozen=True, slots=True)
class _Lists:
    """A UGEA's item lists as sets, so that most codes are answered by set tests; the ordered
    walks below still decide (and word) every case the sets cannot rule out."""

    excluded_codes: frozenset[str]
    excluded_above: frozenset[str]  # ancestors of excluded codes
    section_groups: frozenset[str]  # groups excluded as whole Sections ("Section D ...")
    included_codes: frozenset[str]
    included_above: frozenset[str]  # ancestors of included codes
    qualified: tuple[ItemRef, ...]


_LISTS: dict[int, tuple[Ugea, _Lists]] = {}


def _lists(u: Ugea) -> _Lists:
    found = _LISTS.get(id(u))
    if found is not None and found[0] is u:
        return found[1]
    excluded = frozenset(r.code for r in u.excluded if r.code)
    texts = [(r.text or "").replace("Sections D and E", "Section D Section E")
             for r in u.excluded]
    lists = _Lists(
        excluded_codes=excluded,
        excluded_above=frozenset(a for c in excluded for a in ancestors_of(c)),
        section_groups=frozenset(g for g in "ABCDE" if any(f"Section {g}" in t for t in texts)),
        included_codes=frozenset(r.code for r in u.included if r.code),
        included_above=frozenset(a for r in u.included if r.code for a in ancestors_of(r.code)),
        qualified=tuple(r for r in u.included if r.code and r.qualifier),
    )
    _LISTS[id(u)] = (u, lists)  # catalogues (and their UGEAs) live as long as the process
    return lists


def item_coverage(cat: Catalogue, code: str) -> tuple[UgeaItemCoverage, ...]:
    entry = cat.entry(code)
    hit = cat.section_i_exclusion(entry.code)  # Section I is read once for all UGEAs
    within = frozenset((entry.code, *ancestors_of(entry.code)))  # the code and its ancestors
    return tuple(_one(u, entry.code, entry.group, entry.category, hit, within)
                 for u in cat.ugeas())


def _one(u: Ugea, code: str, group: str, category: str,
         hit: SectionIExclusion | None, within: frozenset[str]) -> UgeaItemCoverage:
    section = f"Annex II, Section {u.annex_section}"
    if u.id == "EU007" and group not in ("D", "E"):
        return UgeaItemCoverage(u.id, "excluded",
                                (f"EU007 covers only software and technology ({section}); "
                                 f"{code} is in group {group}",))
    if u.section_i_applies and hit is not None:
        reason: str | None = f"Annex II Section I excludes {hit.listed_code}: {hit.text}"
    else:
        reason = _exclusion(u, code, group, within, keep_demo_software=False)
    questions: list[Question] = []
    if reason is not None:
        if u.id == "EU004" and group == "D" and "Section D" in reason:
            questions.append(Question(
                "EU004.demonstration_software",
                f"Is {code} software necessary for the proper functioning of the equipment "
                f"exported for the demonstration? (EU004 excludes other Category D software)",
                f"{section}, Part 1"))
        elif u.section_i_applies and hit is not None:
            if not hit.partial:
                return UgeaItemCoverage(u.id, "excluded", (reason,))
            own = _exclusion(u, code, group, within, keep_demo_software=True)
            if own is not None:
                return UgeaItemCoverage(u.id, "excluded", (own,))
            questions.append(Question(
                f"{u.id}.section_i.{hit.listed_code}",
                f"Is the item outside the part of {hit.listed_code} that Annex II Section I "
                f"excludes ({hit.text})?", "Regulation (EU) 2021/821, Annex II, Section I"))
        elif "is not among the items" in reason:
            # A code above the sub-entries the UGEA names: it depends on which sub-entry.
            below = [r.code for r in u.included if r.code and r.code.startswith(code + ".")] \
                if code in _lists(u).included_above else []
            if not below:
                return UgeaItemCoverage(u.id, "excluded", (reason,))
            questions.append(Question(
                f"{u.id}.items.{code}",
                f"Is the item specified in {', '.join(below)} (the entries {u.id} covers)?",
                f"{section}, Part 1"))
        else:
            return UgeaItemCoverage(u.id, "excluded", (reason,))
    lists = _lists(u)
    for ref in lists.qualified:
        if ref.code in within:
            questions.append(Question(f"{u.id}.items.{ref.code}",
                                      f"Does {code} meet {u.id}'s restriction: {ref.qualifier}?",
                                      f"{section}, Part 1"))
    for ref in u.excluded if code in lists.excluded_above else ():
        if ref.code and ref.code.startswith(code + "."):
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


def _exclusion(u: Ugea, code: str, group: str, within: frozenset[str],
               keep_demo_software: bool) -> str | None:
    """The UGEA's own exclusions (Section I aside), as Annex II lists them: codes, whole
    Sections D/E of each Category, and codes outside an 'included' list. With
    `keep_demo_software`, EU004's Section D exclusion is left to its demonstration question."""
    lists = _lists(u)
    may_exclude = group in lists.section_groups or not within.isdisjoint(lists.excluded_codes)
    for ref in u.excluded if may_exclude else ():
        if ref.code and ref.code in within:
            return f"{u.id} excludes {ref.code}"
        sections = (ref.text or "").replace("Sections D and E", "Section D Section E")
        if f"Section {group}" in sections and not (
                keep_demo_software and u.id == "EU004" and group == "D"):
            return f"{u.id} excludes {ref.text}"
    if lists.included_codes and within.isdisjoint(lists.included_codes):
        return f"{code} is not among the items {u.id} covers ({u.items_scope})"
    return None
