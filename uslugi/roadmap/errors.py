"""Errors of the roadmap app, named for the rule they protect."""

from django.utils.translation import gettext_lazy as _

from uslugi.core.errors import UserFacingError


class ChangedMeanwhile(UserFacingError):
    status = 409
    default_message = _(
        "Someone else changed this item while you were editing it. Reload the page to see the "
        "change; yours was not saved."
    )


class NotRoadmapAdministrator(UserFacingError):
    status = 403
    default_message = _("Only the region's administrators run its roadmap.")


class RoadmapNotFound(UserFacingError):
    status = 404
    default_message = _("This region has no roadmap yet.")


class StatusNotSettable(UserFacingError):
    default_message = _("This status cannot be set by hand; the overdue check sets it.")


class MemberHasDecisions(UserFacingError):
    status = 409
    default_message = _(
        "This member is the assignee of decisions; reassign them before removing the member."
    )


class OutOfRegion(UserFacingError):
    default_message = _("Choose an agency or a service of the roadmap's region.")


class ImportRejected(UserFacingError):
    """A CSV file with at least one bad row: nothing of it was imported."""

    default_message = _("The file was not imported: nothing was changed. Fix these rows:")

    def __init__(self, errors: list[str]) -> None:
        super().__init__()
        self.errors = errors
