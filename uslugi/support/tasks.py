"""Periodic jobs of the support app. Idempotent: a second run the same day registers nothing."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from uslugi.core import scheduler
from uslugi.support import services


@task()
def register_sixtieth_birthdays() -> int:
    """Today's 60th birthdays become population events, each scanned for offers."""
    return services.register_sixtieth_birthdays(day=timezone.localdate())


scheduler.register(register_sixtieth_birthdays, interval=timedelta(days=1))
