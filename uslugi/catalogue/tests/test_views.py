from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from uslugi.catalogue.factories import (
    AgencyFactory,
    CuratorAssignmentFactory,
    InstitutionFactory,
    QualityStandardFactory,
    ServiceFactory,
)
from uslugi.catalogue.models import TermKind

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\x8d\xef\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def veteran_service():
    service = ServiceFactory(
        name="Присвоение звания «Ветеран труда Оренбургской области»", code="veteran"
    )
    QualityStandardFactory(
        service=service,
        term=15,
        term_kind=TermKind.WORKING,
        applicant_documents=["Заявление", "Трудовая книжка"],
        interagency_documents=["Сведения о пенсии", "Сведения о наградах", "Сведения о стаже"],
        max_visits=1,
    )
    CuratorAssignmentFactory(
        service=service, curator__last_name="Демидова", curator__first_name="Анна"
    )
    return service


def test_service_page_states_the_standard_in_plain_words(client: Client, veteran_service) -> None:
    # when
    response = client.get(f"/services/56/{veteran_service.code}/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Срок — не более 15 рабочих дней" in html
    assert "Вы приносите 2 документа" in html
    assert "ведомство получает само 3" in html
    assert "Не более 1 визита лично" in html
    assert "Демидова Анна Петровна" in html
    assert "портал, МФЦ, лично" in html


@pytest.mark.parametrize(
    ("term", "kind", "phrase"),
    [
        (1, TermKind.WORKING, "Срок — не более 1 рабочего дня"),
        (3, TermKind.WORKING, "Срок — не более 3 рабочих дней"),
        (21, TermKind.CALENDAR, "Срок — не более 21 календарного дня"),
        (45, TermKind.CALENDAR, "Срок — не более 45 календарных дней"),
    ],
)
def test_term_phrase_uses_russian_plural_forms(
    client: Client, term: int, kind: TermKind, phrase: str
) -> None:
    standard = QualityStandardFactory(term=term, term_kind=kind)
    response = client.get(f"/services/56/{standard.service.code}/")
    assert phrase in response.content.decode()


def test_curator_photo_is_shown_only_with_consent(client: Client, veteran_service) -> None:
    # given a photo without consent
    curator = veteran_service.curatorships.get().curator
    curator.photo.save("c.png", ContentFile(PNG), save=True)
    # when / then
    assert (
        "curator-card__photo"
        not in client.get(f"/services/56/{veteran_service.code}/").content.decode()
    )
    curator.photo_consent = True
    curator.save()
    assert (
        "curator-card__photo"
        in client.get(f"/services/56/{veteran_service.code}/").content.decode()
    )


def test_catalogue_search_without_javascript_renders_the_whole_page(
    client: Client, veteran_service
) -> None:
    ServiceFactory(name="Выдача паспорта")
    response = client.get("/services/", {"q": "ВЕТЕРАН"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "Ветеран труда Оренбургской области" in html
    assert "Выдача паспорта" not in html
    assert "Найдена 1 услуга" in html


def test_htmx_search_returns_only_the_results_fragment(client: Client, veteran_service) -> None:
    response = client.get(
        "/services/", {"q": "ветеран"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.strip().startswith('<section id="results"')
    assert "Ветеран труда" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "spaceship"}, "«spaceship» не является допустимым значением"),
        ({"region": "99"}, "Такого региона нет"),
        ({"agency": "nope"}, "Такого ведомства нет"),
        ({"channel": "pigeon"}, "«pigeon» не является допустимым значением"),
    ],
)
def test_a_malformed_filter_gets_a_clear_400_page(
    client: Client, query: dict[str, str], message: str
) -> None:
    response = client.get("/services/", query)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/services/56/no-such-service/",
        "/services/99/veteran/",
        "/regions/99/",
        "/agencies/nope/",
        "/institutions/nope/",
        "/no/such/page/",
    ],
)
def test_unknown_codes_get_a_clear_404_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_agency_and_institution_pages_show_contacts_and_services(client: Client) -> None:
    # given
    agency = AgencyFactory(
        name="Министерство социального развития", address="г. Оренбург, ул. Терешковой, 33"
    )
    institution = InstitutionFactory(
        agency=agency, name="МФЦ на Пушкинской", working_hours="Пн–Сб 8:00–20:00"
    )
    service = ServiceFactory(agency=agency, region=agency.region, name="Путёвка в лагерь")
    service.institutions.add(institution)
    # when
    agency_html = client.get(f"/agencies/{agency.code}/").content.decode()
    institution_html = client.get(f"/institutions/{institution.code}/").content.decode()
    # then
    assert "г. Оренбург, ул. Терешковой, 33" in agency_html
    assert "Путёвка в лагерь" in agency_html
    assert "МФЦ на Пушкинской" in agency_html
    assert "Пн–Сб 8:00–20:00" in institution_html
    assert "Путёвка в лагерь" in institution_html


def test_english_switch_shows_english_labels_and_names(client: Client, veteran_service) -> None:
    veteran_service.name_en = "Veteran of Labour of Orenburg Oblast"
    veteran_service.save()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/services/56/{veteran_service.code}/").content.decode()
    assert '<html lang="en">' in html
    assert "Term — at most 15 working days" in html
    assert "Veteran of Labour of Orenburg Oblast" in html


def test_pages_send_security_headers(client: Client) -> None:
    response = client.get("/services/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_language_switch_requires_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403


def test_service_list_renders_in_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries
) -> None:
    for _ in range(15):
        CuratorAssignmentFactory(
            service=QualityStandardFactory(valid_from=date(2024, 1, 1)).service
        )
    with django_assert_max_num_queries(8):
        response = client.get("/services/")
    assert response.status_code == 200
