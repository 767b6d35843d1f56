"""Errors of the production calendar and deadline arithmetic, each named for the rule it protects.

Each message is defined once, here. The CLI prints it and exits non-zero; the API answers 400 with
`{"detail": message}`; the public calendar page answers 404.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from uslugi.core.errors import UserFacingError


class UnknownRegion(UserFacingError):
    default_message = _("The production calendar has no region with code %(code)s.")

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(str(self.default_message) % {"code": code})


class TermNotPositive(UserFacingError):
    default_message = _("A term must be a whole number of days greater than zero, not %(term)s.")

    def __init__(self, term: object) -> None:
        super().__init__(str(self.default_message) % {"term": term})


class ExtensionNotPositive(UserFacingError):
    default_message = _(
        "An extension must add a whole number of days greater than zero, not %(days)s."
    )

    def __init__(self, days: object) -> None:
        super().__init__(str(self.default_message) % {"days": days})


class SuspensionEndsBeforeStart(UserFacingError):
    default_message = _("A suspension cannot end before it starts: %(start)s to %(end)s.")

    def __init__(self, start: date, end: date) -> None:
        super().__init__(
            str(self.default_message) % {"start": start.isoformat(), "end": end.isoformat()}
        )


class DateOutsideCalendar(UserFacingError):
    default_message = _(
        "%(day)s is outside the production calendar, which covers %(first)s to %(last)s."
    )

    def __init__(self, day: date | str, first: date, last: date) -> None:
        shown = day.isoformat() if isinstance(day, date) else day
        super().__init__(
            str(self.default_message)
            % {"day": shown, "first": first.isoformat(), "last": last.isoformat()}
        )


class InvalidCommandInput(UserFacingError):
    """A command-line value that does not parse (the API validates through its schemas)."""

    default_message = _("%(option)s: %(value)r is not valid; expected %(expected)s.")

    def __init__(self, option: str, value: str, expected: str) -> None:
        super().__init__(
            str(self.default_message) % {"option": option, "value": value, "expected": expected}
        )
