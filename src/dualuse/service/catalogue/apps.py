# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "dualuse.service.catalogue"
    label = "catalogue"
    verbose_name = "Product catalogue and classification"
