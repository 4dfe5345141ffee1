# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dualuse.service.audit"
    label = "audit"
    verbose_name = "Audit trail"
