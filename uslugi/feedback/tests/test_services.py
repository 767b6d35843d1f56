"""Ratings, follow-ups, complaints and comments: the rules of BRIEF §8, exactly."""

from datetime import date
from typing import Any

import pytest
import time_machine

from uslugi.accounts.factories import UserFactory
from uslugi.applications.factories import CaseFactory, official_for
from uslugi.applications.models import Notification
from uslugi.applications.workflow import Status
from uslugi.core.models import AuditEvent
from uslugi.feedback import selectors, services
from uslugi.feedback.errors import (
    AlreadyHandled,
    AlreadyRated,
    NotDecidedYet,
    NotFound,
    RemedyRequired,
    ScoreOutOfRange,
)
from uslugi.feedback.factories import curator_of, decided_case
from uslugi.feedback.models import (
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
from uslugi.feedback.services import Scores
from uslugi.workdays import selectors as workdays

pytestmark = pytest.mark.django_db

GOOD = Scores(time=5, queue=4, staff=5, premises=3, information=4)
LOW = Scores(time=2, queue=4, staff=5, premises=3, information=4)
# Wednesday 30 April 2025, 10:00 in Orenburg (UTC+5): 1–4 May and 8–11 May are days off.
BEFORE_MAY_HOLIDAYS = "2025-04-30T05:00:00+00:00"


@time_machine.travel(BEFORE_MAY_HOLIDAYS, tick=False)
def test_a_low_rating_opens_a_follow_up_due_in_5_working_days_on_the_region_calendar() -> None:
    # given a decided case of a service with a curator
    case = decided_case()
    curator = curator_of(case)

    # when its applicant rates one criterion 2
    rating = services.rate_case(case=case, user=case.application.applicant, scores=LOW)

    # then a follow-up is open for the curator, due 5 working days after 30 April
    follow_up = FollowUp.objects.get()
    calendar = workdays.get_calendar("56")
    assert follow_up.rating == rating
    assert follow_up.opened_on == date(2025, 4, 30)
    assert follow_up.due_date == calendar.add_working_days(date(2025, 4, 30), 5)
    assert follow_up.due_date == date(2025, 5, 13)
    assert follow_up.status == FollowUpStatus.OPEN
    assert follow_up.curator is not None
    assert follow_up.curator.user == curator
    assert list(selectors.list_follow_ups_for_curator(curator)) == [follow_up]
    assert (
        Notification.objects.filter(recipient=curator, kind="feedback.follow_up_opened").count()
        == 1
    )
    assert set(AuditEvent.objects.values_list("verb", flat=True)) >= {
        "rating.given",
        "follow_up.opened",
    }


def test_a_high_rating_opens_no_follow_up() -> None:
    # given a decided case
    case = decided_case()
    curator_of(case)

    # when every criterion is 3 or more
    rating = services.rate_case(
        case=case, user=case.application.applicant, scores=GOOD, comment="ok"
    )

    # then the rating is kept and nothing is opened
    assert rating.scores == [5, 4, 5, 3, 4]
    assert not rating.is_low
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.IN_REVIEW, Status.WITHDRAWN])
def test_a_service_is_rated_only_after_a_decision(status: str) -> None:
    case = CaseFactory(status=status)
    with pytest.raises(NotDecidedYet):
        services.rate_case(case=case, user=case.application.applicant, scores=GOOD)
    assert Rating.objects.count() == 0


def test_only_the_applicant_rates_and_only_once() -> None:
    # given a decided case
    case = decided_case()
    # when someone else rates it
    with pytest.raises(NotFound):
        services.rate_case(case=case, user=UserFactory(), scores=GOOD)
    assert Rating.objects.count() == 0
    # and the applicant rates it twice
    services.rate_case(case=case, user=case.application.applicant, scores=GOOD)
    with pytest.raises(AlreadyRated):
        services.rate_case(case=case, user=case.application.applicant, scores=LOW)
    # then one rating, the first
    assert list(Rating.objects.values_list("time_score", flat=True)) == [5]
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize("score", [0, 6])
def test_scores_outside_1_to_5_are_refused(score: int) -> None:
    case = decided_case()
    scores = Scores(time=score, queue=3, staff=3, premises=3, information=3)
    with pytest.raises(ScoreOutOfRange):
        services.rate_case(case=case, user=case.application.applicant, scores=scores)
    assert Rating.objects.count() == 0


def test_the_curator_answers_and_the_applicant_judges() -> None:
    # given a low rating
    case = decided_case()
    curator = curator_of(case)
    applicant = case.application.applicant
    services.rate_case(case=case, user=applicant, scores=LOW)
    follow_up = FollowUp.objects.get()

    # when another curator, an official or the applicant tries to answer
    for stranger in (curator_of(CaseFactory()), official_for(case), applicant):
        with pytest.raises(NotFound):
            services.answer_follow_up(follow_up=follow_up, user=stranger, text="x")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN

    # when the curator answers
    services.answer_follow_up(follow_up=follow_up, user=curator, text="Мы ускорили приём.")

    # then the applicant is told, and says it solved the problem
    assert Notification.objects.get(kind="feedback.follow_up_answered").recipient == applicant
    with pytest.raises(AlreadyHandled):
        services.answer_follow_up(follow_up=follow_up, user=curator, text="again")
    with pytest.raises(NotFound):
        services.judge_follow_up(follow_up=follow_up, user=curator, solved=True)
    services.judge_follow_up(follow_up=follow_up, user=applicant, solved=False)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.NOT_SOLVED
    assert follow_up.answer == "Мы ускорили приём."
    assert follow_up.answered_by == curator


@time_machine.travel(BEFORE_MAY_HOLIDAYS, tick=False)
@pytest.mark.parametrize(
    ("ground", "term", "due"),
    [
        (Ground.TERM_VIOLATED, 15, date(2025, 5, 27)),
        (Ground.EXTRA_FEE, 15, date(2025, 5, 27)),
        (Ground.REFUSAL_TO_ACCEPT_DOCUMENTS, 5, date(2025, 5, 13)),
        (Ground.REFUSAL_TO_CORRECT_ERRORS, 5, date(2025, 5, 13)),
    ],
)
def test_a_complaint_is_due_in_15_or_5_working_days_of_registration(
    ground: str, term: int, due: date
) -> None:
    # given a case of region 56
    case = CaseFactory(status=Status.REFUSED)

    # when its applicant complains on 30 April
    complaint = services.file_complaint(
        case=case, user=case.application.applicant, ground=ground, text="Нарушен срок"
    )

    # then the term counts working days on the region's calendar from registration
    calendar = workdays.get_calendar("56")
    assert complaint.registered_on == date(2025, 4, 30)
    assert complaint.term == term
    assert complaint.due_date == calendar.add_working_days(date(2025, 4, 30), term) == due
    assert complaint.status == ComplaintStatus.REGISTERED


@time_machine.travel("2025-05-03T05:00:00+00:00", tick=False)
def test_a_complaint_filed_on_a_day_off_is_registered_on_the_next_working_day() -> None:
    case = CaseFactory()
    complaint = services.file_complaint(
        case=case, user=case.application.applicant, ground=Ground.TERM_VIOLATED, text="Срок"
    )
    assert complaint.registered_on == date(2025, 5, 5)
    assert complaint.due_date == workdays.get_calendar("56").add_working_days(date(2025, 5, 5), 15)


def test_only_the_applicant_complains() -> None:
    case = CaseFactory()
    with pytest.raises(NotFound):
        services.file_complaint(case=case, user=UserFactory(), ground=Ground.EXTRA_FEE, text="x")
    assert Complaint.objects.count() == 0


def _complaint() -> Complaint:
    case = CaseFactory(status=Status.REFUSED)
    return services.file_complaint(
        case=case, user=case.application.applicant, ground=Ground.REFUSAL_OF_SERVICE, text="Отказ"
    )


def test_an_official_of_the_agency_upholds_a_complaint_with_the_remedy() -> None:
    # given a complaint and an official of the case's agency
    complaint = _complaint()
    official = official_for(complaint.case)

    # when an upheld decision names no remedy, nothing changes
    with pytest.raises(RemedyRequired):
        services.decide_complaint(complaint=complaint, user=official, upheld=True, text="Да")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REGISTERED

    # when the official upholds it, cancelling the decision
    services.decide_complaint(
        complaint=complaint,
        user=official,
        upheld=True,
        remedy=Remedy.DECISION_CANCELLED,
        text="Отказ отменён",
    )

    # then the outcome is recorded and the applicant told
    complaint.refresh_from_db()
    assert (complaint.status, complaint.remedy, complaint.decided_by) == (
        ComplaintStatus.UPHELD,
        Remedy.DECISION_CANCELLED,
        official,
    )
    assert Notification.objects.filter(kind="feedback.complaint_upheld").count() == 1
    with pytest.raises(AlreadyHandled):
        services.decide_complaint(complaint=complaint, user=official, upheld=False, text="Нет")


def test_a_rejected_complaint_keeps_its_reasons_and_no_remedy() -> None:
    complaint = _complaint()
    services.decide_complaint(
        complaint=complaint,
        user=official_for(complaint.case),
        upheld=False,
        remedy=Remedy.MONEY_RETURNED,
        text="Отказ законен: нет стажа",
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.remedy, complaint.decision_text) == (
        ComplaintStatus.REJECTED,
        "",
        "Отказ законен: нет стажа",
    )


def test_an_official_of_another_agency_cannot_decide() -> None:
    complaint = _complaint()
    other = official_for(CaseFactory())
    with pytest.raises(NotFound):
        services.decide_complaint(complaint=complaint, user=other, upheld=False, text="Нет")
    assert list(selectors.list_complaints_for_official(other)) == []
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REGISTERED


def test_comments_are_published_only_by_the_services_curator() -> None:
    # given a pending comment on a curated service
    case = decided_case()
    curator = curator_of(case)
    comment = services.post_comment(service=case.service, user=UserFactory(), text="Удобно")
    assert list(selectors.list_published_comments(case.service)) == []
    assert list(selectors.list_comments_to_moderate(curator)) == [comment]

    # when another curator tries, nothing changes
    with pytest.raises(NotFound):
        services.moderate_comment(comment=comment, user=curator_of(CaseFactory()), publish=True)
    comment.refresh_from_db()
    assert comment.state == CommentState.PENDING

    # when the curator publishes it
    services.moderate_comment(comment=comment, user=curator, publish=True)

    # then it is public
    assert list(selectors.list_published_comments(case.service)) == [comment]
    assert list(selectors.list_comments_to_moderate(curator)) == []


def test_a_rejected_comment_stays_hidden() -> None:
    case = decided_case()
    curator = curator_of(case)
    comment = services.post_comment(service=case.service, user=UserFactory(), text="Спам")
    services.moderate_comment(comment=comment, user=curator, publish=False, note="реклама")
    assert Comment.objects.get().state == CommentState.REJECTED
    assert list(selectors.list_published_comments(case.service)) == []


def test_an_ended_curatorship_gives_no_access(settings: Any) -> None:
    case = decided_case()
    curator = curator_of(case)
    case.service.curatorships.update(ends_on=date(2025, 1, 31))
    assert list(selectors.list_curated_services(curator)) == []
