"""What the quality pages show, built from the selectors: summary figures, trend charts with their
tables, comparisons. Shared by the dashboard, the public pages and the curator's scorecard."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uslugi.catalogue.models import Region, Service
from uslugi.quality import selectors
from uslugi.quality.charts import Chart, Series
from uslugi.quality.selectors import Comparison, Filters, Metrics, Period

YEAR = timedelta(days=364)


def last_year(today: date) -> Period:
    """The 365 days up to and including today."""
    return Period(today - YEAR, today)


def days_phrase(days: int | None, unit: str) -> str:
    if days is None:
        return "—"
    if unit == "working":
        return ngettext("%(days)s working day", "%(days)s working days", days) % {"days": days}
    if unit == "calendar":
        return ngettext("%(days)s calendar day", "%(days)s calendar days", days) % {"days": days}
    return ngettext("%(days)s day", "%(days)s days", days) % {"days": days}


def percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)} %"


def number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else formats.number_format(round(value, digits), digits)


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    note: str = ""


def figures(metrics: Metrics) -> list[Figure]:
    """The headline numbers of some cases, as people read them."""
    unit = metrics.processing_unit
    return [
        Figure(_("Applications received"), str(metrics.received)),
        Figure(_("Through the portal"), percent(metrics.digital_share)),
        Figure(
            _("Median processing time"),
            days_phrase(metrics.processing_median, unit),
            _("9 in 10 within %(days)s") % {"days": days_phrase(metrics.processing_p90, unit)}
            if metrics.processing_p90 is not None
            else "",
        ),
        Figure(_("Decided on time"), percent(metrics.on_time_share)),
        Figure(_("Refused"), percent(metrics.refused_share)),
        Figure(
            _("Satisfied (scores 4–5)"),
            percent(metrics.satisfied_share),
            ngettext("%(count)s rating", "%(count)s ratings", metrics.rated)
            % {"count": metrics.rated},
        ),
        Figure(_("Complaints per 1 000 cases"), number(metrics.complaints_per_thousand)),
        Figure(_("Complaints upheld"), percent(metrics.upheld_share)),
    ]


def month_label(month: date) -> str:
    return month.strftime("%m.%Y")


def trend_charts(prefix: str, series: list[tuple[date, Metrics]]) -> list[Chart]:
    """Month by month: volume, processing time, shares, and the five criteria's mean scores."""
    labels = [month_label(month) for month, _metrics in series]
    values = [metrics for _month, metrics in series]
    return [
        Chart(
            f"{prefix}-volume",
            _("Applications by month"),
            labels,
            [
                Series(_("Received"), [m.received for m in values]),
                Series(_("Through the portal"), [m.received_digital for m in values]),
                Series(_("Decided"), [m.decided for m in values]),
            ],
            kind="bar",
            axis=_("applications"),
        ),
        Chart(
            f"{prefix}-processing",
            _("Processing time by month"),
            labels,
            [
                Series(_("Median"), [m.processing_median for m in values]),
                Series(_("90th percentile"), [m.processing_p90 for m in values]),
            ],
            axis=_("days, in the term's unit"),
        ),
        Chart(
            f"{prefix}-shares",
            _("Shares by month"),
            labels,
            [
                Series(_("Decided on time"), [m.on_time_share for m in values], percent=True),
                Series(_("Through the portal"), [m.digital_share for m in values], percent=True),
                Series(
                    _("Satisfied (scores 4–5)"), [m.satisfied_share for m in values], percent=True
                ),
                Series(_("Refused"), [m.refused_share for m in values], percent=True),
            ],
            axis=_("percent"),
            options={"scales": {"y": {"min": 0, "max": 100}}},
        ),
        Chart(
            f"{prefix}-satisfaction",
            _("Mean scores of the five criteria by month"),
            labels,
            [
                Series(_("Time"), [m.mean_time_score for m in values]),
                Series(_("Queue"), [m.mean_queue_score for m in values]),
                Series(_("Staff"), [m.mean_staff_score for m in values]),
                Series(_("Premises"), [m.mean_premises_score for m in values]),
                Series(_("Information"), [m.mean_information_score for m in values]),
            ],
            axis=_("score, 1 to 5"),
            options={"scales": {"y": {"min": 1, "max": 5}}},
        ),
    ]


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str

    @property
    def text(self) -> str:
        return f"{self.before} → {self.after}"


def changes(comparison: Comparison) -> list[Change]:
    """Before → after of the headline numbers ("срок: 90 → 45 дней")."""
    before, after = comparison.before, comparison.after
    unit = after.processing_unit or before.processing_unit
    return [
        Change(
            _("Median processing time"),
            str(before.processing_median) if before.processing_median is not None else "—",
            days_phrase(after.processing_median, unit),
        ),
        Change(
            _("90th percentile"),
            str(before.processing_p90) if before.processing_p90 is not None else "—",
            days_phrase(after.processing_p90, unit),
        ),
        Change(
            _("Through the portal"), percent(before.digital_share), percent(after.digital_share)
        ),
        Change(_("Decided on time"), percent(before.on_time_share), percent(after.on_time_share)),
        Change(
            _("Satisfied (scores 4–5)"),
            percent(before.satisfied_share),
            percent(after.satisfied_share),
        ),
        Change(
            _("Complaints per 1 000 cases"),
            number(before.complaints_per_thousand),
            number(after.complaints_per_thousand),
        ),
        Change(_("Applications received"), str(before.received), str(after.received)),
    ]


def service_rows(filters: Filters, period: Period) -> list[tuple[Service, Metrics]]:
    """Each service with cases in the period and its metrics, by region and name."""
    grouped = selectors.breakdown(filters, period, "service_id")
    services = Service.objects.filter(pk__in=list(grouped)).select_related("region")
    return [
        (service, grouped[service.pk])
        for service in sorted(services, key=lambda s: (s.region.code, s.display_name))
    ]


def region_comparison(template_code: str, period: Period) -> tuple[list[Any], Chart | None]:
    """The regions running one federal template side by side, with a chart of their medians."""
    compared = selectors.compare_regions(template_code, period)
    if not compared:
        return [], None
    regions = {region.code: region for region in Region.objects.filter(code__in=compared)}
    rows = [(regions[code], figures) for code, figures in compared.items()]
    chart = Chart(
        f"regions-{template_code}",
        _("Median processing time by region"),
        [region.display_name for region, _figures in rows],
        [
            Series(_("Median"), [f.processing_median for _r, f in rows]),
            Series(_("90th percentile"), [f.processing_p90 for _r, f in rows]),
        ],
        kind="bar",
        axis=_("days, in the term's unit"),
    )
    return rows, chart
