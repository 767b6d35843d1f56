"""The public production calendar: a region's year as month grids, every marked day explained."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from uslugi.workdays import selectors


def calendar_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workdays/index.html",
        {"regions": selectors.list_region_calendars(), "year": timezone.localdate().year},
    )


def calendar_year(request: HttpRequest, region: str, year: int) -> HttpResponse:
    overview = selectors.get_year_overview(region, year)
    return render(request, "workdays/year.html", {"overview": overview})
