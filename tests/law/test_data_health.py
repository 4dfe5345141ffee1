"""Health of the bundled law data: dated, cited, verified, consistent, and complete."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import defaultdict
from datetime import date
from importlib import resources
from typing import Any

import pytest

from dualuse.law import load_law
from dualuse.law.codes import is_well_formed

DATA = resources.files("dualuse.data")


def _read(name: str) -> Any:
    text = DATA.joinpath(name).read_text(encoding="utf-8")
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def _dated_records() -> list[tuple[str, dict[str, Any]]]:
    a2 = _read("annex_ii.json")
    emb = _read("embargoes.json")
    out: list[tuple[str, dict[str, Any]]] = []
    out += [("annex_i/entries", r) for r in _read("annex_i/entries.jsonl")]
    out += [("annex_i/definitions", r) for r in _read("annex_i/definitions.jsonl")]
    out += [("annex_i/notes", r) for r in _read("annex_i/notes.jsonl")]
    out += [("annex_iv", r) for r in _read("annex_iv.json")["records"]]
    out += [("annex_ii/ugeas", r) for r in a2["ugeas"]]
    out += [("annex_ii/section_i", r) for r in a2["section_i"]]
    out += [("countries", r) for r in _read("countries.json")]
    out += [("arms_embargoes", r) for r in emb["arms_embargoes"]]
    out += [("sanctions_bans", r) for r in emb["sanctions_bans"]]
    out += [("national_measures", r) for r in _read("national_measures.json")["measures"]]
    out += [("articles", r) for r in _read("articles.json")]
    return out


RECORDS = _dated_records()


def test_every_record_is_dated_cited_verified_and_sourced() -> None:
    faults = []
    for kind, rec in RECORDS:
        start = date.fromisoformat(rec["valid_from"])
        end = rec.get("valid_to")
        if end is not None and date.fromisoformat(end) < start:
            faults.append((kind, rec.get("code") or rec.get("id"), "valid_to before valid_from"))
        cit = rec.get("citation") or {}
        if not (cit.get("instrument") or cit.get("text")):
            faults.append((kind, rec.get("code") or rec.get("id"), "no citation"))
        date.fromisoformat(rec["last_verified_on"])
        if not rec.get("provenance"):
            faults.append((kind, rec.get("code") or rec.get("id"), "no provenance"))
    assert not faults, faults[:10]
    assert len(RECORDS) > 5000


def test_cited_eu_instruments_are_in_the_registry() -> None:
    registry = {r["id"] for r in _read("instruments.json")}
    for required in ("32021R0821", "32022R0699", "32025R2003", "32014R0833", "32006R0765",
                     "32017R1509", "32012R0267", "32012R0036", "32013R0401", "32017R2063"):
        assert required in registry, required
    for kind, rec in RECORDS:
        inst = (rec.get("citation") or {}).get("instrument")
        if inst and inst[:1] == "3" and inst[1:5].isdigit():
            assert inst in registry, (kind, inst)


def test_annex_i_codes_are_well_formed_and_hierarchy_is_whole() -> None:
    law = load_law()
    for version in law.annex_i_versions:
        cat = law.as_of(version.validity.valid_from)
        for e in cat.entries():
            assert is_well_formed(e.code), e.code
            assert (e.parent is None) == (e.level == 0), e.code
            if e.parent is not None:
                assert cat.has_code(e.parent), (version.id, e.code)
                assert e.code.startswith(e.parent + "."), e.code
            assert e.entry == e.code[:5]


def test_no_overlapping_validity() -> None:
    spans: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
    far = date(9999, 12, 31)
    for kind, rec in RECORDS:
        key = rec.get("code") or rec.get("id") or rec.get("iso2") or rec.get("term") or \
            str(rec.get("article"))
        if kind == "annex_i/definitions":
            key = f"{rec['term']}|{rec['qualifier']}"
        start = date.fromisoformat(rec["valid_from"])
        end = date.fromisoformat(rec["valid_to"]) if rec.get("valid_to") else far
        spans[(kind, str(key))].append((start, end))
    for ugea in _read("annex_ii.json")["ugeas"]:
        for group in ("destinations", "excluded"):
            for d in ugea["destinations"].get(group, []):
                end = date.fromisoformat(d["valid_to"]) if d["valid_to"] else far
                spans[(ugea["id"] + group, d["iso2"])].append(
                    (date.fromisoformat(d["valid_from"]), end))
    overlaps = []
    for key, ranges in spans.items():
        ranges.sort()
        for (_, a_end), (b_start, _) in itertools.pairwise(ranges):
            if b_start <= a_end:
                overlaps.append(key)
    assert not overlaps, overlaps[:10]


def test_counts_match_the_sources() -> None:
    law = load_law()
    rows = {v.id: v.rows for v in law.annex_i_versions}
    assert rows == {"2022-01-07": 3281, "2023-01-12": 3273, "2023-05-26": 3277,
                    "2023-12-16": 3285, "2024-11-08": 3297, "2025-11-15": 3420}
    for version in law.annex_i_versions:
        assert len(law.as_of(version.validity.valid_from).entries()) == version.rows
    current = law.as_of(date(2026, 6, 1))
    assert len(current.entries()) == 3420
    assert sum(1 for e in current.entries() if e.level == 0) == 384
    assert sum(1 for e in current.entries() if e.not_used) == 113
    assert len(current.definitions()) == 175
    assert len(current.note_documents()) == 36
    assert len(current.ugeas()) == 8
    assert sum(1 for c in current.countries() if c.eu_member_state) == 27
    assert len(_read("articles.json")) == 32


def test_codes_annex_ii_and_annex_iv_refer_to_exist_on_every_date() -> None:
    law = load_law()
    for version in law.annex_i_versions:
        cat = law.as_of(version.validity.valid_from)
        for ugea in cat.ugeas():
            for ref in (*ugea.included, *ugea.excluded):
                if ref.code:
                    assert cat.has_code(ref.code), (version.id, ugea.id, ref.code)
        for s in law.data.section_i:
            if s.record.code != "ANNEX_IV_ALL":
                assert cat.has_code(s.record.code), (version.id, s.record.code)
        for iv in law.data.annex_iv:
            assert cat.has_code(iv.record.code), (version.id, iv.record.code)


def test_every_ban_and_embargo_names_a_known_country() -> None:
    law = load_law()
    countries = law.data.countries
    for ban in law.data.sanctions_bans:
        assert ban.iso2 in countries
        assert ban.citation.instrument
    for emb in law.data.arms_embargoes:
        assert emb.iso2 in countries


def test_manifest_hashes_match_the_files() -> None:
    manifest = _read("MANIFEST.json")
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(DATA.joinpath(name).read_bytes()).hexdigest() == digest, name
    assert load_law().data_version == manifest["data_version"]
    assert manifest["data_version"].endswith(
        hashlib.sha256(json.dumps(manifest["files"], sort_keys=True).encode()).hexdigest()[:8]
    )


@pytest.mark.parametrize("iso2", ["RU", "BY", "KP"])
def test_bans_cite_the_sanctions_act(iso2: str) -> None:
    cat = load_law().as_of(date(2026, 6, 1))
    (ban,) = cat.sanctions_bans(iso2)
    assert ban.scope == "all_dual_use"
    assert ban.citation.render().startswith("Council Regulation")


def test_arms_embargoes_follow_the_three_limbs_of_art_2_19() -> None:
    """Art. 2(19): a Council decision or common position, a decision of the OSCE, or a binding
    UN Security Council resolution. The OSCE's 1992 decision on Armenia and Azerbaijan counts;
    the 1989 declaration on China does not."""
    cat = load_law().as_of(date(2026, 6, 1))
    for iso2 in ("AM", "AZ"):
        emb = cat.arms_embargo(iso2)
        assert emb is not None and emb.art_4_1_b_relevant
        assert emb.art_2_19 and "OSCE" in emb.art_2_19
        assert emb.relevance_note and "'binding' qualifies only" in emb.relevance_note
    china = cat.arms_embargo("CN")
    assert china is not None and not china.art_4_1_b_relevant and china.art_2_19 is None
    for emb in load_law().data.arms_embargoes:
        assert emb.art_4_1_b_relevant == (emb.art_2_19 is not None), emb.iso2


@pytest.mark.parametrize(("iso2", "export", "services"), [
    ("RU", "Council Regulation (EU) No 833/2014, Art. 2(1)",
     "Council Regulation (EU) No 833/2014, Art. 2(2)(a)"),
    ("BY", "Council Regulation (EC) No 765/2006, Art. 1e(1)",
     "Council Regulation (EC) No 765/2006, Art. 1e(2)(a)"),
])
def test_bans_cite_the_provision_of_each_activity(iso2: str, export: str, services: str) -> None:
    (ban,) = load_law().as_of(date(2026, 6, 1)).sanctions_bans(iso2)
    assert ban.citation_for("export").render() == export
    assert ban.citation_for("transit").render() == export
    assert ban.citation_for("brokering").render() == services
    assert ban.citation_for("technical_assistance").render() == services
    kinds = {d.kind for d in ban.exceptions_and_derogations}
    assert kinds == {"exception", "derogation"}


def test_national_measures_carry_their_art_9_4_publication() -> None:
    law = load_law()
    by_id = {m.id: m for m in law.data.national_measures}
    nl = by_id["NL-SME-2023"]
    assert nl.publication is not None and nl.publication.reference == "C/2023/441"
    assert nl.publication.published == date(2023, 10, 20)
    assert nl.published_on(date(2023, 10, 19)) is False
    assert nl.published_on(date(2023, 10, 20)) is True
    assert by_id["FR-ARR-2024-02-02"].publication is None  # not found: asked, never assumed


def test_annex_i_take_over_names_entries_listed_in_2025_2003() -> None:
    law = load_law()
    nl = next(m for m in law.data.national_measures if m.id == "NL-SME-2023")
    assert nl.taken_over_from == date(2025, 11, 15)
    cat = law.as_of(date(2025, 11, 15))
    codes = {c for t in nl.taken_over for c in t.annex_i}
    assert {"3B501.a.4", "3B501.m", "3B501.n.1.c", "3B501.n.5", "3B501.f.1.b"} <= codes
    assert all(cat.is_listed(c) for c in codes)
    assert "3B001.m" not in {t.national_code for t in nl.taken_over}  # 'unclear' stays national


def test_dutch_wsd_provisions_are_typed_with_their_text() -> None:
    cat = load_law().as_of(date(2026, 6, 1))
    catchall = next(m for m in cat.national_measures("NL") if m.id == "NL-CATCHALL")
    typed = {p.provision: p for p in catchall.provisions}
    assert set(typed) >= {"Wsd art. 3(1)", "Wsd art. 4(3)", "Wsd art. 4(4)", "Wsd art. 4(5)",
                          "Wsd art. 6(1)", "Wsd art. 6(2)", "Wsd art. 7(1)", "Wsd art. 7(3)(a)"}
    assert typed["Wsd art. 3(1)"].effect == "prohibited"
    assert typed["Wsd art. 3(1)"].text and "technische bijstand" in typed["Wsd art. 3(1)"].text
    assert typed["Wsd art. 4(5)"].legal_basis_eu == ()  # national: Art. 6(3) extends 6(1) only
    assert typed["Wsd art. 4(3)"].legal_basis_eu == ("Art. 6(3)",)


def test_data_changes_are_logged_for_replays() -> None:
    changes = load_law().data.changes
    assert changes and all(c["release"] and c["changes"] for c in changes)
    assert any("2022/1" in text for c in changes for text in c["changes"])
