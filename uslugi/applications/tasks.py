"""Background tasks of the applications app. Idempotent: running one twice sends nothing twice."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from uslugi.applications import sms
from uslugi.applications.models import Notification


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
