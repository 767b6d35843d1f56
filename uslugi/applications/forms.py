"""Forms of the office side: the queue's filters and assignment, the case's actions and notes.

Every action form carries the case's `revision` as the official saw it; the service refuses the
action when the case changed since (optimistic locking), so nothing is overwritten.
"""

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uslugi.accounts.models import Role, User
from uslugi.applications.models import SlaState
from uslugi.applications.workflow import Status
from uslugi.catalogue.models import Service

OPEN = "open"
ALL = "all"
MINE = "mine"
NOBODY = "nobody"


def officials_of(user: Any) -> QuerySet[User]:
    """Active officials of the user's agency and region: the people cases can be given to."""
    return User.objects.filter(
        role=Role.OFFICIAL,
        agency_id=user.agency_id,
        region_id=user.region_id,
        is_active=True,
    ).order_by("last_name", "first_name", "username")


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class QueueFilterForm(forms.Form):
    """GET filters of the queue; an unknown value is an error next to its field, not a crash."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    state = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("any")), *SlaState.choices],
    )

    def __init__(
        self, *args: Any, services: QuerySet[Service], officials: list[User], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        _choice_field(self, "status").choices = [
            (OPEN, _("open cases")),
            (ALL, _("all cases")),
            *Status.choices,
        ]
        _choice_field(self, "service").choices = [
            ("", _("any")),
            *((str(service.pk), service.display_name) for service in services),
        ]
        _choice_field(self, "assignee").choices = [
            ("", _("anyone")),
            (MINE, _("me")),
            (NOBODY, _("nobody")),
            *((str(official.pk), str(official)) for official in officials),
        ]

    def filters(self) -> dict[str, str]:
        """The valid filters (empty strings for those not given or not valid)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {name: data.get(name) or "" for name in self.fields}


class AssignForm(forms.Form):
    """Give the chosen cases to an official of the same agency and region, or to nobody."""

    cases = forms.TypedMultipleChoiceField(label=_("Cases"), coerce=int, required=False)
    assignee = forms.ChoiceField(label=_("Assign to"))
    take = forms.TypedChoiceField(coerce=int, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, case_ids: list[int], officials: list[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [(str(pk), str(pk)) for pk in case_ids]
        _choice_field(self, "cases").choices = choices
        _choice_field(self, "take").choices = [("", ""), *choices]
        _choice_field(self, "assignee").choices = [
            *((str(official.pk), str(official)) for official in officials),
            (NOBODY, _("nobody (remove the assignee)")),
        ]
        if self.data.get("take"):
            self.fields["assignee"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("take") and not data.get("cases"):
            raise forms.ValidationError(_("Choose at least one case."), code="no_cases")
        return data


class RevisionForm(forms.Form):
    """An action with nothing to type: only the revision the official saw."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReasonForm(RevisionForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant reads it in the notification."),
        max_length=4000,
    )


class SuspendForm(ReasonForm):
    until = forms.DateField(
        label=_("Suspended until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The term stops until this day inclusive and then continues."),
    )

    def clean_until(self) -> date:
        until: date = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(
                _("The suspension must last until today or later."), code="past"
            )
        return until


class CorrectionForm(RevisionForm):
    text = forms.CharField(
        label=_("What the applicant should correct"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The term waits until the applicant answers."),
        max_length=4000,
    )


class ExtendForm(ReasonForm):
    days = forms.IntegerField(
        label=_("Extend by, days"),
        min_value=1,
        max_value=90,
        help_text=_("Days of the term's kind (working or calendar days)."),
    )


class DecisionForm(RevisionForm):
    text = forms.CharField(
        label=_("Decision"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Printed in the result document."),
        max_length=8000,
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class InteragencyRequestForm(forms.Form):
    document = forms.CharField(label=_("Document"), max_length=300)
    recipient = forms.CharField(label=_("Recipient agency"), max_length=300)


class InteragencyAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer received"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
