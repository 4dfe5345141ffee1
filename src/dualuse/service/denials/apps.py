# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
from django.apps import AppConfig


class DenialsConfig(AppConfig):
    name = "dualuse.service.denials"
    label = "denials"
    verbose_name = "Denials exchanged between member states (Art. 16)"
