"""Reads of the quality metrics, always from the rollups (small tables), never from the cases.

`metrics(filters, period)` gives every case-based metric for any filter; `compare_periods` the
before/after of two periods ("term: 90 → 45 days"); `compare_regions` the regions running one
federal template. Dashboards, scorecards and open data build on these.
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet, Sum

from uslugi.catalogue.models import Channel, Region
from uslugi.constructor.models import RegionalVariant
from uslugi.quality.calculate import calculate_percentile, calculate_share
from uslugi.quality.models import DailyRollup, ProcessingBucket

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
    histogram: dict[int, int] = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("histogram")
        return data


def _rows(model: type[Any], filters: Filters, period: Period) -> QuerySet[Any]:
    return model.objects.filter(filters.q(), day__gte=period.first, day__lte=period.last)


def metrics(filters: Filters, period: Period) -> Metrics:
    """Every case-based metric of the filtered cases over the period (two small queries)."""
    rows = _rows(DailyRollup, filters, period)
    sums = {
        row["channel"]: row
        for row in rows.values("channel").annotate(
            r=Sum("received"),
            d=Sum("decided"),
            t=Sum("decided_on_time"),
            c=Sum("closed"),
            x=Sum("refused"),
        )
    }
    total = {key: sum(row[key] or 0 for row in sums.values()) for key in "rdtcx"}
    digital = (sums.get(Channel.PORTAL) or {}).get("r") or 0
    histogram: dict[int, int] = {}
    kinds: set[str] = set()
    for row in (
        _rows(ProcessingBucket, filters, period)
        .values("term_kind", "days")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        histogram[row["days"]] = histogram.get(row["days"], 0) + row["n"]
        kinds.add(row["term_kind"])
    return Metrics(
        received=total["r"],
        received_digital=digital,
        decided=total["d"],
        decided_on_time=total["t"],
        closed=total["c"],
        refused=total["x"],
        processing_unit=kinds.pop() if len(kinds) == 1 else ("mixed" if kinds else ""),
        processing_median=calculate_percentile(histogram, MEDIAN),
        processing_p90=calculate_percentile(histogram, P90),
        digital_share=calculate_share(digital, total["r"]),
        on_time_share=calculate_share(total["t"], total["d"]),
        refused_share=calculate_share(total["x"], total["c"]),
        histogram=histogram,
    )


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
