"""Done when: a citizen's low rating reaches the curator's scorecard, the curator answers it and
the citizen reads the answer; charts render, each with a data table beside it, on the dashboard,
the public pages and the scorecard; axe-core finds no violations there."""

from typing import Any

import pytest

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications.tests.test_browser import axe_violations, logged_in
from uslugi.catalogue.models import Region
from uslugi.feedback.factories import curator_of, decided_case
from uslugi.feedback.models import FollowUp, FollowUpStatus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHARTS_DRAWN = """() => {
  const canvases = [...document.querySelectorAll('canvas[data-chart]')];
  return canvases.length > 0 && canvases.every(c => window.Chart && Chart.getChart(c));
}"""

CHARTS_AND_TABLES = """() => [...document.querySelectorAll('figure.chart')].map(f => {
  const canvas = f.querySelector('canvas');
  const chart = Chart.getChart(canvas);
  return {
    id: canvas.id,
    labels: chart.data.labels.length,
    datasets: chart.data.datasets.length,
    rows: f.querySelectorAll('table tbody tr').length,
    columns: f.querySelectorAll('table thead th').length,
  };
})"""


def assert_charts_with_tables(page: Any, count: int) -> list[dict[str, Any]]:
    page.wait_for_function(CHARTS_DRAWN)
    charts = page.evaluate(CHARTS_AND_TABLES)
    assert len(charts) == count
    for chart in charts:
        # every chart has a table with a row per label and a column per series
        assert chart["labels"] > 0, chart
        assert chart["rows"] == chart["labels"], chart
        assert chart["columns"] == chart["datasets"] + 1, chart
    return charts


def test_a_low_rating_reaches_the_scorecard_and_the_citizen_reads_the_answer(
    browser: Any, live_server: Any
) -> None:
    # given a decided case of a curated service
    case = decided_case()
    curator = curator_of(case)
    number = case.application.number
    citizen = logged_in(browser, live_server, case.application.applicant)

    # when the citizen rates the time to provide the service 2
    citizen.goto(f"/my/applications/{number}/rating/")
    for name in ("time_score", "queue_score", "staff_score", "premises_score"):
        citizen.locator(f"[name={name}][value='{2 if name == 'time_score' else 5}']").check()
    citizen.locator("[name=information_score][value='4']").check()
    citizen.fill("[name=comment]", "Решение пришло позже обещанного")
    citizen.locator("form.feedback-form button[type=submit]").click()
    citizen.wait_for_url(f"**/my/applications/{number}/")

    # then the curator's scorecard shows the follow-up beside the service's metrics and trends
    office = logged_in(browser, live_server, curator)
    office.goto("/curator/")
    assert office.locator("#metrics-heading").inner_text() == "Показатели ваших услуг"
    assert_charts_with_tables(office, 4)
    assert axe_violations(office) == []
    office.get_by_role("link", name=number).click()
    assert "Решение пришло позже обещанного" in office.content()
    office.fill("[name=text]", "Мы сократили очередь на проверку; приносим извинения.")
    office.locator("form.feedback-form button[type=submit]").click()
    office.wait_for_url("**/curator/")
    assert FollowUp.objects.get().status == FollowUpStatus.ANSWERED

    # and the citizen reads the answer on their application
    citizen.reload()
    assert "Мы сократили очередь на проверку; приносим извинения." in citizen.content()


def test_the_dashboard_draws_charts_with_tables_and_updates_with_htmx(
    browser: Any, live_server: Any, pages_history: None
) -> None:
    # given the administrator of region 56
    admin = UserFactory(role=Role.REGIONAL_ADMINISTRATOR, region=Region.objects.get(code="56"))
    page = logged_in(browser, live_server, admin)
    # when the dashboard opens
    page.goto("/quality/dashboard/")
    # then four charts are drawn, each beside its table, and axe-core finds nothing
    assert_charts_with_tables(page, 4)
    assert axe_violations(page) == []
    # when the channel is changed, HTMX swaps the results and the charts are drawn again
    page.select_option("#id_channel", "portal")
    page.wait_for_url("**channel=portal**")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.figure')].some("
        "f => f.textContent.includes('Через портал') && f.textContent.includes('100 %'))"
    )
    assert_charts_with_tables(page, 4)
    # and comparing regions of one template adds a chart of their medians
    page.select_option("#id_template", "attest_ped")
    page.wait_for_url("**template=attest_ped**")
    page.wait_for_selector("#regions-attest_ped")
    charts = assert_charts_with_tables(page, 5)
    assert charts[-1]["labels"] == 3
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("url", "charts"),
    [
        ("/quality/", 0),
        ("/quality/56/", 4),
        ("/quality/56/attest_ped/", 5),
        ("/quality/open-data/", 0),
        ("/services/56/attest_ped/", 0),
    ],
)
def test_public_quality_pages_are_accessible(
    page: Any, pages_history: None, url: str, charts: int
) -> None:
    # when a visitor opens the page
    page.goto(url)
    # then its charts are drawn beside their tables and axe-core finds nothing
    if charts:
        assert_charts_with_tables(page, charts)
    assert axe_violations(page) == []
