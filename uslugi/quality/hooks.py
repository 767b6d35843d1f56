"""What quality adds to lower apps' pages through core.hooks: the processing figures on a
service page, and the metrics, trends and cases at risk on the curator's scorecard."""

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.applications import selectors as applications
from uslugi.applications.models import SlaState
from uslugi.catalogue.models import Service
from uslugi.core.hooks import Action
from uslugi.quality import pages, selectors
from uslugi.quality.selectors import Filters

# Fewer decided cases than this in a year say nothing about how long the service usually takes.
FEWEST_DECIDED = 10
AT_RISK_SHOWN = 20


def service_sections(request: HttpRequest, service: Service) -> list[Action]:
    """«Обычно решают за 8 рабочих дней; 97 % в срок» over the last 365 days."""
    period = pages.last_year(timezone.localdate())
    metrics = selectors.metrics(Filters(services=(service.pk,)), period)
    url = reverse("quality:service", args=[service.region.code, service.code])
    if metrics.decided < FEWEST_DECIDED:
        return [Action(label=_("Quality of the service"), url=url, primary=False)]
    summary = _("Usually decided within %(days)s; %(share)s on time") % {
        "days": pages.days_phrase(metrics.processing_median, metrics.processing_unit),
        "share": pages.percent(metrics.on_time_share),
    }
    return [
        Action(
            label=_("Quality of the service"),
            url=url,
            template="quality/_service_summary.html",
            extra={"summary": summary, "metrics": metrics},
        )
    ]


def scorecard_sections(request: HttpRequest, services: list[Service]) -> list[Action]:
    """The curator's services: metrics of the last 365 days, monthly trends, cases at risk."""
    if not services:
        return []
    period = pages.last_year(timezone.localdate())
    filters = Filters(services=tuple(service.pk for service in services))
    at_risk = applications.list_cases_at_risk([service.pk for service in services])
    return [
        Action(
            label=_("Metrics of your services"),
            url="",
            template="quality/_scorecard.html",
            extra={
                "period": period,
                "figures": pages.figures(selectors.metrics(filters, period)),
                "services": pages.service_rows(filters, period),
                "charts": pages.trend_charts("scorecard", selectors.monthly(filters, period)),
                "at_risk": list(at_risk[:AT_RISK_SHOWN]),
                "at_risk_counts": _counts(at_risk),
            },
        )
    ]


def _counts(cases: Any) -> dict[str, int]:
    return cases.order_by().aggregate(
        overdue=Count("pk", filter=Q(sla_state=SlaState.OVERDUE)),
        at_risk=Count("pk", filter=Q(sla_state=SlaState.AT_RISK)),
    )
