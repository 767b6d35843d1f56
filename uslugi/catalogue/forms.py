from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uslugi.catalogue.models import Agency, Channel, Level, Region, ServiceKind
from uslugi.catalogue.selectors import ServiceFilter


class ServiceFilterForm(forms.Form):
    """The catalogue's search and filters, read from the query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("All regions"),
        error_messages={"invalid_choice": _("There is no such region.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *ServiceKind.choices], required=False
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("Any level")), *Level.choices], required=False
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.select_related("region").order_by("region__code", "name"),
        to_field_name="code",
        required=False,
        empty_label=_("Any agency"),
        error_messages={"invalid_choice": _("There is no such agency.")},
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("Any channel")), *Channel.choices], required=False
    )
    online = forms.BooleanField(label=_("Can apply online"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kind", "level", "channel"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "“%(value)s” is not one of the allowed values."
            )

    def error_lines(self, *, by_parameter: bool = False) -> list[str]:
        """One line per invalid filter: its label (or query parameter) and what is wrong."""
        return [
            f"{name if by_parameter else self.fields[name].label}: "
            + " ".join(str(message) for message in messages)
            for name, messages in self.errors.items()
        ]

    def to_filter(self) -> ServiceFilter:
        data = self.cleaned_data
        return ServiceFilter(
            query=data["q"],
            region=data["region"],
            kind=ServiceKind(data["kind"]) if data["kind"] else None,
            level=Level(data["level"]) if data["level"] else None,
            agency=data["agency"],
            channel=Channel(data["channel"]) if data["channel"] else None,
            online=data["online"],
        )
