# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
from django.contrib import admin

from dualuse.service.organisations.models import ApiToken, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "eori", "member_state", "icp_status")
    list_filter = ("kind", "icp_status")
    search_fields = ("name", "eori")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest")
