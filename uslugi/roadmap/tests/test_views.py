"""The staff page (scopes, audit, stale edits, HTMX), the public page and the API."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.catalogue.models import Agency, Region, Service
from uslugi.core.models import AuditEvent
from uslugi.roadmap.factories import (
    DecisionFactory,
    KpiFactory,
    MeasureFactory,
    MemberFactory,
    RoadmapFactory,
)
from uslugi.roadmap.models import (
    Decision,
    Evidence,
    ItemStatus,
    Kpi,
    Measure,
    Roadmap,
    WorkingGroupMember,
)

TODAY = date(2026, 3, 2)


@pytest.fixture
def region(db: None) -> Region:
    load_catalogue()
    return Region.objects.get(code="56")


@pytest.fixture
def admin(region: Region) -> Client:
    client = Client()
    client.force_login(UserFactory(role=Role.REGIONAL_ADMINISTRATOR, region=region))
    return client


@pytest.fixture
def roadmap(region: Region) -> Roadmap:
    roadmap: Roadmap = RoadmapFactory.create(region=region, title="Дорожная карта 56")
    return roadmap


def _measure_post(measure: Measure, **changes: Any) -> dict[str, Any]:
    data = {
        "number": measure.number,
        "title": measure.title,
        "description": measure.description,
        "responsible_agency": measure.responsible_agency_id,
        "responsible_person": measure.responsible_person,
        "responsible_email": measure.responsible_email,
        "overseer": measure.overseer_id or "",
        "starts_on": measure.starts_on.isoformat(),
        "due_on": measure.due_on.isoformat(),
        "status": measure.status,
        "revision": measure.revision,
    }
    data.update(changes)
    return data


# Who may see and change the staff page ---------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "region_code", "expected"),
    [
        (Role.REGIONAL_ADMINISTRATOR, "56", 200),
        (Role.REGIONAL_ADMINISTRATOR, "16", 403),
        (Role.OFFICIAL, "56", 403),
        (Role.CITIZEN, None, 403),
    ],
)
def test_only_the_regions_administrators_open_the_staff_page(
    roadmap: Roadmap, role: str, region_code: str | None, expected: int
) -> None:
    client = Client()
    client.force_login(
        UserFactory(role=role, region=Region.objects.get(code=region_code) if region_code else None)
    )
    assert client.get("/roadmap/56/manage/").status_code == expected


def test_the_navigations_roadmap_link_leads_to_the_administrators_region(roadmap: Roadmap) -> None:
    # given the administrator of region 16 and a user with no region
    admin = Client()
    admin.force_login(
        UserFactory(role=Role.REGIONAL_ADMINISTRATOR, region=Region.objects.get(code="16"))
    )
    nobody = Client()
    nobody.force_login(UserFactory(role=Role.CITIZEN, region=None))
    # when they follow «Roadmap»
    # then the administrator lands on their region's staff page, the other on a 404
    assert admin.get("/roadmap/mine/").headers["Location"] == "/roadmap/16/manage/"
    assert nobody.get("/roadmap/mine/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(roadmap: Roadmap) -> None:
    response = Client().get("/roadmap/56/manage/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_regions_administrator_cannot_post(roadmap: Roadmap) -> None:
    # given a measure of region 56 and the administrator of region 16
    measure = MeasureFactory(roadmap=roadmap, title="Было")
    client = Client()
    client.force_login(
        UserFactory(role=Role.REGIONAL_ADMINISTRATOR, region=Region.objects.get(code="16"))
    )
    # when they post a change
    response = client.post(
        f"/roadmap/56/manage/measures/{measure.pk}/", _measure_post(measure, title="Стало")
    )
    # then it is refused and nothing changed
    assert response.status_code == 403
    measure.refresh_from_db()
    assert measure.title == "Было"


# Running the roadmap ---------------------------------------------------------------------------


def test_the_administrator_creates_the_roadmap_of_the_region(region: Region, admin: Client) -> None:
    # when the administrator opens the staff page of a region without a roadmap and creates it
    assert "пока нет дорожной карты" in admin.get("/roadmap/56/manage/").content.decode()
    response = admin.post(
        "/roadmap/56/manage/",
        {
            "title": "План",
            "act_number": "1-р",
            "act_date": "2023-10-03",
            "act_title": "",
            "group_created_on": "2023-10-03",
        },
    )
    # then it exists, audited
    assert response.status_code == 302
    roadmap = Roadmap.objects.get(region=region)
    assert (roadmap.title, roadmap.act_number, roadmap.act_date) == (
        "План",
        "1-р",
        date(2023, 10, 3),
    )
    assert AuditEvent.objects.filter(verb="roadmap.created", target_id=str(roadmap.pk)).exists()


@time_machine.travel(TODAY, tick=False)
def test_adding_and_editing_a_measure_writes_audit_events(
    region: Region, roadmap: Roadmap, admin: Client
) -> None:
    agency = Agency.objects.get(code="social-56")
    member = MemberFactory(roadmap=roadmap)
    # when a measure is added
    response = admin.post(
        "/roadmap/56/manage/measures/new/",
        {
            "new-number": "3.1",
            "new-title": "Новое мероприятие",
            "new-description": "",
            "new-responsible_agency": agency.pk,
            "new-responsible_person": "Петров П. П.",
            "new-responsible_email": "p@example.org",
            "new-overseer": member.pk,
            "new-starts_on": "2026-01-01",
            "new-due_on": "2026-12-31",
            "new-status": "planned",
        },
    )
    measure = Measure.objects.get(number="3.1")
    assert response.status_code == 302
    # and then marked done on its page
    response = admin.post(
        f"/roadmap/56/manage/measures/{measure.pk}/", _measure_post(measure, status="done")
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.completed_on, measure.revision) == ("done", TODAY, 2)
    assert list(
        AuditEvent.objects.filter(target_id=str(measure.pk), verb__startswith="roadmap.measure")
        .order_by("pk")
        .values_list("verb", flat=True)
    ) == ["roadmap.measure_created", "roadmap.measure_updated"]


def test_a_due_date_before_the_start_is_a_form_error(roadmap: Roadmap, admin: Client) -> None:
    measure = MeasureFactory(roadmap=roadmap)
    response = admin.post(
        f"/roadmap/56/manage/measures/{measure.pk}/",
        _measure_post(measure, starts_on="2026-05-01", due_on="2026-04-01"),
    )
    assert response.status_code == 400
    assert "Срок исполнения раньше даты начала." in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).revision == 1


def test_a_stale_form_does_not_overwrite_a_newer_change(roadmap: Roadmap, admin: Client) -> None:
    # given two administrators who opened the same measure at revision 1; the first saved
    measure = MeasureFactory(roadmap=roadmap, title="Было")
    admin.post(f"/roadmap/56/manage/measures/{measure.pk}/", _measure_post(measure, title="Первое"))
    # when the second saves the form opened at revision 1
    response = admin.post(
        f"/roadmap/56/manage/measures/{measure.pk}/", _measure_post(measure, title="Второе")
    )
    # then it is refused with the reason, and the first change stands
    assert response.status_code == 400
    assert "Кто-то другой изменил эту запись" in response.content.decode()
    measure.refresh_from_db()
    assert (measure.title, measure.revision) == ("Первое", 2)


def test_a_status_change_with_htmx_returns_the_row(roadmap: Roadmap, admin: Client) -> None:
    measure = MeasureFactory(roadmap=roadmap)
    response = admin.post(
        f"/roadmap/56/manage/measures/{measure.pk}/status/",
        {"status": "cancelled", "revision": 1},
        headers={"HX-Request": "true", "HX-Target": f"measure-{measure.pk}"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="measure-{measure.pk}">')
    assert '<option value="cancelled" selected>' in html
    assert Measure.objects.get(pk=measure.pk).status == ItemStatus.CANCELLED
    # and a stale one is refused in the row
    response = admin.post(
        f"/roadmap/56/manage/measures/{measure.pk}/status/",
        {"status": "done", "revision": 1},
        headers={"HX-Request": "true", "HX-Target": f"measure-{measure.pk}"},
    )
    assert response.status_code == 409
    assert "Кто-то другой изменил эту запись" in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).status == ItemStatus.CANCELLED


def test_a_status_change_without_javascript_redirects(roadmap: Roadmap, admin: Client) -> None:
    measure = MeasureFactory(roadmap=roadmap)
    response = admin.post(
        f"/roadmap/56/manage/measures/{measure.pk}/status/", {"status": "done", "revision": 1}
    )
    assert response.status_code == 302
    assert response["Location"] == "/roadmap/56/manage/"
    assert Measure.objects.get(pk=measure.pk).status == ItemStatus.DONE


def test_a_kpi_needs_a_service_or_an_agency_of_the_region(roadmap: Roadmap, admin: Client) -> None:
    measure = MeasureFactory(roadmap=roadmap)
    other = Service.objects.filter(region__code="16").first()
    assert other is not None
    base = {
        "kpi-metric": "processing_median",
        "kpi-baseline_from": "2024-01-01",
        "kpi-baseline_to": "2024-06-30",
        "kpi-current_from": "2025-01-01",
        "kpi-comparison": "at_most",
        "kpi-target": "45",
    }
    # neither a service nor an agency; a service of another region
    admin.post(f"/roadmap/56/manage/measures/{measure.pk}/kpis/", base)
    admin.post(f"/roadmap/56/manage/measures/{measure.pk}/kpis/", {**base, "kpi-service": other.pk})
    assert Kpi.objects.count() == 0
    # a service of the region
    service = Service.objects.get(region__code="56", code="attest_ped")
    response = admin.post(
        f"/roadmap/56/manage/measures/{measure.pk}/kpis/", {**base, "kpi-service": service.pk}
    )
    assert response.status_code == 302
    kpi = Kpi.objects.get()
    assert (kpi.service_id, kpi.target, kpi.baseline_value) == (service.pk, Decimal("45"), None)
    assert AuditEvent.objects.filter(verb="roadmap.kpi_added").count() == 1


def test_members_meetings_and_decisions(roadmap: Roadmap, admin: Client) -> None:
    # a member joins
    admin.post(
        "/roadmap/56/manage/members/",
        {
            "member-full_name": "Сидорова А. А.",
            "member-position": "Министр",
            "member-role": "chair",
            "member-email": "s@example.org",
            "member-agency": "",
        },
    )
    member = WorkingGroupMember.objects.get(full_name="Сидорова А. А.")
    # a meeting is recorded with a decision assigned to them
    response = admin.post(
        "/roadmap/56/manage/meetings/",
        {"meeting-held_on": "2026-02-10", "meeting-title": "Заседание", "meeting-minutes": "…"},
    )
    meeting_url = response["Location"]
    admin.post(
        meeting_url,
        {
            "decision-text": "Подготовить отчёт",
            "decision-assignee": member.pk,
            "decision-due_on": "2026-04-01",
        },
    )
    decision = Decision.objects.get()
    assert (decision.assignee, decision.due_on, decision.status) == (
        member,
        date(2026, 4, 1),
        ItemStatus.PLANNED,
    )
    # tracked like a measure: its status changes with its revision
    admin.post(
        f"/roadmap/56/manage/decisions/{decision.pk}/status/",
        {"status": "in_progress", "revision": 1, "due_on": "2026-05-01"},
    )
    decision.refresh_from_db()
    assert (decision.status, decision.due_on, decision.revision) == (
        ItemStatus.IN_PROGRESS,
        date(2026, 5, 1),
        2,
    )
    # a member with decisions cannot be removed
    response = admin.post(f"/roadmap/56/manage/members/{member.pk}/remove/", follow=True)
    assert "передайте их другому участнику" in response.content.decode()
    assert WorkingGroupMember.objects.filter(pk=member.pk).exists()
    assert list(
        AuditEvent.objects.filter(
            verb__in=[
                "roadmap.member_added",
                "roadmap.meeting_added",
                "roadmap.decision_added",
                "roadmap.decision_updated",
            ]
        )
        .order_by("pk")
        .values_list("verb", flat=True)
    ) == [
        "roadmap.member_added",
        "roadmap.meeting_added",
        "roadmap.decision_added",
        "roadmap.decision_updated",
    ]


# The public page and the API -------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_public_page_reads_a_fixed_number_of_queries(roadmap: Roadmap) -> None:
    # given three measures with a KPI each, evidence-less, and a meeting with decisions
    service = Service.objects.get(region__code="56", code="attest_ped")
    for _ in range(3):
        KpiFactory(measure=MeasureFactory(roadmap=roadmap), service=service)
    DecisionFactory(meeting__roadmap=roadmap)
    DecisionFactory(meeting__roadmap=roadmap)
    client = Client()
    # when the page is read
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/roadmap/56/")
    # then: region, roadmap, measures, KPIs, evidence, members, meetings, decisions (+ session
    # none for an anonymous visitor) and two rollup reads per period of each KPI
    assert response.status_code == 200
    assert len(queries) == 8 + 3 * 4
    assert "Дорожная карта 56" in response.content.decode()


def test_the_public_page_of_a_region_without_a_roadmap_is_404(region: Region) -> None:
    assert Client().get("/roadmap/56/").status_code == 404
    assert Client().get("/roadmap/99/").status_code == 404


def test_the_api_publishes_the_roadmap_without_e_mails(roadmap: Roadmap) -> None:
    measure = MeasureFactory(roadmap=roadmap, responsible_email="secret@example.org")
    service = Service.objects.get(region__code="56", code="attest_ped")
    KpiFactory(measure=measure, service=service)
    response = Client().get("/api/roadmaps/56")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Дорожная карта 56"
    assert [m["number"] for m in data["measures"]] == [measure.number]
    kpi = data["measures"][0]["kpis"][0]
    assert (kpi["service"], kpi["metric"], kpi["target"], kpi["current"]) == (
        "attest_ped",
        "processing_median",
        "45.0",
        None,
    )
    assert "secret@example.org" not in response.content.decode()
    assert Client().get("/api/roadmaps").json() == [
        {"region": "56", "title": "Дорожная карта 56", "measures": 1}
    ]


def test_the_api_answers_404_with_a_reason(region: Region) -> None:
    response = Client().get("/api/roadmaps/56")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_evidence_is_uploaded_by_the_administrator_and_downloaded_by_anyone(
    roadmap: Roadmap, admin: Client
) -> None:
    # given a measure; when its administrator attaches a document and a link-less form is refused
    measure = MeasureFactory(roadmap=roadmap)
    url = f"/roadmap/56/manage/measures/{measure.pk}/evidence/"
    admin.post(url, {"evidence-title": "Пусто"})
    admin.post(
        url,
        {
            "evidence-title": "Протокол",
            "evidence-document": SimpleUploadedFile("protocol.pdf", b"%PDF-1.4 test"),
        },
    )
    # then only the document was added, audited, and anyone downloads it from the public page
    evidence = Evidence.objects.get()
    assert evidence.title == "Протокол"
    assert AuditEvent.objects.filter(verb="roadmap.evidence_added").count() == 1
    assert f"/roadmap/56/evidence/{evidence.pk}/" in Client().get("/roadmap/56/").content.decode()
    response = Client().get(f"/roadmap/56/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert Client().get(f"/roadmap/16/evidence/{evidence.pk}/").status_code == 404


def test_opening_the_staff_page_is_logged(roadmap: Roadmap, admin: Client) -> None:
    # the page shows owners' and members' e-mails: a staff view of personal data
    admin.get("/roadmap/56/manage/")
    assert AuditEvent.objects.filter(verb="roadmap.viewed", target_id=str(roadmap.pk)).count() == 1
