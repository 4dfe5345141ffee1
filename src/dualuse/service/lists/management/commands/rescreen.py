# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""`python -m dualuse.service rescreen`: apply a change of the lists in force now (re-screen the
parties of open cases and active licences, flag new hits), e.g. after `dualuse lists update`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.progress import Progress

from dualuse.errors import DualuseError
from dualuse.service.lists.rescreen import apply_list_change


class Command(BaseCommand):
    help = "Re-screen open cases and active licences if the lists in force changed."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with Progress(console=Console(stderr=True), transient=True) as bar:
                task = bar.add_task("re-screening", total=None)
                change = apply_list_change(
                    day=timezone.localdate(),
                    progress=lambda n, total: bar.update(task, completed=n, total=total),
                )
        except DualuseError as exc:
            raise CommandError(f"re-screening failed, nothing changed: {exc}") from exc
        if change is None:
            self.stdout.write("lists in force unchanged since they were last applied")
            return
        self.stdout.write(
            f"lists changed ({', '.join(change.lists_changed)}): {change.parties_rescreened} "
            f"parties re-screened, {change.new_hits} with new hits flagged to the caseworker"
        )
