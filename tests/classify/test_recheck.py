"""Catalogue re-check across Annex I versions (test doubles and the real versions)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dualuse.classify.recheck import Product, parse_products, recheck
from dualuse.errors import InputError
from dualuse.law import load_law


@dataclass(frozen=True)
class E:
    code: str
    text: str
    notes: tuple[str, ...] = ()
    not_used: bool = False

    @property
    def parent(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None

    @property
    def entry(self) -> str:
        return self.code.split(".")[0]

    @property
    def category(self) -> str:
        return self.code[0]

    @property
    def group(self) -> str:
        return self.code[1]


@dataclass(frozen=True)
class Cat:
    rows: tuple[E, ...]

    def entries(self) -> tuple[E, ...]:
        return self.rows


OLD = Cat((
    E("6A003", "Cameras as follows:"),
    E("6A003.a", "Instrumentation cameras with a framing rate exceeding 1000000 frames per s;"),
    E("6A003.b", "Imaging cameras as follows:"),
    E("6A003.c", "Underwater lamps rated for depths exceeding 1000 m;"),
    E("6A003.d", "Not used;", not_used=False),
    E("6A004", "Optical mirrors having a diameter exceeding 1 m;"),
))
NEW = Cat((
    E("6A003", "Cameras as follows:"),
    E("6A003.a", "Instrumentation cameras with a framing rate exceeding 2000000 frames per s;"),
    E("6A003.b", "Imaging cameras as follows:"),
    E("6A003.b.1", "Video cameras with solid-state sensors;"),
    E("6A003.c", "Not used;", not_used=True),
    E("6A003.e", "Underwater lamps rated for depths exceeding 1000 m;"),
    E("6A003.d", "Not used;", not_used=True),
    E("6A004", "Optical mirrors having a diameter exceeding 1 m;",
      notes=("Note: 6A004 does not control mirrors for astronomy telescopes.",)),
))


def _run(*codes: str) -> dict[str, tuple[str, str | None]]:
    products = [Product(c, f"product {c}", c) for c in codes]
    report = recheck(products, OLD, NEW, old_version="v1", new_version="v2")
    return {p.product.code: (p.status, p.new_code) for p in report.products}


def test_each_kind_of_change_is_reported() -> None:
    result = _run("6A003.a", "6A003.b", "6A003.c", "6A003.d", "6A004", "9Z999")
    assert result["6A003.a"] == ("amended", "6A003.a")
    assert result["6A003.b"] == ("extended", "6A003.b")
    assert result["6A003.c"] == ("renumbered", "6A003.e")
    assert result["6A003.d"] == ("removed", None)
    assert result["6A004"] == ("unchanged", "6A004")  # wording unchanged ...
    assert result["9Z999"] == ("unknown_code", None)


def test_changed_notes_are_flagged_not_counted_as_amendment() -> None:
    report = recheck([Product("m", "mirror", "6A004")], OLD, NEW, old_version="1", new_version="2")
    assert report.products[0].status == "unchanged"
    assert report.products[0].notes_changed  # ... but a note was added: re-read it
    assert "notes" in report.products[0].summary


def test_unchanged_product() -> None:
    same = recheck([Product("p", "p", "6A003.b")], OLD, OLD, old_version="v1", new_version="v1")
    assert same.products[0].status == "unchanged"
    assert same.counts() == {"unchanged": 1}


def test_product_rows_are_validated_with_line_numbers() -> None:
    assert parse_products([{"product": "VPN", "code": "5A002.a.1."}], "c.csv")[0].code == (
        "5A002.a.1"
    )
    with pytest.raises(InputError, match=r"c\.csv: line 3: column 'code'"):
        parse_products([{"product": "a", "code": "1A001"}, {"product": "b", "code": ""}], "c.csv")
    with pytest.raises(InputError, match="no products"):
        parse_products([], "c.csv")


def test_real_versions_report_the_2025_changes() -> None:
    law = load_law()
    versions = law.annex_i_versions
    old = law.as_of(versions[-2].validity.valid_from)
    new = law.as_of(versions[-1].validity.valid_from)
    gone = next(e.code for e in old.entries() if not e.not_used and not new.has_code(e.code))
    report = recheck(
        [Product("x", "x", gone), Product("y", "y", "1C351.c.1")], old, new,
        old_version=versions[-2].id, new_version=versions[-1].id,
    )
    assert report.products[0].status in {"removed", "renumbered"}
    assert report.products[1].status in {"unchanged", "amended", "extended"}
