"""Generated ratings, follow-ups and complaints for generated cases (demo history, tests, benches).

Written in bulk, with no notices or audit events: generated history is not anybody's action. The
shape follows the cases: the slower a case was against its term, the lower its applicant tends to
rate the time criterion, and a refusal draws more complaints. The same seed gives the same rows.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from django.db import transaction

from uslugi.feedback.models import (
    CRITERIA,
    LOW_SCORE,
    Complaint,
    ComplaintStatus,
    FollowUp,
    FollowUpStatus,
    Ground,
    Rating,
    Remedy,
)
from uslugi.feedback.services import FOLLOW_UP_TERM, complaint_term
from uslugi.workdays import selectors as workdays

GENERATED_TEXT = "Сгенерированные данные"
COMPLAINT_GROUNDS = [Ground.TERM_VIOLATED] * 5 + [
    Ground.REFUSAL_OF_SERVICE,
    Ground.EXTRA_DOCUMENTS,
    Ground.REFUSAL_TO_ACCEPT_DOCUMENTS,
]


@dataclass(frozen=True)
class GeneratedCase:
    """What the generator needs of one case."""

    id: int
    applicant_id: int
    service_id: int
    region_code: str
    closed_on: date | None  # the day of the decision or closing, None while open
    decided: bool
    refused: bool
    late: bool  # decided after its due date


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@transaction.atomic
def generate_feedback(
    cases: list[GeneratedCase],
    *,
    today: date,
    seed: int,
    rating_share: float = 0.3,
    complaint_share: float = 0.02,
) -> dict[str, int]:
    """Ratings of a share of decided cases and complaints against a share of closed cases."""
    rng = np.random.default_rng(seed)
    calendars = {code: workdays.get_calendar(code) for code in {c.region_code for c in cases}}
    ratings: list[Rating] = []
    complaints: list[Complaint] = []
    for case in cases:
        if case.closed_on is None:
            continue
        calendar = calendars[case.region_code]
        draw = rng.random()
        if case.decided and draw < rating_share:
            given_on = min(case.closed_on + timedelta(days=int(rng.integers(0, 8))), today)
            centre = 3.2 if case.late else 4.4
            scores = np.clip(np.rint(rng.normal(centre, 0.9, len(CRITERIA))), 1, 5).astype(int)
            rating = Rating(
                case_id=case.id,
                applicant_id=case.applicant_id,
                service_id=case.service_id,
                comment="",
                **{
                    name: int(score) for (name, _label), score in zip(CRITERIA, scores, strict=True)
                },
            )
            rating.created_at = _at(given_on, 10)
            ratings.append(rating)
        share = complaint_share * (4 if case.refused or case.late else 1)
        if rng.random() < share:
            ground = COMPLAINT_GROUNDS[int(rng.integers(0, len(COMPLAINT_GROUNDS)))]
            filed_on = min(case.closed_on + timedelta(days=int(rng.integers(1, 20))), today)
            registered_on = (
                filed_on if calendar.is_working(filed_on) else calendar.next_working_day(filed_on)
            )
            term = complaint_term(ground)
            due_date = calendar.add_working_days(registered_on, term)
            complaint = Complaint(
                case_id=case.id,
                applicant_id=case.applicant_id,
                ground=ground,
                text=GENERATED_TEXT,
                filed_at=_at(filed_on),
                registered_on=registered_on,
                term=term,
                due_date=due_date,
            )
            decided_on = calendar.add_working_days(registered_on, int(rng.integers(1, term + 1)))
            if decided_on <= today:
                upheld = rng.random() < 0.3
                complaint.status = ComplaintStatus.UPHELD if upheld else ComplaintStatus.REJECTED
                complaint.remedy = Remedy.DECISION_CANCELLED if upheld else ""
                complaint.decision_text = GENERATED_TEXT
                complaint.decided_at = _at(decided_on, 12)
            complaints.append(complaint)
    moments = [rating.created_at for rating in ratings]
    created = Rating.objects.bulk_create(ratings, batch_size=2000)
    # created_at is auto_now_add (bulk_create overwrites it): put the generated moment back.
    for rating, moment in zip(created, moments, strict=True):
        rating.created_at = moment
    Rating.objects.bulk_update(created, ["created_at"], batch_size=2000)
    by_id = {case.id: case for case in cases}
    follow_ups = []
    for rating in created:
        if min(getattr(rating, name) for name, _label in CRITERIA) > LOW_SCORE:
            continue
        case = by_id[rating.case_id]
        opened_on = rating.created_at.date()
        due_date = calendars[case.region_code].add_working_days(opened_on, FOLLOW_UP_TERM)
        answered = due_date < today
        follow_ups.append(
            FollowUp(
                rating=rating,
                service_id=rating.service_id,
                opened_on=opened_on,
                due_date=due_date,
                status=FollowUpStatus.ANSWERED if answered else FollowUpStatus.OPEN,
                answer=GENERATED_TEXT if answered else "",
                answered_at=_at(due_date) if answered else None,
            )
        )
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    Complaint.objects.bulk_create(complaints, batch_size=2000)
    return {"ratings": len(created), "follow-ups": len(follow_ups), "complaints": len(complaints)}
