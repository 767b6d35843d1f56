"""Cases built without intake, for tests about what happens to a case afterwards."""

import itertools
from datetime import UTC, date, datetime
from typing import Any

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications.models import Application, Case
from uslugi.applications.workflow import Status
from uslugi.constructor.factories import VariantVersionFactory

_numbers = itertools.count(1)


def open_case(
    *,
    due: date,
    status: Status = Status.IN_REVIEW,
    assignee: Any = None,
    version: Any = None,
) -> Case:
    """A case of region 56 in `status`, due on `due`; intake is not what these tests are about."""
    version = version or VariantVersionFactory(published=True)
    service = version.variant.service
    citizen = UserFactory()
    application = Application.objects.create(
        number=f"56-20260202-{next(_numbers):08X}",
        version=version,
        service=service,
        region=service.region,
        applicant=citizen,
        applicant_name="Петрова Мария",
        applicant_email="petrova@example.org",
        submitted_by=citizen,
        channel="portal",
        received_at=datetime(2026, 2, 2, 5, 0, tzinfo=UTC),
        idempotency_key=f"key-{next(_numbers)}",
    )
    return Case.objects.create(
        application=application,
        agency=version.agency,
        region=service.region,
        service=service,
        status=status,
        assignee=assignee,
        term=10,
        term_kind="working",
        registered_on=date(2026, 2, 2),
        due_date=due,
    )


def official_of(case: Case, **kwargs: Any) -> Any:
    return UserFactory(role=Role.OFFICIAL, region=case.region, agency=case.agency, **kwargs)
