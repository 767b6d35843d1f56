"""Who sees what: a matrix of roles × objects, with the status each one gets.

Other people's things are a 404; office pages refuse other roles plainly (403); anonymous visitors
are sent to log in. Every denial leaves no trace of the case in the response (no applicant's name,
no application number, no answer) and changes nothing.
"""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications.factories import APPLICANT_NAME, CaseFactory
from uslugi.applications.models import Application, Case, CaseEvent, Message
from uslugi.catalogue.factories import AgencyFactory, RegionFactory

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "Рабочий стаж 35 лет, трудовая книжка АТ-7 № 1234567"
ROLES = [
    "anonymous",
    "citizen owner",
    "other citizen",
    "official of the agency and region",
    "official of another agency, same region",
    "official of the same agency, another region",
    "mfc operator",
    "curator",
    "regional administrator",
]
OBJECTS = [
    "application page",
    "result download",
    "queue",
    "case page",
    "case action",
    "file download",
]
OK, FOUND, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, "login", 403, 404
# What each role gets for each object, in the order of OBJECTS.
EXPECTED: dict[str, list[Any]] = {
    "anonymous": [LOGIN] * 6,
    "citizen owner": [OK, OK, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "other citizen": [NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "official of the agency and region": [NOT_FOUND, NOT_FOUND, OK, OK, FOUND, OK],
    "official of another agency, same region": [NOT_FOUND, NOT_FOUND, OK] + [NOT_FOUND] * 3,
    "official of the same agency, another region": [NOT_FOUND, NOT_FOUND, OK] + [NOT_FOUND] * 3,
    "mfc operator": [NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "curator": [NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "regional administrator": [NOT_FOUND, NOT_FOUND, FORBIDDEN] + [NOT_FOUND] * 3,
}
MATRIX = [
    (role, name, EXPECTED[role][index]) for role in ROLES for index, name in enumerate(OBJECTS)
]


@pytest.fixture
def case() -> Case:
    # given a citizen's case with answers, an uploaded file and a result document
    case = CaseFactory.create()
    version = case.application.version
    version.definition["blocks"].append(
        {"key": "work_records", "kind": "file", "label": "Документы о стаже", "config": {}}
    )
    version.save()
    upload = default_storage.save("drafts/x/work_records/staj.pdf", ContentFile(b"%PDF-1.4"))
    Application.objects.filter(pk=case.application_id).update(
        answers={"full_name": APPLICANT_NAME, "work_records": upload, "work": SECRET_ANSWER}
    )
    case.result_file.save("result.pdf", ContentFile(b"%PDF-1.4 result"), save=True)
    case.refresh_from_db()
    return case


def person(role: str, case: Case) -> Any:
    region, agency = case.region, case.agency
    elsewhere = RegionFactory(code="16", name="Республика Татарстан", time_zone="Europe/Moscow")
    users = {
        "anonymous": lambda: None,
        "citizen owner": lambda: case.application.applicant,
        "other citizen": lambda: UserFactory(),
        "official of the agency and region": lambda: UserFactory(
            role=Role.OFFICIAL, region=region, agency=agency
        ),
        "official of another agency, same region": lambda: UserFactory(
            role=Role.OFFICIAL, region=region, agency=AgencyFactory(region=region)
        ),
        "official of the same agency, another region": lambda: UserFactory(
            role=Role.OFFICIAL, region=elsewhere, agency=agency
        ),
        "mfc operator": lambda: UserFactory(role=Role.MFC_OPERATOR, region=region),
        "curator": lambda: UserFactory(role=Role.CURATOR, region=region, agency=agency),
        "regional administrator": lambda: UserFactory(
            role=Role.REGIONAL_ADMINISTRATOR, region=region
        ),
    }
    return users[role]()


def request(client: Client, name: str, case: Case) -> Any:
    number = case.application.number
    if name == "application page":
        return client.get(f"/my/applications/{number}/")
    if name == "result download":
        return client.get(f"/my/applications/{number}/result/")
    if name == "queue":
        return client.get("/office/cases/")
    if name == "case page":
        return client.get(f"/office/cases/{case.pk}/")
    if name == "case action":
        return client.post(
            f"/office/cases/{case.pk}/actions/register/", {"register-revision": case.revision}
        )
    return client.get(f"/office/cases/{case.pk}/files/work_records/")


def state(case: Case) -> tuple[Any, ...]:
    stored = Case.objects.get(pk=case.pk)
    return (
        stored.status,
        stored.revision,
        stored.assignee_id,
        CaseEvent.objects.count(),
        Message.objects.count(),
    )


@pytest.mark.parametrize(("role", "name", "expected"), MATRIX)
def test_role_meets_object(case: Case, role: str, name: str, expected: Any) -> None:
    # given a visitor of `role`
    client = Client()
    user = person(role, case)
    if user is not None:
        client.force_login(user)
    before = state(case)
    # when they ask for the object
    response = request(client, name, case)
    # then they get what the matrix says
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected
    if expected in {LOGIN, FORBIDDEN, NOT_FOUND}:
        # and a denial leaves no trace of the case and changes nothing
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        for trace in (APPLICANT_NAME, "Петрова", case.application.number, SECRET_ANSWER):
            assert trace not in text
        assert state(case) == before
    elif name == "queue" and role != "official of the agency and region":
        # an official elsewhere has a queue of their own that does not list this case
        assert case.application.number not in response.content.decode()
        assert APPLICANT_NAME not in response.content.decode()


def test_the_matrix_covers_every_role_and_object() -> None:
    assert len(MATRIX) == len(ROLES) * len(OBJECTS)
