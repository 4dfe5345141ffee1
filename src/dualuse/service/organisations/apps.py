# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "dualuse.service.organisations"
    label = "organisations"
    verbose_name = "Organisations and roles"
