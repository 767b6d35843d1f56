"""Admin: cases and notifications to look at (services change them), supervisions to maintain."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from uslugi.applications.models import Case, CaseEvent, Notification, SlaAlert, Supervision


class ReadOnlyAdminMixin:
    """Rows written by services only: the admin shows them and changes nothing."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaseEvent
    fields = ("occurred_at", "kind", "source", "target", "actor", "reason")
    readonly_fields = ("occurred_at", "kind", "source", "target", "actor", "reason")
    extra = 0


class SlaAlertInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SlaAlert
    fields = ("state", "reached_on", "created_at")
    readonly_fields = ("state", "reached_on", "created_at")
    extra = 0


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a case moves through the workflow in the office, where every change is audited."""

    list_display = [
        "__str__",
        "service",
        "agency",
        "region",
        "status",
        "sla_state",
        "due_date",
        "assignee",
    ]
    list_filter = ["status", "sla_state", "region"]
    list_select_related = ["application", "service", "agency", "region", "assignee"]
    search_fields = ["application__number", "application__applicant_name"]
    date_hierarchy = "due_date"
    inlines = [CaseEventInline, SlaAlertInline]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "subject", "sent_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["subject", "email", "dedupe_key"]
    date_hierarchy = "created_at"


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    list_display = ["supervisor", "agency", "region", "created_at"]
    list_filter = ["region"]
    list_select_related = ["supervisor", "agency", "region"]
    raw_id_fields = ["supervisor", "agency"]
    search_fields = ["supervisor__username", "supervisor__last_name", "agency__name"]
