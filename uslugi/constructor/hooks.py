"""What the constructor adds to other apps' pages through core.hooks."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from uslugi.catalogue.models import Service
from uslugi.constructor import selectors
from uslugi.core.hooks import Action


def service_actions(request: HttpRequest, service: Service) -> list[Action]:
    """ "Apply online" on a service page, when a published variant is in force."""
    version = selectors.version_in_force(service)
    if version is None:
        return []
    return [
        Action(
            label=_("Apply online"),
            url=reverse("constructor:form_start", args=[service.region.code, service.code]),
            method="post",
            note=_("Answers are saved at every step."),
        )
    ]
