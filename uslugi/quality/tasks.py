"""Background tasks of the quality app. Idempotent: archiving twice archives nothing more."""

from datetime import timedelta

from django_tasks import task

from uslugi.core import scheduler
from uslugi.quality import archive


@task()
def archive_cases() -> dict[str, int]:
    """Seal the cases new or changed since the last run into archive blocks (see `archive`)."""
    return {"archived": archive.archive_cases()}


# Nightly is enough: a case changed today is read live by a rebuild until it is archived.
scheduler.register(archive_cases, interval=timedelta(days=1))
