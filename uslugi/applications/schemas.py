from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from uslugi.applications.models import Application, Case, CaseEvent
from uslugi.applications.workflow import Actor, Status, targets
from uslugi.catalogue.models import Channel

# Input ---------------------------------------------------------------------------------------


class ServiceRef(Schema):
    region: str = Field(max_length=8)
    code: str = Field(max_length=100)


class SubmitIn(Schema):
    service: ServiceRef
    answers: dict[str, Any]
    channel: Channel = Channel.PORTAL


class RevisionIn(Schema):
    revision: int = Field(ge=1)


class ReasonIn(RevisionIn):
    reason: str = Field(max_length=5000)


class OptionalReasonIn(RevisionIn):
    reason: str = Field("", max_length=5000)


class TextIn(RevisionIn):
    text: str = Field(max_length=5000)


class SuspendIn(ReasonIn):
    until: date


class ExtendIn(ReasonIn):
    days: int = Field(ge=1, le=365)


class DecideIn(RevisionIn):
    approved: bool
    text: str = Field("", max_length=5000)


class AssignIn(Schema):
    assignee: str | None = Field(description="An official's username; null takes the case back.")


class BulkAssignIn(AssignIn):
    cases: list[int] = Field(min_length=1, max_length=500)


class MessageIn(Schema):
    text: str = Field(max_length=5000)


class InteragencyRequestIn(Schema):
    document: str = Field(max_length=300)
    recipient: str = Field(max_length=300)


class InteragencyAnswerIn(Schema):
    answer: str = Field(max_length=5000)


class QueueFilterIn(Schema):
    status: Status | None = None
    sla_state: str | None = Field(None, pattern="^(on_time|at_risk|overdue)$")
    service: str | None = Field(None, max_length=100, description="The service's code.")
    assignee: str | None = Field(
        None, max_length=150, description='"me", "none" or an official\'s username.'
    )
    page: int = Field(1, ge=1, le=10_000)


# Output --------------------------------------------------------------------------------------


class ServiceRefOut(Schema):
    region: str
    code: str
    name: str


class EventOut(Schema):
    kind: str
    source: str
    target: str
    reason: str
    data: dict[str, Any]
    occurred_at: datetime


class SuspensionOut(Schema):
    kind: str
    starts_on: date
    ends_on: date | None
    planned_until: date | None
    reason: str


class ExtensionOut(Schema):
    days: int
    reason: str
    created_at: datetime


class MessageOut(Schema):
    id: int
    from_applicant: bool
    text: str
    created_at: datetime


class InteragencyRequestOut(Schema):
    id: int
    document: str
    recipient: str
    sent_on: date
    answer_due: date
    answered_on: date | None
    answer: str


def _service(application: Application) -> dict[str, str]:
    service = application.service
    return {"region": service.region.code, "code": service.code, "name": service.name}


class QueueItemOut(Schema):
    """One line of an official's queue."""

    id: int
    number: str
    service: str
    status: Status
    sla_state: str
    registered_on: date
    due_date: date
    provisional: bool
    applicant_name: str
    assignee: str | None
    revision: int

    @staticmethod
    def resolve_number(obj: Case) -> str:
        return obj.application.number

    @staticmethod
    def resolve_service(obj: Case) -> str:
        return obj.service.code

    @staticmethod
    def resolve_applicant_name(obj: Case) -> str:
        return obj.application.applicant_name

    @staticmethod
    def resolve_assignee(obj: Case) -> str | None:
        return obj.assignee.username if obj.assignee else None


class QueuePageOut(Schema):
    items: list[QueueItemOut]
    page: int
    has_next: bool


class CaseOut(QueueItemOut):
    """A case as its agency's official sees it, with what they may do next."""

    channel: str
    received_at: datetime
    answers: dict[str, Any]
    applicant_email: str
    applicant_phone: str
    term: int
    term_kind: str
    decided_at: datetime | None
    decision_text: str
    actions: list[Status]
    events: list[EventOut]
    suspensions: list[SuspensionOut]
    extensions: list[ExtensionOut]
    interagency_requests: list[InteragencyRequestOut]
    messages: list[MessageOut]

    @staticmethod
    def resolve_channel(obj: Case) -> str:
        return obj.application.channel

    @staticmethod
    def resolve_received_at(obj: Case) -> datetime:
        return obj.application.received_at

    @staticmethod
    def resolve_answers(obj: Case) -> dict[str, Any]:
        return obj.application.answers

    @staticmethod
    def resolve_applicant_email(obj: Case) -> str:
        return obj.application.applicant_email

    @staticmethod
    def resolve_applicant_phone(obj: Case) -> str:
        return obj.application.applicant_phone

    @staticmethod
    def resolve_actions(obj: Case) -> list[Status]:
        return targets(obj.status, Actor.OFFICIAL)

    @staticmethod
    def resolve_events(obj: Case) -> list[CaseEvent]:
        return list(obj.events.all())

    @staticmethod
    def resolve_suspensions(obj: Case) -> list[Any]:
        return list(obj.suspensions.all())

    @staticmethod
    def resolve_extensions(obj: Case) -> list[Any]:
        return list(obj.extensions.all())

    @staticmethod
    def resolve_interagency_requests(obj: Case) -> list[Any]:
        return list(obj.interagency_requests.all())

    @staticmethod
    def resolve_messages(obj: Case) -> list[Any]:
        return list(obj.messages.all())


class ApplicationSummaryOut(Schema):
    number: str
    service: ServiceRefOut
    channel: str
    received_at: datetime
    status: Status
    due_date: date

    @staticmethod
    def resolve_service(obj: Application) -> dict[str, str]:
        return _service(obj)

    @staticmethod
    def resolve_status(obj: Application) -> str:
        return obj.case.status

    @staticmethod
    def resolve_due_date(obj: Application) -> date:
        return obj.case.due_date


class CitizenEventOut(Schema):
    """A step of the case's history as the applicant reads it: no official's name."""

    kind: str
    target: str
    reason: str
    occurred_at: datetime


class ApplicationOut(ApplicationSummaryOut):
    """The citizen's own application and where its case stands."""

    answers: dict[str, Any]
    registered_on: date
    provisional: bool
    revision: int
    decision_text: str
    has_result: bool
    can_withdraw: bool
    awaiting_correction: bool
    events: list[CitizenEventOut]
    messages: list[MessageOut]

    @staticmethod
    def resolve_registered_on(obj: Application) -> date:
        return obj.case.registered_on

    @staticmethod
    def resolve_provisional(obj: Application) -> bool:
        return obj.case.provisional

    @staticmethod
    def resolve_revision(obj: Application) -> int:
        return obj.case.revision

    @staticmethod
    def resolve_decision_text(obj: Application) -> str:
        return obj.case.decision_text

    @staticmethod
    def resolve_has_result(obj: Application) -> bool:
        return bool(obj.case.result_file)

    @staticmethod
    def resolve_can_withdraw(obj: Application) -> bool:
        return Status.WITHDRAWN in targets(obj.case.status, Actor.APPLICANT)

    @staticmethod
    def resolve_awaiting_correction(obj: Application) -> bool:
        return obj.case.status == Status.AWAITING_APPLICANT

    @staticmethod
    def resolve_events(obj: Application) -> list[CaseEvent]:
        return [event for event in obj.case.events.all() if event.kind == "transition"]

    @staticmethod
    def resolve_messages(obj: Application) -> list[Any]:
        return list(obj.case.messages.all())


class SubmittedOut(Schema):
    number: str
    case: int
    status: Status
    registered_on: date
    due_date: date

    @staticmethod
    def resolve_case(obj: Application) -> int:
        return obj.case.pk

    @staticmethod
    def resolve_status(obj: Application) -> str:
        return obj.case.status

    @staticmethod
    def resolve_registered_on(obj: Application) -> date:
        return obj.case.registered_on

    @staticmethod
    def resolve_due_date(obj: Application) -> date:
        return obj.case.due_date


class AssignedOut(Schema):
    assigned: int


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: list[str]
