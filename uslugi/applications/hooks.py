"""What the applications app adds to other apps' pages through core.hooks."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from uslugi.accounts.models import Role
from uslugi.catalogue.models import Channel
from uslugi.constructor.models import FormDraft
from uslugi.core.hooks import Action

OPERATOR_CHANNELS = [
    (Channel.MFC, Channel.MFC.label),
    (Channel.IN_PERSON, Channel.IN_PERSON.label),
    (Channel.MAIL, Channel.MAIL.label),
]


def draft_actions(request: HttpRequest, draft: FormDraft) -> list[Action]:
    """Send the completed form: a citizen for themselves, an MFC operator for a citizen."""
    url = reverse("applications:submit", args=[draft.pk])
    user = request.user
    if not user.is_authenticated:
        login = reverse("accounts:login") if _has_login() else reverse("admin:login")
        review = reverse("constructor:form_review", args=[draft.pk])
        return [Action(label=_("Log in to send the application"), url=f"{login}?next={review}")]
    if getattr(user, "role", None) == Role.MFC_OPERATOR:
        return [
            Action(
                label=_("Register the application for the citizen"),
                url=url,
                method="post",
                template="applications/_operator_submit.html",
                extra={"channels": OPERATOR_CHANNELS},
            )
        ]
    return [Action(label=_("Send the application"), url=url, method="post")]


def _has_login() -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse("accounts:login")
    except NoReverseMatch:
        return False
    return True
