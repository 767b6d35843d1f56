"""Admin: regional administrators edit their region's measure rules, checked on save; saving a
change publishes a new version (earlier versions stay). Parameters and test cases are data rows;
the registry, its events and offers are read-only here."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from uslugi.accounts.models import Role
from uslugi.catalogue.models import Service, ServiceKind
from uslugi.core.services import record_event
from uslugi.support import services
from uslugi.support.eligibility import RuleRefused, check_rule
from uslugi.support.models import (
    CitizenProfile,
    MeasureRule,
    Offer,
    PopulationEvent,
    RegionalParameter,
    RuleTestCase,
)


def _region_of(request: HttpRequest) -> Any:
    """The region a regional administrator is bound to; None for everyone else (superusers)."""
    user = request.user
    if getattr(user, "role", "") == Role.REGIONAL_ADMINISTRATOR and not user.is_superuser:
        return getattr(user, "region", None) or False
    return None


class RegionScopedAdmin(admin.ModelAdmin):
    """Only the administrator's region; `region_path` leads from the row to its region."""

    region_path = "service__region"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        region = _region_of(request)
        if region is None:
            return rows
        if region is False:
            return rows.none()
        return rows.filter(**{self.region_path: region})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "service":
            choices = Service.objects.filter(kind=ServiceKind.SUPPORT_MEASURE).select_related(
                "region"
            )
            region = _region_of(request)
            if region is not None:
                choices = choices.filter(region=region) if region else choices.none()
            kwargs["queryset"] = choices.order_by("region__code", "name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MeasureRuleForm(forms.ModelForm):
    criteria = forms.JSONField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "code"}),
        help_text=_(
            'A JSON list: [{"text": "in plain words", "expression": "a condition"}, …]. '
            'Every criterion must hold; add "final": true to a criterion whose failure means the '
            "measure is simply not due (not “almost”). Fields: age(birth_date), annual_income, "
            "children, other_adults…; parameters: $subsistence_minimum, $zero_income_threshold…"
        ),
    )

    class Meta:
        model = MeasureRule
        fields = [
            "service",
            "criteria",
            "amount_expression",
            "amount_text",
            "legal_basis",
            "valid_from",
            "note",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "criteria" in data:
            try:
                check_rule(data["criteria"], data.get("amount_expression") or "")
            except RuleRefused as refused:
                raise forms.ValidationError(refused.problems) from None
        return data


@admin.register(MeasureRule)
class MeasureRuleAdmin(RegionScopedAdmin):
    form = MeasureRuleForm
    list_display = ("service", "region", "version", "valid_from", "created_at", "note")
    list_filter = ("service__region",)
    search_fields = ("service__name", "service__code")

    @admin.display(description=_("region"))
    def region(self, rule: MeasureRule) -> str:
        return rule.service.region.code

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("service__region")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"criteria": json.dumps([{"text": "", "expression": ""}], ensure_ascii=False)}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: MeasureRule, form: Any, change: bool) -> None:
        """Never overwrite: every save publishes the edited rule as the measure's next version."""
        rule = services.publish_rule(
            service=form.cleaned_data["service"],
            criteria=form.cleaned_data["criteria"],
            legal_basis=form.cleaned_data["legal_basis"],
            valid_from=form.cleaned_data["valid_from"],
            actor=request.user,
            amount_expression=form.cleaned_data.get("amount_expression") or "",
            amount_text=form.cleaned_data.get("amount_text") or "",
            note=form.cleaned_data.get("note") or "",
        )
        obj.pk = rule.pk
        obj.version = rule.version

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Nothing related to save (publish_rule stored the version)."""


@admin.register(RegionalParameter)
class RegionalParameterAdmin(RegionScopedAdmin):
    region_path = "region"
    list_display = ("name", "region", "valid_from", "valid_to", "value")
    list_filter = ("name", "region")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record_event(
            actor=request.user,
            verb="support.parameter_changed" if change else "support.parameter_added",
            target=obj,
            data={"name": obj.name, "value": str(obj.value), "valid_from": obj.valid_from},
        )


@admin.register(RuleTestCase)
class RuleTestCaseAdmin(RegionScopedAdmin):
    list_display = ("name", "service", "on", "expected", "expected_reason")
    list_filter = ("service__region", "expected")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record_event(
            actor=request.user,
            verb="support.test_case_saved",
            target=obj,
            data={"service": obj.service.code, "expected": obj.expected},
        )


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CitizenProfile)
class CitizenProfileAdmin(ReadOnly, RegionScopedAdmin):
    region_path = "region"
    list_display = ("person_number", "last_name", "first_name", "region")
    search_fields = ("person_number", "last_name")

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> Any:
        """Staff views of personal data are logged."""
        person = self.get_object(request, object_id)
        if person is not None:
            record_event(
                actor=request.user,
                verb="support.person_viewed",
                target=person,
                data={"person": person.person_number},
            )
        return super().change_view(request, object_id, *args, **kwargs)


@admin.register(PopulationEvent)
class PopulationEventAdmin(ReadOnly, RegionScopedAdmin):
    region_path = "profile__region"
    list_display = ("kind", "profile", "occurred_on", "scanned_at")
    list_filter = ("kind",)


@admin.register(Offer)
class OfferAdmin(ReadOnly, RegionScopedAdmin):
    list_display = ("service", "profile", "status", "amount", "created_at", "accepted_at")
    list_filter = ("status", "service__region")
