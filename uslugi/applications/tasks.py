"""Background tasks of the applications app. Idempotent: running one twice sends nothing twice."""

from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from uslugi.applications import sla, sms
from uslugi.applications.models import Notification
from uslugi.core import scheduler, sql
from uslugi.core.task_backend import DatabaseBackend


@task()
def deliver_notification(notification_id: int) -> None:
    """Send a notification by e-mail and SMS once; the cabinet shows it already."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return
        if notification.email:
            send_mail(notification.subject, notification.text, None, [notification.email])
        if notification.phone:
            sms.gateway().send(notification.phone, notification.text)
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at"])


def enqueue_delivery(notification_id: int) -> None:
    deliver_notification.enqueue(notification_id)


def queue_delivery(writes: sql.Writes, notification: Notification) -> None:
    """Enqueue the delivery of a notification queued in `writes`: as a row queued after it when
    tasks are kept in the database (an outbox, as `notifications.notify` does), else at the
    commit."""
    backend = deliver_notification.get_backend()
    if isinstance(backend, DatabaseBackend):
        backend.queue(writes, deliver_notification, lambda: [notification.pk])
    else:
        writes.on_commit(lambda: enqueue_delivery(notification.pk))


def tasks_share_the_database() -> bool:
    """Whether the delivery task is a row in the project's own database (django-tasks-db)."""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(deliver_notification.get_backend(), DatabaseBackend)


@task()
def sweep_sla() -> dict[str, int]:
    """Mark open cases at risk or overdue and tell their people once (see sla.py)."""
    return sla.sweep_sla().as_dict()


scheduler.register(sweep_sla, interval=timedelta(hours=1))
