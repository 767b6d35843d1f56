"""The applications app owns applications, cases, their history, messages and notifications.

An application comes in through a channel (portal, MFC, in person, mail), bound to the variant
version in force, and becomes one case for the responsible agency with its legal deadline from the
region's production calendar. Officials move cases through the workflow table (workflow.py); each
change checks who may make it, refuses a stale action (optimistic locking), writes the case's
history and an audit event, and notifies the applicant.
"""

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.accounts.models import Role
from uslugi.applications import notifications
from uslugi.applications.errors import (
    ApplicationIncomplete,
    CaseChangedMeanwhile,
    FormVersionChanged,
    NotAcceptingApplications,
    NotYourCase,
    ReasonRequired,
    TransitionNotAllowed,
)
from uslugi.applications.models import (
    Application,
    Case,
    CaseEvent,
    InteragencyRequest,
    Message,
    SlaState,
)
from uslugi.applications.workflow import (
    CLOCK_STOPPED,
    DECIDED,
    FINAL,
    Actor,
    Status,
    find_transition,
)
from uslugi.catalogue.models import Channel, Service
from uslugi.constructor import engine
from uslugi.constructor import selectors as constructor_selectors
from uslugi.constructor.models import FormDraft, VariantVersion
from uslugi.core import hooks, sql
from uslugi.core.services import queue_event, record_event
from uslugi.workdays import selectors as workdays
from uslugi.workdays.calendar import ProductionCalendar
from uslugi.workdays.deadlines import DeadlineInputs, TermKind
from uslugi.workdays.deadlines import Extension as TermExtension
from uslugi.workdays.deadlines import Suspension as ClockStop

# 210-FZ art. 7.2 part 3: an interagency request is answered within 5 working days.
INTERAGENCY_ANSWER_DAYS = 5
AT_RISK_WORKING_DAYS = 2


def _number(region_code: str, received: datetime) -> str:
    return f"{region_code}-{timezone.localtime(received):%Y%m%d}-{uuid.uuid4().hex[:8].upper()}"


def validate_answers(version: VariantVersion, answers: dict[str, Any]) -> dict[str, Any]:
    """Every step of the form must validate with these answers; returns the applicable ones.

    Refused answers raise ApplicationIncomplete carrying each field's reason ("key: message"),
    as the step forms word them (engine.check_answers decides as they do, in one pass).
    """
    checked = engine.check_answers(
        version.definition,
        answers,
        constructor_selectors.analysis_of(version),
        unexplained=ApplicationIncomplete.default_message,
    )
    if checked.reasons:
        raise ApplicationIncomplete(reasons=checked.reasons)
    return checked.answers


def _applicant_contact(answers: dict[str, Any]) -> dict[str, str]:
    name = " ".join(
        str(answers.get(key) or "") for key in ("last_name", "first_name", "middle_name")
    )
    return {
        "applicant_name": " ".join(name.split()),
        "applicant_email": str(answers.get("email") or ""),
        "applicant_phone": str(answers.get("phone") or ""),
    }


def submit_application(
    *,
    draft: FormDraft,
    submitter: Any,
    idempotency_key: str = "",
    channel: str = Channel.PORTAL,
    applicant: Any = None,
    received_at: datetime | None = None,
) -> Application:
    """Turn a completed draft into an application and its case; a repeat returns the first one.

    Repeats are recognised by the draft (a double click) and by `idempotency_key` (a retry after a
    timeout, an API client's Idempotency-Key).
    """
    key = idempotency_key or f"draft:{draft.pk}"
    existing = _submitted(submitter, key) or Application.objects.filter(draft=draft).first()
    if existing:
        return existing
    service = draft.version.variant.service
    in_force = constructor_selectors.version_in_force(service)
    if in_force is None:
        raise NotAcceptingApplications()
    if in_force.pk != draft.version_id:
        raise FormVersionChanged()
    return _file_application(
        version=in_force,
        answers=validate_answers(in_force, draft.answers),
        submitter=submitter,
        key=key,
        channel=channel,
        applicant=applicant,
        received_at=received_at,
        draft=draft,
    )


def submit_answers(
    *,
    service: Service,
    answers: dict[str, Any],
    submitter: Any,
    idempotency_key: str = "",
    channel: str = Channel.PORTAL,
    applicant: Any = None,
    received_at: datetime | None = None,
) -> Application:
    """Submit answers sent whole (the API) against the version in force; same path as a draft's.

    A repeated `idempotency_key` of the same submitter returns the first application; without a
    key every call is a new application.

    A first submission is not looked up beforehand: the key's unique constraint refuses a repeat at
    its insert, which then answers with the first application (one query fewer on every first
    submission, the common case). A repeat that could not be filed now (the form has changed
    since, or is closed) is looked up before the refusal is raised.
    """
    key = idempotency_key or f"once:{uuid.uuid4().hex}"
    try:
        in_force = constructor_selectors.version_in_force(service)
        if in_force is None:
            raise NotAcceptingApplications()
        return _file_application(
            version=in_force,
            answers=validate_answers(in_force, answers),
            submitter=submitter,
            key=key,
            channel=channel,
            applicant=applicant,
            received_at=received_at,
            draft=None,
        )
    except (NotAcceptingApplications, ApplicationIncomplete):
        existing = _submitted(submitter, key) if idempotency_key else None
        if existing is None:
            raise
        return existing


def _file_application(
    *,
    version: VariantVersion,
    answers: dict[str, Any],
    submitter: Any,
    key: str,
    channel: str,
    applicant: Any,
    received_at: datetime | None,
    draft: FormDraft | None,
) -> Application:
    """Write the application, its case, history, audit row and notification in one transaction.

    Everything is worked out before the transaction opens — validation, the calendar, the
    deadline, and every row with its values (`sql.Writes`): on SQLite a write transaction holds
    the database's one write lock, and intake is the busiest writer.
    """
    service = version.variant.service
    received = received_at or timezone.now()
    if channel == Channel.PORTAL and applicant is None:
        applicant = submitter
    application = Application(
        number=_number(service.region.code, received),
        version=version,
        service=service,
        region=service.region,
        applicant=applicant,
        submitted_by=submitter,
        channel=channel,
        answers=answers,
        received_at=received,
        idempotency_key=key,
        draft=draft,
        **_applicant_contact(answers),
    )
    case = _new_case(application)
    writes = sql.Writes()
    # The application's insert comes first, so a repeat refused by its unique key (the
    # idempotency key, or the draft) rolls back nothing else and needs no savepoint of its own.
    writes.insert(application)
    _open_case(case, writes)
    queue_event(
        writes,
        actor=submitter,
        verb="application.submitted",
        target=application,
        data=lambda: {"channel": channel, "case": case.pk, "due_date": case.due_date},
    )
    try:
        with transaction.atomic():
            writes.write()
    except IntegrityError:
        # A retry (or its concurrent twin) filed first: answer with that application.
        winner = _submitted(submitter, key) or (
            Application.objects.filter(draft=draft).first() if draft is not None else None
        )
        if winner is None:
            raise
        return winner
    return application


def _submitted(submitter: Any, key: str) -> Application | None:
    """The application `submitter` filed under the idempotency `key`, if any."""
    return Application.objects.filter(submitted_by=submitter, idempotency_key=key).first()


def _deadline(
    case: Case, received: datetime, suspensions: list[ClockStop], extensions: list[TermExtension]
) -> Any:
    return workdays.get_deadline(
        region=case.region.code,
        inputs=DeadlineInputs(
            received=received,
            term=case.term,
            kind=TermKind(case.term_kind),
            suspensions=tuple(suspensions),
            extensions=tuple(extensions),
        ),
    )


def _new_case(application: Application) -> Case:
    """The case an application opens, with its deadline from the region's calendar (unsaved)."""
    version = application.version
    if version.agency is None or version.term is None:
        raise NotAcceptingApplications()
    case = Case(
        application=application,
        agency=version.agency,
        region=application.region,
        service=application.service,
        term=version.term,
        term_kind=version.term_kind,
    )
    deadline = _deadline(case, application.received_at, [], [])
    case.registered_on = deadline.registered_on
    case.due_date = deadline.due_date
    case.provisional = deadline.provisional
    case.explanation = deadline.as_dict()
    return case


def _open_case(case: Case, writes: sql.Writes) -> None:
    """Queue the new case of an application queued just before it, its first history row, its
    notification and what other apps write when a case opens (hook "case_opened")."""
    writes.insert(case)
    event = CaseEvent(
        case=case, kind="transition", target=Status.SUBMITTED, actor=case.application.submitted_by
    )
    writes.insert(event)
    notifications.queue_status_notification(writes, case, event)
    hooks.call("case_opened", case, writes)


@transaction.atomic
def restart_clock(*, case: Case, starts_at: datetime, reason: str) -> Case:
    """Count the case's term from `starts_at` instead of its receipt.

    For a case filed inside a life situation that waits for another service's decision (the
    certificate needs the registered birth): its term runs from that decision, not from the day
    the package was sent. Later suspensions and extensions count from `starts_at` too.
    """
    case.clock_starts_at = starts_at
    deadline = _deadline(case, starts_at, [], [])
    case.registered_on = deadline.registered_on
    case.due_date = deadline.due_date
    case.provisional = deadline.provisional
    case.explanation = deadline.as_dict()
    Case.objects.filter(pk=case.pk).update(
        clock_starts_at=starts_at,
        registered_on=case.registered_on,
        due_date=case.due_date,
        provisional=case.provisional,
        explanation=case.explanation,
    )
    data = {"starts_at": starts_at.isoformat(), "due_date": case.due_date.isoformat()}
    CaseEvent.objects.create(case=case, kind="clock_restarted", reason=reason, data=data)
    record_event(actor=None, verb="case.clock_restarted", target=case, data=data)
    return case


def recalculate_deadline(case: Case) -> None:
    """Recount the due date from the suspensions and extensions the case has now (BRIEF §6)."""
    today = timezone.localdate()
    stops = []
    for suspension in case.suspensions.all():
        end = suspension.ends_on or suspension.planned_until or today
        if end >= suspension.starts_on:
            stops.append(ClockStop(suspension.starts_on, end, suspension.reason))
    extensions = [
        TermExtension(extension.days, extension.reason) for extension in case.extensions.all()
    ]
    start = case.clock_starts_at or case.application.received_at
    deadline = _deadline(case, start, stops, extensions)
    case.due_date = deadline.due_date
    case.provisional = deadline.provisional
    case.explanation = deadline.as_dict()


# Who acts --------------------------------------------------------------------------------------


def actor_role(case: Case, user: Any) -> Actor:
    """The workflow role `user` plays on `case`, or NotYourCase (a 404: no trace of the case)."""
    if user is None or not user.is_authenticated:
        raise NotYourCase()
    if (
        user.role == Role.OFFICIAL
        and user.region_id == case.region_id
        and user.agency_id == case.agency_id
    ):
        return Actor.OFFICIAL
    if case.application.applicant_id == user.pk:
        return Actor.APPLICANT
    raise NotYourCase()


def _change(
    case: Case,
    *,
    user: Any,
    revision: int,
    target: Status,
    reason: str = "",
    data: dict[str, Any] | None = None,
    actor: Actor | None = None,
) -> CaseEvent:
    """Check the transition, apply it unless someone changed the case since `revision`."""
    role = actor or actor_role(case, user)
    if case.revision != revision:
        # The actor decided on an older state: say so, rather than judge the action by the new one.
        raise CaseChangedMeanwhile()
    transition = find_transition(case.status, target, role)
    if transition is None:
        raise TransitionNotAllowed()
    if transition.needs_reason and not reason.strip():
        raise ReasonRequired()
    source = case.status
    fields = {"status": target, "revision": F("revision") + 1, "updated_at": timezone.now()}
    updated = Case.objects.filter(pk=case.pk, revision=revision, status=source).update(**fields)
    if updated != 1:
        raise CaseChangedMeanwhile()
    case.status = target
    case.revision = revision + 1
    event = CaseEvent.objects.create(
        case=case,
        kind="transition",
        source=source,
        target=target,
        actor=user if role != Actor.SYSTEM else None,
        reason=reason,
        data=data or {},
    )
    record_event(
        actor=user,
        verb=f"case.{target}",
        target=case,
        data={"from": source, "reason": reason, **(data or {})},
    )
    return event


def _save_deadline(case: Case) -> None:
    recalculate_deadline(case)
    Case.objects.filter(pk=case.pk).update(
        due_date=case.due_date, provisional=case.provisional, explanation=case.explanation
    )


@transaction.atomic
def register_case(*, case: Case, user: Any, revision: int) -> Case:
    event = _change(case, user=user, revision=revision, target=Status.REGISTERED)
    notifications.notify_status(case, event_id=event.pk)
    return case


@transaction.atomic
def refuse_to_accept(*, case: Case, user: Any, revision: int, reason: str) -> Case:
    event = _change(
        case, user=user, revision=revision, target=Status.REFUSED_TO_ACCEPT, reason=reason
    )
    notifications.notify_status(case, event_id=event.pk, reason=reason)
    hooks.call("case_closed", case)
    return case


@transaction.atomic
def start_review(*, case: Case, user: Any, revision: int) -> Case:
    if case.status == Status.SUBMITTED:
        register_case(case=case, user=user, revision=revision)
        revision = case.revision
    event = _change(case, user=user, revision=revision, target=Status.IN_REVIEW)
    notifications.notify_status(case, event_id=event.pk)
    return case


@transaction.atomic
def suspend_case(*, case: Case, user: Any, revision: int, until: date, reason: str) -> Case:
    """Stop the case's clock until `until`; the remaining term resumes after it."""
    today = timezone.localdate()
    if until < today:
        raise TransitionNotAllowed(_("The suspension must last until today or later."))
    event = _change(
        case,
        user=user,
        revision=revision,
        target=Status.SUSPENDED,
        reason=reason,
        data={"until": until.isoformat()},
    )
    case.suspensions.create(kind="suspension", starts_on=today, planned_until=until, reason=reason)
    _save_deadline(case)
    notifications.notify_status(case, event_id=event.pk, reason=reason)
    return case


def _close_clock_stop(case: Case) -> None:
    """The clock runs again from today: the open stop ends yesterday (gone if it began today)."""
    today = timezone.localdate()
    for suspension in case.suspensions.filter(ends_on__isnull=True):
        if suspension.starts_on >= today:
            suspension.delete()
        else:
            suspension.ends_on = today - timedelta(days=1)
            suspension.save(update_fields=["ends_on"])


@transaction.atomic
def resume_case(*, case: Case, user: Any, revision: int, reason: str = "") -> Case:
    event = _change(case, user=user, revision=revision, target=Status.IN_REVIEW, reason=reason)
    _close_clock_stop(case)
    _save_deadline(case)
    notifications.notify_status(case, event_id=event.pk)
    return case


@transaction.atomic
def request_correction(*, case: Case, user: Any, revision: int, text: str) -> Case:
    """Ask the applicant for corrections; the clock waits for them (awaiting_applicant)."""
    event = _change(
        case, user=user, revision=revision, target=Status.AWAITING_APPLICANT, reason=text
    )
    case.suspensions.create(kind="awaiting_applicant", starts_on=timezone.localdate(), reason=text)
    Message.objects.create(case=case, author=user, from_applicant=False, text=text)
    _save_deadline(case)
    notifications.notify_status(case, event_id=event.pk, reason=text)
    return case


@transaction.atomic
def answer_correction(*, case: Case, user: Any, revision: int, text: str) -> Case:
    """The applicant answers a request for corrections; the case returns to review."""
    if not text.strip():
        raise ReasonRequired()
    role = actor_role(case, user)
    event = _change(
        case, user=user, revision=revision, target=Status.IN_REVIEW, reason=text, actor=role
    )
    Message.objects.create(
        case=case, author=user, from_applicant=role == Actor.APPLICANT, text=text
    )
    _close_clock_stop(case)
    _save_deadline(case)
    notifications.notify_status(case, event_id=event.pk)
    return case


@transaction.atomic
def decide_case(*, case: Case, user: Any, revision: int, approved: bool, text: str) -> Case:
    """Approve or refuse; the result document is rendered from the variant's result template."""
    target = Status.APPROVED if approved else Status.REFUSED
    event = _change(case, user=user, revision=revision, target=target, reason=text)
    case.decided_at = timezone.now()
    case.decision_text = text
    from uslugi.applications.results import render_result

    render_result(case)
    Case.objects.filter(pk=case.pk).update(
        decided_at=case.decided_at, decision_text=text, result_file=case.result_file.name
    )
    notifications.notify_status(case, event_id=event.pk, reason=text)
    # Apps above (life situations) start what waited for this decision, in the same transaction.
    hooks.call("case_decided", case)
    return case


@transaction.atomic
def withdraw_application(*, case: Case, user: Any, revision: int) -> Case:
    event = _change(
        case,
        user=user,
        revision=revision,
        target=Status.WITHDRAWN,
        actor=Actor.APPLICANT if actor_role(case, user) == Actor.APPLICANT else Actor.OFFICIAL,
    )
    notifications.notify_status(case, event_id=event.pk)
    hooks.call("case_closed", case)
    return case


@transaction.atomic
def extend_term(*, case: Case, user: Any, revision: int, days: int, reason: str) -> Case:
    """Add days of the term's kind, with a reason; the due date moves accordingly."""
    role = actor_role(case, user)
    if role == Actor.OFFICIAL and case.revision != revision:
        raise CaseChangedMeanwhile()
    if role != Actor.OFFICIAL or case.status in {
        *DECIDED,
        Status.WITHDRAWN,
        Status.REFUSED_TO_ACCEPT,
    }:
        raise TransitionNotAllowed()
    if not reason.strip():
        raise ReasonRequired()
    updated = Case.objects.filter(pk=case.pk, revision=revision).update(revision=F("revision") + 1)
    if updated != 1:
        raise CaseChangedMeanwhile()
    case.revision = revision + 1
    case.extensions.create(days=days, reason=reason)
    _save_deadline(case)
    CaseEvent.objects.create(
        case=case,
        kind="extension",
        actor=user,
        reason=reason,
        data={"days": days, "due_date": case.due_date.isoformat()},
    )
    record_event(
        actor=user, verb="case.extended", target=case, data={"days": days, "reason": reason}
    )
    return case


@transaction.atomic
def assign_cases(*, cases: list[Case], assignee: Any, user: Any) -> int:
    """Give cases to an official of the same agency and region (bulk assignment from the queue)."""
    count = 0
    for case in cases:
        if actor_role(case, user) != Actor.OFFICIAL:
            raise NotYourCase()
        if assignee is not None and (
            assignee.role != Role.OFFICIAL
            or assignee.agency_id != case.agency_id
            or assignee.region_id != case.region_id
        ):
            raise TransitionNotAllowed(
                _("Cases can be given only to officials of the same agency.")
            )
        Case.objects.filter(pk=case.pk).update(assignee=assignee, revision=F("revision") + 1)
        CaseEvent.objects.create(
            case=case,
            kind="assignment",
            actor=user,
            data={"assignee": assignee.pk if assignee else None},
        )
        record_event(
            actor=user,
            verb="case.assigned",
            target=case,
            data={"assignee": assignee.pk if assignee else None},
        )
        count += 1
    return count


@transaction.atomic
def send_message(*, case: Case, user: Any, text: str) -> Message:
    role = actor_role(case, user)
    if not text.strip():
        raise ReasonRequired()
    message = Message.objects.create(
        case=case, author=user, from_applicant=role == Actor.APPLICANT, text=text
    )
    record_event(actor=user, verb="case.message_sent", target=case, data={"message": message.pk})
    if role == Actor.OFFICIAL:
        application = case.application
        notifications.notify(
            case=case,
            kind="message",
            subject=_("A message about application %(number)s") % {"number": application.number},
            text=text,
            recipient=application.applicant,
            email=application.applicant_email,
            dedupe_key=f"message:{message.pk}",
        )
    return message


@transaction.atomic
def send_interagency_request(
    *, case: Case, user: Any, document: str, recipient: str
) -> InteragencyRequest:
    if actor_role(case, user) != Actor.OFFICIAL:
        raise NotYourCase()
    today = timezone.localdate()
    calendar = workdays.get_calendar(case.region.code)
    due = calendar.add_working_days(today, INTERAGENCY_ANSWER_DAYS)
    request = case.interagency_requests.create(
        document=document, recipient=recipient, sent_on=today, answer_due=due
    )
    record_event(
        actor=user,
        verb="case.interagency_requested",
        target=case,
        data={"document": document, "answer_due": due},
    )
    return request


@transaction.atomic
def record_interagency_answer(
    *, request: InteragencyRequest, user: Any, answer: str
) -> InteragencyRequest:
    if actor_role(request.case, user) != Actor.OFFICIAL:
        raise NotYourCase()
    request.answered_on = timezone.localdate()
    request.answer = answer
    request.save(update_fields=["answered_on", "answer"])
    record_event(
        actor=user,
        verb="case.interagency_answered",
        target=request.case,
        data={"request": request.pk},
    )
    return request


def sla_state_of(case: Case, today: date, calendar: ProductionCalendar | None = None) -> SlaState:
    """Overdue after the due date; at risk with two working days or fewer left. A stopped clock
    or a closed case keeps the state it had (a case decided in time never turns overdue).

    A caller going through many cases passes the region's `calendar` it already holds."""
    if case.status in CLOCK_STOPPED or case.status in FINAL:
        return SlaState(case.sla_state)
    if today > case.due_date:
        return SlaState.OVERDUE
    calendar = calendar or workdays.get_calendar(case.region.code)
    if calendar.working_days_between(today, case.due_date) <= AT_RISK_WORKING_DAYS:
        return SlaState.AT_RISK
    return SlaState.ON_TIME
