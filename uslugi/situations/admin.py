"""Admin: situations and their versions, packages to look at. Everything is read-only here:
versions are published through `services.publish_version` (its checks), packages are filed by
citizens; a change made here would skip both."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from uslugi.situations.models import LifeSituation, Package, PackageItem, SituationVersion


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SituationVersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SituationVersion
    fields = ("number", "status", "valid_from", "valid_to", "published_at")
    readonly_fields = fields
    extra = 0


@admin.register(LifeSituation)
class LifeSituationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "region")
    list_filter = ("region",)
    search_fields = ("name", "code")
    inlines = [SituationVersionInline]


class PackageItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PackageItem
    fields = ("key", "service", "application", "proactive", "state", "waits_for", "note")
    readonly_fields = fields
    extra = 0


@admin.register(Package)
class PackageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "version", "applicant", "created_at")
    list_select_related = ("version__situation", "applicant")
    inlines = [PackageItemInline]
