"""Read-only catalogue API: regions, agencies, services with the standard and curator in force."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from uslugi.catalogue import selectors
from uslugi.catalogue.forms import ServiceFilterForm
from uslugi.catalogue.models import Agency, Region, Service
from uslugi.catalogue.schemas import AgencyOut, ErrorOut, RegionOut, ServiceFilterIn, ServiceOut
from uslugi.core.errors import BadFilter

router = Router(tags=["catalogue"])
NOT_FOUND = {404: ErrorOut}


@router.get("/regions", response=list[RegionOut])
def list_regions(request: HttpRequest) -> QuerySet[Region]:
    return selectors.list_regions()


@router.get("/regions/{code}", response={200: RegionOut, **NOT_FOUND})
def get_region(request: HttpRequest, code: str) -> Region:
    return selectors.get_region(code)


@router.get("/agencies", response={200: list[AgencyOut], 404: ErrorOut})
@paginate(PageNumberPagination)
def list_agencies(request: HttpRequest, region: str | None = None) -> QuerySet[Agency]:
    return selectors.list_agencies(region=selectors.get_region(region) if region else None)


@router.get("/agencies/{code}", response={200: AgencyOut, **NOT_FOUND})
def get_agency(request: HttpRequest, code: str) -> Agency:
    return selectors.get_agency(code)


@router.get("/services", response={200: list[ServiceOut], 400: ErrorOut})
@paginate(PageNumberPagination)
def list_services(request: HttpRequest, filters: Query[ServiceFilterIn]) -> QuerySet[Service]:
    """Services of the catalogue, filtered exactly as on the public catalogue page."""
    form = ServiceFilterForm(
        {key: value for key, value in filters.dict().items() if value not in (None, "", False)}
    )
    if not form.is_valid():
        raise BadFilter("; ".join(form.error_lines(by_parameter=True)))
    return selectors.list_services(form.to_filter())


@router.get("/services/{region}/{code}", response={200: ServiceOut, **NOT_FOUND})
def get_service(request: HttpRequest, region: str, code: str) -> Service:
    return selectors.get_service(region_code=region, code=code)
