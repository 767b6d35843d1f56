"""Catalogue reads: regions, agencies, institutions, services with their standard in force."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.catalogue.models import (
    Agency,
    Channel,
    CuratorAssignment,
    Institution,
    Level,
    QualityStandard,
    Region,
    Service,
    ServiceKind,
)
from uslugi.catalogue.search import normalize


@dataclass(frozen=True)
class ServiceFilter:
    """What a visitor narrowed the catalogue to; every field is optional."""

    query: str = ""
    region: Region | None = None
    kind: ServiceKind | None = None
    level: Level | None = None
    agency: Agency | None = None
    channel: Channel | None = None
    online: bool = False


def _in_force(prefix: str, day: date) -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def list_regions() -> QuerySet[Region]:
    return Region.objects.order_by("code")


def get_region(code: str) -> Region:
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise Http404(_("No region with code %(code)s.") % {"code": code}) from None


def list_agencies(*, region: Region | None = None) -> QuerySet[Agency]:
    agencies = Agency.objects.select_related("region")
    return agencies.filter(region=region) if region else agencies


def get_agency(code: str) -> Agency:
    try:
        return Agency.objects.select_related("region").get(code=code)
    except Agency.DoesNotExist:
        raise Http404(_("No agency with code %(code)s.") % {"code": code}) from None


def get_institution(code: str) -> Institution:
    try:
        return Institution.objects.select_related("agency__region").get(code=code)
    except Institution.DoesNotExist:
        raise Http404(_("No institution with code %(code)s.") % {"code": code}) from None


def _with_standard_and_curator(services: QuerySet[Service], day: date) -> QuerySet[Service]:
    """Attach `standard_in_force` and `curatorship_in_force` lists without one query per row."""
    return services.select_related("region", "agency").prefetch_related(
        Prefetch(
            "standards",
            queryset=QualityStandard.objects.filter(_in_force("", day)).order_by("-version"),
            to_attr="standards_in_force",
        ),
        Prefetch(
            "curatorships",
            queryset=CuratorAssignment.objects.filter(
                Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            )
            .select_related("curator__agency")
            .order_by("-starts_on"),
            to_attr="curatorships_in_force",
        ),
    )


def list_services(
    filters: ServiceFilter | None = None, *, on: date | None = None
) -> QuerySet[Service]:
    """Services matching the filter, each with its standard and curator in force on `on`."""
    filters = filters or ServiceFilter()
    day = on or timezone.localdate()
    services = Service.objects.all()
    for word in normalize(filters.query).split():
        services = services.filter(search_text__contains=word)
    if filters.region:
        services = services.filter(region=filters.region)
    if filters.kind:
        services = services.filter(kind=filters.kind)
    if filters.level:
        services = services.filter(level=filters.level)
    if filters.agency:
        services = services.filter(agency=filters.agency)
    standard_conditions = Q()
    if filters.channel:
        standard_conditions &= Q(**{f"standards__channel_{filters.channel}": True})
    if filters.online:
        standard_conditions &= Q(standards__channel_portal=True)
    if standard_conditions:
        services = services.filter(standard_conditions & _in_force("standards__", day)).distinct()
    return _with_standard_and_curator(services, day).order_by("region__code", "name")


def get_service(*, region_code: str, code: str, on: date | None = None) -> Service:
    """One service of a region with `standards_in_force` and `curatorships_in_force` attached."""
    day = on or timezone.localdate()
    services = _with_standard_and_curator(Service.objects.all(), day)
    try:
        return services.prefetch_related("institutions").get(region__code=region_code, code=code)
    except Service.DoesNotExist:
        raise Http404(
            _("No service %(code)s in region %(region)s.") % {"code": code, "region": region_code}
        ) from None


def standard_in_force(service: Service) -> QualityStandard | None:
    """The standard attached by the selectors above (the newest version if windows overlap)."""
    standards = getattr(service, "standards_in_force", None)
    if standards is None:
        today = timezone.localdate()
        return service.standards.filter(_in_force("", today)).order_by("-version").first()
    return standards[0] if standards else None


def curators_in_force(service: Service) -> list[CuratorAssignment]:
    assignments = getattr(service, "curatorships_in_force", None)
    if assignments is None:
        today = timezone.localdate()
        return list(
            service.curatorships.filter(
                Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            ).select_related("curator__agency")
        )
    return list(assignments)


def list_standard_versions(service: Service) -> QuerySet[QualityStandard]:
    return service.standards.order_by("-version")
