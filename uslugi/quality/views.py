"""Quality pages: the regional dashboard (administrators, analysts, methodologists), the public
quality pages of every region and service, and the open data downloads. Thin: the numbers come from
`selectors` and `pages`; every public page reads only aggregates."""

import json
from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.catalogue import selectors as catalogue
from uslugi.core.http import is_htmx_for
from uslugi.quality import opendata, pages, selectors
from uslugi.quality.forms import DashboardForm, OpenDataForm
from uslugi.quality.selectors import Filters, Period


def _invalid(request: HttpRequest, form: Any) -> HttpResponse:
    errors = [
        f"{form.fields[name].label if name in form.fields else ''}: {message}".lstrip(": ")
        for name, messages in form.errors.items()
        for message in messages
    ]
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


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    regions = selectors.visible_regions(request.user)
    form = DashboardForm(request.GET, regions=regions)
    if not form.is_valid():
        if request.GET:
            return _invalid(request, form)
        form = DashboardForm({}, regions=regions)
        form.is_valid()
    filters = form.filters(regions)
    period: Period = form.cleaned_data["period"]
    before: Period = form.cleaned_data["before"]
    template = form.cleaned_data.get("template")
    comparison = selectors.compare_periods(filters, before, period)
    compared, regions_chart = (
        pages.region_comparison(template.code, period) if template else ([], None)
    )
    context = {
        "form": form,
        "period": period,
        "before": before,
        "figures": pages.figures(comparison.after),
        "charts": pages.trend_charts("dashboard", selectors.monthly(filters, period)),
        "services": pages.service_rows(filters, period),
        "changes": pages.changes(comparison),
        "template": template,
        "compared": compared,
        "regions_chart": regions_chart,
    }
    name = "quality/dashboard.html"
    if is_htmx_for(request, "dashboard-results"):
        name += "#results"
    return render(request, name, context)


# Public ------------------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    period = pages.last_year(timezone.localdate())
    grouped = selectors.breakdown(Filters(), period, "region_id")
    regions = [(region, grouped.get(region.pk)) for region in catalogue.list_regions()]
    return render(request, "quality/index.html", {"regions": regions, "period": period})


def region_page(request: HttpRequest, code: str) -> HttpResponse:
    region = catalogue.get_region(code)
    period = pages.last_year(timezone.localdate())
    filters = Filters(regions=(region.pk,))
    metrics = selectors.metrics(filters, period)
    return render(
        request,
        "quality/region.html",
        {
            "region": region,
            "period": period,
            "figures": pages.figures(metrics),
            "charts": pages.trend_charts("region", selectors.monthly(filters, period)),
            "services": pages.service_rows(filters, period),
        },
    )


def service_page(request: HttpRequest, region_code: str, code: str) -> HttpResponse:
    service = catalogue.get_service(region_code=region_code, code=code)
    today = timezone.localdate()
    period = pages.last_year(today)
    before = Period(period.first - pages.YEAR - timedelta(days=1), period.first - timedelta(days=1))
    filters = Filters(services=(service.pk,))
    comparison = selectors.compare_periods(filters, before, period)
    template_code = selectors.template_code_of(service)
    compared, regions_chart = (
        pages.region_comparison(template_code, period) if template_code else ([], None)
    )
    return render(
        request,
        "quality/service.html",
        {
            "service": service,
            "period": period,
            "before": before,
            "figures": pages.figures(comparison.after),
            "changes": pages.changes(comparison),
            "charts": pages.trend_charts("service", selectors.monthly(filters, period)),
            "compared": compared,
            "regions_chart": regions_chart,
        },
    )


# Open data ---------------------------------------------------------------------------------------


def _open_data_filters(request: HttpRequest) -> tuple[Filters, Period]:
    """Optional ?region=56&service=code&from=…&to=… (ISO dates); a bad value is a 400."""
    form = OpenDataForm(request.GET)
    if not form.is_valid():
        raise OpenDataError(form)
    return form.filters(), form.period()


class OpenDataError(Exception):
    def __init__(self, form: Any) -> None:
        super().__init__("invalid open data filter")
        self.errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("quality:open_data"))


def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "quality/open_data.html",
        {"columns": opendata.columns(), "regions": catalogue.list_regions()},
    )


def _bad_request(error: OpenDataError) -> JsonResponse:
    return JsonResponse(
        {"detail": _("Invalid filter."), "errors": error.errors},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def download_csv(request: HttpRequest) -> HttpResponse:
    try:
        filters, period = _open_data_filters(request)
    except OpenDataError as error:
        return _bad_request(error)
    response = HttpResponse(
        opendata.as_csv(opendata.rows(filters, period)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="quality.csv"'
    response["Link"] = f'<{_base_url(request)}datapackage.json>; rel="describedby"'
    return response


def download_json(request: HttpRequest) -> HttpResponse:
    try:
        filters, period = _open_data_filters(request)
    except OpenDataError as error:
        return _bad_request(error)
    response = HttpResponse(
        json.dumps(opendata.rows(filters, period), ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Link"] = f'<{_base_url(request)}datapackage.json>; rel="describedby"'
    return response


def data_package(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        opendata.data_package(_base_url(request)), json_dumps_params={"ensure_ascii": False}
    )
