"""Forms of the staff roadmap page. They validate input only; services.py writes.

Model forms lend their labels and field validation; a view always gives them a throwaway copy of
the object (`copy.copy`), because a model form writes the submitted values onto its instance and
the service compares them with what was read to know what changed.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uslugi.catalogue.models import Agency, Service
from uslugi.roadmap.kpis import METRICS
from uslugi.roadmap.models import (
    MEASURE_FIELDS,
    SETTABLE_STATUSES,
    Decision,
    Evidence,
    ItemStatus,
    Kpi,
    Measure,
    Meeting,
    Roadmap,
    WorkingGroupMember,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STATUS_CHOICES = [(s.value, s.label) for s in SETTABLE_STATUSES]


class RevisionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)


class RoadmapForm(forms.ModelForm[Roadmap]):
    revision = RevisionField(required=False)

    class Meta:
        model = Roadmap
        fields = ["title", "act_title", "act_number", "act_date", "group_created_on"]
        widgets = {"act_date": DATE, "group_created_on": DATE}


class MeasureForm(forms.ModelForm[Measure]):
    revision = RevisionField(required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES)

    class Meta:
        model = Measure
        fields = list(MEASURE_FIELDS)
        widgets = {
            "starts_on": DATE,
            "due_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, roadmap: Roadmap, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.roadmap = roadmap
        self.fields["responsible_agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            region=roadmap.region
        ).order_by("name")
        self.fields["overseer"].queryset = roadmap.members.order_by("full_name")  # type: ignore[attr-defined]
        if self.instance.status == ItemStatus.OVERDUE:
            # An overdue measure shows its status; saving keeps it (a later due date lifts it).
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                (ItemStatus.OVERDUE.value, ItemStatus.OVERDUE.label),
                *STATUS_CHOICES,
            ]


class StatusForm(forms.Form):
    revision = RevisionField()
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES)


class KpiForm(forms.ModelForm[Kpi]):
    class Meta:
        model = Kpi
        fields = [
            "metric",
            "service",
            "agency",
            "baseline_from",
            "baseline_to",
            "current_from",
            "comparison",
            "target",
        ]
        widgets = {"baseline_from": DATE, "baseline_to": DATE, "current_from": DATE}
        help_texts = {
            "target": _("Days for a processing time, percent for a share."),
            "service": _("Either a service or an agency."),
        }

    def __init__(self, *args: Any, roadmap: Roadmap, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(  # type: ignore[attr-defined]
            region=roadmap.region
        ).order_by("name")
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            region=roadmap.region
        ).order_by("name")
        self.fields["metric"].choices = [(m.code, m.label) for m in METRICS.values()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("service")) == bool(data.get("agency")):
            raise forms.ValidationError(_("Choose either a service or an agency."))
        return data


class EvidenceForm(forms.ModelForm[Evidence]):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Evidence
        fields = ["title", "url", "document"]
        help_texts = {"url": _("A link, or a document below, or both.")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url") and not data.get("document"):
            raise forms.ValidationError(_("Give a link or attach a document."))
        return data


class MemberForm(forms.ModelForm[WorkingGroupMember]):
    class Meta:
        model = WorkingGroupMember
        fields = ["full_name", "position", "agency", "role", "email"]

    def __init__(self, *args: Any, roadmap: Roadmap, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.roadmap = roadmap
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            region=roadmap.region
        ).order_by("name")


class MeetingForm(forms.ModelForm[Meeting]):
    class Meta:
        model = Meeting
        fields = ["held_on", "title", "minutes"]
        widgets = {"held_on": DATE, "minutes": forms.Textarea(attrs={"rows": 4})}


class DecisionForm(forms.ModelForm[Decision]):
    class Meta:
        model = Decision
        fields = ["text", "assignee", "due_on"]
        widgets = {"due_on": DATE, "text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, roadmap: Roadmap, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = roadmap.members.order_by("full_name")  # type: ignore[attr-defined]


class DecisionStatusForm(StatusForm):
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of measures"),
        help_text=_(
            "UTF-8, a header row; columns as in the export. A bad row stops the whole import."
        ),
    )
