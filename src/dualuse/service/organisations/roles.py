# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Roles in the licensing system and which kind of organisation may hold each."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class OrganisationKind(StrEnum):
    EXPORTER = "exporter"
    AUTHORITY = "authority"
    FOREIGN_AFFAIRS = "foreign_affairs"
    CUSTOMS = "customs"
    OPERATOR = "operator"


ORGANISATION_KIND_CHOICES = [
    (OrganisationKind.EXPORTER.value, _("Exporter, broker or provider of technical assistance")),
    (OrganisationKind.AUTHORITY.value, _("Licensing authority (CDIU)")),
    (OrganisationKind.FOREIGN_AFFAIRS.value, _("Ministry of Foreign Affairs")),
    (OrganisationKind.CUSTOMS.value, _("Customs")),
    (OrganisationKind.OPERATOR.value, _("System operator")),
]


class Role(StrEnum):
    EXPORTER_ADMIN = "exporter_admin"
    EXPORTER_USER = "exporter_user"
    CASEWORKER = "caseworker"
    SENIOR_CASEWORKER = "senior_caseworker"
    FOREIGN_AFFAIRS_ADVISER = "fa_adviser"
    CUSTOMS_OFFICER = "customs_officer"
    SYSTEM_ADMIN = "system_admin"


ROLE_CHOICES = [
    (Role.EXPORTER_ADMIN.value, _("Exporter administrator")),
    (Role.EXPORTER_USER.value, _("Exporter user")),
    (Role.CASEWORKER.value, _("Caseworker")),
    (Role.SENIOR_CASEWORKER.value, _("Senior caseworker")),
    (Role.FOREIGN_AFFAIRS_ADVISER.value, _("Foreign Affairs adviser")),
    (Role.CUSTOMS_OFFICER.value, _("Customs officer")),
    (Role.SYSTEM_ADMIN.value, _("System administrator")),
]


ROLE_ORGANISATION: dict[Role, OrganisationKind] = {
    Role.EXPORTER_ADMIN: OrganisationKind.EXPORTER,
    Role.EXPORTER_USER: OrganisationKind.EXPORTER,
    Role.CASEWORKER: OrganisationKind.AUTHORITY,
    Role.SENIOR_CASEWORKER: OrganisationKind.AUTHORITY,
    Role.FOREIGN_AFFAIRS_ADVISER: OrganisationKind.FOREIGN_AFFAIRS,
    Role.CUSTOMS_OFFICER: OrganisationKind.CUSTOMS,
    Role.SYSTEM_ADMIN: OrganisationKind.OPERATOR,
}

EXPORTER_ROLES: frozenset[Role] = frozenset({Role.EXPORTER_ADMIN, Role.EXPORTER_USER})
AUTHORITY_ROLES: frozenset[Role] = frozenset({Role.CASEWORKER, Role.SENIOR_CASEWORKER})
