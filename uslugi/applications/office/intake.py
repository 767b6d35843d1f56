"""The MFC operator's intake: register an application on a citizen's behalf.

The operator fills in the same form as a citizen (a draft they own), and the review page offers
them the submission with the channel the citizen used (mfc, in_person or mail; see hooks.py), so
that digital take-up is measured from the channel, not guessed.
"""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uslugi.applications.office.access import list_registered_by, operator_required
from uslugi.catalogue.models import Service
from uslugi.constructor import drafts
from uslugi.constructor import selectors as constructor_selectors
from uslugi.constructor.models import VersionStatus
from uslugi.core.services import record_event


def _services_open_for_intake(user: Any) -> list[tuple[Service, Any]]:
    """The operator's region's services with a published variant version in force today."""
    candidates = (
        Service.objects.filter(
            region_id=user.region_id, variants__versions__status=VersionStatus.PUBLISHED
        )
        .select_related("region", "agency")
        .distinct()
        .order_by("name")
    )
    found = []
    for service in candidates:
        version = constructor_selectors.version_in_force(service)
        if version is not None:
            found.append((service, version))
    return found


@operator_required
def intake(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    registered = Paginator(list_registered_by(user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/office/intake.html",
        {"services": _services_open_for_intake(user), "registered": registered},
    )


@operator_required
@require_POST
def intake_start(request: HttpRequest, service_pk: int) -> HttpResponse:
    """Start a draft of the service's form in force, owned by the operator, and open its form."""
    user: Any = request.user
    service = Service.objects.filter(pk=service_pk, region_id=user.region_id).first()
    version = constructor_selectors.version_in_force(service) if service else None
    if version is None:
        raise Http404(_("This service cannot be registered here."))
    draft = drafts.start_draft(version=version, request=request)
    return redirect("constructor:form_step", draft_id=draft.pk)


@operator_required
def intake_receipt(request: HttpRequest, number: str) -> HttpResponse:
    """What the operator hands the citizen: the number, the service and the date of the answer."""
    application = list_registered_by(request.user).filter(number=number).first()
    if application is None:
        raise Http404(_("There is no such application."))
    record_event(
        actor=request.user, verb="application.viewed", target=application, data={"receipt": True}
    )
    return render(
        request,
        "applications/office/receipt.html",
        {"application": application, "case": application.case},
    )
