# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "dualuse.service.checks"
    label = "checks"
    verbose_name = "Transaction checks and notifications"
