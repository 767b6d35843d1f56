from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from uslugi.accounts.models import User


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
