"""The workflow table, applied through services: every allowed row succeeds, nothing else does.

Each (source, target, actor) goes through the service an actor would call for that target. The
system's two rows (automatic registration, resumption after a suspension) have no service of their
own yet, so they go through `services._change` with `Actor.SYSTEM`, as a sweep would.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications import services
from uslugi.applications.errors import ReasonRequired, TransitionNotAllowed
from uslugi.applications.factories import CaseFactory
from uslugi.applications.models import Case, CaseEvent, Notification
from uslugi.applications.workflow import TRANSITIONS, Actor, Status
from uslugi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ALLOWED = {(row.source, row.target, row.actor) for row in TRANSITIONS}
EVERY = [(s, t, a) for s in Status for t in Status for a in Actor]
FORBIDDEN = [combination for combination in EVERY if combination not in ALLOWED]
REASON = "Причина, которую прочтёт заявитель"


def apply(case: Case, target: Status, actor: Actor, user: Any, reason: str = REASON) -> Case:
    """Move `case` to `target` the way `actor` would: through the service for that target."""
    revision = case.revision
    if actor == Actor.SYSTEM:
        with transaction.atomic():
            services._change(case, user=None, revision=revision, target=target, actor=Actor.SYSTEM)
        return case
    if actor == Actor.APPLICANT:
        if target == Status.WITHDRAWN:
            return services.withdraw_application(case=case, user=user, revision=revision)
        if target == Status.IN_REVIEW:
            return services.answer_correction(case=case, user=user, revision=revision, text=reason)
    else:
        official: dict[Status, Any] = {
            Status.REGISTERED: lambda: services.register_case(
                case=case, user=user, revision=revision
            ),
            Status.REFUSED_TO_ACCEPT: lambda: services.refuse_to_accept(
                case=case, user=user, revision=revision, reason=reason
            ),
            Status.IN_REVIEW: lambda: (
                services.start_review if case.status == Status.REGISTERED else services.resume_case
            )(case=case, user=user, revision=revision),
            Status.SUSPENDED: lambda: services.suspend_case(
                case=case,
                user=user,
                revision=revision,
                until=timezone.localdate() + timedelta(days=10),
                reason=reason,
            ),
            Status.AWAITING_APPLICANT: lambda: services.request_correction(
                case=case, user=user, revision=revision, text=reason
            ),
            Status.APPROVED: lambda: services.decide_case(
                case=case, user=user, revision=revision, approved=True, text=reason
            ),
            Status.REFUSED: lambda: services.decide_case(
                case=case, user=user, revision=revision, approved=False, text=reason
            ),
            Status.WITHDRAWN: lambda: services.withdraw_application(
                case=case, user=user, revision=revision
            ),
        }
        if target in official:
            return official[target]()
    # No service leads there for this actor; the table itself must refuse it.
    with transaction.atomic():
        services._change(case, user=user, revision=revision, target=target, actor=actor)
    return case


def given(source: Status) -> tuple[Case, dict[Actor, Any]]:
    case = CaseFactory.create(status=source)
    official = UserFactory(role=Role.OFFICIAL, region=case.region, agency=case.agency)
    people = {Actor.OFFICIAL: official, Actor.APPLICANT: case.application.applicant}
    return case, people


def trace(case: Case) -> tuple[Any, ...]:
    stored = Case.objects.get(pk=case.pk)
    return (
        stored.status,
        stored.revision,
        stored.due_date,
        CaseEvent.objects.filter(case=case).count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        stored.suspensions.count(),
        bool(stored.result_file),
    )


@pytest.mark.parametrize(
    ("source", "target", "actor"),
    sorted(ALLOWED),
    ids=lambda value: str(value),
)
def test_every_allowed_transition_succeeds_with_its_history(
    source: Status, target: Status, actor: Actor
) -> None:
    # given a case in `source`
    case, people = given(source)
    # when `actor` moves it to `target`
    apply(case, target, actor, people.get(actor))
    # then it is there, one revision further, with a history row and an audit row
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == target
    assert stored.revision == 2
    event = CaseEvent.objects.get(case=case)
    assert (event.source, event.target) == (source, target)
    assert AuditEvent.objects.filter(verb=f"case.{target}", target_id=str(case.pk)).count() == 1


@pytest.mark.parametrize(("source", "target", "actor"), FORBIDDEN, ids=lambda value: str(value))
def test_every_other_combination_is_refused_and_changes_nothing(
    source: Status, target: Status, actor: Actor
) -> None:
    # given a case in `source`
    case, people = given(source)
    before = trace(case)
    # when `actor` tries to move it to `target`
    with pytest.raises(TransitionNotAllowed):
        apply(case, target, actor, people.get(actor))
    # then nothing changed
    assert trace(case) == before


def test_the_tables_cover_every_combination_once() -> None:
    assert len(ALLOWED) + len(FORBIDDEN) == len(Status) ** 2 * len(Actor)
    assert len(ALLOWED) == len(TRANSITIONS)


@pytest.mark.parametrize(
    ("source", "target", "actor"),
    sorted({(row.source, row.target, row.actor) for row in TRANSITIONS if row.needs_reason}),
    ids=lambda value: str(value),
)
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_transition_that_needs_a_reason_refuses_an_empty_one(
    source: Status, target: Status, actor: Actor, reason: str
) -> None:
    # given a case in `source`
    case, people = given(source)
    before = trace(case)
    # when the transition is asked for without a reason
    with pytest.raises(ReasonRequired):
        apply(case, target, actor, people.get(actor), reason=reason)
    # then nothing changed
    assert trace(case) == before


def test_the_applicants_answer_needs_text_too() -> None:
    case, people = given(Status.AWAITING_APPLICANT)
    before = trace(case)
    with pytest.raises(ReasonRequired):
        apply(case, Status.IN_REVIEW, Actor.APPLICANT, people[Actor.APPLICANT], reason=" ")
    assert trace(case) == before


def test_start_review_of_a_submitted_case_registers_it_first() -> None:
    # given a submitted case
    case, people = given(Status.SUBMITTED)
    # when the official starts the review at once
    services.start_review(case=case, user=people[Actor.OFFICIAL], revision=1)
    # then both steps of the table were taken, in order
    assert list(CaseEvent.objects.filter(case=case).values_list("source", "target")) == [
        (Status.SUBMITTED, Status.REGISTERED),
        (Status.REGISTERED, Status.IN_REVIEW),
    ]
