from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dualuse.service.web"
    label = "web"
    verbose_name = "Pages"
