"""Who may use the office pages, and the reads they see, always scoped to the staff member."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from uslugi.accounts.models import Role
from uslugi.applications import selectors
from uslugi.applications.errors import NotYourCase
from uslugi.applications.models import Application, Case
from uslugi.catalogue.models import Channel
from uslugi.core.errors import UserFacingError

View = Callable[..., HttpResponseBase]


class OfficialsOnly(UserFacingError):
    status = 403
    default_message = _("This page is for officials of an agency.")


class OperatorsOnly(UserFacingError):
    status = 403
    default_message = _("This page is for MFC operators.")


def is_official(user: Any) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.OFFICIAL
        and user.agency_id is not None
        and user.region_id is not None
    )


def is_operator(user: Any) -> bool:
    return user.is_authenticated and user.role == Role.MFC_OPERATOR and user.region_id is not None


def official_required(view: View) -> View:
    """Anonymous visitors log in first; other roles get a plain refusal that names no case."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_official(request.user):
            raise OfficialsOnly()
        return view(request, *args, **kwargs)

    return wrapper


def case_official_required(view: View) -> View:
    """For a case's own pages: anyone but an official gets the same 404 as a missing case."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_official(request.user):
            raise NotYourCase()
        return view(request, *args, **kwargs)

    return wrapper


def operator_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_operator(request.user):
            raise OperatorsOnly()
        return view(request, *args, **kwargs)

    return wrapper


def case_in_scope(user: Any, pk: int) -> Case:
    """One case of the official's agency and region, or a 404 that says nothing about it."""
    return selectors.get_case_for_official(user, pk)


def list_registered_by(user: Any) -> QuerySet[Application]:
    """Applications the operator registered for citizens, newest first, with their cases."""
    return (
        Application.objects.filter(submitted_by=user)
        .exclude(channel=Channel.PORTAL)
        .select_related("case", "service")
        .order_by("-received_at", "-id")
    )
