# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "dualuse.service.lists"
    label = "lists"
    verbose_name = "Screening lists in force and re-screening after a change"
