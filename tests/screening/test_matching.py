"""dualuse-match-1 on names: what a screening officer relies on it to see, and not to see."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.screening import ALGORITHM, DEFAULT_THRESHOLD, explain_pair, score_names
from dualuse.screening.text import fold, prepare_name

T = DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed", "schema"),
    [
        ("Olaf Scholze", "Olaf Scholz", "Person"),  # one-letter typo
        ("Alexander Luakshenko", "Alexander Lukashenko", "Person"),  # transposition
        ("PUTIN, Vladimir", "Vladimir Putin", "Person"),  # token order, comma form
        ("Vladimir Putin", "PUTIN, Vladimir Vladimirovich", "Person"),  # omitted patronymic
        ("Hans J. Friedrich", "Hans Joachim Friedrich", "Person"),  # initial
        ("Владимир Путин", "Vladimir Putin", "Person"),  # Cyrillic
        ("Βλαντιμίρ Πούτιν", "Vladimir Putin", None),  # Greek
        ("Mr. Rami Makhlouf", "Rami Makhlouf", "Person"),  # honorific
        ("Siemens Aktiengesellschaft", "Siemens AG", "Organization"),  # legal form spelt out
        ("OAO Gazprom", "Open Joint Stock Company Gazprom", "Organization"),
        ("SiemensAG", "Siemens AG", "Organization"),  # words run together
        ("Ig0r Sech1n", "Igor Sechin", "Person"),  # digit homoglyphs
        ("Vlаdimir Putin", "Vladimir Putin", "Person"),  # Cyrillic 'а' inside a Latin word
        ("Vladi\u200bmir Pu\u00adtin", "Vladimir Putin", "Person"),  # invisible characters
        ("Kim Jong-uun", "Kim Jong-un", "Person"),  # doubled letter
        ("Nikolai Patr ushev", "Nikolai Platonovich Patrushev", "Person"),  # split word
        ("김정은", "Kim Jong Un", "Person"),  # Hangul written whole, romanised in parts
        ("バラク・オバマ", "Barack Obama", "Person"),  # katakana's added vowels
        ("صدام حسين التكريتي", "SADDAM HUSSEIN AL-TIKRITI", "Person"),  # Arabic, article joined
        ("ولادیمیر پوتین", "Vladimir Putin", "Person"),  # Persian
        ("Wladimir Wladimirowitsch Putin", "PUTIN, Vladimir Vladimirovich", "Person"),
        ("First Bank Int’l", "First International Bank", "Organization"),  # abbreviation
        ("Al Qaeda", "Al-Qa'ida/Islamic Army", "Organization"),  # names joined by '/'
    ],
)
def test_variants_of_the_same_party_alert(query: str, listed: str, schema: str | None) -> None:
    assert score_names(query, listed, schema) >= T


@pytest.mark.parametrize(
    ("query", "listed", "schema"),
    [
        ("Olaf Schulze", "Olaf Scholz", "Person"),
        ("Angela Merkur", "Angela Merkel", "Person"),
        ("Sergey Ivanevich Lavrov", "Sergey Viktorovich LAVROV", "Person"),  # other patronymic
        ("A. Nazarbayev", "Nursultan Nazarbayev", "Person"),  # other initial
        ("Deutsche Bank AG", "Deutsche Bank GmbH", "Organization"),  # other legal form
        ("Zu Zag Bong 6", "Zu Zag Bong 5", "Vessel"),  # other number
        ("Victory", "Victory 3", "Vessel"),
        ("John Smith", "John B. Pridmore-Smith", "Person"),
        ("Christopher Prince", "Christopher O'Brien", "Person"),  # a surname, not a title
        ("Ismael Company", "Ismael Tash", "Person"),
        ("Nantahala Capital Fund, Ltd.", "Nantahala Capital Fund II, Ltd.", "Organization"),
        ("辉 陈", "HUI-FEN CHEN", "Person"),  # a Chinese name written whole has no more syllables
    ],
)
def test_different_parties_do_not_alert(query: str, listed: str, schema: str | None) -> None:
    assert score_names(query, listed, schema) < T


def test_explanation_names_algorithm_pairs_and_leftovers() -> None:
    score, expl = explain_pair("Vladimir Putin", "PUTIN, Vladimir Vladimirovich", "Person")
    assert expl["algorithm"] == ALGORITHM == "dualuse-match-1"
    assert ["putin", "putin", 1.0, "exact"] in expl["name"]["pairs"]
    assert expl["name"]["list_unmatched"] == ["vladimirovich"]
    assert 0.0 < score < 1.0


def test_legal_form_mismatch_is_an_explained_feature() -> None:
    _, expl = explain_pair("Deutsche Bank AG", "Deutsche Bank GmbH", "Organization")
    feat = expl["features"]["legal_form"]
    assert feat["effect"] < 0 and feat["query"] == ["joint_stock"]


def test_transliteration_folds_scripts_to_ascii() -> None:
    assert fold("Ḥusayn Öztürk") == "husayn ozturk"
    assert fold("ООО «Интер Тобако»") == "ooo inter tobako"
    assert prepare_name("习近平").tokens == ("xijinping",)
    assert prepare_name("محمد").skeletons == prepare_name("Muhammad").skeletons


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40),
       st.sampled_from([None, "Person", "Organization", "Vessel"]))
def test_score_is_always_in_unit_interval(left: str, right: str, schema: str | None) -> None:
    s = score_names(left, right, schema)
    assert 0.0 <= s <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(categories=("L",)), min_size=2, max_size=30))
def test_identical_names_score_highest(name: str) -> None:
    if prepare_name(name).tokens:
        assert score_names(name, name) >= 0.95
