"""The dashboard's filter (a GET form: it works without JavaScript, HTMX only swaps the results)."""

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uslugi.catalogue.models import Agency, Channel, Region, Service
from uslugi.constructor.models import FederalTemplate
from uslugi.quality.selectors import Filters, Period

LONGEST_PERIOD = timedelta(days=366 * 5)


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.region.code})"


class DashboardForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False, empty_label=_("All")
    )
    service = ServiceChoiceField(
        label=_("Service"), queryset=Service.objects.none(), required=False, empty_label=_("All")
    )
    agency = NamedChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False, empty_label=_("All")
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All")), *Channel.choices], required=False
    )
    first = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    last = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))
    before_first = forms.DateField(
        label=_("Compare with: from"), required=False, widget=forms.DateInput({"type": "date"})
    )
    before_last = forms.DateField(
        label=_("Compare with: to"), required=False, widget=forms.DateInput({"type": "date"})
    )
    template = forms.ModelChoiceField(
        label=_("Compare regions running the federal template"),
        queryset=FederalTemplate.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Choose a template"),
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = cast(forms.ModelChoiceField, self.fields["region"])
        service = cast(forms.ModelChoiceField, self.fields["service"])
        agency = cast(forms.ModelChoiceField, self.fields["agency"])
        region.queryset = regions.order_by("code")
        if regions.count() == 1:
            region.empty_label = None
        service.queryset = (
            Service.objects.filter(region__in=regions).select_related("region").order_by("name")
        )
        agency.queryset = Agency.objects.filter(region__in=regions).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        last = data.get("last") or today
        first = data.get("first") or last - timedelta(days=364)
        if first > last:
            self.add_error("last", _("The period ends before it starts."))
        elif last - first > LONGEST_PERIOD:
            self.add_error("first", _("Choose a period of at most five years."))
        before_last = data.get("before_last") or first - timedelta(days=1)
        before_first = data.get("before_first") or before_last - (last - first)
        if before_first > before_last:
            self.add_error("before_last", _("The period ends before it starts."))
        data["period"] = Period(first, last)
        data["before"] = Period(before_first, before_last)
        return data

    def filters(self, regions: QuerySet[Region]) -> Filters:
        """The cases chosen, never outside the regions the user may see."""
        data = self.cleaned_data
        region = data.get("region")
        return Filters(
            regions=(region.pk,) if region else tuple(regions.values_list("pk", flat=True)),
            services=(data["service"].pk,) if data.get("service") else (),
            agencies=(data["agency"].pk,) if data.get("agency") else (),
            channels=(data["channel"],) if data.get("channel") else (),
        )


class OpenDataForm(forms.Form):
    """The open data's optional filter: region and service by code, a period of days."""

    region = forms.CharField(required=False, max_length=8)
    service = forms.SlugField(required=False, max_length=64)
    from_ = forms.DateField(required=False)
    to = forms.DateField(required=False)

    def __init__(self, data: Any, **kwargs: Any) -> None:
        data = data.copy()
        if "from" in data:
            data["from_"] = data["from"]
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region_code, service_code = data.get("region"), data.get("service")
        data["regions"], data["services"] = (), ()
        if region_code:
            data["regions"] = tuple(
                Region.objects.filter(code=region_code).values_list("pk", flat=True)
            )
            if not data["regions"]:
                self.add_error("region", _("No region with this code."))
        if service_code:
            services = Service.objects.filter(code=service_code)
            if region_code:
                services = services.filter(region__code=region_code)
            data["services"] = tuple(services.values_list("pk", flat=True))
            if not data["services"]:
                self.add_error("service", _("No service with this code."))
        first = data.get("from_") or date(2000, 1, 1)
        last = data.get("to") or timezone.localdate()
        if first > last:
            self.add_error("to", _("The period ends before it starts."))
        data["period"] = Period(first, last)
        return data

    def filters(self) -> Filters:
        return Filters(regions=self.cleaned_data["regions"], services=self.cleaned_data["services"])

    def period(self) -> Period:
        period: Period = self.cleaned_data["period"]
        return period
