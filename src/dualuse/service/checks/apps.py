from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "dualuse.service.checks"
    label = "checks"
    verbose_name = "Transaction checks and notifications"
