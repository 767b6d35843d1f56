"""Done when: progress equals the KPI computed from the metrics for a fixed generated history;
a done-but-below-target measure is flagged; an overdue one notifies once."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications.models import Notification
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.catalogue.models import Region, Service
from uslugi.constructor.demo import load_demo as load_constructor
from uslugi.core.models import AuditEvent
from uslugi.core.scheduler import discover, run_due_jobs
from uslugi.quality import selectors as quality
from uslugi.roadmap import selectors, services
from uslugi.roadmap.errors import ChangedMeanwhile, NotRoadmapAdministrator, StatusNotSettable
from uslugi.roadmap.factories import (
    DecisionFactory,
    KpiFactory,
    MeasureFactory,
    MemberFactory,
    RoadmapFactory,
)
from uslugi.roadmap.kpis import Comparison, calculate_progress
from uslugi.roadmap.models import ItemStatus, Measure
from uslugi.roadmap.tests.history import BASELINE, CURRENT_FROM, build_reported_history

TODAY = date(2026, 3, 2)


@pytest.fixture
def demo_region(db: None) -> None:
    load_catalogue()


@pytest.fixture
def reported_history(demo_region: None) -> None:
    load_constructor()
    build_reported_history()


@pytest.fixture
def admin56(demo_region: None) -> Any:
    return UserFactory(role=Role.REGIONAL_ADMINISTRATOR, region=Region.objects.get(code="56"))


def _service(code: str) -> Service:
    return Service.objects.get(region__code="56", code=code)


# Progress from live metrics --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service_code", "metric", "comparison", "target", "baseline", "current", "progress"),
    [
        ("attest_ped", "processing_median", Comparison.AT_MOST, "45", "90", "45", 100),
        ("attest_ped", "digital_share", Comparison.AT_LEAST, "75", "21", "75", 100),
        ("veteran_truda_orb", "processing_median", Comparison.AT_MOST, "15", "37", "15", 100),
        # A stricter target, not reached: (37 − 15) / (37 − 10) of the way = 81 %.
        ("veteran_truda_orb", "processing_median", Comparison.AT_MOST, "10", "37", "15", 81),
        # Digital take-up aimed at 90 %: (75 − 21) / (90 − 21) = 78 %.
        ("attest_ped", "digital_share", Comparison.AT_LEAST, "90", "21", "75", 78),
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_progress_equals_the_kpi_computed_from_the_metrics(
    reported_history: None,
    admin56: Any,
    service_code: str,
    metric: str,
    comparison: Comparison,
    target: str,
    baseline: str,
    current: str,
    progress: int,
) -> None:
    # given a measure and a KPI on a service with a fixed history
    measure = MeasureFactory(roadmap=RoadmapFactory(region=admin56.region))
    kpi = services.add_kpi(
        measure=measure,
        actor=admin56,
        service=_service(service_code),
        metric=metric,
        baseline_from=BASELINE.first,
        baseline_to=BASELINE.last,
        current_from=CURRENT_FROM,
        comparison=comparison,
        target=Decimal(target),
    )
    # when its result is read
    result = selectors.kpi_result(kpi, admin56.region)
    # then the values are the quality metrics over the KPI's periods, in display units
    filters = quality.Filters(regions=(admin56.region.pk,), services=(kpi.service_id,))
    before = quality.metrics(filters, BASELINE)
    after = quality.metrics(filters, quality.Period(CURRENT_FROM, TODAY))
    scale = 100 if metric.endswith("share") else 1
    whole = Decimal(1)  # shares and days in whole units, as the roadmap states them
    assert result.baseline == Decimal(str(getattr(before, metric) * scale)).quantize(
        whole, ROUND_HALF_UP
    )
    assert result.current == Decimal(str(getattr(after, metric) * scale)).quantize(
        whole, ROUND_HALF_UP
    )
    assert (result.baseline, result.current) == (Decimal(baseline), Decimal(current))
    assert result.progress == progress
    assert result.progress == calculate_progress(
        result.baseline, result.current, Decimal(target), comparison
    )
    assert result.reached is (progress == 100)
    # and the baseline value was recorded when the KPI was set
    assert kpi.baseline_value == Decimal(baseline)


@time_machine.travel(TODAY, tick=False)
def test_the_reported_changes_read_as_the_roadmap_states_them(
    reported_history: None, admin56: Any
) -> None:
    measure = MeasureFactory(roadmap=RoadmapFactory(region=admin56.region))
    common = {
        "baseline_from": BASELINE.first,
        "baseline_to": BASELINE.last,
        "current_from": CURRENT_FROM,
    }
    results = [
        selectors.kpi_result(
            KpiFactory(measure=measure, service=_service(code), metric=metric, **common),
            admin56.region,
        )
        for code, metric in [
            ("attest_ped", "processing_median"),
            ("attest_ped", "digital_share"),
            ("veteran_truda_orb", "processing_median"),
        ]
    ]
    with translation.override("ru"):
        assert [r.change for r in results] == [
            "90 → 45 календарных дней",
            "21 % → 75 %",
            "37 → 15 рабочих дней",
        ]
    with translation.override("en"):
        assert [r.change for r in results] == [
            "90 → 45 calendar days",
            "21 % → 75 %",
            "37 → 15 working days",
        ]


@pytest.mark.parametrize(
    ("baseline", "current", "target", "comparison", "expected"),
    [
        ("90", "45", "45", Comparison.AT_MOST, 100),
        ("90", "60", "45", Comparison.AT_MOST, 67),
        ("90", "95", "45", Comparison.AT_MOST, 0),
        ("21", "48", "75", Comparison.AT_LEAST, 50),
        ("21", "74.9", "75", Comparison.AT_LEAST, 99),  # never 100 % short of the target
        ("40", "50", "45", Comparison.AT_MOST, None),  # the baseline met the target already
        (None, "45", "45", Comparison.AT_MOST, None),
        ("90", None, "45", Comparison.AT_MOST, None),
    ],
)
def test_progress_is_the_share_of_the_way_from_baseline_to_target(
    baseline: str | None, current: str | None, target: str, comparison: str, expected: int | None
) -> None:
    value = calculate_progress(
        Decimal(baseline) if baseline else None,
        Decimal(current) if current else None,
        Decimal(target),
        comparison,
    )
    assert value == expected


# The done-but-below-target flag ----------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_a_measure_done_below_its_target_is_flagged(reported_history: None, admin56: Any) -> None:
    # given two measures on the veteran title's term (37 → 15 working days): one aims at ≤ 10
    roadmap = RoadmapFactory(region=admin56.region)
    short, met = MeasureFactory(roadmap=roadmap), MeasureFactory(roadmap=roadmap)
    for measure, target in ((short, "10"), (met, "15")):
        KpiFactory(measure=measure, service=_service("veteran_truda_orb"), target=Decimal(target))
    # when both are marked done
    for measure in (short, met):
        services.set_measure_status(
            measure=measure, actor=admin56, revision=measure.revision, status=ItemStatus.DONE
        )
    # then only the one whose KPI is short of its target is flagged
    states = {s.measure.pk: s for s in selectors.measure_states(selectors.get_roadmap("56"))}
    assert states[short.pk].done_below_target is True
    assert states[met.pk].done_below_target is False
    assert Measure.objects.get(pk=short.pk).completed_on == TODAY
    # and a measure in progress below its target is not (yet) flagged
    services.set_measure_status(
        measure=short, actor=admin56, revision=short.revision, status=ItemStatus.IN_PROGRESS
    )
    states = {s.measure.pk: s for s in selectors.measure_states(selectors.get_roadmap("56"))}
    assert states[short.pk].done_below_target is False


# Overdue ---------------------------------------------------------------------------------------


def test_an_overdue_measure_and_decision_notify_their_owners_once(
    admin56: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a measure and a meeting's decision both due on 27 February 2026
    roadmap = RoadmapFactory(region=admin56.region)
    overseer = MemberFactory(roadmap=roadmap, email="overseer@example.org")
    measure = MeasureFactory(
        roadmap=roadmap,
        due_on=date(2026, 2, 27),
        responsible_email="owner@example.org",
        overseer=overseer,
    )
    decision = DecisionFactory(
        meeting__roadmap=roadmap, assignee=overseer, due_on=date(2026, 2, 27)
    )
    on_time = MeasureFactory(roadmap=roadmap, due_on=date(2026, 3, 2))
    # when the scheduler runs the job on 2 March, and again an hour later
    discover()
    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel("2026-03-02 10:00 +05:00", tick=False),
    ):
        first = run_due_jobs()
    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel("2026-03-02 11:00 +05:00", tick=False),
    ):
        second = run_due_jobs()
    # then both late items are overdue and their owners were told once, by e-mail
    assert "uslugi.roadmap.tasks.flag_overdue_items" in [run.name for run in first]
    assert "uslugi.roadmap.tasks.flag_overdue_items" in [run.name for run in second]
    assert Measure.objects.get(pk=measure.pk).status == ItemStatus.OVERDUE
    decision.refresh_from_db()
    assert decision.status == ItemStatus.OVERDUE
    assert Measure.objects.get(pk=on_time.pk).status == ItemStatus.IN_PROGRESS
    assert sorted(Notification.objects.values_list("kind", "email")) == [
        ("roadmap.decision_overdue", "overseer@example.org"),
        ("roadmap.measure_overdue", "overseer@example.org"),
        ("roadmap.measure_overdue", "owner@example.org"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "overseer@example.org",
        "overseer@example.org",
        "owner@example.org",
    ]
    assert AuditEvent.objects.filter(verb="roadmap.measure_overdue").count() == 1
    assert AuditEvent.objects.filter(verb="roadmap.decision_overdue").count() == 1


def test_running_the_overdue_check_twice_notifies_once(
    admin56: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given an overdue measure
    roadmap = RoadmapFactory(region=admin56.region)
    MeasureFactory(roadmap=roadmap, due_on=date(2026, 2, 27), responsible_email="o@example.org")
    # when the job runs twice on the same day
    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel("2026-03-02 10:00 +05:00", tick=False),
    ):
        first = services.flag_overdue_items()
        second = services.flag_overdue_items()
    # then one notification in all
    assert first.as_dict() == {"measures": 1, "decisions": 0, "notified": 1}
    assert second.as_dict() == {"measures": 0, "decisions": 0, "notified": 0}
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_new_due_date_brings_an_overdue_measure_back_in_progress(admin56: Any) -> None:
    roadmap = RoadmapFactory(region=admin56.region)
    measure = MeasureFactory(roadmap=roadmap, due_on=date(2026, 2, 27))
    with time_machine.travel("2026-03-02 10:00 +05:00", tick=False):
        services.flag_overdue_items()
        measure.refresh_from_db()
        services.update_measure(
            measure=measure, actor=admin56, revision=measure.revision, due_on=date(2026, 4, 1)
        )
    measure.refresh_from_db()
    assert (measure.status, measure.due_on) == (ItemStatus.IN_PROGRESS, date(2026, 4, 1))


# Rules of editing ------------------------------------------------------------------------------


def test_a_stale_edit_is_refused_and_changes_nothing(admin56: Any) -> None:
    # given a measure two administrators opened at revision 1
    measure = MeasureFactory(roadmap=RoadmapFactory(region=admin56.region), title="Старое")
    stale = Measure.objects.get(pk=measure.pk)
    services.update_measure(measure=measure, actor=admin56, revision=1, title="Первое")
    # when the second saves on the stale copy
    with pytest.raises(ChangedMeanwhile):
        services.update_measure(measure=stale, actor=admin56, revision=1, title="Второе")
    # then the first change stands
    measure.refresh_from_db()
    assert (measure.title, measure.revision) == ("Первое", 2)
    assert AuditEvent.objects.filter(verb="roadmap.measure_updated").count() == 1


@pytest.mark.parametrize(
    ("role", "region_code"),
    [
        (Role.REGIONAL_ADMINISTRATOR, "16"),
        (Role.OFFICIAL, "56"),
        (Role.ANALYST, "56"),
        (Role.CITIZEN, None),
    ],
)
def test_only_the_regions_administrators_edit(admin56: Any, role: str, region_code: str) -> None:
    user = UserFactory(
        role=role, region=Region.objects.get(code=region_code) if region_code else None
    )
    measure = MeasureFactory(roadmap=RoadmapFactory(region=admin56.region), title="Старое")
    with pytest.raises(NotRoadmapAdministrator):
        services.update_measure(measure=measure, actor=user, revision=1, title="Новое")
    measure.refresh_from_db()
    assert measure.title == "Старое"
    assert not AuditEvent.objects.filter(verb__startswith="roadmap.").exists()


def test_overdue_is_not_set_by_hand(admin56: Any) -> None:
    measure = MeasureFactory(roadmap=RoadmapFactory(region=admin56.region))
    with pytest.raises(StatusNotSettable):
        services.set_measure_status(
            measure=measure, actor=admin56, revision=1, status=ItemStatus.OVERDUE
        )
    measure.refresh_from_db()
    assert measure.status == ItemStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("metric", "comparison"),
    [
        ("satisfied_share", Comparison.AT_LEAST),
        ("complaints_per_thousand", Comparison.AT_MOST),
        ("upheld_share", Comparison.AT_MOST),
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_satisfaction_and_complaint_kpis_read_the_quality_metrics(
    reported_history: None, admin56: Any, metric: str, comparison: Comparison
) -> None:
    # given ratings and complaints generated for the fixed history, the rollups rebuilt
    from uslugi.applications.models import Case
    from uslugi.feedback.generation import generate_feedback
    from uslugi.quality.generation import generated_cases
    from uslugi.quality.services import rebuild_rollups

    service = _service("attest_ped")
    generate_feedback(
        generated_cases(Case.objects.filter(service=service)),
        today=TODAY,
        seed=7,
        rating_share=0.5,
        complaint_share=0.2,
    )
    rebuild_rollups()
    measure = MeasureFactory(roadmap=RoadmapFactory(region=admin56.region))
    # when a KPI on the metric is set and read
    kpi = services.add_kpi(
        measure=measure,
        actor=admin56,
        service=service,
        metric=metric,
        baseline_from=BASELINE.first,
        baseline_to=BASELINE.last,
        current_from=CURRENT_FROM,
        comparison=comparison,
        target=Decimal("50"),
    )
    result = selectors.kpi_result(kpi, admin56.region)
    # then both values are quality's metrics over the KPI's periods, in display units
    filters = quality.Filters(regions=(admin56.region.pk,), services=(service.pk,))
    before = getattr(quality.metrics(filters, BASELINE), metric)
    after = getattr(quality.metrics(filters, quality.Period(CURRENT_FROM, TODAY)), metric)
    assert before is not None
    assert after is not None
    scale = 100 if metric.endswith("share") else 1
    unit = Decimal("0.1") if metric == "complaints_per_thousand" else Decimal(1)
    assert result.baseline == Decimal(str(before * scale)).quantize(unit, ROUND_HALF_UP)
    assert result.current == Decimal(str(after * scale)).quantize(unit, ROUND_HALF_UP)
