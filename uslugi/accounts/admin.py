from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from uslugi.accounts.models import ExternalIdentity, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "region", "agency", "is_active"]
    list_filter = ["role", "region", "is_staff", "is_active"]
    list_select_related = ["region", "agency"]
    search_fields = ["username", "last_name", "first_name", "email"]
    autocomplete_fields = ["region", "agency"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Role and scope"), {"fields": ["middle_name", "role", "region", "agency"]}),
    )
    add_fieldsets = (
        *(DjangoUserAdmin.add_fieldsets or ()),
        (_("Role and scope"), {"fields": ["role", "region", "agency"]}),
    )


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "issuer", "subject", "last_login_at"]
    list_select_related = ["user"]
    search_fields = ["subject", "user__username", "user__last_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "last_login_at"]
