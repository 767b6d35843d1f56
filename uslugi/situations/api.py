"""Life situations API: a whole package in one request, and the package's state.

Session authentication (the site's login) with CSRF, as the applications API. A package is read
only by its applicant (a 404 otherwise); bad answers are a 400 with every reason.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import django_auth

from uslugi.core.errors import UserFacingError
from uslugi.situations import progress, selectors, services
from uslugi.situations.errors import PackageIncomplete, SituationNotInForce
from uslugi.situations.models import Package

router = Router(tags=["life situations"], auth=django_auth)
IDEMPOTENCY_KEY_LENGTH = 100


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: list[str]


ERRORS: dict[int, Any] = {400: InvalidOut, 404: ErrorOut, 409: ErrorOut}


class PackageIn(Schema):
    questions: dict[str, Any]
    answers: dict[str, Any] = {}


class ItemOut(Schema):
    key: str
    service: str
    service_name: str
    proactive: bool
    state: str
    reason: str
    waits_for: list[str]
    application: str | None
    case_status: str | None
    due_date: date | None


class PackageOut(Schema):
    id: UUID
    region: str
    situation: str
    version: int
    status: str
    created_at: datetime
    items: list[ItemOut]


class BadIdempotencyKey(UserFacingError):
    default_message = _("The Idempotency-Key header must be 1 to 100 characters long.")


def _out(package: Package) -> dict[str, Any]:
    items = list(package.items.select_related("service", "application__case"))
    rows = []
    for item in items:
        case = getattr(item.application, "case", None) if item.application else None
        rows.append(
            {
                "key": item.key,
                "service": item.service.code,
                "service_name": item.service.name,
                "proactive": item.proactive,
                "state": item.state,
                "reason": item.reason,
                "waits_for": item.waits_for,
                "application": item.application.number if item.application else None,
                "case_status": case.status if case else None,
                "due_date": case.due_date if case else None,
            }
        )
    situation = package.version.situation
    return {
        "id": package.pk,
        "region": situation.region.code,
        "situation": situation.code,
        "version": package.version.number,
        "status": progress.composite_status(items),
        "created_at": package.created_at,
        "items": rows,
    }


@router.post("/situations/{region}/{code}/packages", response={201: PackageOut, **ERRORS})
def submit_package(request: HttpRequest, region: str, code: str, payload: PackageIn) -> Any:
    """File the whole package at once: `questions` answer the questionnaire, `answers` the
    combined form (shared facts by key, a service's own fields as `{item}__{key}`). A repeated
    Idempotency-Key of the same caller answers with the first package and creates nothing."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 0 < len(key.strip()) <= IDEMPOTENCY_KEY_LENGTH:
        raise BadIdempotencyKey()
    situation = selectors.get_situation(region_code=region, code=code)
    version = selectors.version_in_force(situation)
    if version is None:
        raise SituationNotInForce()
    try:
        package = services.submit_package(
            version=version,
            questions=payload.questions,
            answers=payload.answers,
            submitter=request.user,
            idempotency_key=(key or "").strip(),
        )
    except PackageIncomplete as error:
        return Status(400, {"detail": error.message, "errors": error.reasons})
    return Status(201, _out(package))


@router.get("/packages/{package_id}", response={200: PackageOut, **ERRORS})
def get_package(request: HttpRequest, package_id: str) -> Any:
    return _out(selectors.get_my_package(request.user, package_id))
