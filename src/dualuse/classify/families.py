"""Recognising the cyber-surveillance technique families (Art. 2(20), Recommendation (EU)
2024/2659) in a product description.

A family is recognised from its cue phrases (reviewed data, `data/classify/cyber_families.yaml`)
and, more softly, from the sentence encoder's similarity to the family's anchor sentences. A
recognised family is a reason to look, not a classification: a listed family (intrusion
software, interception) leads to its Annex I entries; the others lead to the Art. 2(20)
assessment (`dualuse classify cyber`) and, if the item is a cyber-surveillance item, to the
Art. 5 due-diligence record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from dualuse.classify.text import terms
from dualuse.errors import DataIntegrityError

FAMILY_IDS = ("facial_emotion_recognition", "location_tracking", "video_surveillance",
              "osint_analysis", "interception", "intrusion_software")
ASSESSMENT = "dualuse classify cyber"
ENOUGH = 1.0  # summed cue weight that recognises a family on its own
# The encoder's similarity to an anchor sentence: with a weak cue, or on its own when high.
ANCHOR_WITH_CUE = 0.45
ANCHOR_ALONE = 0.62

Encoder = Callable[[Sequence[str]], npt.NDArray[np.float32]]


@dataclass(frozen=True, slots=True)
class Cue:
    phrase: str
    stems: tuple[str, ...]
    weight: float


@dataclass(frozen=True, slots=True)
class Family:
    id: str
    label: str
    source: str
    entries: tuple[str, ...]
    cues: tuple[Cue, ...]
    anchors: tuple[str, ...]

    @property
    def listed(self) -> bool:
        return bool(self.entries)


@dataclass(frozen=True, slots=True)
class FamilyMatch:
    family: Family
    cues: tuple[str, ...]
    anchor_similarity: float

    def as_contract(self) -> dict[str, Any]:
        f = self.family
        out: dict[str, Any] = {
            "id": f.id,
            "label": f.label,
            "listed": f.listed,
            "evidence": [f"'{c}'" for c in self.cues]
            + ([f"close to the description of the family ({self.anchor_similarity:.2f})"]
               if self.anchor_similarity >= ANCHOR_WITH_CUE else []),
            "source": f.source,
        }
        if f.listed:
            out["entries"] = list(f.entries)
            out["next"] = ("Listed cyber-surveillance items: check the entries "
                           f"{', '.join(f.entries)} (Art. 3(1) applies if one fits).")
        else:
            out["assessment"] = ASSESSMENT
            out["next"] = ("Not named in Annex I: run the Art. 2(20) assessment "
                           f"(`{ASSESSMENT}`); if it is a cyber-surveillance item, keep the "
                           "Art. 5 due-diligence record for each export.")
        return out


@dataclass(frozen=True, slots=True)
class FamilyTable:
    version: str
    families: tuple[Family, ...]

    def detect(self, query_stems: Sequence[str],
               anchor_cosines: Sequence[float] | npt.NDArray[np.float32] | None = None
               ) -> tuple[FamilyMatch, ...]:
        """Families recognised in a description (its stems, in order; and optionally the
        encoder's best cosine to each family's anchors, in table order)."""
        q = tuple(query_stems)
        found: list[FamilyMatch] = []
        for n, fam in enumerate(self.families):
            hit: list[str] = []
            weight = 0.0
            seen: set[tuple[str, ...]] = set()
            for cue in fam.cues:
                k = len(cue.stems)
                if cue.stems in seen:
                    continue  # "tracker" and "trackers" are one cue
                if any(q[i : i + k] == cue.stems for i in range(len(q) - k + 1)):
                    seen.add(cue.stems)
                    hit.append(cue.phrase)
                    weight += cue.weight
            cos = float(anchor_cosines[n]) if anchor_cosines is not None else 0.0
            if (weight >= ENOUGH or (weight > 0 and cos >= ANCHOR_WITH_CUE)
                    or cos >= ANCHOR_ALONE):
                found.append(FamilyMatch(fam, tuple(hit), cos))
        return tuple(found)


def parse_families(text: str, *, origin: str = "cyber_families.yaml") -> FamilyTable:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataIntegrityError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("families"), dict):
        raise DataIntegrityError(f"{origin}: 'families' must be a mapping")
    raw = data["families"]
    if tuple(raw) != FAMILY_IDS:
        raise DataIntegrityError(f"{origin}: the families are {list(FAMILY_IDS)}, in that order")
    families: list[Family] = []
    for fid, f in raw.items():
        where = f"{origin}: {fid}"
        if not isinstance(f, dict) or not f.get("label") or not f.get("source"):
            raise DataIntegrityError(f"{where}: needs a label and a source")
        cues: list[Cue] = []
        for c in f.get("cues") or []:
            stems = tuple(terms(str(c.get("phrase", ""))))
            w = c.get("weight")
            if not stems or not isinstance(w, int | float) or not 0 < float(w) <= 1:
                raise DataIntegrityError(
                    f"{where}: cue {c!r} needs a phrase and a weight in (0, 1]"
                )
            cues.append(Cue(str(c["phrase"]), stems, float(w)))
        if not cues:
            raise DataIntegrityError(f"{where}: has no cues")
        families.append(Family(fid, str(f["label"]), str(f["source"]),
                               tuple(str(e) for e in f.get("entries") or ()), tuple(cues),
                               tuple(str(a) for a in f.get("anchors") or ())))
    return FamilyTable(str(data.get("version", "")), tuple(families))


def anchor_matrix(table: FamilyTable, encoder: Encoder) -> tuple[npt.NDArray[np.float32],
                                                               npt.NDArray[np.int32]]:
    """The anchors' vectors and, per anchor, the index of its family."""
    texts: list[str] = []
    owner: list[int] = []
    for n, fam in enumerate(table.families):
        for a in fam.anchors:
            texts.append(a)
            owner.append(n)
    if not texts:
        return np.zeros((0, 1), dtype=np.float32), np.zeros(0, dtype=np.int32)
    return encoder(texts), np.asarray(owner, dtype=np.int32)
