"""Pages, by domain."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

from dualuse.service.cases import views as cases
from dualuse.service.catalogue import views as catalogue
from dualuse.service.checks import views as checks
from dualuse.service.denials import views as denials
from dualuse.service.licences import views as licences
from dualuse.service.lists import views as lists
from dualuse.service.organisations import views as organisations
from dualuse.service.web import views as web

urlpatterns: list[URLPattern] = [
    path("", web.home, name="home"),
    path("login/", organisations.ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # exporter
    path("exporter/", web.dashboard, name="dashboard"),
    path("exporter/records.csv", web.records_export, name="records_export"),
    path("exporter/products/", catalogue.products, name="products"),
    path("exporter/products/<int:pk>/", catalogue.product, name="product"),
    path("exporter/checks/", checks.checks, name="checks"),
    path("exporter/checks/<int:pk>/", checks.check, name="check"),
    path("exporter/applications/new/", cases.application_new, name="application_new"),
    path("exporter/applications/<int:pk>/", cases.application, name="application"),
    path("exporter/ugea/", licences.ugea_registrations, name="ugea_registrations"),
    path("exporter/tokens/", organisations.tokens, name="tokens"),
    path("exporter/users/", organisations.members, name="members"),
    path("notifications/", checks.notifications, name="notifications"),
    # authority
    path("authority/", cases.queue, name="queue"),
    path("authority/cases/<int:pk>/", cases.case, name="case"),
    path("cases/<int:pk>/audit/", cases.case_audit, name="case_audit"),
    path("cases/<int:pk>/documents/<int:doc>/", cases.document, name="document"),
    path("authority/exporters/", licences.exporters, name="exporters"),
    path("authority/ugea-registrations/", licences.ugea_queue, name="ugea_queue"),
    path("authority/exporters/<int:pk>/", licences.exporter_measures, name="exporter_measures"),
    path("authority/denials/", denials.denials, name="denials"),
    path("authority/denials/<int:pk>/", denials.denial, name="denial"),
    path(
        "authority/denials/<int:pk>/notification.json",
        denials.denial_notification,
        name="denial_notification",
    ),
    # Foreign Affairs
    path("advice/", cases.advice_queue, name="advice_queue"),
    path("advice/<int:pk>/", cases.advice, name="advice"),
    # licences: holder, authority, customs
    path("licences/", licences.licence_list, name="licences"),
    path("holds/", licences.holds, name="holds"),
    path("customs/declarations/", licences.declaration_check, name="declaration_check"),
    path("authority/screening-alerts/", lists.screening_alerts, name="screening_alerts"),
    path("licences/<int:pk>/", licences.licence, name="licence"),
    path("licences/<int:pk>/document/", licences.licence_document, name="licence_document"),
    path("licences/<int:pk>/document.pdf", licences.licence_document_pdf, name="licence_pdf"),
]
