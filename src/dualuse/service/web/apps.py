# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dualuse.service.web"
    label = "web"
    verbose_name = "Pages"
