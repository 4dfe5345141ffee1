# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""URL map: pages per domain, the JSON API under /api/, admin for system administrators."""

from django.contrib import admin
from django.urls import include, path

from dualuse.service.api.endpoints import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dualuse.service.web.urls")),
]
