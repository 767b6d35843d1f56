"""Applications and cases API: what a citizen and an official do in the UI, with the same rules.

Session authentication (the site's login), CSRF enforced on every unsafe method. Anything outside
the caller's scope is a 404 with no trace of it; a stale `revision` is a 409; bad input a 400.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from uslugi.accounts.models import Role
from uslugi.applications import selectors, services
from uslugi.applications.errors import ApplicationIncomplete
from uslugi.applications.models import Application, Case, InteragencyRequest, Message
from uslugi.applications.schemas import (
    ApplicationOut,
    ApplicationSummaryOut,
    AssignedOut,
    AssignIn,
    BulkAssignIn,
    CaseOut,
    DecideIn,
    ErrorOut,
    ExtendIn,
    InteragencyAnswerIn,
    InteragencyRequestIn,
    InteragencyRequestOut,
    InvalidOut,
    MessageIn,
    MessageOut,
    OptionalReasonIn,
    QueueFilterIn,
    QueuePageOut,
    ReasonIn,
    RevisionIn,
    SubmitIn,
    SubmittedOut,
    SuspendIn,
    TextIn,
)
from uslugi.catalogue.models import Channel
from uslugi.core.errors import UserFacingError

router = Router(tags=["applications"], auth=django_auth)

QUEUE_PAGE = 50
IDEMPOTENCY_KEY_LENGTH = 100
ERRORS: dict[int, Any] = {400: InvalidOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
OPERATOR_CHANNELS = {Channel.MFC, Channel.IN_PERSON, Channel.MAIL}


class NotAnOfficial(UserFacingError):
    status = 403
    default_message = _("Only an agency's officials work with its cases.")


class NoSuchOfficial(UserFacingError):
    default_message = _("There is no such official in your agency.")


class BadIdempotencyKey(UserFacingError):
    default_message = _("The Idempotency-Key header must be 1 to 100 characters long.")


def _caller(request: HttpRequest) -> Any:
    """The authenticated user (django_auth has let only them through)."""
    return request.user


# Citizens (and MFC operators for them) ---------------------------------------------------------


@router.post("/applications", response={201: SubmittedOut, **ERRORS})
def submit_application(request: HttpRequest, payload: SubmitIn) -> Any:
    """Submit complete answers against the form version in force; a repeated Idempotency-Key of
    the same caller answers with the application the first call created, and creates nothing."""
    user = _caller(request)
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 0 < len(key.strip()) <= IDEMPOTENCY_KEY_LENGTH:
        raise BadIdempotencyKey()
    channel = Channel.PORTAL
    if user.role == Role.MFC_OPERATOR:
        channel = payload.channel if payload.channel in OPERATOR_CHANNELS else Channel.MFC
    service = selectors.get_service_to_apply(
        region_code=payload.service.region, code=payload.service.code
    )
    try:
        application = services.submit_answers(
            service=service,
            answers=payload.answers,
            submitter=user,
            idempotency_key=(key or "").strip(),
            channel=channel,
        )
    except ApplicationIncomplete as error:
        return Status(400, {"detail": error.message, "errors": error.reasons})
    return Status(201, application)


@router.get("/applications", response=list[ApplicationSummaryOut])
@paginate(PageNumberPagination)
def list_my_applications(request: HttpRequest) -> QuerySet[Application]:
    return selectors.list_my_applications(_caller(request))


@router.get("/applications/{number}", response={200: ApplicationOut, **ERRORS})
def get_my_application(request: HttpRequest, number: str) -> Application:
    return selectors.get_my_application(_caller(request), number)


@router.post("/applications/{number}/withdraw", response={200: ApplicationOut, **ERRORS})
def withdraw_application(request: HttpRequest, number: str, payload: RevisionIn) -> Application:
    application = selectors.get_my_application(_caller(request), number)
    services.withdraw_application(
        case=application.case, user=_caller(request), revision=payload.revision
    )
    return selectors.get_my_application(_caller(request), number)


@router.post("/applications/{number}/correction", response={200: ApplicationOut, **ERRORS})
def answer_correction(request: HttpRequest, number: str, payload: TextIn) -> Application:
    application = selectors.get_my_application(_caller(request), number)
    services.answer_correction(
        case=application.case, user=_caller(request), revision=payload.revision, text=payload.text
    )
    return selectors.get_my_application(_caller(request), number)


@router.get("/applications/{number}/messages", response={200: list[MessageOut], **ERRORS})
def list_my_messages(request: HttpRequest, number: str) -> list[Message]:
    return list(selectors.get_my_application(_caller(request), number).case.messages.all())


@router.post("/applications/{number}/messages", response={201: MessageOut, **ERRORS})
def send_my_message(request: HttpRequest, number: str, payload: MessageIn) -> Any:
    application = selectors.get_my_application(_caller(request), number)
    message = services.send_message(case=application.case, user=_caller(request), text=payload.text)
    return Status(201, message)


@router.get("/applications/{number}/result", response={200: None, **ERRORS})
def download_result(request: HttpRequest, number: str) -> FileResponse:
    application = selectors.get_my_application(_caller(request), number)
    if not application.case.result_file:
        raise Http404(_("There is no result yet."))
    return FileResponse(
        application.case.result_file.open("rb"), as_attachment=True, filename=f"{number}.pdf"
    )


# Officials -------------------------------------------------------------------------------------


def _official(request: HttpRequest) -> Any:
    user = _caller(request)
    if user.role != Role.OFFICIAL or user.agency_id is None or user.region_id is None:
        raise NotAnOfficial()
    return user


def _case(request: HttpRequest, case_id: int) -> Case:
    return selectors.get_case_for_official(_official(request), case_id)


@router.get("/cases", response={200: QueuePageOut, **ERRORS})
def list_queue(request: HttpRequest, filters: Query[QueueFilterIn]) -> dict[str, Any]:
    """The agency's cases by legal deadline. Pages carry `has_next` rather than a total: counting
    millions of cases would cost more than the page itself."""
    user = _official(request)
    cases = selectors.list_queue(user)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.sla_state:
        cases = cases.filter(sla_state=filters.sla_state)
    if filters.service:
        cases = cases.filter(service__code=filters.service)
    if filters.assignee == "me":
        cases = cases.filter(assignee=user)
    elif filters.assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    elif filters.assignee:
        cases = cases.filter(assignee__username=filters.assignee)
    start = (filters.page - 1) * QUEUE_PAGE
    items = list(cases[start : start + QUEUE_PAGE + 1])
    return {
        "items": items[:QUEUE_PAGE],
        "page": filters.page,
        "has_next": len(items) > QUEUE_PAGE,
    }


def _assignee(user: Any, username: str | None) -> Any:
    if username is None:
        return None
    colleague = selectors.list_colleagues(user).filter(username=username).first()
    if colleague is None:
        raise NoSuchOfficial()
    return colleague


@router.post("/cases/assign", response={200: AssignedOut, **ERRORS})
def assign_cases(request: HttpRequest, payload: BulkAssignIn) -> dict[str, int]:
    """Give several cases of the queue to one official (or take them back with null)."""
    user = _official(request)
    wanted = set(payload.cases)
    cases = list(selectors.list_queue(user).filter(pk__in=wanted))
    if len(cases) != len(wanted):
        raise Http404(_("There is no such case."))
    count = services.assign_cases(
        cases=cases, assignee=_assignee(user, payload.assignee), user=user
    )
    return {"assigned": count}


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS})
def get_case(request: HttpRequest, case_id: int) -> Case:
    return _case(request, case_id)


@router.post("/cases/{case_id}/register", response={200: CaseOut, **ERRORS})
def register_case(request: HttpRequest, case_id: int, payload: RevisionIn) -> Case:
    case = _case(request, case_id)
    services.register_case(case=case, user=_caller(request), revision=payload.revision)
    return _case(request, case_id)


@router.post("/cases/{case_id}/refuse-to-accept", response={200: CaseOut, **ERRORS})
def refuse_to_accept(request: HttpRequest, case_id: int, payload: ReasonIn) -> Case:
    case = _case(request, case_id)
    services.refuse_to_accept(
        case=case, user=_caller(request), revision=payload.revision, reason=payload.reason
    )
    return _case(request, case_id)


@router.post("/cases/{case_id}/start-review", response={200: CaseOut, **ERRORS})
def start_review(request: HttpRequest, case_id: int, payload: RevisionIn) -> Case:
    case = _case(request, case_id)
    services.start_review(case=case, user=_caller(request), revision=payload.revision)
    return _case(request, case_id)


@router.post("/cases/{case_id}/suspend", response={200: CaseOut, **ERRORS})
def suspend_case(request: HttpRequest, case_id: int, payload: SuspendIn) -> Case:
    case = _case(request, case_id)
    services.suspend_case(
        case=case,
        user=_caller(request),
        revision=payload.revision,
        until=payload.until,
        reason=payload.reason,
    )
    return _case(request, case_id)


@router.post("/cases/{case_id}/resume", response={200: CaseOut, **ERRORS})
def resume_case(request: HttpRequest, case_id: int, payload: OptionalReasonIn) -> Case:
    case = _case(request, case_id)
    services.resume_case(
        case=case, user=_caller(request), revision=payload.revision, reason=payload.reason
    )
    return _case(request, case_id)


@router.post("/cases/{case_id}/request-correction", response={200: CaseOut, **ERRORS})
def request_correction(request: HttpRequest, case_id: int, payload: TextIn) -> Case:
    case = _case(request, case_id)
    services.request_correction(
        case=case, user=_caller(request), revision=payload.revision, text=payload.text
    )
    return _case(request, case_id)


@router.post("/cases/{case_id}/extend", response={200: CaseOut, **ERRORS})
def extend_term(request: HttpRequest, case_id: int, payload: ExtendIn) -> Case:
    case = _case(request, case_id)
    services.extend_term(
        case=case,
        user=_caller(request),
        revision=payload.revision,
        days=payload.days,
        reason=payload.reason,
    )
    return _case(request, case_id)


@router.post("/cases/{case_id}/decide", response={200: CaseOut, **ERRORS})
def decide_case(request: HttpRequest, case_id: int, payload: DecideIn) -> Case:
    case = _case(request, case_id)
    services.decide_case(
        case=case,
        user=_caller(request),
        revision=payload.revision,
        approved=payload.approved,
        text=payload.text,
    )
    return _case(request, case_id)


@router.post("/cases/{case_id}/assign", response={200: CaseOut, **ERRORS})
def assign_case(request: HttpRequest, case_id: int, payload: AssignIn) -> Case:
    case = _case(request, case_id)
    services.assign_cases(
        cases=[case], assignee=_assignee(_caller(request), payload.assignee), user=_caller(request)
    )
    return _case(request, case_id)


@router.get("/cases/{case_id}/messages", response={200: list[MessageOut], **ERRORS})
def list_case_messages(request: HttpRequest, case_id: int) -> list[Message]:
    return list(_case(request, case_id).messages.all())


@router.post("/cases/{case_id}/messages", response={201: MessageOut, **ERRORS})
def send_case_message(request: HttpRequest, case_id: int, payload: MessageIn) -> Any:
    case = _case(request, case_id)
    return Status(201, services.send_message(case=case, user=_caller(request), text=payload.text))


@router.get(
    "/cases/{case_id}/interagency-requests",
    response={200: list[InteragencyRequestOut], **ERRORS},
)
def list_interagency_requests(request: HttpRequest, case_id: int) -> list[InteragencyRequest]:
    return list(_case(request, case_id).interagency_requests.all())


@router.post(
    "/cases/{case_id}/interagency-requests", response={201: InteragencyRequestOut, **ERRORS}
)
def send_interagency_request(
    request: HttpRequest, case_id: int, payload: InteragencyRequestIn
) -> Any:
    case = _case(request, case_id)
    sent = services.send_interagency_request(
        case=case, user=_caller(request), document=payload.document, recipient=payload.recipient
    )
    return Status(201, sent)


@router.post(
    "/cases/{case_id}/interagency-requests/{request_id}/answer",
    response={200: InteragencyRequestOut, **ERRORS},
)
def record_interagency_answer(
    request: HttpRequest, case_id: int, request_id: int, payload: InteragencyAnswerIn
) -> InteragencyRequest:
    case = _case(request, case_id)
    interagency = case.interagency_requests.filter(pk=request_id).first()
    if interagency is None:
        raise Http404(_("There is no such request."))
    return services.record_interagency_answer(
        request=interagency, user=_caller(request), answer=payload.answer
    )
