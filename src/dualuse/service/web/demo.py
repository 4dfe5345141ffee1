# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""The local demo: two exporters, authority staff, Foreign Affairs, customs, a system administrator
and a few cases in different states, all made through the same operations as real use.

Demo passwords are generated per installation and kept in the data directory (never constants);
the demo screening list holds made-up parties only and is marked as such.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from dualuse.batch.lists_update import store_list, store_versions
from dualuse.service.cases import operations as ops
from dualuse.service.catalogue.operations import add_product, classify
from dualuse.service.checks.determine import run_check
from dualuse.service.denials import operations as denials
from dualuse.service.licences import operations as lic
from dualuse.service.licences.declarations import check_character
from dualuse.service.organisations.access import actor_of
from dualuse.service.organisations.models import IcpStatus, Membership, Organisation
from dualuse.service.organisations.roles import OrganisationKind, Role

DEMO_LIST = (
    "id,name,schema,country,programme\n"
    "DEMO-1,Sanctioned Trading LLC,Organization,IR,DEMO LIST - made-up parties only\n"
    "DEMO-2,Volkov Dual Systems,Organization,RU,DEMO LIST - made-up parties only\n"
    "DEMO-3,Ivan Petrovich Demo,Person,RU,DEMO LIST - made-up parties only\n"
)
PDF = b"%PDF-1.4\n% dualuse demo document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

USERS = [
    # username, organisation key, role
    ("exporter1-admin", "photonics", Role.EXPORTER_ADMIN),
    ("exporter1", "photonics", Role.EXPORTER_USER),
    ("exporter2", "machining", Role.EXPORTER_ADMIN),
    ("caseworker", "cdiu", Role.CASEWORKER),
    ("senior", "cdiu", Role.SENIOR_CASEWORKER),
    ("adviser", "bz", Role.FOREIGN_AFFAIRS_ADVISER),
    ("customs", "douane", Role.CUSTOMS_OFFICER),
    ("sysadmin", "operator", Role.SYSTEM_ADMIN),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    organisation: str


def _password_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-passwords.txt"


def _orgs() -> dict[str, Organisation]:
    specs: dict[str, dict[str, Any]] = {
        "photonics": {
            "kind": OrganisationKind.EXPORTER,
            "name": "Photonics Delft B.V. (demo)",
            "eori": "NL800000001",
            "icp_status": IcpStatus.IMPLEMENTED,
            "address": "Demo street 1, Delft",
        },
        "machining": {
            "kind": OrganisationKind.EXPORTER,
            "name": "Rotterdam Precision Machining B.V. (demo)",
            "eori": "NL800000002",
            "address": "Demo quay 2, Rotterdam",
        },
        "cdiu": {
            "kind": OrganisationKind.AUTHORITY,
            "name": "CDIU (demo)",
            "address": "Demo address 3, Groningen",
        },
        "bz": {
            "kind": OrganisationKind.FOREIGN_AFFAIRS,
            "name": "Ministry of Foreign Affairs (demo)",
        },
        "douane": {"kind": OrganisationKind.CUSTOMS, "name": "Customs team POSS (demo)"},
        "operator": {"kind": OrganisationKind.OPERATOR, "name": "Service operator (demo)"},
    }
    out = {}
    for key, spec in specs.items():
        out[key], _ = Organisation.objects.get_or_create(name=spec["name"], defaults=spec)
    return out


def demo_loaded() -> bool:
    return Organisation.objects.filter(name="CDIU (demo)").exists()


def read_logins() -> list[DemoLogin]:
    path = _password_file()
    if not path.exists():
        return []
    logins = []
    for line in path.read_text(encoding="utf-8").splitlines():
        username, password, role, organisation = line.split("\t")
        logins.append(DemoLogin(username, password, role, organisation))
    return logins


@transaction.atomic
def load_demo(today: dt.date) -> list[DemoLogin]:
    """Create the demo once; later calls return the same logins."""
    if demo_loaded():
        return read_logins()
    lists = Path(settings.SCREENING_LISTS_DIR)
    if "demo_list" not in store_versions(lists):  # into the list store, as `dualuse lists add`
        store_list(lists, "demo_list", {"demo-list-made-up-parties.csv": DEMO_LIST.encode()})
    orgs = _orgs()
    user_model = get_user_model()
    logins = []
    for username, org_key, role in USERS:
        password = secrets.token_urlsafe(12)
        user = user_model.objects.create_user(username, password=password)
        if role == Role.SYSTEM_ADMIN:
            user.is_staff = user.is_superuser = True
            user.save()
        Membership.objects.create(user=user, organisation=orgs[org_key], role=role)
        logins.append(DemoLogin(username, password, role.value, orgs[org_key].name))
    path = _password_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(f"{x.username}\t{x.password}\t{x.role}\t{x.organisation}\n" for x in logins),
        encoding="utf-8",
    )
    path.chmod(0o600)
    _cases(today)
    return logins


def _demo_mrn(today: dt.date) -> str:
    first17 = f"{today:%y}NL0000DEMO{today:%m%d}A"  # a made-up declaration, valid in form
    return first17 + check_character(first17)


def _actor(username: str) -> Any:
    return actor_of(get_user_model().objects.get(username=username))


def _application(
    exporter: Any,
    today: dt.date,
    *,
    destination: str,
    end_user: str,
    code: str,
    description: str,
    quantity: str,
    value: str,
    kind: str = "individual",
) -> Any:
    app = ops.create_application(
        exporter,
        kind=kind,
        destinations=[destination],
        end_use="Civil research and industrial inspection",
        today=today,
    )
    ops.add_party(
        exporter,
        app,
        role="end_user",
        name=end_user,
        country=destination,
        address="Demo address, " + destination,
        today=today,
    )
    ops.add_party(exporter, app, role="consignee", name=end_user, country=destination, today=today)
    ops.add_item(
        exporter,
        app,
        control_code=code,
        description=description,
        quantity=Decimal(quantity),
        unit="pieces",
        value_eur=Decimal(value),
        today=today,
    )
    ops.add_document(
        exporter,
        app,
        kind="end_use_statement",
        upload=SimpleUploadedFile("end-use-statement.pdf", PDF),
    )
    return app


def _cases(today: dt.date) -> None:
    ex1, ex2 = _actor("exporter1"), _actor("exporter2")
    cw, sr = _actor("caseworker"), _actor("senior")
    # 1. granted, with an export written off
    granted = _application(
        ex1,
        today,
        destination="US",
        end_user="Example Optics Inc (demo)",
        code="6A003.b.4",
        description="Thermal imaging camera core",
        quantity="20",
        value="60000",
    )
    ops.submit(ex1, granted, today=today)
    ops.assign(cw, granted, cw.user)
    for c in ops.required_considerations(granted):
        ops.assess(cw, granted, consideration=c, finding="no_concern", note="Demo assessment")
    ops.draft_decision(
        cw,
        granted,
        kind="grant",
        reasons="No concerns under Art. 15",
        conditions="No re-export without prior consent",
        validity_months=24,
        today=today,
    )
    ops.approve_draft(sr, granted, today=today)
    item = granted.licence.items.get()
    lic.record_use(
        ex1,
        item,
        quantity=Decimal("5"),
        value_eur=Decimal("15000"),
        exported_on=today,
        declaration_ref=_demo_mrn(today),
        destination="US",
        today=today,
    )
    # 2. in assessment, waiting for the exporter's answer (clock stopped)
    waiting = _application(
        ex1,
        today,
        destination="AE",
        end_user="Gulf Research FZE (demo)",
        code="6A003.b.4",
        description="Thermal imaging camera core",
        quantity="5",
        value="15000",
    )
    ops.submit(ex1, waiting, today=today)
    ops.assign(cw, waiting, cw.user)
    ops.request_information(cw, waiting, question="Please describe the end-user's activities.")
    # 3. submitted, unassigned, a listed party (possible match)
    _sub = _application(
        ex2,
        today,
        destination="AE",
        end_user="Sanctioned Trading LLC",
        code="2B001",
        description="Five-axis machining centre",
        quantity="1",
        value="450000",
    )
    ops.submit(ex2, _sub, today=today)
    # 4. a draft the exporter is still writing
    ops.create_application(
        ex2,
        kind="global",
        destinations=["CH", "NO"],
        end_use="Spare parts for customers' machines",
        today=today,
    )
    # 5. a case waiting for Foreign Affairs advice
    advice = _application(
        ex1,
        today,
        destination="PK",
        end_user="Karachi Instruments (demo)",
        code="6A003.b.4",
        description="Thermal imaging camera core",
        quantity="2",
        value="6000",
    )
    ops.submit(ex1, advice, today=today)
    ops.assign(cw, advice, cw.user)
    ops.request_advice(cw, advice, question="End-user and diversion risk for this destination?")
    # 6. the exporter's catalogue and a stored check
    product = add_product(
        ex1,
        reference="TIC-640",
        name="Thermal imaging core 640x512",
        description="Uncooled microbolometer core",
        cn_code="90258080",
    )
    classify(
        ex1,
        product,
        control_code="6A003.b.4",
        rationale="Uncooled focal plane array camera core, 6A003.b.4 (demo)",
    )
    run_check(
        ex1,
        {
            "activity": "export",
            "destination": "US",
            "items": [{"control_code": "6A003.b.4", "description": "TIC-640"}],
        },
        [{"role": "end_user", "name": "Example Optics Inc (demo)", "country": "US"}],
        today=today,
    )
    # 7. an ad hoc requirement on exporter 2 (Art. 4(1)(b)-style catch-all decision)
    lic.impose_requirement(
        cw,
        ex2.organisation,
        basis="4(1)(a)",
        destinations=["PK"],
        item_description="CNC machine tools and parts, not listed",
        reasons="Indications of use in a WMD programme",
        today=today,
    )
    # 8. Art. 16: our own denial, notified to the member states; and a denial Germany notified
    # for the same item and end-user as case 2, to examine before case 2 is decided (Art. 16(5))
    refused = _application(
        ex2,
        today,
        destination="PK",
        end_user="Indus Optronics (demo)",
        code="6A003.b.4",
        description="Thermal imaging camera core",
        quantity="10",
        value="30000",
    )
    ops.submit(ex2, refused, today=today)
    ops.assign(cw, refused, cw.user)
    ops.draft_decision(
        cw, refused, kind="deny", reasons="Risk of diversion to military end-use", today=today
    )
    ops.approve_draft(sr, refused, today=today)
    denials.record_notified(
        cw, refused.denials.get(), sent_on=today, reference="DUeS-DEMO-0001"
    )
    denials.record_received_denial(
        cw,
        issuing_member_state="DE",
        reference="DE-DEMO-2026-017",
        decision="refused",
        activity="export",
        control_codes=["6A003.b.4"],
        items="Uncooled thermal imaging cores, 640x512",
        destinations=["AE"],
        end_users=["GULF RESEARCH F.Z.E. (DEMO)"],
        reasons="Risk of diversion (Art. 15(1)(d))",
        decided_on=today - dt.timedelta(days=60),
        received_on=today - dt.timedelta(days=58),
    )
