"""dualuse-match-2: one name across scripts and spellings, nicknames and Wade-Giles, beside
dualuse-match-1 (selectable, its scores unchanged)."""

from __future__ import annotations

import pytest

from dualuse.errors import InputError
from dualuse.screening import ALGORITHM, MATCH_2, Query, ScreeningIndex, explain_pair, score_names
from dualuse.screening.model import ListRecord, ListSnapshot


@pytest.mark.parametrize(
    ("query", "listed", "schema"),
    [
        ("Wolkow Dual Systems", "Volkov Dual Systems", "Organization"),  # v / w
        ("Bill Gates", "William Gates", "Person"),  # nickname
        ("Sasha Ivanov", "Aleksandr Ivanov", "Person"),  # East Slavic diminutive
        ("Mao Tse-tung", "Mao Zedong", "Person"),  # Wade-Giles / pinyin
        ("джафари мани", "Jafari Mani", "Person"),  # Cyrillic dzh / j
        ("Vlagyimir Putyin", "Vladimir Putin", "Person"),  # Hungarian gy, ty
        ("منير المتصدق", "MOUNIR EL MOTASSADEQ", "Person"),  # Arabic script / French spelling
        ("نور الدين بن علي بن بلقاسم الدريسي", "NOUREDDINE BEN ALI BEN BELKASSEM AL-DRISSI",
         "Person"),  # written apart / whole
    ],
)
def test_match2_finds_what_match1_misses(query: str, listed: str, schema: str) -> None:
    assert score_names(query, listed, schema, MATCH_2) >= 0.7
    assert score_names(query, listed, schema, ALGORITHM) < 0.7


@pytest.mark.parametrize(
    ("query", "listed"),
    [("Ali Hassan", "Ali Husayn"), ("حامد محمد", "Ahmad Mohammed"),
     ("Anna Petrova", "Anton Petrov"), ("Samantha Johnson", "Sam Johnson")],
)
def test_match2_keeps_different_names_apart(query: str, listed: str) -> None:
    assert score_names(query, listed, "Person", MATCH_2) < 0.7


def test_han_characters_meet_wade_giles_better_than_before() -> None:
    assert score_names("毛泽东", "Mao Tse-tung", "Person", MATCH_2) > score_names(
        "毛泽东", "Mao Tse-tung", "Person", ALGORITHM)


def test_the_explanation_names_the_algorithm_and_the_reason() -> None:
    score, why = explain_pair("Wolkow Dual Systems", "Volkov Dual Systems", "Organization",
                              MATCH_2)
    assert score >= 0.9
    assert why["algorithm"] == "dualuse-match-2"
    assert why["name"]["pairs"][0][:2] == ["wolkow", "volkov"]
    assert why["name"]["pairs"][0][3] == "sound"


def test_index_screens_with_the_version_asked_for() -> None:
    snap = ListSnapshot("test", "user_csv", "0" * 64, (
        ListRecord("T-2", "Organization", ("Volkov Dual Systems",), (), ("RU",), (), ()),))
    new = ScreeningIndex([snap], algorithm=MATCH_2)
    old = ScreeningIndex([snap])
    assert old.algorithm == ALGORITHM == "dualuse-match-1"
    hit = new.screen(Query(name="Wolkow Dual Systems"))
    assert hit and hit[0].alert and hit[0].explanation["algorithm"] == MATCH_2
    assert not any(m.alert for m in old.screen(Query(name="Wolkow Dual Systems")))
    with pytest.raises(InputError, match="unknown algorithm"):
        ScreeningIndex([snap], algorithm="dualuse-match-9")
