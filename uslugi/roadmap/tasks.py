"""Background tasks of the roadmap app. Idempotent: running one twice tells nobody twice."""

from datetime import timedelta

from django_tasks import task

from uslugi.core import scheduler
from uslugi.roadmap import services


@task()
def flag_overdue_items() -> dict[str, int]:
    """Flag measures and decisions past their due date and tell their owners once."""
    return services.flag_overdue_items().as_dict()


# Hourly, like the deadline sweep: a due date passes at midnight in each region's own time zone.
scheduler.register(flag_overdue_items, interval=timedelta(hours=1))
