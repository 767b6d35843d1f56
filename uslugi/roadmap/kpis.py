"""Which quality metrics a KPI may track, and how progress toward a target is reckoned (pure).

A KPI never stores its current value: it names a metric of `uslugi.quality.selectors.Metrics`
(by attribute) and reads it live over its periods. The registry below is the one list of those
metrics; a metric the quality app adds later becomes trackable by one more `KpiMetric(...)` line
here — the model's choices are read from this registry, so no migration follows.

Values are kept in display units: days for a median, percent for a share (the quality app's
fractions × 100), so a target reads as the roadmap states it («≤ 45 дней», «≥ 75 %»).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Unit(StrEnum):
    DAYS = "days"
    PERCENT = "percent"
    PER_THOUSAND = "per_thousand"  # complaints per 1 000 cases received


class Comparison(StrEnum):
    """How the current value must stand against the target for the KPI to be reached."""

    AT_MOST = "at_most"  # ≤: lower is better (terms, refusals)
    AT_LEAST = "at_least"  # ≥: higher is better (shares on time or online)


COMPARISON_CHOICES = [
    (Comparison.AT_MOST.value, _("at most (≤)")),
    (Comparison.AT_LEAST.value, _("at least (≥)")),
]
COMPARISON_SIGNS = {Comparison.AT_MOST: "≤", Comparison.AT_LEAST: "≥"}


@dataclass(frozen=True)
class KpiMetric:
    code: str
    label: str | Promise
    attribute: str  # the field of quality's `Metrics` it reads
    unit: Unit
    better: Comparison  # the usual direction of a target on this metric

    @property
    def quantum(self) -> Decimal:
        """Shares and days read in whole units, as roadmaps state them («21 % → 75 %»); a rate
        per 1 000 cases to one decimal."""
        return Decimal("0.1") if self.unit == Unit.PER_THOUSAND else Decimal(1)

    def to_display(self, raw: Any) -> Decimal | None:
        """The quality app's raw value in display units, rounded to the unit's quantum."""
        if raw is None:
            return None
        value = Decimal(str(raw)) * (100 if self.unit == Unit.PERCENT else 1)
        return value.quantize(self.quantum, rounding=ROUND_HALF_UP)


METRICS: dict[str, KpiMetric] = {
    metric.code: metric
    for metric in (
        KpiMetric(
            "processing_median",
            _("median processing time"),
            "processing_median",
            Unit.DAYS,
            Comparison.AT_MOST,
        ),
        KpiMetric(
            "processing_p90",
            _("90th percentile of processing time"),
            "processing_p90",
            Unit.DAYS,
            Comparison.AT_MOST,
        ),
        KpiMetric(
            "on_time_share",
            _("share decided on time"),
            "on_time_share",
            Unit.PERCENT,
            Comparison.AT_LEAST,
        ),
        KpiMetric(
            "digital_share",
            _("digital take-up (share via the portal)"),
            "digital_share",
            Unit.PERCENT,
            Comparison.AT_LEAST,
        ),
        KpiMetric(
            "refused_share", _("share refused"), "refused_share", Unit.PERCENT, Comparison.AT_MOST
        ),
        KpiMetric(
            "satisfied_share",
            _("satisfaction (share of ratings of 4 or 5)"),
            "satisfied_share",
            Unit.PERCENT,
            Comparison.AT_LEAST,
        ),
        KpiMetric(
            "complaints_per_thousand",
            _("pre-trial complaints per 1 000 cases"),
            "complaints_per_thousand",
            Unit.PER_THOUSAND,
            Comparison.AT_MOST,
        ),
        KpiMetric(
            "upheld_share",
            _("share of complaints upheld"),
            "upheld_share",
            Unit.PERCENT,
            Comparison.AT_MOST,
        ),
    )
}


def metric_choices() -> list[tuple[str, str | Promise]]:
    """The model field's choices: every metric the registry offers (a callable, no migration)."""
    return [(metric.code, metric.label) for metric in METRICS.values()]


def calculate_reached(current: Decimal | None, target: Decimal, comparison: str) -> bool:
    """Whether the current value meets the target; unknown (no cases) is not reached."""
    if current is None:
        return False
    return current <= target if comparison == Comparison.AT_MOST else current >= target


def calculate_progress(
    baseline: Decimal | None, current: Decimal | None, target: Decimal, comparison: str
) -> int | None:
    """The share of the way from the baseline to the target covered so far, 0–100 %.

    100 once the target is reached; 0 when the value moved away from the target; None when a
    value is unknown, or when the baseline already met the target (no way to cover).
    """
    if current is None or baseline is None:
        return None
    if calculate_reached(current, target, comparison):
        return 100
    gap = baseline - target if comparison == Comparison.AT_MOST else target - baseline
    if gap <= 0:
        return None
    covered = baseline - current if comparison == Comparison.AT_MOST else current - baseline
    share = covered / gap * 100
    return int(max(Decimal(0), min(Decimal(99), share)).to_integral_value(ROUND_HALF_UP))
