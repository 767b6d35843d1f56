"""Errors of the applications app, named for the rule they protect."""

from django.utils.translation import gettext_lazy as _

from uslugi.core.errors import UserFacingError


class TransitionNotAllowed(UserFacingError):
    status = 409
    default_message = _("This action is not possible in the case's current status.")


class ReasonRequired(UserFacingError):
    default_message = _("Give the reason: the applicant will read it.")


class CaseChangedMeanwhile(UserFacingError):
    status = 409
    default_message = _(
        "Another official changed this case while you were looking at it. Reload the page to see "
        "the change; your action was not applied."
    )


class NotYourCase(UserFacingError):
    status = 404
    default_message = _("There is no such case.")


class ApplicationIncomplete(UserFacingError):
    default_message = _("Some answers are missing or wrong; check the form before sending it.")

    def __init__(self, message: str | None = None, *, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.reasons = reasons or []


class FormVersionChanged(UserFacingError):
    status = 409
    default_message = _(
        "The service's form changed while you were filling it in. Check your answers on the new "
        "form and send it again."
    )


class NotAcceptingApplications(UserFacingError):
    status = 404
    default_message = _("This service cannot be applied for online.")
