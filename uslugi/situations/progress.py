"""Where a package stands, in words: pure functions over its items and their cases."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from uslugi.applications.workflow import FINAL, Status
from uslugi.situations.models import ItemState, PackageItem

IN_PROGRESS, WAITING, DONE = "in_progress", "waiting", "done"


def _case(item: PackageItem) -> Any:
    application = item.application
    return getattr(application, "case", None) if application is not None else None


def composite_status(items: list[PackageItem]) -> str:
    """Done when every case is closed and nothing is still to come; in progress while a case
    whose term runs is open; otherwise waiting (for a decision another service needs)."""
    running = False
    pending = False
    for item in items:
        case = _case(item)
        if item.state in {ItemState.WAITING, ItemState.UPCOMING}:
            pending = True
        elif case is not None and case.status not in FINAL:
            running = True
    if running:
        return IN_PROGRESS
    return WAITING if pending else DONE


STATUS_TEXT = {
    IN_PROGRESS: lambda: _("In progress: the agencies are working on your applications."),
    WAITING: lambda: _("Waiting: some services start once another one is decided."),
    DONE: lambda: _("Done: every service of the package is decided."),
}


def status_text(status: str) -> str:
    return str(STATUS_TEXT[status]())


@dataclass(frozen=True)
class ItemView:
    item: PackageItem
    name: str
    status: str
    due_date: date | None
    why_due: str
    result_url: str


def item_views(items: list[PackageItem], result_url: Any) -> list[ItemView]:
    """Each item as the package page shows it; `result_url(application)` links a result."""
    names = {item.key: item.service.display_name for item in items}
    views = []
    for item in items:
        case = _case(item)
        waits = ", ".join(names.get(key, key) for key in item.waits_for)
        if case is None:
            status = item.get_state_display()
            due, why = (
                None,
                (
                    _("Comes automatically after: %(services)s.") % {"services": waits}
                    if item.state == ItemState.UPCOMING and waits
                    else item.note
                ),
            )
        else:
            status = str(Status(case.status).label)
            due = case.due_date
            if item.state == ItemState.WAITING:
                why = _(
                    "Starts when %(services)s is decided; at the latest the term counts from its "
                    "due date."
                ) % {"services": waits}
            elif item.waits_for:
                why = _("The term counts from the decision on %(services)s.") % {"services": waits}
            else:
                why = _("%(term)s %(kind)s from registration on %(day)s.") % {
                    "term": case.term,
                    "kind": case.get_term_kind_display(),
                    "day": case.registered_on.strftime("%d.%m.%Y"),
                }
        url = result_url(item.application) if case is not None and case.result_file else ""
        views.append(ItemView(item, names[item.key], status, due, why, url))
    return views
