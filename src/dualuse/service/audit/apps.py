from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dualuse.service.audit"
    label = "audit"
    verbose_name = "Audit trail"
