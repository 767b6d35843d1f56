"""Errors named for the rule they protect, each with its user-facing message defined once."""

from django.utils.functional import Promise


class UserFacingError(Exception):
    """A broken rule the user can act on; views show `message`, the API answers `status`."""

    status = 400
    default_message: str | Promise = ""

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = str(message if message is not None else self.default_message)
        super().__init__(self.message)


class BadFilter(UserFacingError):
    """A query-string filter that does not parse."""
