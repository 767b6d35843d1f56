"""Error pages: clear words in the visitor's language, never a traceback."""

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": message}, status=status)
    # An error page echoes nothing of the address: a denial leaves no trace of what was asked.
    context = {"title": title, "message": message, "language_next": "/"}
    return render(request, "core/error.html", context, status=status)


def error_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """The page for a broken rule with its own status (see UserFacingErrorMiddleware)."""
    titles = {
        400: _("Bad request"),
        403: _("Access denied"),
        404: _("Page not found"),
        409: _("Conflict"),
    }
    return _error_page(request, status, titles.get(status, _("Bad request")), message)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request, 403, _("Access denied"), _("You do not have permission to open this page.")
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        404,
        _("Page not found"),
        _("There is no such page. Check the address or find the service in the catalogue."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        500,
        _("Something went wrong"),
        _("We are already looking into it. Try again later."),
    )


def public_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Serve a public upload (a curator's photo) from MEDIA_ROOT as configured at request time."""
    from django.conf import settings
    from django.views.static import serve

    return serve(request, path, document_root=str(settings.MEDIA_ROOT))
