"""The sanctions goods lists beyond Annex I as bundled law data: dated, cited, sourced, versions
built in order, the CN hierarchy, and what the data says it lacks."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pytest

from dualuse.law import load_law

DATA = resources.files("dualuse.data")
GOODS = load_law().sanctions_goods


def _read(name: str) -> Any:
    text = DATA.joinpath(f"sanctions/{name}").read_text(encoding="utf-8")
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def _on(day: str) -> Any:
    return load_law().as_of(date.fromisoformat(day)).sanctions_goods


def test_every_record_is_dated_cited_sourced_and_verified() -> None:
    records = [*_read("entries.jsonl"), *_read("annex_vii_part_a.jsonl"), *_read("articles.jsonl")]
    assert len(records) > 1300
    for rec in records:
        start = date.fromisoformat(rec["valid_from"])
        if rec["valid_to"] is not None:
            assert date.fromisoformat(rec["valid_to"]) >= start, rec
        assert rec["citation"]["instrument"] in {a["id"] for a in _read("acts.json")}, rec
        assert rec["source"]["repo"] == "legalize-dev/legalize-eu"
        assert len(rec["source"]["commit"]) == 40
        date.fromisoformat(rec["last_verified_on"])
        assert rec["provenance"] and rec["text"], rec
    for act in _read("acts.json"):
        assert act["date_evidence"]
        if act["state"] != "not_read":
            assert act["source"]["pages_read"], act["id"]


def test_manifest_names_the_sanctions_files() -> None:
    files = json.loads(DATA.joinpath("MANIFEST.json").read_text(encoding="utf-8"))["files"]
    for name in ("acts.json", "lists.json", "entries.jsonl", "annex_vii_part_a.jsonl",
                 "articles.jsonl", "regimes.json"):
        assert f"sanctions/{name}" in files


def test_versions_follow_each_other_in_the_order_of_the_acts() -> None:
    by_list = defaultdict(list)
    for v in GOODS.versions:
        by_list[v.list_id].append(v)
    for versions in by_list.values():
        versions.sort(key=lambda v: v.validity.valid_from)
        for a, b in itertools.pairwise(versions):
            assert a.validity.valid_to == b.validity.valid_from - timedelta(days=1)
        assert versions[-1].validity.valid_to is None
    counts = {k: [(v.validity.valid_from.isoformat(), v.act[-4:], v.entries, v.complete)
                  for v in vs] for k, vs in by_list.items()}
    assert counts["RU.VII.B"] == [
        ("2024-06-25", "1745", 82, True), ("2025-02-25", "0395", 88, True),
        ("2025-05-21", "0932", 99, True), ("2025-07-20", "1494", 101, True),
        ("2025-10-24", "2033", 112, True)]
    assert [c[2:] for c in counts["RU.VII.A"]] == [(169, True), (64, False), (170, True),
                                                   (171, True), (172, True)]
    assert [c[2:] for c in counts["RU.XXIII"]] == [(7, False), (89, False), (110, False),
                                                   (509, True)]
    assert counts["RU.XXIIIG"] == [("2025-10-24", "2033", 60, True)]
    assert [c[:3] for c in counts["RU.XL"]] == [("2024-06-25", "1745", 50),
                                                ("2025-10-24", "2033", 50)]
    assert counts["BY.XXX"] == [("2024-07-01", "1865", 50, True)]
    assert counts["IR.II"] == [("2024-05-16", "1529", 76, True)]


def test_no_entry_overlaps_itself() -> None:
    spans = defaultdict(list)
    far = date(9999, 12, 31)
    for e in GOODS.entries:
        spans[(e.list_id, e.digits, e.text)].append(
            (e.validity.valid_from, e.validity.valid_to or far))
    for d in GOODS.described:
        spans[(d.list_id, d.code)].append((d.validity.valid_from, d.validity.valid_to or far))
    for key, ranges in spans.items():
        ranges.sort()
        for (_, end), (start, _) in itertools.pairwise(ranges):
            assert start > end, key


def test_amendments_are_applied_in_order() -> None:
    # 2025/1494 replaces table 5 of Annex VII Part B (adding 8456 30 and 8456 50) ...
    assert not _on("2025-07-19").matches("RU.VII.B", "84563011")
    assert [e.cn_code for e in _on("2025-07-20").matches("RU.VII.B", "84563011")] == ["8456 30"]
    # ... and 2025/2033 tables 3, 6 and 8, and Part A: X.A.I.001 gains item q.
    assert not _on("2025-10-23").matches("RU.VII.B", "81032000")
    assert _on("2025-10-24").matches("RU.VII.B", "81032000")
    before = _on("2025-10-23").described_entry("RU.VII.A", "X.A.I.001")
    after = _on("2025-10-24").described_entry("RU.VII.A", "X.A.I.001")
    assert before is not None and after is not None
    assert after.text == before.text + "\n- q. Surface Mounted Device (SMD) inductors."
    assert _on("2025-07-20").described_entry("RU.VII.A", "X.C.VIII.005") is not None
    assert _on("2025-07-19").described_entry("RU.VII.A", "X.C.VIII.005") is None
    fixed = _on("2024-07-01").described_entry("RU.VII.A", "X.A.VIII.013")
    assert fixed is not None and fixed.note == "printed 'X.AVIII.013' in the text read"


@pytest.mark.parametrize(("digits", "entries"), [
    ("84662090", ["8466"]),               # heading
    ("25309000", ["25"]),                 # chapter
    ("84669390", ["8466"]),
    ("40111000", ["4011"]),               # 'Ex 4011 ... except CN code 4011 30 00'
    ("40113000", []),                     # the code it excepts
    ("01012100", []),
])
def test_a_listed_heading_covers_the_codes_under_it(digits: str, entries: list[str]) -> None:
    assert [e.cn_code for e in _on("2025-11-01").matches("RU.XXIII", digits)] == entries


def test_citations_name_the_act_and_the_annex_entry() -> None:
    (entry,) = _on("2025-11-01").matches("RU.XXIII", "84662090")
    assert entry.citation.render() == "Council Regulation (EU) No 833/2014, Annex XXIII, 8466"
    regime = GOODS.regimes["RU"]
    assert [h.export.citation.render() + ", " + h.label for h in regime.prohibitions] == [
        "Council Regulation (EU) No 833/2014, Art. 2a(1), Annex VII, Part B",
        "Council Regulation (EU) No 833/2014, Art. 3k(1), Annex XXIII"]
    assert regime.prohibitions[0].services is not None
    assert regime.prohibitions[0].services.citation.render() == (
        "Council Regulation (EU) No 833/2014, Art. 2a(2)(a)")


def test_the_articles_are_built_from_the_base_text_and_the_amending_acts() -> None:
    g = _on("2025-11-01")
    from dualuse.law.citations import Citation

    def para(article: str, paragraph: str, point: str | None = None) -> str | None:
        p = g.paragraph(Citation("32014R0833", article=article, paragraph=paragraph, point=point))
        return None if p is None else p.text

    assert para("2a", "1aa", None) and "has been informed" in str(para("2a", "1aa"))
    assert "25 January 2026" in str(para("3k", "3aj"))
    assert "8423 10" in str(para("3k", "5a", "e"))  # point (e) as replaced by 2025/2033
    assert para("3k", "3ag") is None  # deleted by 2025/2033
    p = _on("2025-03-01").paragraph(Citation("32014R0833", article="3k", paragraph="3ag"))
    assert p is not None and p.act == "32025R0395"
    assert "Annex XLVIII" in str(para("12gb", "1"))  # 12gb as replaced by 2025/395


def test_partner_countries_and_destinations() -> None:
    g = _on("2025-11-01")
    assert g.listed_countries("RU.VIII") == frozenset(
        {"US", "JP", "GB", "KR", "AU", "CA", "NZ", "NO", "CH", "LI", "IS"})
    assert g.destination("NO").is_partner("RU") is True
    assert g.destination("KZ").is_partner("RU") is False
    assert g.destination("KZ").is_partner("BY") is None  # Annex Vba is not bundled
    assert g.destination("RU").regime == "RU"
    assert g.destination("US").regime is None
    assert _on("2024-06-01").destination("NO").is_partner("RU") is None


def test_what_is_missing_is_said_in_the_data() -> None:
    ru, by, ir = (GOODS.regimes[x] for x in ("RU", "BY", "IR"))
    assert {h.annex for h in ru.unbundled} == {"II", "X", "XI", "XVI", "XVIII", "XX"}
    assert {h.annex for h in by.unbundled} == {"Va", "XVIII", "XX", "XXIV", "XXV"}
    assert [h.effect for h in ir.unbundled] == ["unknown"]
    assert ru.verified_through == date(2025, 12, 31)
    assert any("2026/506" in a for a in ru.later_acts_not_bundled)
    assert by.partner_list is None and by.partner_list_note
    # Exceptions with an execution window stop applying the day after it.
    days = GOODS.boundaries()
    assert {date(2026, 1, 1), date(2026, 1, 26), date(2026, 4, 26), date(2025, 10, 24)} <= days
    assert "RU.3k(3aj)" in {p.id for p in _on("2026-01-25").provisions(ru)}
    assert "RU.3k(3aj)" not in {p.id for p in _on("2026-01-26").provisions(ru)}
