"""The demo history reproduces Orenburg's reported results exactly, as the public metrics read
them, whatever day it is loaded on; loading it twice changes nothing."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from uslugi.catalogue.models import Service
from uslugi.quality import selectors
from uslugi.quality.demo import BASELINE, REFORMED_FROM, REPORTED_REGION, REPORTED_RESULTS

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.parametrize(
    "loaded_on",
    [None, datetime(2027, 9, 15, 10, tzinfo=ZoneInfo("Europe/Moscow"))],
    ids=["today", "in-2027"],
)
def test_the_demo_reproduces_orenburgs_reported_results(loaded_on: datetime | None) -> None:
    # given the whole demo loaded today or on a day in 2027
    with time_machine.travel(loaded_on or timezone.now(), tick=True):
        call_command("load_demo", verbosity=0)
        today = timezone.localdate()
        after = [
            selectors.Period(REFORMED_FROM, today),
            selectors.Period(today - timedelta(days=364), today),
            selectors.Period(date(2025, 4, 1), date(2025, 6, 30)),
        ]
        for code, reported in REPORTED_RESULTS.items():
            service = Service.objects.get(region__code=REPORTED_REGION, code=code)
            filters = selectors.Filters(services=(service.pk,))
            # when the public metrics are read for the baseline and after the reform
            before = selectors.metrics(filters, BASELINE)
            # then they are the reported figures exactly
            assert before.processing_unit == reported.term_kind
            assert before.processing_median == reported.median_before, code
            assert before.digital_share is not None
            assert round(100 * before.digital_share) == reported.portal_before, code
            for period in after:
                figures = selectors.metrics(filters, period)
                assert figures.processing_median == reported.median_after, (code, period)
                assert figures.digital_share is not None
                assert round(100 * figures.digital_share) == reported.portal_after, (code, period)
            comparison = selectors.compare_periods(filters, BASELINE, after[0])
            assert comparison.change("processing_median") == (
                reported.median_before,
                reported.median_after,
            )
        # and the other services have history, ratings and complaints too
        everything = selectors.metrics(selectors.Filters(), after[1])
        assert everything.received > 4000
        assert everything.rated > 1000
        assert everything.complaints > 50
        # and loading again changes nothing
        before_counts = _counts()
        call_command("load_demo", verbosity=0)
        assert _counts() == before_counts
