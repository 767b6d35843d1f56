"""The catalogue owns regions, agencies, institutions, services, quality standards and curators.

Writes go through these functions so that derived data (the search text) stays current and every
change leaves an audit event.
"""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uslugi.catalogue.models import QualityStandard, Service
from uslugi.catalogue.search import normalize
from uslugi.core.errors import UserFacingError
from uslugi.core.services import record_event

# Fields a new version may set; identity and bookkeeping fields are the service's own.
STANDARD_FIELDS = [
    field.name
    for field in QualityStandard._meta.get_fields()
    if getattr(field, "concrete", False)
    and field.name not in {"id", "service", "version", "valid_from", "valid_to", "created_at"}
]


class StandardStartsTooEarly(UserFacingError):
    default_message = _(
        "A new version of the standard must start after the version in force started."
    )


def refresh_search_text(service: Service) -> None:
    """Recompute the words the catalogue search matches for one service."""
    parts = [
        service.code,
        service.name,
        service.name_en,
        service.description,
        service.result,
        service.agency.name,
        service.agency.short_name,
    ]
    service.search_text = normalize(" ".join(p for p in parts if p))
    Service.objects.filter(pk=service.pk).update(search_text=service.search_text)


def refresh_agency_services_search_text(agency_id: int) -> None:
    for service in Service.objects.filter(agency_id=agency_id).select_related("agency"):
        refresh_search_text(service)


@transaction.atomic
def save_service(*, service: Service, actor: Any, created: bool) -> Service:
    """Save a service and keep its search text current."""
    service.save()
    refresh_search_text(service)
    record_event(
        actor=actor,
        verb="service.created" if created else "service.changed",
        target=service,
        data={"region": service.region.code, "code": service.code},
    )
    return service


@transaction.atomic
def revise_quality_standard(
    *, service: Service, actor: Any, valid_from: date | None = None, **values: Any
) -> QualityStandard:
    """Publish the next version of a service's standard; the previous one ends the day before.

    Versions are never rewritten: a case keeps the standard it was filed under.
    """
    start = valid_from or timezone.localdate()
    current = (
        QualityStandard.objects.select_for_update()
        .filter(service=service, valid_to__isnull=True)
        .order_by("-version")
        .first()
    )
    latest = QualityStandard.objects.filter(service=service).order_by("-version").first()
    if current and start <= current.valid_from:
        raise StandardStartsTooEarly()
    unknown = set(values) - set(STANDARD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown standard fields: {sorted(unknown)}")
    if current:
        current.valid_to = start - timedelta(days=1)
        current.save(update_fields=["valid_to"])
        inherited = {name: getattr(current, name) for name in STANDARD_FIELDS}
    else:
        inherited = {}
    standard = QualityStandard.objects.create(
        service=service,
        version=(latest.version + 1) if latest else 1,
        valid_from=start,
        **{**inherited, **values},
    )
    record_event(
        actor=actor,
        verb="standard.published",
        target=standard,
        data={"version": standard.version, "valid_from": start, "changes": values},
    )
    return standard
