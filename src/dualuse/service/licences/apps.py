from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "dualuse.service.licences"
    label = "licences"
    verbose_name = "Licences and authority measures"
