"""The whole path of an application through the test client: submit, review, correct, decide."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications import services
from uslugi.applications.models import Application, Case, Notification
from uslugi.applications.workflow import Status
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.catalogue.models import Agency, Region
from uslugi.constructor.demo import load_demo as load_constructor

pytestmark = pytest.mark.django_db

APPLICANT = {
    "last_name": "Петрова",
    "first_name": "Мария",
    "birth_date": "1960-05-17",
    "snils": "112-233-445 95",
    "phone": "+7 912 345-67-89",
    "email": "petrova@example.org",
    "address_region": "Оренбургская область",
    "address_settlement": "Оренбург",
    "address_street": "ул. Советская",
    "address_house": "1",
}


@pytest.fixture
def demo() -> None:
    load_catalogue()
    load_constructor()


def fill_pension_form(client: Client) -> str:
    step = client.post("/services/56/pensiya_star/apply/")["Location"]
    client.post(step, {**APPLICANT, "action": "continue"})
    client.post(step, {"delivery": "post", "missing_work_records": "no", "action": "continue"})
    client.post(step, {"north_work": "no", "action": "continue"})
    return str(step.rstrip("/").rsplit("/", 1)[-1])


def official_of_56_sfr() -> Any:
    agency = Agency.objects.get(code="sfr-56")
    return UserFactory(
        role=Role.OFFICIAL, region=Region.objects.get(code="56"), agency=agency, is_staff=True
    )


def test_a_citizen_applies_and_an_official_decides_with_a_correction_in_between(
    client: Client, demo: None, django_capture_on_commit_callbacks: Any
) -> None:
    # given a citizen who filled in the pension form
    citizen = UserFactory(username="petrova", email="petrova@example.org")
    client.force_login(citizen)
    draft_id = fill_pension_form(client)
    # when they send it, twice (a double click)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/applications/submit/{draft_id}/")
        second = client.post(f"/applications/submit/{draft_id}/")
    # then one application and one case exist, with a deadline
    assert first.status_code == second.status_code == 302
    application = Application.objects.get()
    case = Case.objects.get()
    assert (application.channel, application.applicant, case.status) == (
        "portal",
        citizen,
        Status.SUBMITTED,
    )
    assert case.due_date > case.registered_on
    assert case.explanation["due_date"] == case.due_date.isoformat()
    # when the official registers, reviews and asks for a correction
    official = official_of_56_sfr()
    with django_capture_on_commit_callbacks(execute=True):
        services.start_review(case=case, user=official, revision=case.revision)
        services.request_correction(
            case=case, user=official, revision=case.revision, text="Уточните номер трудовой книжки"
        )
    # then the citizen sees the request and answers it
    page = client.get(f"/my/applications/{application.number}/").content.decode()
    assert "Уточните номер трудовой книжки" in page
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/my/applications/{application.number}/",
            {"action": "answer", "revision": case.revision, "text": "AT-123456"},
        )
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    # when the official approves
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_case(
            case=case, user=official, revision=case.revision, approved=True, text="Пенсия назначена"
        )
    # then the citizen downloads the PDF result
    result = client.get(f"/my/applications/{application.number}/result/")
    assert result.status_code == 200
    assert b"".join(result.streaming_content).startswith(b"%PDF")
    kinds = list(
        Notification.objects.filter(case=case).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == [
        "status.submitted",
        "status.registered",
        "status.in_review",
        "status.awaiting_applicant",
        "status.in_review",
        "status.approved",
    ]
    assert [message.to for message in mail.outbox] == [["petrova@example.org"]] * 6


def test_another_citizen_gets_404_and_no_trace(client: Client, demo: None) -> None:
    owner = UserFactory(username="owner")
    client.force_login(owner)
    client.post(f"/applications/submit/{fill_pension_form(client)}/")
    number = Application.objects.get().number
    stranger = Client()
    stranger.force_login(UserFactory(username="stranger"))
    response = stranger.get(f"/my/applications/{number}/")
    assert response.status_code == 404
    assert number not in response.content.decode()
    assert "Петрова" not in response.content.decode()
