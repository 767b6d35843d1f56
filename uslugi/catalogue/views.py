"""Public pages of the catalogue: thin views over the selectors."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from uslugi.catalogue import selectors
from uslugi.catalogue.forms import ServiceFilterForm
from uslugi.core import hooks
from uslugi.core.http import is_htmx_for

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/home.html",
        {"regions": selectors.list_regions(), "form": ServiceFilterForm()},
    )


def service_list(request: HttpRequest) -> HttpResponse:
    form = ServiceFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        errors = form.error_lines()
        return render(
            request,
            "core/error.html",
            {
                "title": _("Invalid filter"),
                "message": _("Please correct the filter."),
                "errors": errors,
            },
            status=400,
        )
    filters = form.to_filter() if form.is_bound else None
    page = Paginator(selectors.list_services(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    extras = (
        hooks.call(
            "search_extras", request, filters.query, filters.region.code if filters.region else ""
        )
        if filters and filters.query
        else []
    )
    context = {"form": form, "page": page, "query": query.urlencode(), "extras": extras}
    template = "catalogue/service_list.html"
    if is_htmx_for(request, "results"):
        template += "#results"
    return render(request, template, context)


def service_detail(request: HttpRequest, region_code: str, code: str) -> HttpResponse:
    service = selectors.get_service(region_code=region_code, code=code)
    return render(
        request,
        "catalogue/service_detail.html",
        {
            "service": service,
            "standard": selectors.standard_in_force(service),
            "curatorships": selectors.curators_in_force(service),
            "actions": hooks.call("service_actions", request, service),
            "sections": hooks.call("service_sections", request, service),
        },
    )


def region_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/region_list.html", {"regions": selectors.list_regions()})


def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.get_region(code)
    return render(
        request,
        "catalogue/region_detail.html",
        {"region": region, "agencies": selectors.list_agencies(region=region)},
    )


def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = selectors.get_agency(code)
    return render(
        request,
        "catalogue/agency_detail.html",
        {
            "agency": agency,
            "services": selectors.list_services(selectors.ServiceFilter(agency=agency)),
            "institutions": agency.institutions.order_by("name"),
        },
    )


def institution_detail(request: HttpRequest, code: str) -> HttpResponse:
    institution = selectors.get_institution(code)
    return render(
        request,
        "catalogue/institution_detail.html",
        {"institution": institution, "services": institution.services.select_related("region")},
    )
