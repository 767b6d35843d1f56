"""Errors of the life situations app, named for the rule they protect."""

from django.utils.translation import gettext_lazy as _

from uslugi.core.errors import UserFacingError


class SituationNotPublishable(UserFacingError):
    default_message = _("The life situation cannot be published as it is.")

    def __init__(self, message: str | None = None, *, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.reasons = reasons or []


class PackageIncomplete(UserFacingError):
    default_message = _("Some answers are missing or wrong; check them before sending.")

    def __init__(self, message: str | None = None, *, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.reasons = reasons or []


class NothingToApplyFor(UserFacingError):
    default_message = _("Your answers lead to no service that needs an application.")


class DraftNotYours(UserFacingError):
    status = 404
    default_message = _("There is no such draft.")


class SituationNotInForce(UserFacingError):
    status = 404
    default_message = _("This life situation cannot be applied for online.")
