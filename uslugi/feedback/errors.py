"""Errors of the feedback app, named for the rule they protect."""

from django.utils.translation import gettext_lazy as _

from uslugi.core.errors import UserFacingError


class NotFound(UserFacingError):
    """Someone else's case, follow-up, complaint or comment: a 404 with no trace of it."""

    status = 404
    default_message = _("There is no such item.")


class NotDecidedYet(UserFacingError):
    status = 409
    default_message = _("A service can be rated once its result is known.")


class AlreadyRated(UserFacingError):
    status = 409
    default_message = _("You have already rated this service for this application.")


class ScoreOutOfRange(UserFacingError):
    default_message = _("Every criterion is rated from 1 to 5.")


class TextRequired(UserFacingError):
    default_message = _("Write the text: it is what the other side reads.")


class TextTooLong(UserFacingError):
    default_message = _("The text is too long.")


class AlreadyHandled(UserFacingError):
    status = 409
    default_message = _("This has already been dealt with; reload the page to see how.")


class RemedyRequired(UserFacingError):
    default_message = _("An upheld complaint names its remedy.")


class UnknownGround(UserFacingError):
    default_message = _("Choose a ground for the complaint from the list.")
