"""The feedback app owns ratings with their follow-ups, pre-trial complaints and public comments.

After a case's result its applicant rates the service on the five «Ваш контроль» criteria; a low
rating opens a follow-up that the service's curator answers by a due date on the region's
calendar, and the applicant says whether the answer solved the problem. A pre-trial complaint
against a case is decided by the case's agency within its legal term (210-FZ ch. 2.1). Public
comments on a service appear once its curator publishes them. Every change writes an audit event
and the other side is notified.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.accounts.models import Role
from uslugi.applications.models import Case
from uslugi.applications.notifications import notify
from uslugi.applications.workflow import DECIDED
from uslugi.catalogue import selectors as catalogue
from uslugi.catalogue.models import Curator, Service
from uslugi.core import hooks
from uslugi.core.services import record_event
from uslugi.feedback.errors import (
    AlreadyHandled,
    AlreadyRated,
    NotDecidedYet,
    NotFound,
    RemedyRequired,
    ScoreOutOfRange,
    TextRequired,
    TextTooLong,
    UnknownGround,
)
from uslugi.feedback.models import (
    COMMENT_MAX_LENGTH,
    COMPLAINT_TERM,
    CRITERIA,
    HIGHEST_SCORE,
    LOWEST_SCORE,
    SHORT_COMPLAINT_TERM,
    SHORT_TERM_GROUNDS,
    Comment,
    CommentState,
    Complaint,
    ComplaintStatus,
    FollowUp,
    FollowUpStatus,
    Ground,
    Rating,
    Remedy,
)
from uslugi.workdays import selectors as workdays
from uslugi.workdays.deadlines import DeadlineInputs, TermKind

# The curator answers a follow-up within 5 working days of the rating: the platform's own rule,
# as no act sets curators' terms or escalation (BRIEF §5); 5 working days mirrors the shortest
# term of 210-FZ art. 11.2 for a complaint.
FOLLOW_UP_TERM = 5
TEXT_MAX_LENGTH = 5000


@dataclass(frozen=True)
class Scores:
    """The five criteria of Decree № 1284, each 1 to 5."""

    time: int
    queue: int
    staff: int
    premises: int
    information: int

    def as_fields(self) -> dict[str, int]:
        values = [self.time, self.queue, self.staff, self.premises, self.information]
        return {name: value for (name, _label), value in zip(CRITERIA, values, strict=True)}


# Who acts --------------------------------------------------------------------------------------


def is_applicant(case: Case, user: Any) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False)) and case.application.applicant_id == user.pk
    )


def is_official_of(case: Case, user: Any) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.role == Role.OFFICIAL
        and user.agency_id == case.agency_id
        and user.region_id == case.region_id
    )


def curator_in_force(service: Service) -> Curator | None:
    assignments = catalogue.curators_in_force(service)
    return assignments[0].curator if assignments else None


def is_curator_of(service: Service, user: Any) -> bool:
    """The user's curator profile answers for the service today."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.CURATOR:
        return False
    return any(a.curator.user_id == user.pk for a in catalogue.curators_in_force(service))


def can_rate(case: Case, user: Any) -> bool:
    return (
        is_applicant(case, user)
        and case.status in DECIDED
        and not Rating.objects.filter(case=case, applicant=user).exists()
    )


def _text(value: str, *, required: bool = True, limit: int = TEXT_MAX_LENGTH) -> str:
    text = value.strip()
    if required and not text:
        raise TextRequired()
    if len(text) > limit:
        raise TextTooLong()
    return text


def _working_days_from_now(region_code: str, term: int) -> tuple[date, date, bool]:
    """Registration day and due date of a request made now (BRIEF §6), on the region's calendar."""
    deadline = workdays.get_deadline(
        region=region_code,
        inputs=DeadlineInputs(received=timezone.now(), term=term, kind=TermKind.WORKING),
    )
    return deadline.registered_on, deadline.due_date, deadline.provisional


def _tell_applicant(case: Case, *, kind: str, subject: str, text: str, key: str) -> None:
    application = case.application
    notify(
        case=case,
        kind=kind,
        subject=subject,
        text=text,
        recipient=application.applicant,
        email=application.applicant_email,
        dedupe_key=key,
    )


# Ratings and follow-ups ------------------------------------------------------------------------


@transaction.atomic
def rate_case(*, case: Case, user: Any, scores: Scores, comment: str = "") -> Rating:
    """Rate the service of a decided case, once; a low rating opens a follow-up for its curator."""
    if not is_applicant(case, user):
        raise NotFound()
    if case.status not in DECIDED:
        raise NotDecidedYet()
    fields = scores.as_fields()
    if any(not LOWEST_SCORE <= value <= HIGHEST_SCORE for value in fields.values()):
        raise ScoreOutOfRange()
    comment = _text(comment, required=False)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                case=case, applicant=user, service_id=case.service_id, comment=comment, **fields
            )
    except IntegrityError:
        raise AlreadyRated() from None
    record_event(actor=user, verb="rating.given", target=rating, data={"case": case.pk, **fields})
    hooks.call("case_rated", rating)
    if rating.is_low:
        _open_follow_up(rating, case)
    return rating


def _open_follow_up(rating: Rating, case: Case) -> FollowUp:
    opened_on, due_date, _provisional = _working_days_from_now(case.region.code, FOLLOW_UP_TERM)
    curator = curator_in_force(case.service)
    follow_up = FollowUp.objects.create(
        rating=rating,
        service_id=case.service_id,
        curator=curator,
        opened_on=opened_on,
        due_date=due_date,
    )
    record_event(
        actor=None,
        verb="follow_up.opened",
        target=follow_up,
        data={
            "rating": rating.pk,
            "due_date": due_date,
            "curator": curator.pk if curator else None,
        },
    )
    if curator is not None and (curator.user_id or curator.email):
        notify(
            case=case,
            kind="feedback.follow_up_opened",
            subject=_("A low rating of %(service)s needs your answer")
            % {"service": case.service.display_name},
            text=_("Application %(number)s was rated low. Answer the applicant by %(due)s.")
            % {"number": case.application.number, "due": due_date.strftime("%d.%m.%Y")},
            recipient=curator.user,
            email=curator.email,
            dedupe_key=f"follow_up:{follow_up.pk}:opened",
        )
    return follow_up


@transaction.atomic
def answer_follow_up(*, follow_up: FollowUp, user: Any, text: str) -> FollowUp:
    """The service's curator answers; the applicant reads the answer on their application."""
    if not is_curator_of(follow_up.service, user):
        raise NotFound()
    text = _text(text)
    updated = FollowUp.objects.filter(pk=follow_up.pk, status=FollowUpStatus.OPEN).update(
        status=FollowUpStatus.ANSWERED, answer=text, answered_at=timezone.now(), answered_by=user
    )
    if updated != 1:
        raise AlreadyHandled()
    follow_up.refresh_from_db()
    record_event(actor=user, verb="follow_up.answered", target=follow_up, data={"answer": text})
    case = follow_up.rating.case
    _tell_applicant(
        case,
        kind="feedback.follow_up_answered",
        subject=_("The curator answered your rating of %(service)s")
        % {"service": case.service.display_name},
        text=text,
        key=f"follow_up:{follow_up.pk}:answered",
    )
    return follow_up


@transaction.atomic
def judge_follow_up(*, follow_up: FollowUp, user: Any, solved: bool) -> FollowUp:
    """The applicant says whether the curator's answer solved the problem."""
    if follow_up.rating.applicant_id != getattr(user, "pk", None):
        raise NotFound()
    verdict = FollowUpStatus.SOLVED if solved else FollowUpStatus.NOT_SOLVED
    updated = FollowUp.objects.filter(pk=follow_up.pk, status=FollowUpStatus.ANSWERED).update(
        status=verdict, judged_at=timezone.now()
    )
    if updated != 1:
        raise AlreadyHandled()
    follow_up.refresh_from_db()
    record_event(actor=user, verb=f"follow_up.{verdict}", target=follow_up)
    curator = follow_up.curator or curator_in_force(follow_up.service)
    if curator is not None and (curator.user_id or curator.email):
        notify(
            case=follow_up.rating.case,
            kind=f"feedback.follow_up_{verdict}",
            subject=_("The applicant's verdict on your answer: %(verdict)s")
            % {"verdict": follow_up.get_status_display()},
            text=follow_up.answer,
            recipient=curator.user,
            email=curator.email,
            dedupe_key=f"follow_up:{follow_up.pk}:judged",
        )
    return follow_up


# Pre-trial complaints --------------------------------------------------------------------------


def complaint_term(ground: str) -> int:
    """210-FZ art. 11.2 part 6: 5 working days for a refusal to accept or to correct, else 15."""
    return SHORT_COMPLAINT_TERM if ground in SHORT_TERM_GROUNDS else COMPLAINT_TERM


@transaction.atomic
def file_complaint(*, case: Case, user: Any, ground: str, text: str) -> Complaint:
    """The applicant complains against the case; its term runs from registration (BRIEF §6)."""
    if not is_applicant(case, user):
        raise NotFound()
    if ground not in Ground.values:
        raise UnknownGround()
    text = _text(text)
    term = complaint_term(ground)
    registered_on, due_date, provisional = _working_days_from_now(case.region.code, term)
    complaint = Complaint.objects.create(
        case=case,
        applicant=user,
        ground=ground,
        text=text,
        filed_at=timezone.now(),
        registered_on=registered_on,
        term=term,
        due_date=due_date,
        provisional=provisional,
    )
    record_event(
        actor=user,
        verb="complaint.filed",
        target=complaint,
        data={"case": case.pk, "ground": ground, "term": term, "due_date": due_date},
    )
    hooks.call("complaint_filed", complaint)
    _tell_applicant(
        case,
        kind="feedback.complaint_registered",
        subject=_("Your complaint on application %(number)s is registered")
        % {"number": case.application.number},
        text=_("The agency decides on it by %(due)s.") % {"due": due_date.strftime("%d.%m.%Y")},
        key=f"complaint:{complaint.pk}:registered",
    )
    return complaint


@transaction.atomic
def decide_complaint(
    *, complaint: Complaint, user: Any, upheld: bool, text: str, remedy: str = ""
) -> Complaint:
    """An official of the case's agency upholds the complaint with a remedy, or rejects it."""
    case = complaint.case
    if not is_official_of(case, user):
        raise NotFound()
    text = _text(text)
    if upheld and remedy not in Remedy.values:
        raise RemedyRequired()
    status = ComplaintStatus.UPHELD if upheld else ComplaintStatus.REJECTED
    updated = Complaint.objects.filter(pk=complaint.pk, status=ComplaintStatus.REGISTERED).update(
        status=status,
        remedy=remedy if upheld else "",
        decision_text=text,
        decided_at=timezone.now(),
        decided_by=user,
    )
    if updated != 1:
        raise AlreadyHandled()
    complaint.refresh_from_db()
    record_event(
        actor=user,
        verb=f"complaint.{status}",
        target=complaint,
        data={"remedy": complaint.remedy, "text": text},
    )
    hooks.call("complaint_decided", complaint)
    outcome = complaint.get_status_display()
    if upheld:
        outcome = f"{outcome}: {complaint.get_remedy_display()}"
    _tell_applicant(
        case,
        kind=f"feedback.complaint_{status}",
        subject=_("Your complaint on application %(number)s: %(outcome)s")
        % {"number": case.application.number, "outcome": outcome},
        text=text,
        key=f"complaint:{complaint.pk}:decided",
    )
    return complaint


# Public comments -------------------------------------------------------------------------------


@transaction.atomic
def post_comment(*, service: Service, user: Any, text: str) -> Comment:
    """A logged-in person comments on a service; nobody sees it before the curator publishes it."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    text = _text(text, limit=COMMENT_MAX_LENGTH)
    comment = Comment.objects.create(service=service, author=user, text=text)
    record_event(actor=user, verb="comment.posted", target=comment, data={"service": service.pk})
    return comment


@transaction.atomic
def moderate_comment(*, comment: Comment, user: Any, publish: bool, note: str = "") -> Comment:
    """The service's curator publishes a pending comment or rejects it, with an optional note."""
    if not is_curator_of(comment.service, user):
        raise NotFound()
    state = CommentState.PUBLISHED if publish else CommentState.REJECTED
    updated = Comment.objects.filter(pk=comment.pk, state=CommentState.PENDING).update(
        state=state,
        moderated_by=user,
        moderated_at=timezone.now(),
        moderation_note=_text(note, required=False),
    )
    if updated != 1:
        raise AlreadyHandled()
    comment.refresh_from_db()
    record_event(actor=user, verb=f"comment.{state}", target=comment, data={"note": note})
    return comment
