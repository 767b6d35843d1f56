"""Ratings with their follow-ups, pre-trial complaints and public comments (BRIEF §8)."""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Decree № 1284 of 12.12.2012 («Ваш контроль»): five criteria, each rated 1 to 5.
CRITERIA = (
    ("time_score", _("Time to provide the service")),
    ("queue_score", _("Waiting time in the queue")),
    ("staff_score", _("Politeness and competence of the staff")),
    ("premises_score", _("Comfort of the premises")),
    ("information_score", _("Availability of information about how to get the service")),
)
LOWEST_SCORE = 1
HIGHEST_SCORE = 5
# A score at or below this opens a follow-up: the platform's rule (Signalen reopens a report on a
# negative rating; BRIEF §8), as no act sets the threshold.
LOW_SCORE = 2


def _score(label: Any) -> "models.PositiveSmallIntegerField[int, int]":
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(LOWEST_SCORE), MaxValueValidator(HIGHEST_SCORE)]
    )


class Rating(models.Model):
    """The applicant's rating of the service after the case's result; one per case and applicant."""

    case = models.ForeignKey(
        "applications.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    time_score = _score(CRITERIA[0][1])
    queue_score = _score(CRITERIA[1][1])
    staff_score = _score(CRITERIA[2][1])
    premises_score = _score(CRITERIA[3][1])
    information_score = _score(CRITERIA[4][1])
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "applicant"], name="rating_once_per_case"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": LOWEST_SCORE})
                    & models.Q(**{f"{name}__lte": HIGHEST_SCORE}),
                    name=f"rating_{name}_in_range",
                )
                for name, _label in CRITERIA
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {'/'.join(str(score) for score in self.scores)}"

    @property
    def scores(self) -> list[int]:
        return [getattr(self, name) for name, _label in CRITERIA]

    @property
    def labelled_scores(self) -> list[tuple[str, int]]:
        return [(str(label), getattr(self, name)) for name, label in CRITERIA]

    @property
    def lowest_score(self) -> int:
        return min(self.scores)

    @property
    def is_low(self) -> bool:
        return min(self.scores) <= LOW_SCORE


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("waiting for the curator")
    ANSWERED = "answered", _("answered")
    SOLVED = "solved", _("solved")
    NOT_SOLVED = "not_solved", _("not solved")


class FollowUp(models.Model):
    """A low rating reopens the conversation: the service's curator answers by `due_date`."""

    rating = models.OneToOneField(
        Rating, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="follow_up"
    )
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    curator = models.ForeignKey(
        "catalogue.Curator",
        verbose_name=_("curator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        help_text=_("The service's curator when the follow-up was opened."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    due_date = models.DateField(_("answer due"), db_index=True)
    answer = models.TextField(_("curator's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    judged_at = models.DateTimeField(_("judged at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.rating.case} → {self.due_date}"


class Ground(models.TextChoices):
    """Grounds for a pre-trial complaint (210-FZ ch. 2.1; do.gosuslugi.ru)."""

    TERM_VIOLATED = "term_violated", _("The term of the service was violated")
    REGISTRATION_TERM_VIOLATED = (
        "registration_term_violated",
        _("The term of registering the request was violated"),
    )
    REFUSAL_TO_CORRECT_ERRORS = "refusal_to_correct_errors", _("Refusal to correct errors")
    REFUSAL_OF_SERVICE = "refusal_of_service", _("Refusal of the service")
    REFUSAL_TO_ACCEPT_DOCUMENTS = (
        "refusal_to_accept_documents",
        _("Refusal to accept documents"),
    )
    EXTRA_FEE = "extra_fee", _("A fee not provided for was demanded")
    EXTRA_DOCUMENTS = "extra_documents", _("Documents not provided for were demanded")


# 210-FZ art. 11.2 part 6: 15 working days from registration; 5 working days for a refusal to
# accept documents or to correct errors.
COMPLAINT_TERM = 15
SHORT_COMPLAINT_TERM = 5
SHORT_TERM_GROUNDS = frozenset(
    {Ground.REFUSAL_TO_ACCEPT_DOCUMENTS, Ground.REFUSAL_TO_CORRECT_ERRORS}
)


class ComplaintStatus(models.TextChoices):
    REGISTERED = "registered", _("being considered")
    UPHELD = "upheld", _("upheld")
    REJECTED = "rejected", _("rejected")


class Remedy(models.TextChoices):
    DECISION_CANCELLED = "decision_cancelled", _("The decision is cancelled")
    ERROR_FIXED = "error_fixed", _("The error is corrected")
    MONEY_RETURNED = "money_returned", _("The money is returned")


class Complaint(models.Model):
    """A pre-trial complaint against a case, decided by the case's agency within its term."""

    case = models.ForeignKey(
        "applications.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="complaints",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="complaints",
    )
    ground = models.CharField(_("ground"), max_length=32, choices=Ground.choices)
    text = models.TextField(_("what happened"))
    filed_at = models.DateTimeField(_("filed at"))
    registered_on = models.DateField(_("registered on"))
    term = models.PositiveSmallIntegerField(_("term, working days"))
    due_date = models.DateField(_("decision due"), db_index=True)
    provisional = models.BooleanField(_("provisional due date"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.REGISTERED,
    )
    remedy = models.CharField(_("remedy"), max_length=32, choices=Remedy.choices, blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pre-trial complaint")
        verbose_name_plural = _("pre-trial complaints")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_ground_display()}"


class CommentState(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


COMMENT_MAX_LENGTH = 2000


class Comment(models.Model):
    """A public comment on a service page, shown once the service's curator publishes it."""

    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="service_comments",
    )
    text = models.TextField(_("text"), max_length=COMMENT_MAX_LENGTH)
    state = models.CharField(
        _("moderation state"),
        max_length=16,
        choices=CommentState.choices,
        default=CommentState.PENDING,
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderation_note = models.TextField(_("moderation note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["service", "state", "created_at"], name="comment_feed")]

    def __str__(self) -> str:
        return self.text[:60]
