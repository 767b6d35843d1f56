from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from uslugi.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is appended by services and never edited by hand."""

    list_display = ["occurred_at", "actor", "verb", "target_type", "target_repr"]
    list_filter = ["verb", "target_type"]
    search_fields = ["target_repr", "target_id", "verb"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
