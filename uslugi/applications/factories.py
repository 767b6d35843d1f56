"""Factories for applications and cases, on top of the constructor's and accounts' factories.

A case made here skips intake: its status, due date and assignee are whatever the test says, so
that a table of statuses or a queue of deadlines costs a few inserts, not a form submission each.
"""

from datetime import UTC, date, datetime, timedelta

import factory

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications.models import Application, Case
from uslugi.applications.workflow import Status
from uslugi.catalogue.models import Channel, TermKind
from uslugi.constructor.factories import VariantVersionFactory

APPLICANT_NAME = "Петрова Мария Ивановна"


class ApplicationFactory(factory.django.DjangoModelFactory[Application]):
    class Meta:
        model = Application

    number = factory.Sequence(lambda n: f"56-20250303-{n:08X}")
    version = factory.SubFactory(VariantVersionFactory, published=True)
    service = factory.SelfAttribute("version.variant.service")
    region = factory.SelfAttribute("service.region")
    applicant = factory.SubFactory(UserFactory)
    applicant_name = APPLICANT_NAME
    applicant_email = "petrova@example.org"
    submitted_by = factory.SelfAttribute("applicant")
    channel = Channel.PORTAL
    answers = factory.LazyFunction(lambda: {"full_name": APPLICANT_NAME})
    received_at = factory.LazyFunction(lambda: datetime(2025, 3, 3, 7, 0, tzinfo=UTC))
    idempotency_key = factory.Sequence(lambda n: f"key-{n}")


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case

    application = factory.SubFactory(ApplicationFactory)
    agency = factory.SelfAttribute("application.version.agency")
    region = factory.SelfAttribute("application.region")
    service = factory.SelfAttribute("application.service")
    status = Status.SUBMITTED
    term = 10
    term_kind = TermKind.WORKING
    registered_on = date(2025, 3, 3)
    due_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))


def official_for(case: Case, **kwargs: object) -> object:
    """An official of the case's agency and region."""
    return UserFactory(role=Role.OFFICIAL, region=case.region, agency=case.agency, **kwargs)
