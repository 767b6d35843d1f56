"""Reads of the quality metrics, always from the rollups (small tables), never from the cases.

`metrics(filters, period)` gives every case-based metric for any filter; `compare_periods` the
before/after of two periods ("term: 90 → 45 days"); `compare_regions` the regions running one
federal template. Dashboards, scorecards and open data build on these.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import gettext as _

from uslugi.accounts.models import Role
from uslugi.catalogue.models import Channel, Region, Service
from uslugi.constructor.models import RegionalVariant
from uslugi.quality.calculate import calculate_percentile, calculate_share
from uslugi.quality.models import (
    COUNTS,
    SCORES,
    DailyRollup,
    MonthlyRollup,
)

MEDIAN, P90 = 0.5, 0.9


@dataclass(frozen=True)
class Filters:
    """Which cases: empty lists mean all. Ids, as the rollups hold them."""

    regions: tuple[int, ...] = ()
    services: tuple[int, ...] = ()
    agencies: tuple[int, ...] = ()
    channels: tuple[str, ...] = ()

    def q(self) -> Q:
        condition = Q()
        for name, values in (
            ("region_id__in", self.regions),
            ("service_id__in", self.services),
            ("agency_id__in", self.agencies),
            ("channel__in", self.channels),
        ):
            if values:
                condition &= Q(**{name: list(values)})
        return condition


@dataclass(frozen=True)
class Period:
    """Days `first` through `last`, both included."""

    first: date
    last: date


@dataclass(frozen=True)
class Metrics:
    """The metrics of some cases over a period; each share is None when its whole is zero."""

    received: int
    received_digital: int
    decided: int
    decided_on_time: int
    closed: int
    refused: int
    processing_unit: str  # "working", "calendar", "mixed", or "" when nothing was decided
    processing_median: int | None
    processing_p90: int | None
    digital_share: float | None
    on_time_share: float | None
    refused_share: float | None
    # Satisfaction: ratings given in the period, the mean of each criterion (1–5) and the share
    # of scores of 4 or 5, of each criterion and of all five together.
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
    # Complaints registered in the period per 1 000 cases received in it; of those decided in the
    # period, the share upheld.
    complaints: int
    complaints_decided: int
    complaints_upheld: int
    complaints_per_thousand: float | None
    upheld_share: float | None
    histogram: dict[int, int] = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("histogram")
        return data


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _rows(
    filters: Filters,
    period: Period,
    *fields: str,
    where: Q | None = None,
    sums: dict[str, Any] | None = None,
) -> QuerySet[Any]:
    """The rollup rows of the period (and `where`), summed by `fields` when `sums` are given:
    its whole months from the monthly twin, its ragged ends (or all of it, within one month)
    from the daily table; one query (a UNION ALL)."""
    condition = filters.q() & (where or Q())
    months_from = period.first if period.first.day == 1 else _next_month(period.first)
    months_until = _month_start(period.last + timedelta(days=1))  # exclusive
    if months_from >= months_until:
        days = Q(day__gte=period.first, day__lte=period.last)
        parts: list[QuerySet[Any]] = [DailyRollup.objects.filter(condition, days)]
    else:
        ends = Q(day__gte=period.first, day__lt=months_from) | Q(
            day__gte=months_until, day__lte=period.last
        )
        whole = Q(day__gte=months_from, day__lt=months_until)
        parts = [
            DailyRollup.objects.filter(condition, ends),
            MonthlyRollup.objects.filter(condition, whole),
        ]
    if "month" in fields:
        parts = [part.annotate(month=TruncMonth("day")) for part in parts]
    parts = [part.values(*fields).annotate(**(sums or {})).order_by() for part in parts]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _build(
    sums: dict[str, int], digital: int, histogram: dict[int, int], kinds: set[str]
) -> Metrics:
    """Metrics from the summed rollup columns, the portal's receipts and the merged histogram."""
    rated = sums["rated"]
    means = {f"mean_{name}": calculate_share(sums[f"{name}_sum"], rated) for name in SCORES}
    satisfied = {
        f"satisfied_{name.removesuffix('_score')}_share": calculate_share(
            sums[f"{name}_high"], rated
        )
        for name in SCORES
    }
    per_thousand = calculate_share(sums["complaints"] * 1000, sums["received"])
    return Metrics(
        received=sums["received"],
        received_digital=digital,
        decided=sums["decided"],
        decided_on_time=sums["decided_on_time"],
        closed=sums["closed"],
        refused=sums["refused"],
        processing_unit=next(iter(kinds)) if len(kinds) == 1 else ("mixed" if kinds else ""),
        processing_median=calculate_percentile(histogram, MEDIAN),
        processing_p90=calculate_percentile(histogram, P90),
        digital_share=calculate_share(digital, sums["received"]),
        on_time_share=calculate_share(sums["decided_on_time"], sums["decided"]),
        refused_share=calculate_share(sums["refused"], sums["closed"]),
        rated=rated,
        **means,
        satisfied_share=calculate_share(
            sum(sums[f"{name}_high"] for name in SCORES), rated * len(SCORES)
        ),
        **satisfied,
        complaints=sums["complaints"],
        complaints_decided=sums["complaints_decided"],
        complaints_upheld=sums["complaints_upheld"],
        complaints_per_thousand=per_thousand,
        upheld_share=calculate_share(sums["complaints_upheld"], sums["complaints_decided"]),
        histogram=histogram,
    )


def _grouped(filters: Filters, period: Period, *groups: str) -> dict[Any, Metrics]:
    """Metrics per value of the `groups` ("month", "service_id", "region_id", "agency_id",
    "channel"; a tuple of values for several), or of everything under the key None: two queries
    on the rollups either way, the counts summed by the database, the histograms here."""

    def key_of(row: dict[str, Any]) -> Any:
        if not groups:
            return None
        values = tuple(_as_date(row[g]) if g == "month" else row[g] for g in groups)
        return values[0] if len(values) == 1 else values

    sums: dict[Any, dict[str, int]] = {}
    digital: dict[Any, int] = {}
    rollups = _rows(filters, period, *groups, "channel", sums={f"s_{c}": Sum(c) for c in COUNTS})
    for row in rollups:
        key = key_of(row)
        total = sums.setdefault(key, dict.fromkeys(COUNTS, 0))
        for name in COUNTS:
            total[name] += row[f"s_{name}"] or 0
        if row["channel"] == Channel.PORTAL:
            digital[key] = digital.get(key, 0) + (row["s_received"] or 0)
    histograms: dict[Any, dict[int, int]] = {}
    kinds: dict[Any, set[str]] = {}
    # The histograms of the rows with decisions, merged here (JSON sums in no SQL dialect).
    decisions = Q(decided__gt=0)
    for row in _rows(filters, period, *groups, "term_kind", "processing_days", where=decisions):
        key = key_of(row)
        histogram = histograms.setdefault(key, {})
        for days, count in row["processing_days"].items():
            histogram[int(days)] = histogram.get(int(days), 0) + count
        kinds.setdefault(key, set()).add(row["term_kind"])
        sums.setdefault(key, dict.fromkeys(COUNTS, 0))
    if not groups:
        sums.setdefault(None, dict.fromkeys(COUNTS, 0))
    return {
        key: _build(total, digital.get(key, 0), histograms.get(key, {}), kinds.get(key, set()))
        for key, total in sums.items()
    }


def metrics(filters: Filters, period: Period) -> Metrics:
    """Every metric of the filtered cases, ratings and complaints over the period (two small
    queries)."""
    return _grouped(filters, period)[None]


def monthly(filters: Filters, period: Period) -> list[tuple[date, Metrics]]:
    """The metrics month by month (the first of each month), for trends; months with no rows
    are left out."""
    grouped = _grouped(filters, period, "month")
    return [(month, grouped[month]) for month in sorted(grouped)]


GROUPS = frozenset({"month", "service_id", "region_id", "agency_id", "channel"})


def breakdown(filters: Filters, period: Period, *by: str) -> dict[Any, Metrics]:
    """The metrics per service, region, agency (ids), channel or month, or per tuple of them."""
    if not by or not set(by) <= GROUPS:
        raise ValueError(f"cannot break the metrics down by {by!r}")
    return _grouped(filters, period, *by)


def _as_date(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class Comparison:
    before: Metrics
    after: Metrics

    def change(self, name: str) -> tuple[Any, Any]:
        """(before, after) of one metric, e.g. ("processing_median") → (90, 45)."""
        return getattr(self.before, name), getattr(self.after, name)


def compare_periods(filters: Filters, before: Period, after: Period) -> Comparison:
    """The same cases' metrics in two periods: the before/after of an improvement."""
    return Comparison(before=metrics(filters, before), after=metrics(filters, after))


def compare_regions(template_code: str, period: Period) -> dict[str, Metrics]:
    """Per region code, the metrics of the services that run the federal template there."""
    services: dict[int, list[int]] = {}
    for region_id, service_id in RegionalVariant.objects.filter(
        template__code=template_code
    ).values_list("service__region_id", "service_id"):
        services.setdefault(region_id, []).append(service_id)
    codes = dict(Region.objects.filter(pk__in=services).values_list("pk", "code"))
    return {
        codes[region_id]: metrics(
            Filters(regions=(region_id,), services=tuple(service_ids)), period
        )
        for region_id, service_ids in sorted(services.items(), key=lambda item: codes[item[0]])
    }


DASHBOARD_ROLES = {Role.REGIONAL_ADMINISTRATOR, Role.ANALYST, Role.FEDERAL_METHODOLOGIST}


def visible_regions(user: Any) -> QuerySet[Region]:
    """Administrators and analysts see their region; a federal methodologist every region."""
    role = getattr(user, "role", None)
    if role == Role.FEDERAL_METHODOLOGIST:
        return Region.objects.all()
    if role in DASHBOARD_ROLES and user.region_id is not None:
        return Region.objects.filter(pk=user.region_id)
    raise Http404(_("No such page."))


def template_code_of(service: Service) -> str | None:
    """The federal template the service's regional variant is built on, if any."""
    variant = RegionalVariant.objects.filter(service=service).select_related("template").first()
    return variant.template.code if variant else None
