"""A released algorithm version is never edited in place: the scores `dualuse-match-1` gives a
fixed set of name pairs are pinned here. A change that moves any of them needs a new algorithm
name (and a new golden file); regenerate with DUALUSE_REGENERATE_GOLDEN=1 only then."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from dualuse.screening import ALGORITHM, score_names

GOLDEN = Path(__file__).parent / "golden" / f"{ALGORITHM}.csv"

PAIRS = [
    ("Olaf Scholze", "Olaf Scholz", "Person"),
    ("Olaf Schulze", "Olaf Scholz", "Person"),
    ("Siemens Aktiengesellschaft", "Siemens AG", "Organization"),
    ("Volkswagen Aktiengesellschaft", "Siemens Aktiengesellschaft", "Organization"),
    ("AL BEN ALI, Isa Ben Tarif", "Shaikh Isa Bin Tarif Al Bin Ali", "Person"),
    ("Hans J  Friedrich", "Hans Joachim  Friedrich", "Person"),
    ("Hans O  Friedrich", "Hans Joachim  Friedrich", "Person"),
    ("Deutsche Bank AG", "Deutsche Bank GmbH", "Organization"),
    ("OAO Gazprom", "Open Joint Stock Company Gazprom", "Organization"),
    ("Ig0r Sech1n", "Igor Sechin", "Person"),
    ("Alexander Luakshenko", "Alexander Lukashenko", "Person"),
    ("Kim Jong-uun", "Kim Jong-un", "Person"),
    ("VladimirPutin", "Vladimir Putin", "Person"),
    ("A. Khamenei", "Ali Khamenei", "Person"),
    ("J.-C. Juncker", "Jean-Claude Juncker", "Person"),
    ("PLA China", "People’s Liberation Army", "Organization"),
    ("1st International Bank", "First International Bank", "Organization"),
    ("Brigade Forty-Four", "Brigade 44", "Organization"),
    ("Zu Zag Bong 6", "Zu Zag Bong 5", "Vessel"),
    ("Ротенберг Аркадий", "Arkadii Romanovich Rotenberg", "Person"),
    ("Володимир Зеленський", "Volodymyr Oleksandrovych Zelenskyy", "Person"),
    ("Βλαντιμίρ Πούτιν", "Vladimir Putin", "Person"),
    ("بوتين فلاديمير", "Vladimir Putin", "Person"),
    ("ماري تيريز أدينا أوندوا", "Marie-Therese Abena Ondoa", "Person"),
    ("バラク・オバマ", "Barack Obama", "Person"),
    ("习近平", "Xi Jinping", "Person"),
    ("김정은", "Kim Jong Un", "Person"),
    ("Al Qaeda", "Al-Qa'ida/Islamic Army", "Organization"),
    ("First Bank Int’l", "First International Bank", "Organization"),
    ("faberlic", "FABERLIC EUROPE Sp. z o.o.", "Organization"),
    ("Nantahala Capital Offshore Fund, Ltd.", "Nantahala Capital Offshore Fund I, Ltd.",
     "Organization"),
    ("John Smith", "John B. Pridmore-Smith", "Person"),
    ("Jan de Vries", "Jan de Vries", None),
]


def _scores() -> list[tuple[str, str, str, str]]:
    return [(a, b, s or "", f"{score_names(a, b, s):.4f}") for a, b, s in PAIRS]


def test_released_scores_do_not_move() -> None:
    if os.environ.get("DUALUSE_REGENERATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        with GOLDEN.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["left", "right", "schema", "score"])
            writer.writerows(_scores())
    assert GOLDEN.is_file(), f"no golden scores for {ALGORITHM}"
    with GOLDEN.open(encoding="utf-8", newline="") as fh:
        pinned = [tuple(r) for r in list(csv.reader(fh))[1:]]
    assert pinned == _scores(), (
        f"{ALGORITHM} scores moved: a released version is never edited in place; "
        "give the changed algorithm a new name")
