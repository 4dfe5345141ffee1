"""Classification assistant (pure core): from a product description to Annex I suggestions,
guided questionnaires, and the catalogue re-check across Annex I versions.

Python API (the CLI `dualuse classify ...` and the web service call exactly this):

    from datetime import date
    from dualuse.classify_cache import get_classifier      # edge: builds once, caches the index
    clf = get_classifier(date(2026, 6, 1))                 # Annex I in force that day
    result = clf.classify("handheld heat camera for firefighters", top=5)
    result.as_contract()   # {"results": [{"code", "entry", "score", "text", "why"}]}, best first
    result.as_detail()     # + notice, versions, query reading, per-result definitions/notes
    for s in result.suggestions:                           # Suggestion
        s.code, s.entry, s.score, s.text, s.why            # text = provision with its ancestors
        s.highlights, s.definitions, s.release_notes, s.see_also
    result.notice, result.versions, result.english, result.dutch_terms, result.expansions
    # InputError (exit 2 in the CLI) for an empty, over-long or absurd description.

    # Without the cache edge (pure): build from any catalogue day and inject the index JSON.
    from dualuse.classify import build_classifier
    clf, index_json = build_classifier(cat, data_version=law.data_version,
                                       annex_version=cat.annex_i_version.id,
                                       cached_index=None, embedder=None)

    # Guided questionnaires (reviewed data in dualuse/data/classify/*.yaml):
    from dualuse.classify import assess, load_questionnaire
    q = load_questionnaire("cryptography")        # or "cyber_surveillance"
    a = assess(q, {"form": "hardware", "uses_crypto": "yes", ...})
    a.complete, a.next_question, a.outcome   # Outcome: status, proposed_codes, citations, feeds
    a.record()         # dict to store as the product's classification record;
                       # record["outcome"]["feeds"]["transaction"] is a fragment of an engine
                       # transaction (item control_code / cyber_surveillance, aware_of ...)

    # Catalogue re-check between two Annex I versions:
    from dualuse.classify import Product, recheck
    report = recheck([Product("p1", "VPN box", "5A002.a.1")], law.as_of(old_day),
                     law.as_of(new_day), old_version="2024-11-08", new_version="2025-11-15")
    report.products[0].status  # unchanged|amended|renumbered|removed|extended|unknown_code

Everything here is a suggestion for the exporter, who classifies; the competent authority
decides. See docs/classify.md for the method, the data and the measured accuracy.
"""

from dualuse.classify.build import build_classifier
from dualuse.classify.embedding import StaticEmbedder
from dualuse.classify.questionnaire import (
    Assessment,
    Outcome,
    Question,
    assess,
    load_questionnaire,
)
from dualuse.classify.recheck import Product, ProductRecheck, RecheckReport, recheck
from dualuse.classify.search import NOTICE, Classification, Classifier, Suggestion

__all__ = [
    "NOTICE", "Assessment", "Classification", "Classifier", "Outcome", "Product",
    "ProductRecheck", "Question", "RecheckReport", "StaticEmbedder", "Suggestion", "assess",
    "build_classifier", "load_questionnaire", "recheck",
]
