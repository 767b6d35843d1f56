"""Done when: a browser opens the public roadmap of region 56 and reads the three reported
results off it; axe-core finds no violations there."""

from typing import Any

import pytest
from django.core.management import call_command

from uslugi.applications.tests.test_browser import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(transactional_db: Any) -> None:
    call_command("load_demo", verbosity=0)


def test_the_public_roadmap_of_region_56_shows_the_reported_results(
    demo: None, reported_history: int, page: Any
) -> None:
    # given the demo (Orenburg's roadmap) over a history of cases with the reported figures
    # when a visitor opens the region's roadmap
    page.goto("/roadmap/56/")
    # then the three reported results are read off the page, computed from the cases
    assert page.locator("h1").inner_text() == (
        "План мероприятий по внедрению стандартов клиентоцентричности в Оренбургской области"
    )
    changes = page.locator(".kpi .kpi__change").all_inner_texts()
    assert "90 → 45 календарных дней" in changes
    assert "21 % → 75 %" in changes
    assert "37 → 15 рабочих дней" in changes
    # and each tied KPI has a drawn chart beside its table of figures, at 100 % of its target
    assert page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-kpi-chart]')]"
        ".every(canvas => window.Chart.getChart(canvas) !== undefined)"
    )
    attestation = page.locator(".kpi", has_text="90 → 45")
    assert attestation.locator("progress").get_attribute("value") == "100"
    assert attestation.locator("table td").first.inner_text() == "90 календарных дней"
    assert axe_violations(page) == []
