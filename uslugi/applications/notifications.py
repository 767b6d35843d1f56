"""Telling people what happened: a row in the cabinet for every status change, then e-mail and SMS.

Each notification has a deduplication key, so a retried action or a repeated sweep never tells the
same thing twice. Delivery happens after the transaction commits: the delivery task is written in
the same transaction when tasks are kept in the database, else enqueued at the commit.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uslugi.applications.models import Case, Notification
from uslugi.applications.workflow import Status
from uslugi.core import sql

STATUS_TEXT = {
    Status.SUBMITTED: gettext_lazy("Your application %(number)s has been received."),
    Status.REGISTERED: gettext_lazy(
        "Your application %(number)s has been registered. The answer is due by %(due)s."
    ),
    Status.REFUSED_TO_ACCEPT: gettext_lazy(
        "The documents of application %(number)s were not accepted: %(reason)s"
    ),
    Status.IN_REVIEW: gettext_lazy(
        "Application %(number)s is being reviewed. The answer is due by %(due)s."
    ),
    Status.SUSPENDED: gettext_lazy("Work on application %(number)s is suspended: %(reason)s"),
    Status.AWAITING_APPLICANT: gettext_lazy(
        "Application %(number)s needs your corrections: %(reason)s"
    ),
    Status.APPROVED: gettext_lazy(
        "A decision on application %(number)s: approved. The result is in your cabinet."
    ),
    Status.REFUSED: gettext_lazy("A decision on application %(number)s: refused. %(reason)s"),
    Status.WITHDRAWN: gettext_lazy("Application %(number)s has been withdrawn."),
}


def notify(
    *,
    case: Case | None,
    kind: str,
    subject: str,
    text: str,
    recipient: Any = None,
    email: str = "",
    phone: str = "",
    dedupe_key: str,
    new_key: bool = False,
) -> Notification | None:
    """Create the notification once; its delivery is enqueued when the transaction commits.

    `case` is None for what concerns no case (e.g. an overdue roadmap measure). `new_key` says
    that `dedupe_key` names a row written in this very transaction (a case's new history event),
    so no notification can hold it yet: the insert needs no savepoint to survive a duplicate.
    """
    notification = Notification(
        recipient=recipient,
        case=case,
        kind=kind,
        subject=subject,
        text=text,
        email=email,
        phone=phone,
        dedupe_key=dedupe_key,
    )
    if new_key:
        sql.insert(notification)
    else:
        try:
            with transaction.atomic():
                sql.insert(notification)
        except IntegrityError:
            return None
    from uslugi.applications.tasks import enqueue_delivery, tasks_share_the_database

    if tasks_share_the_database():
        # The task row is written in this transaction, like an outbox: it exists exactly when the
        # notification does, and the worker cannot see it before the commit. Intake saves a
        # second write transaction (on SQLite, a second turn at the database's one write lock).
        enqueue_delivery(notification.pk)
    else:
        transaction.on_commit(lambda: enqueue_delivery(notification.pk))
    return notification


def notify_status(case: Case, *, event_id: int, reason: str = "") -> Notification | None:
    """Tell the applicant about the case's new status (every status change is notified).

    `event_id` is the history event of the change, written in the same transaction just before.
    """
    return notify(
        case=case, dedupe_key=_status_key(case.pk, event_id), new_key=True, **_status(case, reason)
    )


def queue_status_notification(writes: sql.Writes, case: Case, event: Any) -> Notification:
    """`notify_status` for a case and its history event queued in `writes` (intake): the
    notification and its delivery are queued after them, the key naming their pks."""
    notification = Notification(case=case, **_status(case, ""))
    writes.insert(notification, dedupe_key=lambda: _status_key(case.pk, event.pk))
    from uslugi.applications.tasks import queue_delivery

    queue_delivery(writes, notification)
    return notification


def _status_key(case_id: int, event_id: int) -> str:
    return f"case:{case_id}:event:{event_id}"


def _status(case: Case, reason: str) -> dict[str, Any]:
    """What a status notification says and to whom."""
    application = case.application
    status = case.get_status_display()
    template = str(STATUS_TEXT.get(Status(case.status), _("Application %(number)s: %(status)s.")))
    text = template % {
        "number": application.number,
        "due": case.due_date.strftime("%d.%m.%Y"),
        "reason": reason,
        "status": status,
    }
    return {
        "kind": f"status.{case.status}",
        "subject": _("Application %(number)s: %(status)s")
        % {"number": application.number, "status": status},
        "text": text.strip(),
        "recipient": application.applicant,
        "email": application.applicant_email,
        "phone": application.applicant_phone,
    }
