"""The applications API: every action of the UI, the same scopes, idempotent submission."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications import services
from uslugi.applications.api import NoSuchOfficial, NotAnOfficial
from uslugi.applications.errors import ApplicationIncomplete, CaseChangedMeanwhile
from uslugi.applications.models import (
    Application,
    Case,
    CaseEvent,
    InteragencyRequest,
    Message,
    Notification,
)
from uslugi.applications.workflow import Status
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.catalogue.models import Agency, Region, Service
from uslugi.constructor.demo import load_demo as load_constructor
from uslugi.constructor.models import VariantVersion
from uslugi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ANSWERS = {
    "last_name": "Петрова",
    "first_name": "Мария",
    "middle_name": "",
    "birth_date": "1960-05-17",
    "snils": "112-233-445 95",
    "phone": "+79123456789",
    "email": "petrova@example.org",
    "address": {
        "region": "Оренбургская область",
        "settlement": "Оренбург",
        "street": "ул. Советская",
        "house": "1",
        "flat": "",
    },
    "delivery": "post",
    "missing_work_records": False,
    "north_work": False,
}
PENSION = {"region": "56", "code": "pensiya_star"}


@pytest.fixture
def demo() -> None:
    load_catalogue()
    load_constructor()


@pytest.fixture
def citizen() -> Any:
    return UserFactory(username="petrova", email="petrova@example.org")


@pytest.fixture
def official(demo: None) -> Any:
    return UserFactory(
        username="official",
        role=Role.OFFICIAL,
        region=Region.objects.get(code="56"),
        agency=Agency.objects.get(code="sfr-56"),
        is_staff=True,
    )


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def submit(client: Client, key: str | None = None, answers: dict[str, Any] | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return post(
        client, "/api/applications", {"service": PENSION, "answers": answers or ANSWERS}, **headers
    )


def filed_case(citizen: Any) -> Case:
    response = submit(client_of(citizen), key="filed")
    assert response.status_code == 201
    return Case.objects.get(application__number=response.json()["number"])


# Submission ------------------------------------------------------------------------------------


def test_a_citizen_submits_complete_answers_and_gets_a_case_with_a_deadline(
    demo: None, citizen: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a logged-in citizen
    client = client_of(citizen)
    # when they submit complete answers
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, key="first-try")
    # then one application, its case, history, audit row and notification exist
    assert response.status_code == 201
    body = response.json()
    application = Application.objects.get()
    case = Case.objects.get()
    assert body == {
        "number": application.number,
        "case": case.pk,
        "status": "submitted",
        "registered_on": case.registered_on.isoformat(),
        "due_date": case.due_date.isoformat(),
    }
    assert (application.applicant, application.channel, application.idempotency_key) == (
        citizen,
        "portal",
        "first-try",
    )
    assert application.applicant_name == "Петрова Мария"
    assert list(CaseEvent.objects.values_list("target", flat=True)) == ["submitted"]
    assert AuditEvent.objects.filter(verb="application.submitted").count() == 1
    assert Notification.objects.get().kind == "status.submitted"


def test_a_repeated_idempotency_key_returns_the_same_application_and_creates_nothing(
    demo: None, citizen: Any
) -> None:
    # given a citizen whose submission went through
    client = client_of(citizen)
    first = submit(client, key="retry-me")
    # when the client retries with the same key (twice, as after two timeouts)
    second = submit(client, key="retry-me")
    third = submit(client, key="retry-me")
    # then every answer names the one application
    assert first.status_code == second.status_code == third.status_code == 201
    assert first.json() == second.json() == third.json()
    assert Application.objects.count() == Case.objects.count() == 1
    assert AuditEvent.objects.filter(verb="application.submitted").count() == 1


def test_a_first_submission_is_filed_without_looking_for_an_earlier_one(
    demo: None, citizen: Any
) -> None:
    # given a citizen who has submitted before (the version in force and calendar are loaded)
    client = client_of(citizen)
    submit(client, key="earlier")
    # when they submit under a new key
    with CaptureQueriesContext(connection) as queries:
        response = submit(client, key="new")
    # then the key is never looked up: its unique constraint would refuse a repeat at the insert;
    # the reads are the session, the user, the service, the version in force and the calendar
    assert response.status_code == 201
    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    applications = [
        query["sql"].split()[0]
        for query in queries.captured_queries
        if '"applications_application"' in query["sql"].split(" WHERE ")[0]
    ]
    assert statements.count("SELECT") == 5
    assert applications == ["INSERT"]
    assert Application.objects.filter(idempotency_key="new").count() == 1


def test_a_retry_that_could_not_be_filed_now_still_answers_with_the_first_application(
    demo: None, citizen: Any
) -> None:
    # given a submission that went through
    client = client_of(citizen)
    first = submit(client, key="retry-later")
    # when the same key comes again with answers that would now be refused
    second = submit(client, key="retry-later", answers={**ANSWERS, "snils": "112-233-445 96"})
    # then it answers with the first application, and nothing else is created
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert Application.objects.count() == Case.objects.count() == 1


def test_a_retry_after_the_form_closed_still_answers_with_the_first_application(
    demo: None, citizen: Any
) -> None:
    # given a submission that went through, then the form closed
    client = client_of(citizen)
    first = submit(client, key="before-closing")
    VariantVersion.objects.filter(variant__service__code=PENSION["code"]).update(
        valid_to=timezone.localdate() - timedelta(days=1)
    )
    # when the same key comes again, and a new key
    again = submit(client, key="before-closing")
    new = submit(client, key="after-closing")
    # then the retry names the first application, the new key finds no form, nothing is created
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert new.status_code == 404
    assert Application.objects.count() == Case.objects.count() == 1


def test_the_same_key_of_another_citizen_is_another_application(demo: None, citizen: Any) -> None:
    # given two citizens who happen to use the same key
    first = submit(client_of(citizen), key="k")
    second = submit(client_of(UserFactory(username="other")), key="k")
    # then each gets their own application
    assert first.json()["number"] != second.json()["number"]
    assert Application.objects.count() == 2


def test_without_a_key_each_submission_is_a_new_application(demo: None, citizen: Any) -> None:
    client = client_of(citizen)
    numbers = {submit(client).json()["number"], submit(client).json()["number"]}
    assert len(numbers) == 2
    assert Application.objects.count() == 2


def test_wrong_answers_are_refused_with_the_reasons_and_nothing_is_created(
    demo: None, citizen: Any
) -> None:
    # given answers without a name and with a broken SNILS
    answers = {**ANSWERS, "snils": "112-233-445 96"}
    del answers["last_name"]
    # when submitted
    response = submit(client_of(citizen), key="bad", answers=answers)
    # then a 400 names each field, and nothing is created
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == str(ApplicationIncomplete.default_message)
    assert [reason.split(":")[0] for reason in body["errors"]] == ["last_name", "snils"]
    assert Application.objects.count() == Case.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("{not json", {}),
        (json.dumps({"answers": ANSWERS}), {}),
        (json.dumps({"service": PENSION, "answers": []}), {}),
        (json.dumps({"service": PENSION, "answers": ANSWERS}), {"Idempotency-Key": "x" * 101}),
    ],
    ids=["broken-json", "no-service", "answers-not-an-object", "key-too-long"],
)
def test_malformed_requests_are_a_400_with_the_reason(
    demo: None, citizen: Any, body: str, headers: dict[str, str]
) -> None:
    response = client_of(citizen).post(
        "/api/applications", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert Application.objects.count() == 0


def test_an_unknown_service_is_a_404(demo: None, citizen: Any) -> None:
    response = post(
        client_of(citizen),
        "/api/applications",
        {"service": {"region": "56", "code": "no_such"}, "answers": {}},
    )
    assert response.status_code == 404
    assert response.json() == {
        "detail": _("No service %(code)s in region %(region)s.")
        % {"code": "no_such", "region": "56"}
    }


def test_the_api_needs_a_login_and_a_csrf_token(demo: None, citizen: Any) -> None:
    # given an anonymous client and a logged-in one that enforces CSRF
    anonymous = Client()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(citizen)
    # when both submit
    unauthenticated = submit(anonymous, key="a")
    forged = submit(strict, key="b")
    # then neither is accepted and nothing is created
    assert unauthenticated.status_code == 401
    assert forged.status_code == 403
    assert Application.objects.count() == 0


def test_an_mfc_operator_registers_for_a_citizen_through_a_chosen_channel(demo: None) -> None:
    operator = UserFactory(role=Role.MFC_OPERATOR, region=Region.objects.get(code="56"))
    response = post(
        client_of(operator),
        "/api/applications",
        {"service": PENSION, "answers": ANSWERS, "channel": "mfc"},
    )
    assert response.status_code == 201
    application = Application.objects.get()
    assert (application.channel, application.applicant, application.submitted_by) == (
        "mfc",
        None,
        operator,
    )


# The citizen's cabinet -------------------------------------------------------------------------


def test_a_citizen_lists_and_reads_their_own_applications(demo: None, citizen: Any) -> None:
    client = client_of(citizen)
    number = submit(client, key="one").json()["number"]
    listed = client.get("/api/applications")
    detail = client.get(f"/api/applications/{number}")
    assert listed.status_code == detail.status_code == 200
    assert listed.json()["count"] == 1
    assert [item["number"] for item in listed.json()["items"]] == [number]
    assert listed.json()["items"][0]["service"] == {
        "region": "56",
        "code": "pensiya_star",
        "name": Service.objects.get(code="pensiya_star", region__code="56").name,
    }
    body = detail.json()
    assert (body["status"], body["revision"], body["can_withdraw"], body["has_result"]) == (
        "submitted",
        1,
        True,
        False,
    )
    assert [event["target"] for event in body["events"]] == ["submitted"]


def test_another_citizens_application_is_a_404_with_no_trace(demo: None, citizen: Any) -> None:
    # given someone else's application
    number = submit(client_of(citizen), key="mine").json()["number"]
    stranger = client_of(UserFactory(username="stranger"))
    # when a stranger reads it, withdraws it, writes to it
    responses = [
        stranger.get(f"/api/applications/{number}"),
        post(stranger, f"/api/applications/{number}/withdraw", {"revision": 1}),
        post(stranger, f"/api/applications/{number}/messages", {"text": "hi"}),
        stranger.get("/api/applications"),
    ]
    # then nothing shows it and nothing changes
    assert [response.status_code for response in responses] == [404, 404, 404, 200]
    assert all("Петрова" not in response.content.decode() for response in responses)
    assert responses[3].json()["items"] == []
    assert Case.objects.get().status == Status.SUBMITTED
    assert Message.objects.count() == 0


def test_a_citizen_withdraws_and_a_stale_revision_is_a_409(demo: None, citizen: Any) -> None:
    client = client_of(citizen)
    number = submit(client, key="w").json()["number"]
    stale = post(client, f"/api/applications/{number}/withdraw", {"revision": 7})
    assert stale.status_code == 409
    assert stale.json() == {"detail": str(CaseChangedMeanwhile.default_message)}
    assert Case.objects.get().status == Status.SUBMITTED
    withdrawn = post(client, f"/api/applications/{number}/withdraw", {"revision": 1})
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["status"], withdrawn.json()["revision"]) == ("withdrawn", 2)


def test_a_citizen_answers_a_correction_and_exchanges_messages(
    demo: None, citizen: Any, official: Any
) -> None:
    # given a case awaiting the applicant's correction
    case = filed_case(citizen)
    services.start_review(case=case, user=official, revision=case.revision)
    services.request_correction(
        case=case, user=official, revision=case.revision, text="Уточните стаж"
    )
    client = client_of(citizen)
    number = case.application.number
    # when the citizen answers and writes a message
    answered = post(
        client, f"/api/applications/{number}/correction", {"revision": 4, "text": "10 лет"}
    )
    sent = post(client, f"/api/applications/{number}/messages", {"text": "Спасибо"})
    messages = client.get(f"/api/applications/{number}/messages")
    # then the case is back in review and the messages are there
    assert answered.status_code == 200
    assert answered.json()["status"] == "in_review"
    assert sent.status_code == 201
    assert [(m["from_applicant"], m["text"]) for m in messages.json()] == [
        (False, "Уточните стаж"),
        (True, "10 лет"),
        (True, "Спасибо"),
    ]


def test_an_empty_correction_is_a_400_and_changes_nothing(
    demo: None, citizen: Any, official: Any
) -> None:
    case = filed_case(citizen)
    services.start_review(case=case, user=official, revision=case.revision)
    services.request_correction(case=case, user=official, revision=case.revision, text="?")
    response = post(
        client_of(citizen),
        f"/api/applications/{case.application.number}/correction",
        {"revision": 4, "text": "  "},
    )
    assert response.status_code == 400
    assert Case.objects.get().status == Status.AWAITING_APPLICANT


# The official's queue and case -----------------------------------------------------------------


def test_the_queue_pages_by_deadline_and_filters(
    demo: None, citizen: Any, official: Any, settings: Any
) -> None:
    # given three cases, one of them registered, with distinct deadlines
    client = client_of(citizen)
    for key in ("a", "b", "c"):
        submit(client, key=key)
    cases = list(Case.objects.order_by("id"))
    for offset, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(
            due_date=timezone.localdate() + timedelta(days=10 - offset)
        )
    services.register_case(case=cases[0], user=official, revision=1)
    queue = client_of(official)
    # when the official reads the queue and a filtered queue
    everything = queue.get("/api/cases").json()
    registered = queue.get("/api/cases", {"status": "registered"}).json()
    second_page = queue.get("/api/cases", {"page": 2}).json()
    # then cases come soonest deadline first, filtered as asked
    assert [item["id"] for item in everything["items"]] == [case.pk for case in cases[::-1]]
    assert everything["has_next"] is False
    assert [item["id"] for item in registered["items"]] == [cases[0].pk]
    assert second_page == {"items": [], "page": 2, "has_next": False}


def test_a_bad_queue_filter_is_a_400_and_a_citizen_has_no_queue(
    demo: None, citizen: Any, official: Any
) -> None:
    assert client_of(official).get("/api/cases", {"status": "lost"}).status_code == 400
    response = client_of(citizen).get("/api/cases")
    assert response.status_code == 403
    assert response.json() == {"detail": str(NotAnOfficial.default_message)}


def test_another_agencys_case_is_a_404_for_every_action(
    demo: None, citizen: Any, official: Any
) -> None:
    # given a case of SFR-56 and an official of another agency of the region
    case = filed_case(citizen)
    other_agency = Agency.objects.filter(region__code="56").exclude(code="sfr-56").first()
    assert other_agency is not None
    outsider = client_of(
        UserFactory(role=Role.OFFICIAL, region=Region.objects.get(code="56"), agency=other_agency)
    )
    # when they try to read or act on it
    responses = [
        outsider.get(f"/api/cases/{case.pk}"),
        post(outsider, f"/api/cases/{case.pk}/register", {"revision": 1}),
        post(outsider, f"/api/cases/{case.pk}/messages", {"text": "x"}),
        post(outsider, "/api/cases/assign", {"cases": [case.pk], "assignee": None}),
        outsider.get("/api/cases"),
    ]
    # then it does not exist for them, and nothing changed
    assert [response.status_code for response in responses] == [404, 404, 404, 404, 200]
    assert responses[4].json()["items"] == []
    case.refresh_from_db()
    assert (case.status, case.revision) == (Status.SUBMITTED, 1)


def test_the_official_reads_the_case_with_its_next_actions(
    demo: None, citizen: Any, official: Any
) -> None:
    case = filed_case(citizen)
    response = client_of(official).get(f"/api/cases/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["status"], body["revision"]) == (
        case.application.number,
        "submitted",
        1,
    )
    assert body["actions"] == ["registered", "refused_to_accept"]
    assert body["answers"]["snils"] == "112-233-445 95"


def test_the_official_takes_a_case_through_every_step(
    demo: None, citizen: Any, official: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a submitted case and its official
    case = filed_case(citizen)
    client = client_of(official)
    url = f"/api/cases/{case.pk}"
    tomorrow = (timezone.localdate() + timedelta(days=7)).isoformat()
    steps: list[tuple[str, dict[str, Any], str]] = [
        ("register", {}, "registered"),
        ("start-review", {}, "in_review"),
        ("suspend", {"until": tomorrow, "reason": "Ждём архив"}, "suspended"),
        ("resume", {}, "in_review"),
        ("request-correction", {"text": "Уточните стаж"}, "awaiting_applicant"),
        ("extend", {"days": 5, "reason": "Запрос в архив"}, "awaiting_applicant"),
    ]
    revision = 1
    # when each step is taken with the current revision
    for action, body, status in steps:
        response = post(client, f"{url}/{action}", {"revision": revision, **body})
        # then it is applied and the revision grows
        assert response.status_code == 200, (action, response.json())
        assert response.json()["status"] == status
        assert response.json()["revision"] > revision
        revision = response.json()["revision"]
    services.answer_correction(case=Case.objects.get(), user=citizen, revision=revision, text="ok")
    with django_capture_on_commit_callbacks(execute=True):
        decided = post(
            client, f"{url}/decide", {"revision": revision + 1, "approved": True, "text": "Да"}
        )
    assert decided.status_code == 200
    assert decided.json()["status"] == "approved"
    assert decided.json()["actions"] == []
    assert [event["kind"] for event in decided.json()["events"]].count("extension") == 1
    assert Case.objects.get().result_file.name.endswith(".pdf")


def test_a_refusal_to_accept_needs_a_reason(demo: None, citizen: Any, official: Any) -> None:
    case = filed_case(citizen)
    client = client_of(official)
    empty = post(client, f"/api/cases/{case.pk}/refuse-to-accept", {"revision": 1, "reason": ""})
    assert empty.status_code == 400
    assert Case.objects.get().status == Status.SUBMITTED
    refused = post(
        client, f"/api/cases/{case.pk}/refuse-to-accept", {"revision": 1, "reason": "Нет паспорта"}
    )
    assert refused.status_code == 200
    assert refused.json()["status"] == "refused_to_accept"


def test_a_stale_revision_is_a_409_and_changes_nothing(
    demo: None, citizen: Any, official: Any
) -> None:
    # given a case another official registered meanwhile
    case = filed_case(citizen)
    services.register_case(case=case, user=official, revision=1)
    # when the first official acts on what they saw (revision 1)
    response = post(client_of(official), f"/api/cases/{case.pk}/start-review", {"revision": 1})
    # then the action is refused with the reason
    assert response.status_code == 409
    assert response.json() == {"detail": str(CaseChangedMeanwhile.default_message)}
    case.refresh_from_db()
    assert (case.status, case.revision) == (Status.REGISTERED, 2)


def test_a_transition_the_table_does_not_allow_is_a_409(
    demo: None, citizen: Any, official: Any
) -> None:
    case = filed_case(citizen)
    response = post(
        client_of(official),
        f"/api/cases/{case.pk}/decide",
        {"revision": 1, "approved": True, "text": ""},
    )
    assert response.status_code == 409
    assert Case.objects.get().status == Status.SUBMITTED


def test_cases_are_assigned_to_colleagues_only(demo: None, citizen: Any, official: Any) -> None:
    # given two cases and a colleague of the same agency
    first, second = filed_case(citizen), None
    second = Case.objects.get(
        application__number=submit(client_of(citizen), key="2").json()["number"]
    )
    colleague = UserFactory(
        username="colleague", role=Role.OFFICIAL, region=official.region, agency=official.agency
    )
    client = client_of(official)
    # when both are given to the colleague, then one is taken back
    bulk = post(
        client, "/api/cases/assign", {"cases": [first.pk, second.pk], "assignee": "colleague"}
    )
    single = post(client, f"/api/cases/{first.pk}/assign", {"assignee": None})
    stranger = post(client, f"/api/cases/{first.pk}/assign", {"assignee": citizen.username})
    # then the assignments hold and a non-colleague is refused
    assert bulk.json() == {"assigned": 2}
    assert single.json()["assignee"] is None
    assert stranger.status_code == 400
    assert stranger.json() == {"detail": str(NoSuchOfficial.default_message)}
    assert dict(Case.objects.values_list("pk", "assignee")) == {
        first.pk: None,
        second.pk: colleague.pk,
    }
    assert client.get("/api/cases", {"assignee": "colleague"}).json()["items"][0]["id"] == (
        second.pk
    )


def test_the_official_writes_to_the_applicant_and_sends_interagency_requests(
    demo: None, citizen: Any, official: Any
) -> None:
    case = filed_case(citizen)
    client = client_of(official)
    url = f"/api/cases/{case.pk}"
    message = post(client, f"{url}/messages", {"text": "Добрый день"})
    sent = post(
        client, f"{url}/interagency-requests", {"document": "Справка о стаже", "recipient": "ПФР"}
    )
    request_id = sent.json()["id"]
    answered = post(
        client, f"{url}/interagency-requests/{request_id}/answer", {"answer": "Стаж 40 лет"}
    )
    missing = post(client, f"{url}/interagency-requests/999999/answer", {"answer": "x"})
    assert (message.status_code, sent.status_code, answered.status_code) == (201, 201, 200)
    assert missing.status_code == 404
    assert [m["text"] for m in client.get(f"{url}/messages").json()] == ["Добрый день"]
    listed = client.get(f"{url}/interagency-requests").json()
    assert [(r["document"], r["answer"]) for r in listed] == [("Справка о стаже", "Стаж 40 лет")]
    assert InteragencyRequest.objects.get().answered_on == timezone.localdate()
    assert Notification.objects.filter(kind="message").count() == 1


# Generated cases ------------------------------------------------------------------------------


def test_generate_cases_creates_that_many_consistent_rows(demo: None) -> None:
    # when 250 cases are generated for SFR-56 on the test database
    call_command("generate_cases", count=250, region="56", agency="sfr-56", batch=100, seed=1)
    # then there are 250 applications, each with one case of that agency and region
    cases = Case.objects.select_related("application")
    assert Application.objects.count() == cases.count() == 250
    assert {(case.agency.code, case.region.code) for case in cases} == {("sfr-56", "56")}
    assert all(case.service_id == case.application.service_id for case in cases)
    assert all(case.due_date >= case.registered_on for case in cases)
    assert len({case.status for case in cases}) >= 5
    assert len({case.application.number for case in cases}) == 250
