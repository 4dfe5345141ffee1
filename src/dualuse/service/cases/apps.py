# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "dualuse.service.cases"
    label = "cases"
    verbose_name = "Licence applications"
