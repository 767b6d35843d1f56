"""Reads of feedback, always scoped to who is asking; anything else is a 404 with no trace."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as Choose
from django.db.models import Q, QuerySet, Value, When
from django.utils import timezone

from uslugi.accounts.models import Role
from uslugi.applications import selectors as applications
from uslugi.applications.models import Application, Case
from uslugi.catalogue.models import Service
from uslugi.feedback.errors import NotFound
from uslugi.feedback.models import (
    Comment,
    CommentState,
    Complaint,
    ComplaintStatus,
    FollowUp,
    FollowUpStatus,
    Rating,
)


def get_my_case(user: Any, number: str) -> Case:
    """The case of one of the citizen's applications (applications' own 404 otherwise)."""
    application: Application = applications.get_my_application(user, number)
    return application.case


# The curator -----------------------------------------------------------------------------------


def list_curated_services(user: Any) -> QuerySet[Service]:
    """Services whose curator in force today is `user`'s curator profile."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.CURATOR:
        return Service.objects.none()
    today = timezone.localdate()
    return (
        Service.objects.filter(
            Q(curatorships__curator__user=user)
            & Q(curatorships__starts_on__lte=today)
            & (Q(curatorships__ends_on__isnull=True) | Q(curatorships__ends_on__gte=today))
        )
        .select_related("region")
        .distinct()
        .order_by("region__code", "name")
    )


def list_follow_ups_for_curator(user: Any) -> QuerySet[FollowUp]:
    """Open follow-ups first, by due date; then the answered and judged ones, newest first."""
    return (
        FollowUp.objects.filter(service__in=list_curated_services(user))
        .select_related("rating__case__application", "service__region", "answered_by")
        .order_by(
            Choose(When(status=FollowUpStatus.OPEN, then=Value(0)), default=Value(1)),
            "due_date",
            "id",
        )
    )


def get_follow_up_for_curator(user: Any, pk: int) -> FollowUp:
    try:
        return list_follow_ups_for_curator(user).get(pk=pk)
    except FollowUp.DoesNotExist:
        raise NotFound() from None


def list_comments_to_moderate(user: Any) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(service__in=list_curated_services(user), state=CommentState.PENDING)
        .select_related("author", "service__region")
        .order_by("created_at", "id")
    )


def get_comment_for_curator(user: Any, pk: int) -> Comment:
    try:
        return (
            Comment.objects.filter(service__in=list_curated_services(user))
            .select_related("service__region")
            .get(pk=pk)
        )
    except Comment.DoesNotExist:
        raise NotFound() from None


def list_complaints_for_curator(user: Any) -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(case__service__in=list_curated_services(user))
        .select_related("case__application", "case__service")
        .order_by("due_date", "id")
    )


@dataclass(frozen=True)
class Scorecard:
    """What the curator's page shows; the scorecard's metrics extend this object."""

    services: list[Service]
    follow_ups: list[FollowUp]
    comments: list[Comment]
    complaints: list[Complaint]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def open_follow_ups(self) -> list[FollowUp]:
        return [f for f in self.follow_ups if f.status == FollowUpStatus.OPEN]


SCORECARD_LIMIT = 50


def get_scorecard(user: Any) -> Scorecard:
    follow_ups = list(list_follow_ups_for_curator(user)[:SCORECARD_LIMIT])
    complaints = list(list_complaints_for_curator(user)[:SCORECARD_LIMIT])
    return Scorecard(
        services=list(list_curated_services(user)),
        follow_ups=follow_ups,
        comments=list(list_comments_to_moderate(user)[:SCORECARD_LIMIT]),
        complaints=complaints,
        counts={
            "open_follow_ups": sum(f.status == FollowUpStatus.OPEN for f in follow_ups),
            "open_complaints": sum(c.status == ComplaintStatus.REGISTERED for c in complaints),
        },
    )


# Officials -------------------------------------------------------------------------------------


def list_complaints_for_official(user: Any) -> QuerySet[Complaint]:
    """Complaints against the cases of the official's agency and region, by due date."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.OFFICIAL:
        return Complaint.objects.none()
    if user.agency_id is None or user.region_id is None:
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(case__agency_id=user.agency_id, case__region_id=user.region_id)
        .select_related("case__application", "case__service", "decided_by")
        .order_by("status", "due_date", "id")
    )


def get_complaint_for_official(user: Any, pk: int) -> Complaint:
    try:
        return list_complaints_for_official(user).get(pk=pk)
    except Complaint.DoesNotExist:
        raise NotFound() from None


# The applicant ---------------------------------------------------------------------------------


def get_my_rating(case: Case, user: Any) -> Rating | None:
    return Rating.objects.filter(case=case, applicant=user).select_related("follow_up").first()


def list_my_complaints(case: Case, user: Any) -> QuerySet[Complaint]:
    return Complaint.objects.filter(case=case, applicant=user).order_by("filed_at", "id")


def get_my_follow_up(user: Any, pk: int) -> FollowUp:
    try:
        return FollowUp.objects.select_related("rating__case__application", "service").get(
            pk=pk, rating__applicant=user
        )
    except FollowUp.DoesNotExist:
        raise NotFound() from None


# The public ------------------------------------------------------------------------------------


def list_published_comments(service: Service) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(service=service, state=CommentState.PUBLISHED)
        .select_related("author")
        .order_by("-created_at", "-id")
    )
