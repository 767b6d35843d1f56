"""Staff manage the catalogue here; standards are versioned, never edited in place."""

from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uslugi.catalogue import services
from uslugi.catalogue.models import (
    Agency,
    Curator,
    CuratorAssignment,
    Institution,
    QualityStandard,
    Region,
    Service,
)
from uslugi.core.errors import UserFacingError
from uslugi.core.services import record_event


class AuditedAdmin(admin.ModelAdmin):
    """Every change made in the admin leaves an audit event like any other state change."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        verb = f"{obj._meta.model_name}.{'changed' if change else 'created'}"
        record_event(actor=request.user, verb=verb, target=obj, data={"fields": form.changed_data})

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_event(actor=request.user, verb=f"{obj._meta.model_name}.deleted", target=obj)
        super().delete_model(request, obj)


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["code", "name", "time_zone"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "code", "region", "level"]
    list_filter = ["region", "level"]
    search_fields = ["name", "short_name", "code"]
    prepopulated_fields = {"code": ["short_name"]}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.refresh_agency_services_search_text(obj.pk)


@admin.register(Institution)
class InstitutionAdmin(AuditedAdmin):
    list_display = ["name", "kind", "agency"]
    list_filter = ["agency__region", "kind"]
    search_fields = ["name", "code", "address"]
    autocomplete_fields = ["agency"]


class CuratorAssignmentInline(admin.TabularInline):
    model = CuratorAssignment
    extra = 0
    autocomplete_fields = ["curator"]


class QualityStandardInline(admin.TabularInline):
    """Versions are shown for reference; a new one is published from the standard's own page."""

    model = QualityStandard
    extra = 0
    fields = ("version", "valid_from", "valid_to", "term", "term_kind", "max_visits")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "kind", "level", "agency"]
    list_filter = ["region", "kind", "level"]
    list_select_related = ["region", "agency"]
    search_fields = ["name", "code", "search_text"]
    autocomplete_fields = ["agency", "institutions"]
    inlines = [QualityStandardInline, CuratorAssignmentInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.save_service(service=obj, actor=request.user, created=not change)


@admin.register(QualityStandard)
class QualityStandardAdmin(admin.ModelAdmin):
    """Saving a changed standard publishes a new version; the old one keeps its text and ends."""

    list_display = ["service", "version", "valid_from", "valid_to", "term", "term_kind"]
    list_filter = ["service__region", "term_kind"]
    list_select_related = ["service__region"]
    search_fields = ["service__name", "service__code"]
    autocomplete_fields = ["service"]
    readonly_fields = ["version", "valid_to", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return [*self.readonly_fields, "service"]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        values = {
            name: form.cleaned_data[name]
            for name in services.STANDARD_FIELDS
            if name in form.cleaned_data
        }
        valid_from = form.cleaned_data.get("valid_from")
        if change and "valid_from" not in form.changed_data:
            # Editing without naming a start date means "from today" (or the day after the
            # version in force started, if that is today).
            valid_from = max(timezone.localdate(), obj.valid_from + timedelta(days=1))
        try:
            new_version = services.revise_quality_standard(
                service=obj.service if change else form.cleaned_data["service"],
                actor=request.user,
                valid_from=valid_from,
                **values,
            )
        except UserFacingError as error:
            self.message_user(request, error.message, level=messages.ERROR)
            return
        # The admin's redirect and messages refer to the version just published.
        obj.pk = new_version.pk
        obj.version = new_version.version
        self.message_user(
            request,
            _("Version %(version)s of the standard is published; earlier versions are kept.")
            % {"version": new_version.version},
        )


@admin.register(Curator)
class CuratorAdmin(AuditedAdmin):
    list_display = ["__str__", "position", "agency", "photo_consent", "is_demo"]
    list_filter = ["agency__region", "photo_consent", "is_demo"]
    search_fields = ["last_name", "first_name", "position"]
    autocomplete_fields = ["agency", "user"]
