"""Reads of the roadmap: the region's plan with everything a page shows, and KPI results.

A KPI's baseline and current values come from `uslugi.quality.selectors.metrics` over the
KPI's periods, live; so the public page and the API publish what the platform measured, never a
figure someone typed (BRIEF §10: a manually fed performance platform died).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from uslugi.accounts.models import Role
from uslugi.catalogue import selectors as catalogue
from uslugi.catalogue.models import Region
from uslugi.quality import selectors as quality
from uslugi.roadmap.errors import RoadmapNotFound
from uslugi.roadmap.kpis import (
    COMPARISON_SIGNS,
    METRICS,
    Comparison,
    KpiMetric,
    Unit,
    calculate_progress,
    calculate_reached,
)
from uslugi.roadmap.models import (
    Decision,
    Evidence,
    ItemStatus,
    Kpi,
    Measure,
    Meeting,
    Roadmap,
    WorkingGroupMember,
)


def can_run_roadmap(user: Any, region: Region) -> bool:
    """Only the region's administrators (and superusers) change its roadmap."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.role == Role.REGIONAL_ADMINISTRATOR and user.region_id == region.pk


def today_in(region: Region) -> date:
    """Today in the region's own time zone (Orenburg is UTC+5)."""
    return timezone.now().astimezone(ZoneInfo(region.time_zone)).date()


def list_roadmaps() -> QuerySet[Roadmap]:
    """Every region's roadmap with `measure_count`, by region code."""
    return (
        Roadmap.objects.select_related("region")
        .annotate(measure_count=Count("measures"))
        .order_by("region__code")
    )


def find_roadmap(region_code: str) -> Roadmap | None:
    return Roadmap.objects.select_related("region").filter(region__code=region_code).first()


def get_roadmap(region_code: str) -> Roadmap:
    """The region's roadmap with measures, KPIs, evidence, members, meetings and decisions."""
    catalogue.get_region(region_code)  # 404 for a region that does not exist
    roadmap = (
        Roadmap.objects.select_related("region")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.select_related("responsible_agency", "overseer").order_by(
                    "pk"
                ),
            ),
            Prefetch(
                "measures__kpis",
                queryset=Kpi.objects.select_related("service", "agency").order_by("pk"),
            ),
            "measures__evidence",
            Prefetch(
                "members",
                queryset=WorkingGroupMember.objects.select_related("agency").order_by("pk"),
            ),
            Prefetch(
                "meetings",
                queryset=Meeting.objects.prefetch_related(
                    Prefetch(
                        "decisions",
                        queryset=Decision.objects.select_related("assignee").order_by("pk"),
                    )
                ).order_by("-held_on", "-pk"),
            ),
        )
        .filter(region__code=region_code)
        .first()
    )
    if roadmap is None:
        raise RoadmapNotFound()
    return roadmap


def get_measure(roadmap: Roadmap, pk: int) -> Measure:
    measure = (
        Measure.objects.select_related("responsible_agency", "overseer", "roadmap__region")
        .prefetch_related(
            Prefetch("kpis", queryset=Kpi.objects.select_related("service", "agency")),
            "evidence",
        )
        .filter(roadmap=roadmap, pk=pk)
        .first()
    )
    if measure is None:
        raise RoadmapNotFound(_("There is no such measure."))
    return measure


def get_meeting(roadmap: Roadmap, pk: int) -> Meeting:
    meeting = (
        Meeting.objects.prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("assignee"))
        )
        .filter(roadmap=roadmap, pk=pk)
        .first()
    )
    if meeting is None:
        raise RoadmapNotFound(_("There is no such meeting."))
    return meeting


def get_kpi(roadmap: Roadmap, pk: int) -> Kpi:
    return _one(
        Kpi.objects.select_related("measure__roadmap__region").filter(
            pk=pk, measure__roadmap=roadmap
        )
    )


def get_evidence(roadmap: Roadmap, pk: int) -> Evidence:
    return _one(
        Evidence.objects.select_related("measure__roadmap__region").filter(
            pk=pk, measure__roadmap=roadmap
        )
    )


def get_member(roadmap: Roadmap, pk: int) -> WorkingGroupMember:
    return _one(
        WorkingGroupMember.objects.select_related("roadmap__region").filter(pk=pk, roadmap=roadmap)
    )


def get_decision(roadmap: Roadmap, pk: int) -> Decision:
    return _one(
        Decision.objects.select_related("meeting__roadmap__region", "assignee").filter(
            pk=pk, meeting__roadmap=roadmap
        )
    )


def get_public_document(region_code: str, pk: int) -> Evidence:
    """An evidence document of the region's roadmap: public like the plan it proves."""
    return _one(
        Evidence.objects.filter(pk=pk, measure__roadmap__region__code=region_code).exclude(
            document=""
        )
    )


def _one(queryset: QuerySet[Any]) -> Any:
    found = queryset.first()
    if found is None:
        raise Http404(_("Not found."))
    return found


def list_measures(roadmap: Roadmap) -> QuerySet[Measure]:
    return Measure.objects.filter(roadmap=roadmap).select_related("responsible_agency", "overseer")


# KPI results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiResult:
    kpi: Kpi
    metric: KpiMetric
    baseline_period: quality.Period
    current_period: quality.Period
    baseline: Decimal | None
    current: Decimal | None
    baseline_cases: int
    current_cases: int
    processing_unit: str  # "working", "calendar", "mixed" or "" (days metrics only)
    reached: bool
    progress: int | None

    @property
    def subject(self) -> str:
        kpi = self.kpi
        if kpi.service is not None:
            return kpi.service.name
        assert kpi.agency is not None
        return _("all services of %(agency)s") % {"agency": kpi.agency.name}

    def format_value(self, value: Decimal | None) -> str:
        if value is None:
            return "—"
        text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
        return f"{text} %" if self.metric.unit == Unit.PERCENT else text

    def unit_of(self, value: Decimal | None) -> str:
        """The unit's word agreeing with `value` («45 календарных дней», «21 день»)."""
        if self.metric.unit == Unit.PERCENT:
            return ""
        if self.metric.unit == Unit.PER_THOUSAND:
            return _("per 1 000 cases")
        count = int(value) if value is not None and value == value.to_integral() else 5
        if self.processing_unit == "working":
            return npgettext("unit", "working day", "working days", count)
        if self.processing_unit == "calendar":
            return npgettext("unit", "calendar day", "calendar days", count)
        return npgettext("unit", "day", "days", count)

    @property
    def change(self) -> str:
        """«90 → 45 календарных дней», «21 % → 75 %»: the before/after in one line."""
        text = f"{self.format_value(self.baseline)} → {self.format_value(self.current)}"
        unit = self.unit_of(self.current if self.current is not None else self.baseline)
        return f"{text} {unit}".strip()

    @property
    def baseline_text(self) -> str:
        return f"{self.format_value(self.baseline)} {self.unit_of(self.baseline)}".strip()

    @property
    def current_text(self) -> str:
        return f"{self.format_value(self.current)} {self.unit_of(self.current)}".strip()

    @property
    def target_text(self) -> str:
        sign = COMPARISON_SIGNS[Comparison(self.kpi.comparison)]
        value = self.format_value(self.kpi.target)
        return f"{sign} {value} {self.unit_of(self.kpi.target)}".strip()

    def as_dict(self) -> dict[str, Any]:
        kpi = self.kpi
        return {
            "id": kpi.pk,
            "metric": kpi.metric,
            "metric_label": str(self.metric.label),
            "unit": self.metric.unit.value,
            "processing_unit": self.processing_unit,
            "service": kpi.service.code if kpi.service else None,
            "agency": kpi.agency.code if kpi.agency else None,
            "subject": self.subject,
            "baseline_from": self.baseline_period.first,
            "baseline_to": self.baseline_period.last,
            "baseline": self.baseline,
            "baseline_recorded": kpi.baseline_value,
            "current_from": self.current_period.first,
            "current_to": self.current_period.last,
            "current": self.current,
            "comparison": kpi.comparison,
            "target": kpi.target,
            "reached": self.reached,
            "progress": self.progress,
        }


def _filters(kpi: Kpi, region_id: int) -> quality.Filters:
    if kpi.service_id is not None:
        return quality.Filters(regions=(region_id,), services=(kpi.service_id,))
    assert kpi.agency_id is not None
    return quality.Filters(regions=(region_id,), agencies=(kpi.agency_id,))


def _cases(metric: KpiMetric, metrics: quality.Metrics) -> int:
    """How many cases the value rests on: decided ones for times and decided shares."""
    if metric.attribute == "digital_share":
        return metrics.received
    if metric.attribute == "refused_share":
        return metrics.closed
    return metrics.decided


def measure_baseline(kpi: Kpi, region_id: int) -> Decimal | None:
    """The KPI's metric over its baseline period, from the rollups."""
    metric = METRICS[kpi.metric]
    period = quality.Period(kpi.baseline_from, kpi.baseline_to)
    return metric.to_display(
        getattr(quality.metrics(_filters(kpi, region_id), period), metric.attribute)
    )


def kpi_result(kpi: Kpi, region: Region, today: date | None = None) -> KpiResult:
    """Baseline and current values of the KPI, whether it reached its target and how far."""
    metric = METRICS[kpi.metric]
    today = today or today_in(region)
    filters = _filters(kpi, region.pk)
    before_period = quality.Period(kpi.baseline_from, kpi.baseline_to)
    after_period = quality.Period(kpi.current_from, max(today, kpi.current_from))
    comparison = quality.compare_periods(filters, before_period, after_period)
    baseline = metric.to_display(getattr(comparison.before, metric.attribute))
    current = metric.to_display(getattr(comparison.after, metric.attribute))
    units = {comparison.before.processing_unit, comparison.after.processing_unit} - {""}
    return KpiResult(
        kpi=kpi,
        metric=metric,
        baseline_period=before_period,
        current_period=after_period,
        baseline=baseline,
        current=current,
        baseline_cases=_cases(metric, comparison.before),
        current_cases=_cases(metric, comparison.after),
        processing_unit=units.pop() if len(units) == 1 else ("mixed" if units else ""),
        reached=calculate_reached(current, kpi.target, kpi.comparison),
        progress=calculate_progress(baseline, current, kpi.target, kpi.comparison),
    )


@dataclass(frozen=True)
class MeasureState:
    """A measure with its KPI results and the flags a reader must not miss."""

    measure: Measure
    kpis: list[KpiResult]

    @property
    def done_below_target(self) -> bool:
        """Marked done while a KPI has not reached its target: the plan says so, numbers don't."""
        return self.measure.status == ItemStatus.DONE and any(not r.reached for r in self.kpis)

    @property
    def overdue(self) -> bool:
        return self.measure.status == ItemStatus.OVERDUE


def measure_states(roadmap: Roadmap, today: date | None = None) -> list[MeasureState]:
    """Every measure of a roadmap fetched by `get_roadmap`, with live KPI results."""
    today = today or today_in(roadmap.region)
    return [
        MeasureState(
            measure=measure,
            kpis=[kpi_result(kpi, roadmap.region, today) for kpi in measure.kpis.all()],
        )
        for measure in roadmap.measures.all()
    ]


def measure_state(measure: Measure, region: Region) -> MeasureState:
    today = today_in(region)
    return MeasureState(
        measure=measure, kpis=[kpi_result(kpi, region, today) for kpi in measure.kpis.all()]
    )
