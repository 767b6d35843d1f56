"""Open data: the quality metrics month by month, per region and service, as CSV and JSON with a
Table Schema (Frictionless Data, https://specs.frictionlessdata.io/table-schema/) describing every
column. Only aggregates of the rollups go out: no case, applicant or number is ever read here.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from uslugi.catalogue.models import Service
from uslugi.quality import selectors

DATASET = "uslugi-quality"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema types: "date", "string", "integer", "number"
    title: str
    description: str
    constraints: dict[str, Any] | None = None


def columns() -> list[Column]:
    """The columns in order, titles and descriptions in the current language."""
    share = {"minimum": 0, "maximum": 1}
    score = {"minimum": 1, "maximum": 5}
    count = {"minimum": 0}
    criteria = [
        ("time", _("time to provide the service")),
        ("queue", _("waiting time in the queue")),
        ("staff", _("politeness and competence of the staff")),
        ("premises", _("comfort of the premises")),
        ("information", _("availability of information")),
    ]
    return [
        Column("month", "date", _("Month"), _("The first day of the month counted.")),
        Column("region_code", "string", _("Region code"), _("Code of the subject of the RF.")),
        Column("region_name", "string", _("Region"), _("Name of the region.")),
        Column("service_code", "string", _("Service code"), _("The service's code in the region.")),
        Column("service_name", "string", _("Service"), _("Name of the service.")),
        Column(
            "received", "integer", _("Received"), _("Applications received in the month."), count
        ),
        Column(
            "received_digital",
            "integer",
            _("Received through the portal"),
            _("Applications received through the portal in the month."),
            count,
        ),
        Column(
            "digital_share",
            "number",
            _("Digital take-up"),
            _("Share of the month's applications received through the portal (0–1)."),
            share,
        ),
        Column("decided", "integer", _("Decided"), _("Cases approved or refused."), count),
        Column(
            "decided_on_time",
            "integer",
            _("Decided on time"),
            _("Cases decided on or before their due date."),
            count,
        ),
        Column(
            "on_time_share",
            "number",
            _("Share decided on time"),
            _("Decided on time divided by decided (0–1)."),
            share,
        ),
        Column(
            "closed",
            "integer",
            _("Closed"),
            _("Cases approved, refused, refused to accept or withdrawn."),
            count,
        ),
        Column("refused", "integer", _("Refused"), _("Refused or refused to accept."), count),
        Column(
            "refused_share",
            "number",
            _("Share refused"),
            _("Refused divided by closed (0–1)."),
            share,
        ),
        Column(
            "processing_unit",
            "string",
            _("Unit of processing time"),
            _("working or calendar days, as the service's term counts; mixed when both."),
            {"enum": ["working", "calendar", "mixed", ""]},
        ),
        Column(
            "processing_median",
            "integer",
            _("Median processing time"),
            _(
                "Days from registration to decision (nearest-rank median), suspensions and time "
                "awaiting the applicant not counted."
            ),
            count,
        ),
        Column(
            "processing_p90",
            "integer",
            _("90th percentile of processing time"),
            _("Nine cases in ten were decided within this many days."),
            count,
        ),
        Column("rated", "integer", _("Ratings"), _("Ratings given in the month."), count),
        *(
            Column(
                f"mean_{key}_score",
                "number",
                _("Mean score: %(criterion)s") % {"criterion": label},
                _("Mean of the 1–5 scores of the criterion «%(criterion)s».")
                % {"criterion": label},
                score,
            )
            for key, label in criteria
        ),
        Column(
            "satisfied_share",
            "number",
            _("Share of scores 4 or 5"),
            _("Scores of 4 or 5 among all criteria's scores (0–1)."),
            share,
        ),
        Column(
            "complaints",
            "integer",
            _("Complaints"),
            _("Pre-trial complaints registered in the month."),
            count,
        ),
        Column(
            "complaints_per_thousand",
            "number",
            _("Complaints per 1 000 cases"),
            _("Complaints registered per 1 000 applications received in the month."),
            count,
        ),
        Column(
            "complaints_decided",
            "integer",
            _("Complaints decided"),
            _("Complaints decided in the month."),
            count,
        ),
        Column(
            "complaints_upheld",
            "integer",
            _("Complaints upheld"),
            _("Complaints upheld in the month."),
            count,
        ),
        Column(
            "upheld_share",
            "number",
            _("Share of complaints upheld"),
            _("Upheld divided by decided complaints (0–1)."),
            share,
        ),
    ]


def table_schema() -> dict[str, Any]:
    fields = []
    for column in columns():
        described: dict[str, Any] = {
            "name": column.name,
            "type": column.type,
            "title": column.title,
            "description": column.description,
        }
        if column.constraints:
            described["constraints"] = column.constraints
        fields.append(described)
    return {
        "fields": fields,
        "primaryKey": ["month", "region_code", "service_code"],
        "missingValues": [""],
    }


def data_package(base_url: str) -> dict[str, Any]:
    """The Data Package describing both downloads with the one Table Schema."""
    schema = table_schema()
    return {
        "profile": "tabular-data-package",
        "name": DATASET,
        "title": _("Quality of public services by month, region and service"),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": "quality-csv",
                "path": f"{base_url}quality.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            },
            {
                "profile": "tabular-data-resource",
                "name": "quality-json",
                "path": f"{base_url}quality.json",
                "format": "json",
                "mediatype": "application/json",
                "schema": schema,
            },
        ],
    }


def rows(filters: selectors.Filters, period: selectors.Period) -> list[dict[str, Any]]:
    """One row per month × region × service with any activity, in that order."""
    grouped = selectors.breakdown(filters, period, "month", "region_id", "service_id")
    services = {
        service.pk: service
        for service in Service.objects.filter(pk__in={key[2] for key in grouped}).select_related(
            "region"
        )
    }
    names = [column.name for column in columns()]
    result = []
    for month, _region_id, service_id in sorted(
        grouped, key=lambda key: (key[0], services[key[2]].region.code, services[key[2]].code)
    ):
        service = services[service_id]
        figures = grouped[(month, _region_id, service_id)].as_dict()
        row = {
            "month": month,
            "region_code": service.region.code,
            "region_name": service.region.name,
            "service_code": service.code,
            "service_name": service.name,
            **{name: figures[name] for name in names if name in figures},
        }
        result.append({name: _value(row[name]) for name in names})
    return result


def _value(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, date):
        return value.isoformat()
    return value


def as_csv(data: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = [column.name for column in columns()]
    writer.writerow(names)
    for row in data:
        writer.writerow(["" if row[name] is None else row[name] for name in names])
    return buffer.getvalue()
