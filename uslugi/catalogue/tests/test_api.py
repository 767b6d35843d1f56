import pytest
from django.test import Client

from uslugi.catalogue.factories import (
    CuratorAssignmentFactory,
    QualityStandardFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    standard = QualityStandardFactory(
        term=15, service__code="veteran", service__name="Ветеран труда"
    )
    CuratorAssignmentFactory(service=standard.service)
    return standard.service


def test_service_detail_carries_the_standard_and_the_curator(client: Client, service) -> None:
    response = client.get("/api/services/56/veteran")
    body = response.json()
    assert response.status_code == 200
    assert body["region"] == "56"
    assert body["standard"]["term"] == 15
    assert body["standard"]["term_kind"] == "working"
    assert body["standard"]["channels"] == ["portal", "mfc", "in_person"]
    assert body["standard"]["online"] is True
    assert body["curators"] == [
        {
            "full_name": "Демидова Анна Петровна",
            "position": "Заместитель министра",
            "agency": service.agency.name,
            "responsibilities": "Сроки и качество услуги",
            "email": "curator@example.org",
            "phone": "",
            "reception_hours": "",
            "photo_url": None,
        }
    ]


def test_service_list_filters_and_paginates(client: Client, service) -> None:
    ServiceFactory(name="Выдача паспорта")
    response = client.get("/api/services", {"q": "ВЕТЕРАН", "online": "true"})
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert [item["code"] for item in body["items"]] == ["veteran"]


def test_regions_and_agencies(client: Client, service) -> None:
    regions = client.get("/api/regions").json()
    agencies = client.get("/api/agencies", {"region": "56"}).json()
    agency = client.get(f"/api/agencies/{service.agency.code}").json()
    assert regions == [
        {
            "code": "56",
            "name": "Оренбургская область",
            "name_en": "Orenburg Oblast",
            "time_zone": "Asia/Yekaterinburg",
        }
    ]
    assert agencies["count"] == 1
    assert agency["region"] == "56"


@pytest.mark.parametrize(
    "url",
    [
        "/api/services/56/nope",
        "/api/services/99/veteran",
        "/api/regions/99",
        "/api/agencies/nope",
        "/api/agencies?region=99",
    ],
)
def test_unknown_codes_answer_404_json(client: Client, service, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"kind": "spaceship"}, "kind"),
        ({"online": "maybe"}, "online"),
        ({"region": "99"}, "region"),
        ({"page": "zero"}, "page"),
    ],
)
def test_malformed_filters_answer_400_with_the_reason(
    client: Client, query: dict[str, str], reason: str
) -> None:
    response = client.get("/api/services", query)
    assert response.status_code == 400
    assert reason in str(response.json())


def test_openapi_document_and_docs_are_served(client: Client) -> None:
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/services/{region}/{code}" in schema.json()["paths"]
    assert client.get("/api/docs").status_code == 200


def test_unknown_api_path_answers_json_404(client: Client) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()["detail"]
