"""What the support app adds to pages of lower apps (see uslugi.core.hooks)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from uslugi.catalogue.models import Service, ServiceKind
from uslugi.core.hooks import Action


def service_actions(request: HttpRequest, service: Service) -> list[Action]:
    """A support measure's page links to the check of what is due to the citizen."""
    if service.kind != ServiceKind.SUPPORT_MEASURE:
        return []
    url = reverse("support:recommended") + f"?region={service.region.code}"
    return [Action(label=_("Check whether it is due to me"), url=url, primary=False)]
