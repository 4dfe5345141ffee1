from __future__ import annotations

import pytest

from dualuse.classify.build import vocabulary_text
from dualuse.classify.lexicon import parse_dutch, parse_synonyms
from dualuse.classify.text import stem, terms
from dualuse.errors import DataIntegrityError


def test_stemmer_joins_plurals_and_keeps_technical_words() -> None:
    assert stem("cameras") == stem("camera")
    assert stem("detectors") == stem("detector")
    assert stem("gas") == "gas"
    assert stem("lens") == "lens"
    assert terms("Specially designed components therefor") == []


def test_bundled_tables_parse_and_every_group_has_a_source() -> None:
    syn_text, dutch_text = vocabulary_text()
    syn = parse_synonyms(syn_text)
    assert len(syn.groups) > 150
    assert all(g.source.strip() for g in syn.groups)
    dutch = parse_dutch(dutch_text)
    assert len(dutch.phrases) > 200


def test_synonym_phrase_matches_in_order_only() -> None:
    syn = parse_synonyms(
        "groups:\n- commercial: [heat camera]\n  annex: [focal plane arrays]\n  source: 6A003\n"
    )
    assert [e.terms for e in syn.expand(terms("handheld heat camera"))] == [("focal plane arrays",)]
    assert syn.expand(terms("camera heat")) == []


@pytest.mark.parametrize(
    "bad",
    [
        "groups: []",
        "groups:\n- commercial: [x ray]\n  annex: [y]\n",  # no source
        "groups:\n- commercial: [the of]\n  annex: [y]\n  source: s\n",  # no content words
        "[unclosed",
    ],
)
def test_malformed_synonym_table_is_rejected(bad: str) -> None:
    with pytest.raises(DataIntegrityError):
        parse_synonyms(bad)


def test_dutch_compounds_are_split_and_english_words_pass() -> None:
    dutch = parse_dutch(
        "function_words: [voor, de]\nterms:\n  warmte: heat\n  beeld: image\n  camera: camera\n"
    )
    english, used = dutch.translate("warmtebeeldcamera voor de brandweer", frozenset({"camera"}))
    assert english == "heat image camera brandweer"
    assert used == ["warmtebeeldcamera"]
    english, _ = dutch.translate("camera", frozenset({"camera"}))
    assert english == "camera"


def test_dutch_plurals_and_inflections_find_the_listed_word() -> None:
    dutch = parse_dutch(
        "terms:\n  filterbus: filter canister\n  gasmasker: gas mask\n  drone: drone\n"
        "  landbouw: agricultural\n"
    )
    english, used = dutch.translate("gasmaskers met filterbussen", frozenset())
    assert english == "gas mask met filter canister"
    assert used == ["gasmaskers", "filterbussen"]
    english, _ = dutch.translate("landbouwdrones", frozenset())
    assert english == "agricultural drone"


def test_no_commercial_phrase_collapses_to_one_short_word() -> None:
    """A phrase like 'gen 3' must not become 'gen' after stop words and one-letter tokens are
    dropped: it would then fire on unrelated descriptions."""
    syn = parse_synonyms(vocabulary_text()[0])
    bad = [
        c
        for g in syn.groups
        for c, p in zip(g.commercial, g.patterns, strict=True)
        if len(c.replace("-", " ").replace("/", " ").split()) > 1 and len(p) < 2
        and len(p[0]) < 6
    ]
    assert bad == []
