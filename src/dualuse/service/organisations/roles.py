"""Roles in the licensing system and which kind of organisation may hold each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    EXPORTER = "exporter", _("Exporter, broker or provider of technical assistance")
    AUTHORITY = "authority", _("Licensing authority (CDIU)")
    FOREIGN_AFFAIRS = "foreign_affairs", _("Ministry of Foreign Affairs")
    CUSTOMS = "customs", _("Customs")
    OPERATOR = "operator", _("System operator")


class Role(models.TextChoices):
    EXPORTER_ADMIN = "exporter_admin", _("Exporter administrator")
    EXPORTER_USER = "exporter_user", _("Exporter user")
    CASEWORKER = "caseworker", _("Caseworker")
    SENIOR_CASEWORKER = "senior_caseworker", _("Senior caseworker")
    FOREIGN_AFFAIRS_ADVISER = "fa_adviser", _("Foreign Affairs adviser")
    CUSTOMS_OFFICER = "customs_officer", _("Customs officer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


ROLE_ORGANISATION: dict[str, str] = {
    Role.EXPORTER_ADMIN: OrganisationKind.EXPORTER,
    Role.EXPORTER_USER: OrganisationKind.EXPORTER,
    Role.CASEWORKER: OrganisationKind.AUTHORITY,
    Role.SENIOR_CASEWORKER: OrganisationKind.AUTHORITY,
    Role.FOREIGN_AFFAIRS_ADVISER: OrganisationKind.FOREIGN_AFFAIRS,
    Role.CUSTOMS_OFFICER: OrganisationKind.CUSTOMS,
    Role.SYSTEM_ADMIN: OrganisationKind.OPERATOR,
}

EXPORTER_ROLES = frozenset({Role.EXPORTER_ADMIN, Role.EXPORTER_USER})
AUTHORITY_ROLES = frozenset({Role.CASEWORKER, Role.SENIOR_CASEWORKER})
