# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""`python -m dualuse.service audit_verify`: detect tampering with the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dualuse.service.audit.chain import verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; exit 1 naming the first bad event."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if not result.ok:
            raise CommandError(
                f"audit trail BROKEN at event #{result.first_bad_seq}: {result.reason} "
                f"({result.events} events verified before it)"
            )
        self.stdout.write(f"audit trail intact: {result.events} events verified")
