from __future__ import annotations

from datetime import date

import pytest

from dualuse.classify.search import Classifier
from dualuse.classify_cache import get_classifier


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    """The classifier as `dualuse classify` builds it: lexical index, the shipped sentence
    encoder with the shipped provision vectors, learned weights, families."""
    return get_classifier(date(2026, 1, 1))
