"""Factories for feedback: a decided case of a curated service, curators with accounts."""

from datetime import UTC, datetime
from typing import Any

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications.factories import CaseFactory
from uslugi.applications.models import Case
from uslugi.applications.workflow import Status
from uslugi.catalogue.factories import CuratorAssignmentFactory
from uslugi.catalogue.models import Curator


def decided_case(**kwargs: Any) -> Case:
    """An approved case whose applicant has an account."""
    defaults: dict[str, Any] = {
        "status": Status.APPROVED,
        "decided_at": datetime(2025, 3, 10, 8, 0, tzinfo=UTC),
    }
    case: Case = CaseFactory.create(**{**defaults, **kwargs})
    return case


def curator_of(case: Case, **kwargs: Any) -> Any:
    """A user with role curator whose Curator profile answers for the case's service."""
    user = UserFactory(role=Role.CURATOR, region=case.region, agency=case.service.agency, **kwargs)
    assignment = CuratorAssignmentFactory(service=case.service)
    Curator.objects.filter(pk=assignment.curator_id).update(user=user)
    return user
