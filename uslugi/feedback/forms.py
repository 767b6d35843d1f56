from django import forms
from django.utils.translation import gettext_lazy as _

from uslugi.feedback.models import (
    COMMENT_MAX_LENGTH,
    CRITERIA,
    HIGHEST_SCORE,
    LOWEST_SCORE,
    Ground,
    Remedy,
)
from uslugi.feedback.services import TEXT_MAX_LENGTH, Scores

SCORE_CHOICES = [(value, str(value)) for value in range(HIGHEST_SCORE, LOWEST_SCORE - 1, -1)]


class RatingForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, label in CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("5 is the best, 1 the worst."),
            )
        self.order_fields([name for name, _label in CRITERIA] + ["comment"])

    def scores(self) -> Scores:
        data = self.cleaned_data
        return Scores(
            time=data["time_score"],
            queue=data["queue_score"],
            staff=data["staff_score"],
            premises=data["premises_score"],
            information=data["information_score"],
        )


class ComplaintForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=Ground.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("What happened"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("upheld", _("Uphold")), ("rejected", _("Reject"))],
        widget=forms.RadioSelect,
    )
    remedy = forms.ChoiceField(
        label=_("Remedy (when upheld)"),
        choices=[("", "—"), *Remedy.choices],
        required=False,
    )
    text = forms.CharField(
        label=_("Decision and reasons"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea
    )
