"""The one django-ninja API: every app adds its router from its own `api.py`."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from uslugi.applications.api import router as applications_router
from uslugi.catalogue.api import router as catalogue_router
from uslugi.core.errors import UserFacingError
from uslugi.quality.api import router as quality_router
from uslugi.roadmap.api import router as roadmap_router
from uslugi.situations.api import router as situations_router
from uslugi.support.api import router as support_router
from uslugi.workdays.api import router as workdays_router

api = NinjaAPI(
    title="Uslugi API",
    version="1",
    description="Public services of a region: catalogue, calendars and deadlines.",
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Malformed input is the caller's mistake: 400 with the reason, never 422 or 500."""
    reasons = []
    for error in exc.errors:
        location = ".".join(
            str(part) for part in error.get("loc", []) if part not in {"query", "body"}
        )
        reasons.append(f"{location}: {error.get('msg', '')}" if location else error.get("msg", ""))
    return api.create_response(
        request, {"detail": _("Invalid request."), "errors": reasons}, status=400
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc) or _("Not found.")
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(UserFacingError)
def rule_broken(request: HttpRequest, exc: UserFacingError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


api.add_router("/", catalogue_router)
api.add_router("/", workdays_router)
api.add_router("/", applications_router)
api.add_router("/", situations_router)
api.add_router("/", quality_router)
api.add_router("/", roadmap_router)
api.add_router("/", support_router)
