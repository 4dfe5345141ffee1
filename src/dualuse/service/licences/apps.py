# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "dualuse.service.licences"
    label = "licences"
    verbose_name = "Licences and authority measures"
