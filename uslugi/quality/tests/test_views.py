"""Quality pages: role scopes of the dashboard, the public pages and open data (aggregates only,
described by a Table Schema), the figures on the service page and on the curator's scorecard,
and ratings and complaints flowing into the rollups."""

import csv
import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications.models import Application, SlaState
from uslugi.applications.workflow import Status
from uslugi.catalogue.models import Region, Service
from uslugi.feedback import services as feedback
from uslugi.feedback.factories import curator_of, decided_case
from uslugi.quality import pages, selectors
from uslugi.quality.selectors import Filters

pytestmark = pytest.mark.django_db


def _client(user: Any = None, language: str = "en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def _year() -> selectors.Period:
    return pages.last_year(timezone.localdate())


# The dashboard -----------------------------------------------------------------------------------


def test_an_administrator_sees_only_their_region(pages_history: None) -> None:
    # given the administrator of region 56
    region = Region.objects.get(code="56")
    admin = UserFactory(role=Role.REGIONAL_ADMINISTRATOR, region=region)
    client = _client(admin)
    # when they open the dashboard
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/quality/dashboard/")
    # then the figures are their region's, its services only, in a fixed number of queries
    assert response.status_code == 200
    assert len(queries) == 18
    expected = selectors.metrics(Filters(regions=(region.pk,)), _year())
    figures = {f.label: f.value for f in response.context["figures"]}
    assert figures["Applications received"] == str(expected.received)
    shown = {service.region_id for service, _m in response.context["services"]}
    assert shown == {region.pk}
    assert list(response.context["form"].fields["region"].queryset) == [region]
    # and asking for another region is refused with a message, not answered
    other = Region.objects.get(code="16")
    refused = _client(admin).get("/quality/dashboard/", {"region": other.pk})
    assert refused.status_code == 400
    assert "Please correct the filter." in refused.content.decode()


@pytest.mark.parametrize(
    ("role", "regional", "status"),
    [
        (Role.ANALYST, True, 200),
        (Role.FEDERAL_METHODOLOGIST, False, 200),
        (Role.OFFICIAL, True, 404),
        (Role.CURATOR, True, 404),
        (Role.CITIZEN, False, 404),
    ],
)
def test_who_may_open_the_dashboard(db: None, role: str, regional: bool, status: int) -> None:
    # given a user of the role
    from uslugi.catalogue.factories import RegionFactory

    user = UserFactory(role=role, region=RegionFactory() if regional else None)
    # when / then
    assert _client(user).get("/quality/dashboard/").status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in(db: None) -> None:
    response = Client().get("/quality/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_methodologist_filters_compares_periods_and_regions(pages_history: None) -> None:
    # given a federal methodologist and a service of region 02 on the portal
    methodologist = UserFactory(role=Role.FEDERAL_METHODOLOGIST)
    service = Service.objects.get(region__code="02", code="attest_ped")
    today = timezone.localdate()
    after = selectors.Period(today - timedelta(days=120), today)
    before = selectors.Period(today - timedelta(days=360), today - timedelta(days=240))
    # when the dashboard is filtered, with two periods and the template's regions
    response = _client(methodologist).get(
        "/quality/dashboard/",
        {
            "service": service.pk,
            "channel": "portal",
            "first": after.first.isoformat(),
            "last": after.last.isoformat(),
            "before_first": before.first.isoformat(),
            "before_last": before.last.isoformat(),
            "template": "attest_ped",
        },
        headers={"HX-Request": "true", "HX-Target": "dashboard-results"},
    )
    # then only the results are rendered, with the selectors' before → after
    assert response.status_code == 200
    body = response.content.decode()
    assert "<form" not in body
    filters = Filters(
        regions=tuple(Region.objects.values_list("pk", flat=True)),
        services=(service.pk,),
        channels=("portal",),
    )
    comparison = selectors.compare_periods(filters, before, after)
    medians = next(c for c in response.context["changes"] if c.label == "Median processing time")
    assert medians.text == (
        f"{comparison.before.processing_median} → "
        f"{pages.days_phrase(comparison.after.processing_median, 'calendar')}"
    )
    # and the three regions running the template are compared, each with its own figures
    compared = {region.code: figures for region, figures in response.context["compared"]}
    assert compared == selectors.compare_regions("attest_ped", after)
    assert sorted(compared) == ["02", "16", "56"]


def test_a_bad_dashboard_filter_is_a_clear_400(db: None) -> None:
    methodologist = UserFactory(role=Role.FEDERAL_METHODOLOGIST)
    response = _client(methodologist).get(
        "/quality/dashboard/", {"first": "2026-05-01", "last": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()


# Public pages and open data ----------------------------------------------------------------------


PUBLIC_URLS = [
    "/quality/",
    "/quality/56/",
    "/quality/56/attest_ped/",
    "/quality/16/dou/",
    "/quality/open-data/",
    "/quality/open-data/quality.csv",
    "/quality/open-data/quality.json",
    "/quality/open-data/quality.csv?region=56",
    "/quality/open-data/datapackage.json",
    "/api/quality/open-data",
    "/api/quality/open-data/schema",
    "/services/56/attest_ped/",
]


def test_public_outputs_hold_no_personal_data(pages_history: None) -> None:
    # given a case whose application carries a name, an e-mail and a SNILS
    application = Application.objects.filter(service__region__code="56").first()
    assert application is not None
    Application.objects.filter(pk=application.pk).update(
        applicant_name="Тайнова Секретина",
        applicant_email="secret.person@example.org",
        answers={"snils": "112-233-445 95", "last_name": "Тайнова"},
    )
    secrets = {"Тайнова", "Секретина", "secret.person@example.org", "112-233-445 95", "11223344595"}
    people = Application.objects.values_list("applicant_name", "applicant_email", "number")
    for name, email, number in people:
        secrets |= {name, email, number}
    secrets |= set(Application.objects.values_list("applicant__username", flat=True).distinct())
    # when every public page and download is fetched in both languages
    outputs = []
    for language in ("ru", "en"):
        for url in PUBLIC_URLS:
            response = _client(language=language).get(url)
            assert response.status_code == 200, url
            outputs.append(response.content.decode())
    # then none of it holds anybody's personal data
    text = "\n".join(outputs)
    found = sorted(secret for secret in secrets if secret and secret in text)
    assert found == []


def test_open_data_rows_are_the_metrics_and_every_column_is_described(pages_history: None) -> None:
    # given the open data of region 56
    client = _client()
    schema = client.get("/quality/open-data/datapackage.json").json()
    fields = schema["resources"][0]["schema"]["fields"]
    # when the CSV and the JSON are downloaded
    csv_response = client.get("/quality/open-data/quality.csv", {"region": "56"})
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode())))
    json_rows = client.get("/quality/open-data/quality.json", {"region": "56"}).json()
    api_rows = client.get("/api/quality/open-data", {"region": "56"}).json()
    # then the CSV's columns are exactly the schema's, each described, each value of its type
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert list(rows[0]) == [field["name"] for field in fields]
    assert all(field["title"] and field["description"] for field in fields)
    parse: dict[str, Any] = {
        "integer": int,
        "number": float,
        "date": date.fromisoformat,
        "string": str,
    }
    for row in rows:
        for field in fields:
            value = row[field["name"]]
            if value != "":
                parse[field["type"]](value)
    # and the JSON and the API hold the same rows
    assert len(json_rows) == len(rows) == len(api_rows)
    assert json_rows == api_rows
    assert [str(r["received"]) for r in json_rows] == [r["received"] for r in rows]
    # and the rows add up to the region's metrics
    region = Region.objects.get(code="56")
    everything = selectors.metrics(
        Filters(regions=(region.pk,)), selectors.Period(date(2000, 1, 1), timezone.localdate())
    )
    assert sum(int(r["received"]) for r in rows) == everything.received
    assert sum(int(r["complaints"]) for r in rows) == everything.complaints
    assert sum(int(r["rated"]) for r in rows) == everything.rated
    assert {r["region_code"] for r in rows} == {"56"}
    # and the API's schema is the package's
    assert client.get("/api/quality/open-data/schema").json()["fields"] == fields


@pytest.mark.parametrize(
    "query",
    [
        {"region": "99"},
        {"service": "nothing"},
        {"from": "2026-02-30"},
        {"from": "2026-03-01", "to": "2026-01-01"},
    ],
)
def test_a_bad_open_data_filter_is_a_400_with_a_reason(db: None, query: dict[str, str]) -> None:
    for url in ("/quality/open-data/quality.csv", "/api/quality/open-data"):
        response = _client().get(url, query)
        assert response.status_code == 400, url
        assert response.json()["detail"]


def test_the_service_page_says_how_long_it_usually_takes(pages_history: None) -> None:
    # given a service with a year of decided cases
    service = Service.objects.get(region__code="56", code="attest_ped")
    metrics = selectors.metrics(Filters(services=(service.pk,)), _year())
    assert metrics.decided >= 10
    # when its page is opened in Russian
    body = _client(language="ru").get("/services/56/attest_ped/").content.decode()
    # then it says the median and the share on time, and links to the quality page
    summary = re.search(r'<p class="quality-summary">(.*?)</p>', body, re.S)
    assert summary is not None
    assert f"Обычно решают за {metrics.processing_median} календарн" in summary.group(1)
    assert f"{round(100 * (metrics.on_time_share or 0))} % в срок" in summary.group(1)
    assert 'href="/quality/56/attest_ped/"' in summary.group(1)


def test_the_public_region_page_shows_its_figures(pages_history: None) -> None:
    region = Region.objects.get(code="16")
    with CaptureQueriesContext(connection) as queries:
        response = _client().get("/quality/16/")
    assert response.status_code == 200
    assert len(queries) == 8
    expected = selectors.metrics(Filters(regions=(region.pk,)), _year())
    figures = {f.label: f.value for f in response.context["figures"]}
    assert figures["Applications received"] == str(expected.received)
    assert figures["Through the portal"] == pages.percent(expected.digital_share)
    assert len(response.context["charts"]) == 4


# The curator's scorecard and feedback in the rollups ---------------------------------------------


def test_ratings_and_complaints_flow_into_the_rollups(db: None) -> None:
    # given a decided case, its applicant and an official of its agency
    case = decided_case(decided_at=timezone.now())
    applicant = case.application.applicant
    official = UserFactory(role=Role.OFFICIAL, region=case.region, agency=case.agency)
    # when the applicant rates it and complains, and the complaint is upheld
    feedback.rate_case(
        case=case,
        user=applicant,
        scores=feedback.Scores(time=2, queue=4, staff=5, premises=3, information=4),
    )
    complaint = feedback.file_complaint(
        case=case, user=applicant, ground="term_violated", text="Долго"
    )
    feedback.decide_complaint(
        complaint=complaint, user=official, upheld=True, text="Да", remedy="error_fixed"
    )
    # then the metrics of the service hold them
    today = timezone.localdate()
    figures = selectors.metrics(
        Filters(services=(case.service_id,)),
        selectors.Period(today - timedelta(days=30), today + timedelta(days=30)),
    )
    assert (figures.rated, figures.mean_time_score, figures.mean_queue_score) == (1, 2.0, 4.0)
    assert figures.satisfied_share == 3 / 5
    assert (figures.complaints, figures.complaints_decided, figures.upheld_share) == (1, 1, 1.0)


def test_the_curator_sees_metrics_and_cases_at_risk_on_the_scorecard(db: None) -> None:
    # given a curated service with an overdue open case and a decided, low-rated one
    case = decided_case(decided_at=timezone.now())
    curator = curator_of(case)
    overdue = decided_case(
        application__version=case.application.version,
        status=Status.IN_REVIEW,
        decided_at=None,
        sla_state=SlaState.OVERDUE,
        due_date=timezone.localdate() - timedelta(days=3),
    )
    assert overdue.service_id == case.service_id
    feedback.rate_case(
        case=case,
        user=case.application.applicant,
        scores=feedback.Scores(time=1, queue=4, staff=4, premises=4, information=4),
    )
    client = _client(curator)
    # when the curator opens the scorecard
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/curator/")
    # then it shows the follow-up, the service's metrics, the overdue case and the trends
    assert response.status_code == 200
    assert len(queries) == 15
    body = response.content.decode()
    assert "Metrics of your services" in body
    assert case.application.number in body
    assert overdue.application.number in body
    assert "1 overdue, 0 at risk" in body
    [section] = response.context["sections"]
    figures = {f.label: f.value for f in section.extra["figures"]}
    assert figures["Satisfied (scores 4–5)"] == "80 %"
    assert [c.id for c in section.extra["charts"]] == [
        "scorecard-volume",
        "scorecard-processing",
        "scorecard-shares",
        "scorecard-satisfaction",
    ]
