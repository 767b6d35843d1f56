from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from uslugi.core.models import AuditEvent, ScheduledJob


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


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """Jobs come from the code's registry; an administrator may only move a job's next run."""

    list_display = ["name", "interval_seconds", "next_run_at", "last_run_at", "last_status"]
    list_filter = ["last_status"]
    fields = [
        "name",
        "interval_seconds",
        "next_run_at",
        "last_run_at",
        "last_status",
        "last_error",
        "last_result_id",
    ]
    readonly_fields = [
        "name",
        "interval_seconds",
        "last_run_at",
        "last_status",
        "last_error",
        "last_result_id",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
