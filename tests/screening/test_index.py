"""The screening index: right record, list's own id, blocking, evidence, fail closed."""

from __future__ import annotations

import pytest

from dualuse.errors import InputError, ScreeningUnavailableError
from dualuse.screening import ListSnapshot, Query, ScreeningIndex
from dualuse.screening.index import MAX_CANDIDATES


def test_listed_person_is_found_with_the_un_dataid(un_index: ScreeningIndex) -> None:
    [top, *_] = un_index.screen(Query(name="Eric Badege", schema="Person"))
    assert (top.list, top.list_id, top.alert) == ("un_sc", "6907993", True)
    assert top.explanation["algorithm"] == "dualuse-match-1"


def test_perturbed_listed_names_are_found(un_index: ScreeningIndex,
                                         un_snapshot: ListSnapshot) -> None:
    badege = next(r for r in un_snapshot.records if r.list_id == "6907993")
    for query in ("BADEGE, Eric", "Erik Badege", "eric  badége", "Эрик Бадеге"):
        ids = [m.list_id for m in un_index.screen(query) if m.alert]
        assert badege.list_id in ids, query


def test_arabic_script_query_meets_the_original_script_name(un_index: ScreeningIndex,
                                                           un_snapshot: ListSnapshot) -> None:
    rec = next(r for r in un_snapshot.records
               if any(any("\u0600" <= ch <= "\u06ff" for ch in n) for n in r.names))
    arabic = next(n for n in rec.names if any("\u0600" <= ch <= "\u06ff" for ch in n))
    assert rec.list_id in [m.list_id for m in un_index.screen(arabic) if m.alert]


def test_a_query_scores_only_a_few_candidates(un_index: ScreeningIndex) -> None:
    for query in ("Mohammed Ali", "Abdul Rahman", "Al Qaida", "Eric Badege", "Jan Jansen"):
        candidates = un_index._candidates(__import__(
            "dualuse.screening.text", fromlist=["prepare_name"]).prepare_name(query))
        assert len(candidates) <= MAX_CANDIDATES < un_index.name_count / 50


def test_made_up_persons_do_not_alert(un_index: ScreeningIndex) -> None:
    for name in ("Jan de Vries", "Maria Garcia Lopez", "Hans-Peter Müller", "Sophie Martin"):
        assert not [m for m in un_index.screen(Query(name=name, schema="Person")) if m.alert]


def test_birth_date_and_country_raise_or_lower_the_score(un_index: ScreeningIndex) -> None:
    plain = un_index.screen(Query(name="Eric Badege", schema="Person"))[0].score
    same = un_index.screen(Query(name="Eric Badege", birth_date="1971", country="CD"))[0]
    other = un_index.screen(Query(name="Eric Badege", birth_date="1990", country="FR"))[0]
    assert same.score >= plain > other.score
    assert other.explanation["features"]["birth_date"]["effect"] < 0
    assert other.explanation["features"]["country"]["effect"] < 0


def test_schema_mismatch_lowers_the_score(un_index: ScreeningIndex) -> None:
    person = un_index.screen(Query(name="Eric Badege", schema="Person"))[0]
    vessel = un_index.screen(Query(name="Eric Badege", schema="Vessel"))
    assert not vessel or vessel[0].score < person.score


def test_threshold_sets_the_alert_flag(un_index: ScreeningIndex) -> None:
    matches = un_index.screen("Erik Badege", threshold=0.99)
    assert matches and not any(m.alert for m in matches)
    assert all(0.0 <= m.score <= 1.0 for m in matches)


def test_screening_without_lists_fails_closed() -> None:
    with pytest.raises(ScreeningUnavailableError):
        ScreeningIndex([])


def test_empty_query_is_bad_input(un_index: ScreeningIndex) -> None:
    with pytest.raises(InputError):
        un_index.screen("  ...  ")


def test_index_is_safe_to_share_between_threads(un_index: ScreeningIndex) -> None:
    from concurrent.futures import ThreadPoolExecutor

    queries = ["Eric Badege", "Erik Badege", "Jan de Vries", "BADEGE, Eric"] * 25
    alone = [[(m.list_id, m.score) for m in un_index.screen(q)] for q in queries]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda q: [(m.list_id, m.score) for m in un_index.screen(q)],
                                 queries))
    assert together == alone
