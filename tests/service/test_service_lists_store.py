"""One list store: the service screens with the snapshots `dualuse lists update` (and `dualuse
lists add`) write, configured once; when a list changes, the parties of open cases and active
licences are screened again and new hits flagged to the caseworker (audited). An exact hit reads
as an exact match, never under a clearance headline. `dualuse screen A B C` screens each name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from service_factories import granted_licence, ready_application
from typer.testing import CliRunner

from dualuse.batch.lists_update import default_data_dir, store_list
from dualuse.cli.main import app as cli
from dualuse.service.audit.models import AuditEvent
from dualuse.service.cases import operations as ops
from dualuse.service.cases.screening_gate import screen_one
from dualuse.service.lists import rescreen
from dualuse.service.lists.middleware import check_now
from dualuse.service.lists.models import ListChange

TODAY = timezone.localdate()
HEADER = "id,name,schema,country,programme\n"
FIRST = HEADER + "T-1,Sanctioned Trading LLC,Organization,IR,test list\n"
SECOND = FIRST + "T-9,Northwind Dual Components,Organization,US,test list (added)\n"
runner = CliRunner()


@pytest.fixture
def store(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    settings.SCREENING_LISTS_DIR = folder
    return folder


def _add(store: Path, text: str, name: str = "own_list") -> None:
    src = store.parent / f"{name}-{len(text)}.csv"
    src.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["lists", "add", name, str(src), "--data-dir", str(store)])
    assert result.exit_code == 0, result.output


def test_the_service_screens_with_the_snapshots_lists_update_writes(
    store: Path, db: Any
) -> None:
    status, result = screen_one("Sanctioned Trading LLC", "IR", TODAY)
    assert status == "unavailable" and "dualuse lists update" in result["error"]
    src = store.parent / "published.csv"
    src.write_text(FIRST, encoding="utf-8")
    done = runner.invoke(cli, ["lists", "update", "published", "--url",
                               f"published={src.as_uri()}", "--data-dir", str(store)])
    assert done.exit_code == 0, done.output
    assert "python -m dualuse.service rescreen" in done.output
    status, result = screen_one("SANCTIONED TRADING L.L.C.", "IR", TODAY)
    assert status == "possible_match" and result["strength"] == "exact"
    hit = result["matches"][0]
    assert (hit["list"], hit["list_id"], hit["programmes"]) == ("published", "T-1", ["test list"])
    assert result["lists"][0]["snapshot"].endswith(result["lists"][0]["sha256"][:12])
    status, result = screen_one("Sanctiond Tradng", "IR", TODAY)
    assert status == "possible_match" and result["strength"] == "possible"


def test_the_store_is_found_the_same_way_by_the_command_and_the_service(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DUALUSE_LISTS_DIR", raising=False)
    monkeypatch.setenv("DUALUSE_DATA_DIR", str(tmp_path))
    assert default_data_dir() == tmp_path / "lists"  # the service's <data dir>/lists
    monkeypatch.setenv("DUALUSE_LISTS_DIR", str(tmp_path / "elsewhere"))
    assert default_data_dir() == tmp_path / "elsewhere"


def test_a_list_change_rescreens_open_cases_and_licences_and_flags_new_hits(
    store: Path, make_actor: Any, make_org: Any
) -> None:
    _add(store, FIRST)
    authority = make_org("authority", "CDIU")
    ex = make_actor("exporter_user")
    cw = make_actor("caseworker", authority)
    sr = make_actor("senior_caseworker", authority)
    licence = granted_licence(ex, cw, sr, TODAY, end_user="Northwind Dual Components")
    open_case = ready_application(ex, TODAY, end_user="Northwind Dual Components")
    ops.submit(ex, open_case, today=TODAY)
    draft = ready_application(ex, TODAY, end_user="Northwind Dual Components")  # not submitted
    assert rescreen.apply_list_change(day=TODAY) is not None  # the first lists applied
    assert rescreen.apply_list_change(day=TODAY) is None  # nothing changed since

    _add(store, SECOND)  # the list changes: Northwind is added
    change = rescreen.apply_list_change(day=TODAY)
    assert change is not None and change.lists_changed == ["own_list"]
    assert change.parties_rescreened == 4 and change.new_hits == 4  # end-user + consignee, twice
    for party in [*licence.application.parties.all(), *open_case.parties.all()]:
        assert party.screening_status == "possible_match"
        assert party.screening["new_hits"][0]["list_id"] == "T-9"
    assert draft.parties.first().screening_status == "not_run"  # a draft is screened at submission
    event = AuditEvent.objects.filter(action="screening.new_hit").first()
    assert event.before["status"] == "clear" and event.after["new_hits"][0][1] == "T-9"
    assert AuditEvent.objects.filter(action="screening.lists_changed").count() == 2
    assert (  # the open case cannot be decided until the new hit is reviewed
        "possible list match for Northwind Dual Components not yet reviewed"
        in ops.decision_blockers(open_case, TODAY)
    )

    client = Client(headers={"accept-language": "en"})
    client.force_login(cw.user)
    licence_page = client.get(f"/licences/{licence.pk}/").content.decode()
    assert 'id="licence-alert"' in licence_page and "Northwind Dual Components" in licence_page
    page = client.get("/authority/screening-alerts/").content.decode()
    assert page.count("<tr data-party=") == 4 and licence.number in page
    licensed = licence.application.parties.first()
    r = client.post("/authority/screening-alerts/", {"party": licensed.pk, "note": ""}, follow=True)
    assert "say what follows from the new hit" in r.content.decode()
    client.post("/authority/screening-alerts/",
                {"party": licensed.pk, "note": "licence suspended pending review"})
    assert client.get("/authority/screening-alerts/").content.decode().count(
        "<tr data-party=") == 3
    assert AuditEvent.objects.get(action="screening.acknowledge").after["note"] == (
        "licence suspended pending review"
    )
    assert client.post("/authority/screening-alerts/", {"party": "x"}).status_code == 404
    exporter = Client()
    exporter.force_login(ex.user)
    assert exporter.get("/authority/screening-alerts/").status_code == 403


def test_an_earlier_review_does_not_cover_a_new_hit(
    store: Path, make_actor: Any, make_org: Any
) -> None:
    _add(store, FIRST)
    authority = make_org("authority", "CDIU")
    ex, cw = make_actor("exporter_user"), make_actor("caseworker", authority)
    app = ready_application(ex, TODAY, end_user="Sanctioned Trading LLC")
    ops.submit(ex, app, today=TODAY)
    party = app.parties.first()
    ops.review_match(cw, app, party, conclusion="discounted", note="another company")
    rescreen.apply_list_change(day=TODAY)
    _add(store, FIRST + "T-2,Sanctioned Trading,Organization,IR,second listing\n")
    rescreen.apply_list_change(day=TODAY)
    party.refresh_from_db()
    assert "review" not in party.screening
    assert party.screening["earlier_reviews"][0]["note"] == "another company"
    assert party.screening["new_hits"][0]["list_id"] == "T-2"


def test_the_service_notices_a_list_change_by_itself(
    store: Path, make_actor: Any, db: Any
) -> None:
    _add(store, FIRST)
    check_now()
    Client().get("/login/")  # any request
    assert ListChange.objects.count() == 1
    _add(store, SECOND)
    Client().get("/login/")  # within the minute: not checked again
    assert ListChange.objects.count() == 1
    check_now()
    Client().get("/login/")
    assert ListChange.objects.count() == 2


def test_an_exact_hit_is_never_shown_under_a_clearance_headline(
    store: Path, make_actor: Any
) -> None:
    from dualuse.service.checks.determine import run_check

    _add(store, FIRST)
    ex = make_actor("exporter_user")
    check = run_check(
        ex,
        {"activity": "export", "destination": "US",
         "items": [{"control_code": None, "description": "garden hose"}]},
        [{"role": "end_user", "name": "Sanctioned Trading LLC", "country": "IR"}],
        today=TODAY,
    )
    client = Client(headers={"accept-language": "en"})
    client.force_login(ex.user)
    page = client.get(f"/exporter/checks/{check.pk}/").content.decode()
    assert "Exact match on a list: review needed" in page
    assert page.index('id="screening-alert"') < page.index('id="outcome"')
    assert ">possible_match<" not in page


def test_screen_several_names_screens_each(tmp_path: Path) -> None:
    listed = tmp_path / "list.csv"
    listed.write_text(FIRST, encoding="utf-8")
    result = runner.invoke(
        cli, ["screen", "Sanctioned Trading LLC", "Volkov Dual Systems", "Acme", "--list",
              str(listed)]
    )
    assert result.exit_code == 0, result.output
    assert "'Sanctioned Trading LLC': 1 match(es), 1 alert(s)" in result.output
    assert "'Volkov Dual Systems': 0 match(es)" in result.output
    assert "'Acme': 0 match(es)" in result.output
    blank = runner.invoke(cli, ["screen", "Acme", " ", "--list", str(listed)])
    assert blank.exit_code != 0 and "name 2 is empty" in blank.output


def test_lists_add_refuses_a_bad_name_or_file(tmp_path: Path) -> None:
    store = tmp_path / "s"
    src = tmp_path / "x.csv"
    src.write_text(FIRST, encoding="utf-8")
    bad = runner.invoke(cli, ["lists", "add", "../evil", str(src), "--data-dir", str(store)])
    assert bad.exit_code == 1 and "a list name is letters" in bad.output
    missing = runner.invoke(cli, ["lists", "add", "own", str(tmp_path / "nope.csv"),
                                  "--data-dir", str(store)])
    assert missing.exit_code != 0 and "cannot be read" in missing.output
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01 not a list")
    assert runner.invoke(cli, ["lists", "add", "own", str(junk), "--data-dir",
                               str(store)]).exit_code == 1
    assert not store.exists() or not any(store.iterdir())
    assert store_list(store, "own", {"x.csv": FIRST.encode()}).status == "updated"
