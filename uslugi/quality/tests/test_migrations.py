"""Migrating kept rollups: the processing-time buckets fold into their rows' histograms; the key
columns' planner statistics are sampled lightly on PostgreSQL."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from uslugi.catalogue.factories import ServiceFactory

BEFORE = [("quality", "0005_case_archive")]
AFTER = [("quality", "0006_histograms")]


def _migrate(targets: list[tuple[str, str]]) -> object:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_buckets_fold_into_the_histograms_of_their_rollup_rows() -> None:
    service = ServiceFactory()
    key = {
        "service_id": service.pk,
        "region_id": service.region_id,
        "agency_id": service.agency_id,
        "channel": "portal",
        "term_kind": "working",
    }
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        # given rollups kept before the histograms: two rows, one with buckets, one without,
        # and a bucket whose row is missing
        old = _migrate(BEFORE)
        day, other, orphan = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
        old.get_model("quality", "DailyRollup").objects.create(day=day, decided=3, **key)
        old.get_model("quality", "DailyRollup").objects.create(day=other, received=1, **key)
        old.get_model("quality", "MonthlyRollup").objects.create(
            day=date(2026, 3, 1), decided=4, **key
        )
        buckets = old.get_model("quality", "ProcessingBucket")
        buckets.objects.create(day=day, days=5, count=2, **key)
        buckets.objects.create(day=day, days=12, count=1, **key)
        buckets.objects.create(day=day, days=7, count=0, **key)
        buckets.objects.create(day=orphan, days=9, count=1, **key)
        old.get_model("quality", "MonthlyBucket").objects.create(
            day=date(2026, 3, 1), days=5, count=3, **key
        )

        # when the histograms' migration runs
        new = _migrate(AFTER)

        # then each row holds its buckets as a histogram, empty buckets left out
        daily = new.get_model("quality", "DailyRollup").objects
        assert daily.get(day=day).processing_days == {"5": 2, "12": 1}
        assert daily.get(day=day).decided == 3
        assert daily.get(day=other).processing_days == {}
        assert daily.get(day=orphan).processing_days == {"9": 1}
        monthly = new.get_model("quality", "MonthlyRollup").objects
        assert monthly.get(day=date(2026, 3, 1)).processing_days == {"5": 3}
    finally:
        _migrate(latest)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_the_rollups_key_columns_are_sampled_with_a_statistics_target_of_ten() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname, a.attstattarget FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE c.relname IN ('quality_dailyrollup', 'quality_monthlyrollup') "
            "AND a.attname IN ('day', 'region_id', 'channel', 'decided', 'received')"
        )
        targets = {(table, column): target for table, column, target in cursor.fetchall()}
    for table in ("quality_dailyrollup", "quality_monthlyrollup"):
        for column in ("day", "region_id", "channel", "decided"):
            assert targets[(table, column)] == 10
        assert targets[(table, "received")] in (-1, None)  # the others keep the default
