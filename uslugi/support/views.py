"""The citizen's side: the recommended set from a profile, and proactive offers.

The profile typed into the form lives only in the request: nothing about the citizen is saved
unless they act (accept an offer, start an application).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uslugi.core.http import is_htmx_for
from uslugi.support import selectors, services
from uslugi.support.forms import REGIONS, ProfileForm, initial_from_profile

RESULTS = "recommended-results"


def recommended(request: HttpRequest) -> HttpResponse:
    """The profile form and, once answered, the measures due, almost due and undecided."""
    person = selectors.get_my_profile(request.user)
    result = None
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            result = selectors.recommended_set(
                form.profile(), region_code=form.cleaned_data["region"]
            )
    elif person is not None and request.GET.get("from_registry") == "1":
        profile = selectors.as_profile(person)
        form = ProfileForm(initial=initial_from_profile(profile))
        result = selectors.recommended_set(profile, region_code=person.region.code)
    else:
        region = request.GET.get("region", "")
        if region not in dict(REGIONS):
            region = person.region.code if person else "56"
        form = ProfileForm(initial={"region": region})
    template = "support/recommended.html"
    if is_htmx_for(request, RESULTS):
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "result": result,
            "starts": selectors.start_urls(result),
            "person": person,
            "today": timezone.localdate(),
        },
    )


@login_required
def offers(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "support/offers.html",
        {"offers": selectors.list_my_offers(request.user)},
    )


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.get_my_offer(request.user, pk)
    services.accept_offer(offer=offer, user=request.user)
    messages.success(
        request,
        _("Thank you: “%(measure)s” is accepted. The agency will tell you its decision.")
        % {"measure": offer.service.name},
    )
    return redirect("support:offers")
