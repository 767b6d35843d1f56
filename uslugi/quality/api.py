"""Read-only quality metrics over HTTP, from the rollups: what dashboards and open data build on."""

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from uslugi.catalogue.models import Agency, Region, Service
from uslugi.quality import opendata, selectors
from uslugi.quality.forms import OpenDataForm

router = Router(tags=["quality"])


class MetricsOut(Schema):
    received: int
    received_digital: int
    decided: int
    decided_on_time: int
    closed: int
    refused: int
    processing_unit: str
    processing_median: int | None
    processing_p90: int | None
    digital_share: float | None
    on_time_share: float | None
    refused_share: float | None
    rated: int
    mean_time_score: float | None
    mean_queue_score: float | None
    mean_staff_score: float | None
    mean_premises_score: float | None
    mean_information_score: float | None
    satisfied_share: float | None
    satisfied_time_share: float | None
    satisfied_queue_share: float | None
    satisfied_staff_share: float | None
    satisfied_premises_share: float | None
    satisfied_information_share: float | None
    complaints: int
    complaints_decided: int
    complaints_upheld: int
    complaints_per_thousand: float | None
    upheld_share: float | None


def _ids(model: type[Any], **lookup: Any) -> tuple[int, ...]:
    ids = tuple(model.objects.filter(**lookup).values_list("pk", flat=True))
    if not ids:
        raise Http404(_("Nothing matches the filter."))
    return ids


@router.get("/quality/metrics", response=MetricsOut)
def get_metrics(
    request: HttpRequest,
    to: date,
    from_: date = Query(..., alias="from"),  # noqa: B008 (django-ninja declares query params so)
    region: str | None = None,
    service: str | None = None,
    agency: str | None = None,
    channel: str | None = None,
) -> dict[str, Any]:
    """Case metrics of the filtered services over days `from` through `to` (both included)."""
    if to < from_:
        raise ValidationError([{"loc": ["to"], "msg": _("The period ends before it starts.")}])
    regions = _ids(Region, code=region) if region else ()
    services_lookup: dict[str, Any] = {"code": service}
    if region:
        services_lookup["region__code"] = region
    filters = selectors.Filters(
        regions=regions,
        services=_ids(Service, **services_lookup) if service else (),
        agencies=_ids(Agency, code=agency) if agency else (),
        channels=(channel,) if channel else (),
    )
    return selectors.metrics(filters, selectors.Period(from_, to)).as_dict()


def _open_data_form(request: HttpRequest) -> OpenDataForm:
    form = OpenDataForm(request.GET)
    if not form.is_valid():
        raise ValidationError(
            [
                {"loc": ["query", "from" if name == "from_" else name], "msg": str(message)}
                for name, messages in form.errors.items()
                for message in messages
            ]
        )
    return form


@router.get("/quality/open-data", response=list[dict[str, Any]])
def get_open_data(
    request: HttpRequest,
    region: str | None = None,
    service: str | None = None,
    from_: date | None = Query(None, alias="from"),  # noqa: B008
    to: date | None = None,
) -> list[dict[str, Any]]:
    """The open data: metrics per month, region and service (aggregates only); the columns are
    described by `/quality/open-data/schema`."""
    form = _open_data_form(request)
    return opendata.rows(form.filters(), form.period())


@router.get("/quality/open-data/schema", response=dict[str, Any])
def get_open_data_schema(request: HttpRequest) -> dict[str, Any]:
    """The Table Schema (Frictionless Data) of every open-data column."""
    return opendata.table_schema()
