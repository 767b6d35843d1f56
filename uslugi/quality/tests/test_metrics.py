"""Quality metrics: definitions on hand-made values, incremental = rebuild, an independent check."""

import math
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from uslugi.applications.models import Application, Case, CaseEvent, Suspension
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.catalogue.models import Region
from uslugi.constructor.demo import load_demo as load_constructor
from uslugi.feedback.models import Complaint, Rating
from uslugi.quality import selectors, services
from uslugi.quality.calculate import calculate_percentile, calculate_processing_days
from uslugi.quality.models import (
    COUNTS,
    SCORES,
    DailyRollup,
    MonthlyRollup,
)
from uslugi.workdays import selectors as workdays

D = date


# Definitions on hand-made values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("working", "registered", "decided", "stops", "expected"),
    [
        # Mon 2026-02-02 → Fri 2026-02-13: Tue–Fri, Mon–Fri = 9 working days, 11 calendar days.
        (True, D(2026, 2, 2), D(2026, 2, 13), [], 9),
        (False, D(2026, 2, 2), D(2026, 2, 13), [], 11),
        # A stop Wed 4 – Tue 10 February: 5 working days and 7 calendar days are not counted.
        (True, D(2026, 2, 2), D(2026, 2, 13), [(D(2026, 2, 4), D(2026, 2, 10))], 4),
        (False, D(2026, 2, 2), D(2026, 2, 13), [(D(2026, 2, 4), D(2026, 2, 10))], 4),
        # A stop begun before registration and one still open at the decision are clipped.
        (False, D(2026, 2, 2), D(2026, 2, 13), [(D(2026, 1, 20), D(2026, 2, 3))], 10),
        (False, D(2026, 2, 2), D(2026, 2, 13), [(D(2026, 2, 12), None)], 9),
        # Decided on the day of registration: no day has passed.
        (True, D(2026, 2, 2), D(2026, 2, 2), [], 0),
        # Across the New Year holidays: 31 December 2025 and 1–11 January 2026 are off.
        (True, D(2025, 12, 30), D(2026, 1, 13), [], 2),
    ],
)
def test_processing_days_in_the_terms_unit_without_stops(
    db: None, working: bool, registered: date, decided: date, stops: Any, expected: int
) -> None:
    # given the production calendar of region 56
    calendar = workdays.get_calendar("56")
    # when / then
    assert (
        calculate_processing_days(
            calendar, working=working, registered_on=registered, decided_on=decided, stops=stops
        )
        == expected
    )


@pytest.mark.parametrize(
    ("histogram", "share", "expected"),
    [
        ({}, 0.5, None),
        ({3: 1}, 0.9, 3),
        ({1: 1, 2: 1, 3: 1, 4: 1}, 0.5, 2),  # the lower middle of an even count
        ({1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, 0.9, 5),
        ({1: 9, 40: 1}, 0.9, 1),
        ({1: 8, 40: 2}, 0.9, 40),
    ],
)
def test_percentiles_are_nearest_rank(
    histogram: dict[int, int], share: float, expected: Any
) -> None:
    assert calculate_percentile(histogram, share) == expected


# On generated history ----------------------------------------------------------------------------


@pytest.fixture
def history(db: None) -> None:
    load_catalogue()
    load_constructor()
    call_command(
        "generate_history",
        count=3000,
        days=400,
        batch=1000,
        seed=7,
        with_feedback=True,
        verbosity=0,
    )


def _rollup_rows() -> tuple[list[tuple[Any, ...]], ...]:
    key = ["day", "service_id", "region_id", "agency_id", "channel", "term_kind"]
    return tuple(
        sorted(model.objects.values_list(*key, *COUNTS, "processing_days"))
        for model in (DailyRollup, MonthlyRollup)
    )


def test_incremental_rollups_equal_a_rebuild(history: None) -> None:
    # given rollups kept case by case through the hooks' functions
    for case in Case.objects.select_related("application", "region").order_by("pk"):
        services.record_case_opened(case)
        if case.status in ("refused_to_accept", "withdrawn"):
            closed_at = CaseEvent.objects.get(case=case, target=case.status).occurred_at
            services.record_case_closed(case, on=timezone.localdate(closed_at))
        else:
            services.record_case_closed(case)
    for rating in Rating.objects.order_by("pk"):
        services.record_rating(rating)
    for complaint in Complaint.objects.order_by("pk"):
        services.record_complaint_filed(complaint)
        if complaint.decided_at is not None:
            services.record_complaint_decided(complaint)
    incremental = _rollup_rows()
    # when they are rebuilt from scratch
    counted = services.rebuild_rollups()
    # then nothing changed
    assert counted["cases"] == 3000
    assert _rollup_rows() == incremental
    assert sum(row[6] for row in incremental[0]) == 3000
    assert sum(row[6] for row in incremental[1]) == 3000  # the same receipts, by month
    assert sum(row[6 + COUNTS.index("rated")] for row in incremental[0]) == Rating.objects.count()


@pytest.mark.parametrize(
    "settings_",
    [
        pytest.param({"CHUNK": 7}, id="cases counted 7 at a time"),
        pytest.param(
            {"DENSE_CELLS_PER_ROW": 0, "DENSE_CELLS": 0}, id="every range of cells renumbered"
        ),
    ],
)
def test_a_rebuild_counted_another_way_equals_the_plain_one(
    history: None, monkeypatch: pytest.MonkeyPatch, settings_: dict[str, int]
) -> None:
    # given rollups rebuilt with every case in one chunk, every cell counted densely
    services.rebuild_rollups()
    whole = _rollup_rows()
    # when they are counted with chunk boundaries every 7 rows, or through `np.unique`
    for name, value in settings_.items():
        monkeypatch.setattr(services, name, value)
    services.rebuild_rollups()
    # then nothing changes
    assert _rollup_rows() == whole
    assert any(row[-1] for row in whole[0])  # histograms were counted


def _independent(cases: list[dict[str, Any]], period: tuple[date, date]) -> dict[str, Any]:
    """Every metric from the raw export, one case at a time, by day-by-day counting."""
    first, last = period
    calendars = {code: workdays.get_calendar(code) for code in ("02", "16", "56")}
    received = [c for c in cases if first <= c["received_on"] <= last]
    closed = [c for c in cases if c["closed_on"] is not None and first <= c["closed_on"] <= last]
    decided = [c for c in closed if c["status"] in ("approved", "refused")]
    durations = []
    for c in decided:
        calendar = calendars[c["region"]]
        stopped = set()
        for starts, ends in c["stops"]:
            day = starts
            while day <= (ends or c["closed_on"]):
                stopped.add(day)
                day += timedelta(days=1)
        count, day = 0, c["registered_on"] + timedelta(days=1)
        while day <= c["closed_on"]:
            if day not in stopped and (c["term_kind"] == "calendar" or calendar.is_working(day)):
                count += 1
            day += timedelta(days=1)
        durations.append(count)
    durations.sort()

    def rank(share: float) -> int | None:
        return durations[math.ceil(share * len(durations)) - 1] if durations else None

    ratings = [r for c in cases for r in c["ratings"] if first <= r["day"] <= last]
    filed = [x for c in cases for x in c["complaints"] if first <= x["registered_on"] <= last]
    decided_complaints = [
        x
        for c in cases
        for x in c["complaints"]
        if x["decided_on"] is not None and first <= x["decided_on"] <= last
    ]
    upheld = sum(x["status"] == "upheld" for x in decided_complaints)
    satisfaction: dict[str, Any] = {}
    for name in ("time", "queue", "staff", "premises", "information"):
        scores = [r[f"{name}_score"] for r in ratings]
        satisfaction[f"mean_{name}_score"] = sum(scores) / len(scores) if scores else None
        satisfaction[f"satisfied_{name}_share"] = (
            sum(score >= 4 for score in scores) / len(scores) if scores else None
        )
    every_score = [
        r[f"{n}_score"]
        for r in ratings
        for n in ("time", "queue", "staff", "premises", "information")
    ]
    portal = sum(c["channel"] == "portal" for c in received)
    on_time = sum(c["closed_on"] <= c["due_date"] for c in decided)
    refused = sum(c["status"] in ("refused", "refused_to_accept") for c in closed)
    return {
        "received": len(received),
        "received_digital": portal,
        "decided": len(decided),
        "decided_on_time": on_time,
        "closed": len(closed),
        "refused": refused,
        "processing_median": rank(0.5),
        "processing_p90": rank(0.9),
        "digital_share": portal / len(received) if received else None,
        "on_time_share": on_time / len(decided) if decided else None,
        "refused_share": refused / len(closed) if closed else None,
        "rated": len(ratings),
        **satisfaction,
        "satisfied_share": (
            sum(score >= 4 for score in every_score) / len(every_score) if every_score else None
        ),
        "complaints": len(filed),
        "complaints_decided": len(decided_complaints),
        "complaints_upheld": upheld,
        "complaints_per_thousand": len(filed) * 1000 / len(received) if received else None,
        "upheld_share": upheld / len(decided_complaints) if decided_complaints else None,
    }


def _export() -> list[dict[str, Any]]:
    stops: dict[int, list[tuple[date, date | None]]] = {}
    for case_id, starts, ends in Suspension.objects.values_list("case_id", "starts_on", "ends_on"):
        stops.setdefault(case_id, []).append((starts, ends))
    closings = dict(
        CaseEvent.objects.filter(target__in=["refused_to_accept", "withdrawn"]).values_list(
            "case_id", "occurred_at"
        )
    )
    ratings: dict[int, list[dict[str, Any]]] = {}
    for rating in Rating.objects.all():
        ratings.setdefault(rating.case_id, []).append(
            {"day": timezone.localdate(rating.created_at)}
            | {name: getattr(rating, name) for name in SCORES}
        )
    complaints: dict[int, list[dict[str, Any]]] = {}
    for complaint in Complaint.objects.all():
        complaints.setdefault(complaint.case_id, []).append(
            {
                "registered_on": complaint.registered_on,
                "decided_on": timezone.localdate(complaint.decided_at)
                if complaint.decided_at
                else None,
                "status": complaint.status,
            }
        )
    rows = []
    for case in Case.objects.select_related("application", "region"):
        moment = case.decided_at or closings.get(case.pk)
        rows.append(
            {
                "region": case.region.code,
                "service_id": case.service_id,
                "channel": case.application.channel,
                "status": case.status,
                "term_kind": case.term_kind,
                "received_on": timezone.localdate(case.application.received_at),
                "registered_on": case.registered_on,
                "due_date": case.due_date,
                "closed_on": timezone.localdate(moment) if moment else None,
                "stops": stops.get(case.pk, []),
                "ratings": ratings.get(case.pk, []),
                "complaints": complaints.get(case.pk, []),
            }
        )
    return rows


def test_every_metric_equals_an_independent_recomputation(history: None) -> None:
    # given rebuilt rollups and the raw cases with their stops
    services.rebuild_rollups()
    cases = _export()
    assert sum(bool(c["stops"]) for c in cases) > 200
    assert sum(len(c["ratings"]) for c in cases) > 300
    assert sum(len(c["complaints"]) for c in cases) > 30
    assert Complaint.objects.filter(status="upheld").exists()
    today = timezone.localdate()
    this_month = today.replace(day=1)
    periods = [
        (today - timedelta(days=400), today),
        (today - timedelta(days=120), today - timedelta(days=30)),
        # whole months only (the monthly rollups alone), and days inside one month (daily alone)
        ((this_month - timedelta(days=150)).replace(day=1), this_month - timedelta(days=1)),
        (this_month - timedelta(days=57), this_month - timedelta(days=40)),
    ]
    region_56 = Region.objects.get(code="56")
    a_service = cases[0]["service_id"]
    filters = [
        (selectors.Filters(), lambda c: True),
        (selectors.Filters(regions=(region_56.pk,)), lambda c: c["region"] == "56"),
        (selectors.Filters(services=(a_service,)), lambda c: c["service_id"] == a_service),
        (selectors.Filters(channels=("mfc",)), lambda c: c["channel"] == "mfc"),
    ]
    for period in periods:
        for chosen, keep in filters:
            # when the metrics are read from the rollups
            got = selectors.metrics(chosen, selectors.Period(*period)).as_dict()
            got.pop("processing_unit")
            # then they are those counted from the raw cases
            assert got == _independent([c for c in cases if keep(c)], period), (chosen, period)


def test_history_is_realistic(history: None) -> None:
    # then the portal's share rises and processing improves after the date
    services.rebuild_rollups()
    today = timezone.localdate()
    early = selectors.Period(today - timedelta(days=400), today - timedelta(days=300))
    late = selectors.Period(today - timedelta(days=100), today)
    comparison = selectors.compare_periods(selectors.Filters(), early, late)
    before, after = comparison.change("digital_share")
    assert before is not None
    assert after is not None
    assert after > before + 0.1
    median_before, median_after = comparison.change("processing_median")
    assert median_before is not None
    assert median_after is not None
    assert median_after < median_before
    kinds = Counter(Suspension.objects.values_list("kind", flat=True))
    assert kinds["suspension"] > 0
    assert kinds["awaiting_applicant"] > 0
    assert Application.objects.count() == 3000


def test_compare_regions_of_one_federal_template(history: None) -> None:
    # given the template whose variants run in the most regions
    from uslugi.constructor.models import RegionalVariant

    codes = Counter(RegionalVariant.objects.values_list("template__code", flat=True))
    template, regions = codes.most_common(1)[0]
    services.rebuild_rollups()
    today = timezone.localdate()
    period = selectors.Period(today - timedelta(days=400), today)
    # when the regions are compared
    compared = selectors.compare_regions(template, period)
    # then each region's figures are those of its variant's service alone
    assert len(compared) == regions
    for code, figures in compared.items():
        service_ids = tuple(
            RegionalVariant.objects.filter(template__code=template, region__code=code).values_list(
                "service_id", flat=True
            )
        )
        region = Region.objects.get(code=code)
        alone = selectors.metrics(
            selectors.Filters(regions=(region.pk,), services=service_ids), period
        )
        assert figures == alone


def test_metrics_api(history: None) -> None:
    # given rebuilt rollups
    services.rebuild_rollups()
    today = timezone.localdate()
    first = today - timedelta(days=90)
    # when the API is asked for region 56
    response = Client().get(
        "/api/quality/metrics", {"region": "56", "from": first.isoformat(), "to": today.isoformat()}
    )
    # then it answers the selector's figures
    assert response.status_code == 200
    region = Region.objects.get(code="56")
    expected = selectors.metrics(
        selectors.Filters(regions=(region.pk,)), selectors.Period(first, today)
    ).as_dict()
    assert response.json() == expected
    # and a reversed period or an unknown region is refused
    assert (
        Client()
        .get("/api/quality/metrics", {"from": today.isoformat(), "to": first.isoformat()})
        .status_code
        == 400
    )
    assert (
        Client()
        .get(
            "/api/quality/metrics",
            {"region": "99", "from": first.isoformat(), "to": today.isoformat()},
        )
        .status_code
        == 404
    )


def test_monthly_and_per_service_metrics_equal_the_independent_recomputation(
    history: None,
) -> None:
    # given rebuilt rollups and the raw cases
    services.rebuild_rollups()
    cases = _export()
    today = timezone.localdate()
    period = selectors.Period(today - timedelta(days=200), today)
    region_56 = Region.objects.get(code="56")
    filters = selectors.Filters(regions=(region_56.pk,))
    mine = [c for c in cases if c["region"] == "56"]
    # when the metrics are read month by month and service by service
    months = selectors.monthly(filters, period)
    per_service = selectors.breakdown(filters, period, "service_id")
    # then each month's figures are those counted from the raw cases over that month's days
    assert len(months) >= 6
    for month, figures in months:
        following = (month + timedelta(days=32)).replace(day=1)
        days = (max(month, period.first), min(following - timedelta(days=1), period.last))
        got = figures.as_dict()
        got.pop("processing_unit")
        assert got == _independent(mine, days), month
    # and each service's figures are those of its cases alone
    assert len(per_service) >= 10
    for service_id, figures in per_service.items():
        got = figures.as_dict()
        got.pop("processing_unit")
        alone = [c for c in mine if c["service_id"] == service_id]
        assert got == _independent(alone, (period.first, period.last)), service_id
