"""The demo roadmap: Orenburg's plan with the measures behind its reported results; idempotent."""

from datetime import date
from decimal import Decimal

from uslugi.applications.demo import load_demo as load_people
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.constructor.demo import load_demo as load_constructor
from uslugi.roadmap.demo import load_demo
from uslugi.roadmap.models import ItemStatus, Kpi, Measure, Roadmap
from uslugi.roadmap.tests.history import build_reported_history


def test_the_demo_loads_orenburgs_roadmap_once(db: None) -> None:
    # given the demo catalogue and people
    load_catalogue()
    load_constructor()
    load_people()
    # when the roadmap demo is loaded twice
    first = load_demo()
    second = load_demo()
    # then the second run adds nothing
    assert first == {
        "roadmaps": 1,
        "members": 5,
        "measures": 6,
        "kpis": 4,
        "meetings": 1,
        "decisions": 3,
    }
    assert set(second.values()) == {0}
    roadmap = Roadmap.objects.get(region__code="56")
    assert roadmap.title == (
        "План мероприятий по внедрению стандартов клиентоцентричности в Оренбургской области"
    )
    assert roadmap.group_created_on == date(2023, 10, 3)
    assert roadmap.members.get(role="chair").user is not None  # admin56 chairs it in the demo
    # and the three reported results are KPIs of done measures, on the agreed periods
    reported = sorted(
        Kpi.objects.filter(service__isnull=False).values_list(
            "service__code",
            "metric",
            "comparison",
            "target",
            "baseline_from",
            "baseline_to",
            "current_from",
            "measure__status",
        )
    )
    assert reported == [
        (
            "attest_ped",
            "digital_share",
            "at_least",
            Decimal("75"),
            date(2024, 1, 1),
            date(2024, 6, 30),
            date(2025, 1, 1),
            ItemStatus.DONE,
        ),
        (
            "attest_ped",
            "processing_median",
            "at_most",
            Decimal("45"),
            date(2024, 1, 1),
            date(2024, 6, 30),
            date(2025, 1, 1),
            ItemStatus.DONE,
        ),
        (
            "veteran_truda_orb",
            "processing_median",
            "at_most",
            Decimal("15"),
            date(2024, 1, 1),
            date(2024, 6, 30),
            date(2025, 1, 1),
            ItemStatus.DONE,
        ),
    ]
    assert Measure.objects.count() == 6


def test_loading_again_over_a_history_records_the_baselines(db: None) -> None:
    # given the demo roadmap loaded before any history, so without baselines
    load_catalogue()
    load_constructor()
    load_demo()
    assert set(Kpi.objects.values_list("baseline_value", flat=True)) == {None}
    # when the history arrives and the demo is loaded again
    build_reported_history()
    load_demo()
    # then the baselines are those of the history
    assert dict(
        Kpi.objects.filter(service__isnull=False).values_list("measure__number", "baseline_value")
    ) == {"1.1": Decimal("90"), "1.2": Decimal("21"), "1.3": Decimal("37")}
