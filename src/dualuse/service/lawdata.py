"""The service's window on the bundled law (the pure core): the catalogue as of a day."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from dualuse.law import Catalogue, load_law


@lru_cache(maxsize=64)
def catalogue_on(day: dt.date) -> Catalogue:
    """CoverageError outside the data's coverage: never another day's law."""
    return load_law().as_of(day)


def is_member_state(iso2: str, day: dt.date) -> bool:
    return catalogue_on(day).is_member_state(iso2)


def data_version() -> str:
    return load_law().data_version
