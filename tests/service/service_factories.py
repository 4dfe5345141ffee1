"""Building applications in tests through the same operations the views call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from dualuse.service.cases import operations as ops

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "statement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def ready_application(
    exporter: Any,
    today: dt.date,
    *,
    kind: str = "individual",
    destination: str = "US",
    end_user: str = "Acme Optics Inc",
    code: str = "6A003.b.4",
    quantity: str = "10",
) -> Any:
    app = ops.create_application(
        exporter,
        kind=kind,
        destinations=[destination],
        end_use="thermal imaging research",
        today=today,
    )
    ops.add_party(
        exporter,
        app,
        role="end_user",
        name=end_user,
        country=destination,
        address="1 Main Street, Springfield",
        today=today,
    )
    ops.add_party(exporter, app, role="consignee", name=end_user, country=destination, today=today)
    ops.add_item(
        exporter,
        app,
        control_code=code,
        description="thermal camera",
        quantity=Decimal(quantity),
        unit="pieces",
        value_eur=Decimal("25000.00"),
        cn_code="90258080",
        today=today,
    )
    ops.add_document(exporter, app, kind="end_use_statement", upload=pdf())
    return app


def assess_all(caseworker: Any, app: Any) -> None:
    for consideration in ops.required_considerations(app):
        ops.assess(
            caseworker, app, consideration=consideration, finding="no_concern", note="checked"
        )


def purge_audit_trail() -> None:
    """Tests only: empty the audit trail (its triggers lifted meanwhile) so a transactional test
    database can be flushed; the triggers are put back."""
    from importlib import import_module

    from django.db import connection

    triggers = import_module("dualuse.service.audit.migrations.0002_append_only_triggers")
    vendor = connection.vendor
    with connection.cursor() as cur:
        for sql in triggers.DROP[vendor]:
            cur.execute(sql)
        cur.execute("DELETE FROM audit_auditevent")
        cur.execute("DELETE FROM audit_chainhead")
        for sql in {"sqlite": triggers.SQLITE, "postgresql": triggers.POSTGRESQL}[vendor]:
            cur.execute(sql)


def granted_licence(exporter: Any, caseworker: Any, senior: Any, today: dt.date, **kw: Any) -> Any:
    """An application taken through assessment and four-eyes approval: its licence."""
    app = ready_application(exporter, today, **kw)
    ops.submit(exporter, app, today=today)
    ops.assign(caseworker, app, caseworker.user)
    assess_all(caseworker, app)
    ops.draft_decision(
        caseworker, app, kind="grant", reasons="no concerns", validity_months=24, today=today
    )
    ops.approve_draft(senior, app, today=today)
    app.refresh_from_db()
    return app.licence


def mrn(first17: str) -> str:
    """A Movement Reference Number with its check digit (first17: year, country, 12, procedure)."""
    from dualuse.service.licences.declarations import check_character

    return first17 + check_character(first17)
