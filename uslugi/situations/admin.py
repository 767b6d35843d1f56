"""Admin: life situations are defined here in the constructor's style — a draft version is edited
(its definition as JSON, docs/life-situations.md), then published through
`services.publish_version` and its checks. Published versions and packages are read-only."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uslugi.constructor.forms import JSONObjectField
from uslugi.core.errors import UserFacingError
from uslugi.situations import services
from uslugi.situations.errors import SituationNotPublishable
from uslugi.situations.models import (
    LifeSituation,
    Package,
    PackageItem,
    SituationVersion,
    VersionStatus,
)


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
    show_change_link = True


@admin.register(LifeSituation)
class LifeSituationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "region")
    list_filter = ("region",)
    search_fields = ("name", "code")
    inlines = [SituationVersionInline]
    actions = ["start_draft"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Start a new draft of the selected life situations"))
    def start_draft(self, request: HttpRequest, queryset: QuerySet[LifeSituation]) -> None:
        for situation in queryset:
            try:
                services.start_situation_draft(situation=situation, actor=request.user)
            except UserFacingError as error:
                self.message_user(request, f"{situation}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, _("A draft is started: %(name)s.") % {"name": situation})


class SituationVersionForm(forms.ModelForm):
    definition = JSONObjectField(
        label=_("Definition (JSON)"), widget=forms.Textarea(attrs={"rows": 30, "class": "code"})
    )

    class Meta:
        model = SituationVersion
        fields = ["definition"]


@admin.register(SituationVersion)
class SituationVersionAdmin(admin.ModelAdmin):
    """A draft's definition is edited here; publishing runs the checks and lists what is wrong."""

    form = SituationVersionForm
    list_display = ("situation", "number", "status", "valid_from", "valid_to")
    list_filter = ("status", "situation__region")
    list_select_related = ("situation__region",)
    actions = ["publish"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.status == VersionStatus.DRAFT

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.save_situation_draft(
            version=obj, actor=request.user, definition=form.cleaned_data["definition"]
        )

    @admin.action(description=_("Publish the selected drafts from today"))
    def publish(self, request: HttpRequest, queryset: QuerySet[SituationVersion]) -> None:
        for version in queryset.select_related("situation__region"):
            try:
                services.publish_version(
                    version=version, actor=request.user, valid_from=timezone.localdate()
                )
            except SituationNotPublishable as refusal:
                reasons = "; ".join(refusal.reasons) or refusal.message
                self.message_user(request, f"{version.situation}: {reasons}", messages.ERROR)
            else:
                self.message_user(request, _("Published: %(name)s.") % {"name": version.situation})


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
