"""What feedback adds to other apps' pages through core.hooks."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from uslugi.applications.models import Application
from uslugi.catalogue.models import Service
from uslugi.core.hooks import Action
from uslugi.feedback import selectors, services


def application_actions(request: HttpRequest, application: Application) -> list[Action]:
    """On the citizen's application page: rate the service, see the curator's answer, complain."""
    case = application.case
    user = request.user
    if not services.is_applicant(case, user):
        return []
    number = application.number
    actions: list[Action] = []
    rating = selectors.get_my_rating(case, user)
    if rating is None and services.can_rate(case, user):
        actions.append(
            Action(label=_("Rate the service"), url=reverse("feedback:rate", args=[number]))
        )
    complaints = list(selectors.list_my_complaints(case, user))
    actions.append(
        Action(
            label=_("File a complaint"),
            url=reverse("feedback:complain", args=[number]),
            primary=False,
        )
    )
    if rating is not None or complaints:
        actions.append(
            Action(
                label=_("Your feedback"),
                url="",
                template="feedback/_application_feedback.html",
                extra={"rating": rating, "complaints": complaints},
            )
        )
    return actions


def service_actions(request: HttpRequest, service: Service) -> list[Action]:
    """On a service page: the link to its public comments."""
    count = selectors.list_published_comments(service).count()
    return [
        Action(
            label=_("Comments (%(count)s)") % {"count": count},
            url=reverse("feedback:service_comments", args=[service.region.code, service.code]),
            primary=False,
        )
    ]
