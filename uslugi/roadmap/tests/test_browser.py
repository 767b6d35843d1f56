"""Done when: a browser opens the public roadmap of region 56 and reads the three reported
results off it; axe-core finds no violations there."""

from typing import Any

import pytest
from django.core.management import call_command

from uslugi.accounts.models import User
from uslugi.applications.tests.test_browser import axe_violations, logged_in
from uslugi.core.models import AuditEvent
from uslugi.roadmap.models import ItemStatus, Measure

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


def test_the_administrator_changes_a_status_in_place_on_the_staff_page(
    demo: None, browser: Any, live_server: Any
) -> None:
    # given admin56 on the staff page of the demo roadmap
    admin = logged_in(browser, live_server, User.objects.get(username="admin56"))
    admin.goto("/roadmap/56/manage/")
    assert axe_violations(admin) == []
    measure = Measure.objects.get(roadmap__region__code="56", number="2.3")
    row = admin.locator(f"#measure-{measure.pk}")
    # when they mark measure 2.3 done from its row (HTMX swaps the row only)
    row.locator("select[name=status]").select_option("done")
    with admin.expect_response(f"**/manage/measures/{measure.pk}/status/"):
        row.locator("button[type=submit]").click()
    # then the row shows the saved status and the page did not reload
    admin.wait_for_function(
        f"() => document.querySelector('#measure-{measure.pk} select').value === 'done'"
        f" && document.querySelector('#measure-{measure.pk} input[name=revision]').value === '2'"
    )
    assert admin.url.endswith("/roadmap/56/manage/")
    measure.refresh_from_db()
    assert (measure.status, measure.revision) == (ItemStatus.DONE, 2)
    assert AuditEvent.objects.filter(
        verb="roadmap.measure_updated", target_id=str(measure.pk)
    ).exists()
    assert axe_violations(admin) == []
