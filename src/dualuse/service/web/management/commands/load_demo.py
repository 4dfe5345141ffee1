# mypy: disable-error-code="misc"
"""`python -m dualuse.service load_demo`: the local demo data (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from dualuse.service.web.demo import load_demo


class Command(BaseCommand):
    help = "Create the demo organisations, users and cases (once) and print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        for login in load_demo(timezone.localdate()):
            self.stdout.write(f"{login.username}\t{login.password}\t{login.role}")
