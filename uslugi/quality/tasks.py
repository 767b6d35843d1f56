"""Background tasks of the quality app. Idempotent: archiving twice archives nothing more."""

from datetime import timedelta

from django_tasks import task

from uslugi.core import scheduler
from uslugi.quality import archive


@task()
def archive_closed_cases() -> dict[str, int]:
    """Seal the cases closed since the last run into archive blocks (see `archive`)."""
    return {"archived": archive.archive_closed_cases()}


# Nightly is enough: a case closed today is read live by a rebuild until it is archived.
scheduler.register(archive_closed_cases, interval=timedelta(days=1))
