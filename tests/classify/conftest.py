from __future__ import annotations

from datetime import date

import pytest

from dualuse.classify.build import build_classifier
from dualuse.classify.search import Classifier
from dualuse.law import load_law


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    law = load_law()
    cat = law.as_of(date(2026, 1, 1))
    clf, _ = build_classifier(
        cat, data_version=law.data_version, annex_version=cat.annex_i_version.id
    )
    return clf
