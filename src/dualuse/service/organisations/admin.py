# mypy: disable-error-code="misc"
"""Django admin for the system administrator: organisations, memberships and tokens. Every change
made here is an audit event too (the admin is no way around the trail)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms.models import model_to_dict

from dualuse.service.audit.chain import record
from dualuse.service.organisations.access import actor_of
from dualuse.service.organisations.models import ApiToken, Membership, Organisation


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        before = model_to_dict(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        who = actor_of(request.user) or request.user
        record(
            actor=who,
            action=f"admin.{'change' if change else 'add'}",
            obj=obj,
            case_ref=f"admin:{obj._meta.model_name}:{obj.pk}",
            before=before,
            after=model_to_dict(obj),
        )

    def delete_model(self, request: Any, obj: Any) -> None:
        before = model_to_dict(obj)
        ref = f"admin:{obj._meta.model_name}:{obj.pk}"
        who = actor_of(request.user) or request.user
        super().delete_model(request, obj)
        record(actor=who, action="admin.delete", obj=obj, case_ref=ref, before=before)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # deactivate instead: records refer to these rows (Art. 27)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "eori", "member_state", "icp_status")
    list_filter = ("kind", "icp_status")
    search_fields = ("name", "eori")


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest")
