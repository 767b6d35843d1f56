"""The office side: the queue, the case page and its actions, the MFC operator's intake."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import set_script_prefix

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.applications import services
from uslugi.applications.factories import APPLICANT_NAME, CaseFactory, official_for
from uslugi.applications.models import (
    Application,
    Case,
    CaseEvent,
    InteragencyRequest,
    Message,
    Notification,
)
from uslugi.applications.office.queue import queue_rows, with_sla_state
from uslugi.applications.workflow import Status
from uslugi.catalogue.factories import AgencyFactory
from uslugi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")
# Wednesday 5 March 2025: Thursday 6 and Friday 7 are working days, 8–9 March a weekend.
WEDNESDAY = datetime(2025, 3, 5, 10, 0, tzinfo=MOSCOW)
QUEUE = "/office/cases/"


@pytest.fixture
def case() -> Case:
    return CaseFactory.create()


@pytest.fixture
def official(case: Case) -> Any:
    return official_for(case, username="official", last_name="Смирнова")


@pytest.fixture
def office(client: Client, official: Any) -> Client:
    client.force_login(official)
    return client


def another_case(case: Case, **kwargs: Any) -> Case:
    """A case of the same agency and region, for another applicant."""
    return CaseFactory.create(
        application__version=case.application.version,
        application__applicant=UserFactory(),
        **kwargs,
    )


def row_numbers(response: Any) -> list[str]:
    return [row.number for row in response.context["rows"]]


# The queue --------------------------------------------------------------------------------------


@time_machine.travel(WEDNESDAY, tick=False)
def test_queue_orders_by_due_date_and_states_each_row_in_words(office: Client, case: Case) -> None:
    # given cases overdue, at risk and on time
    Case.objects.filter(pk=case.pk).update(due_date=date(2025, 3, 20))
    overdue = another_case(case, due_date=date(2025, 3, 4))
    at_risk = another_case(case, due_date=date(2025, 3, 7))
    # when the official opens the queue
    response = office.get(QUEUE)
    # then the soonest deadline comes first, each state written in words
    assert response.status_code == 200
    assert row_numbers(response) == [
        overdue.application.number,
        at_risk.application.number,
        case.application.number,
    ]
    assert [row.sla for row in response.context["rows"]] == ["overdue", "at_risk", "on_time"]
    page = response.content.decode()
    assert 'sla sla--overdue"' in page
    assert 'sla sla--at_risk"' in page
    assert 'sla sla--on_time"' in page


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_queue_state_agrees_with_the_service_rule_for_every_day_of_a_month(
    case: Case,
) -> None:
    # given open cases due on each day from a week ago to three weeks ahead
    for offset in range(-7, 22):
        another_case(case, due_date=date(2025, 3, 5) + timedelta(days=offset))
    # when the queue annotates their states in SQL
    annotated = with_sla_state(
        Case.objects.select_related("region"), region_code="56", today=date(2025, 3, 5)
    )
    # then each equals what services.sla_state_of says for the case
    for row in annotated:
        assert row.sla == services.sla_state_of(row, date(2025, 3, 5)).value, row.due_date


@time_machine.travel(WEDNESDAY, tick=False)
@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "ru",
            (
                "просрочено",
                "на рассмотрении",
                "под угрозой срыва",
                "Выбрать дело",
                "Взять в работу",
            ),
        ),
        ("en", ("overdue", "in review", "at risk", "Select case", "Take")),
    ],
)
def test_each_row_shows_its_deadline_status_link_and_assignee_in_the_chosen_language(
    client: Client, case: Case, official: Any, language: str, words: tuple[str, ...]
) -> None:
    overdue_word, in_review_word, at_risk_word, select_word, take_word = words
    # given an overdue case in review assigned to the official, and an unassigned one at risk
    Case.objects.filter(pk=case.pk).update(
        due_date=date(2025, 3, 4), status=Status.IN_REVIEW, assignee=official
    )
    Application.objects.filter(pk=case.application_id).update(applicant_name="Иванов <b>&")
    at_risk = another_case(case, due_date=date(2025, 3, 7))
    number, other = case.application.number, at_risk.application.number
    # when the official opens the queue in that language
    client.force_login(official)
    client.cookies["django_language"] = language
    page = client.get(QUEUE).content.decode()
    # then each row says its state, status and number in words, links its case page, and offers
    # "take" only where nobody has the case yet
    assert (
        f'<tr class="queue__row sla-row--overdue"><td><input type="checkbox" name="cases" '
        f'value="{case.pk}" id="case-{case.pk}"><label for="case-{case.pk}" '
        f'class="visually-hidden">{select_word} {number}</label></td>'
        '<td><time datetime="2025-03-04">04.03.2025</time></td>'
        f'<td><span class="sla sla--overdue">{overdue_word}</span></td>'
        f'<td><a href="/office/cases/{case.pk}/">{number}</a></td>'
        "<td>Иванов &lt;b&gt;&amp;</td>"
        f"<td>{case.service.display_name}</td>"
        f'<td><span class="status status--in_review">{in_review_word}</span></td>'
        f"<td>{official}</td></tr>"
    ) in "".join(line.strip() for line in page.splitlines())
    assert f'<span class="sla sla--at_risk">{at_risk_word}</span>' in page
    assert (
        f'<button type="submit" name="take" value="{at_risk.pk}" class="button button--secondary '
        f'button--small">{take_word}<span class="visually-hidden"> {other}</span></button>'
    ) in page
    assert page.count('name="take"') == 1


@time_machine.travel(WEDNESDAY, tick=False)
@pytest.mark.parametrize("prefix", ["/", "/uslugi/", "/987654321987/"])
def test_row_links_keep_the_script_prefix(case: Case, prefix: str) -> None:
    # given the project served under a prefix (the last one holds the link's stand-in number)
    cases = list(with_sla_state(Case.objects.all(), region_code="56", today=date(2025, 3, 5)))
    set_script_prefix(prefix)
    try:
        # when the rows are made
        rows = queue_rows(cases)
    finally:
        set_script_prefix("/")
    # then the link is the case page's under that prefix
    assert [row.url for row in rows] == [f"{prefix}office/cases/{case.pk}/"]


def test_the_queue_reads_no_answers_or_texts_it_does_not_show(office: Client, case: Case) -> None:
    # when the official opens the queue
    with CaptureQueriesContext(connection) as queries:
        response = office.get(QUEUE)
    # then the rows' query leaves out the answers, a service's texts and the assignee's password
    assert row_numbers(response) == [case.application.number]
    rows_query = next(
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "applications_case"."id"')
    )
    assert '"applications_application"."answers"' not in rows_query
    assert '"catalogue_service"."description"' not in rows_query
    assert '"accounts_user"."password"' not in rows_query


def test_queue_shows_only_the_officials_agency_and_region(office: Client, case: Case) -> None:
    # given a case of another agency in the same region
    other = CaseFactory()
    assert other.agency_id != case.agency_id
    # when the official opens the queue
    response = office.get(QUEUE)
    # then only their agency's case is listed
    assert row_numbers(response) == [case.application.number]
    assert other.application.number not in response.content.decode()


def test_queue_filters_by_status_service_assignee_and_state(
    office: Client, case: Case, official: Any
) -> None:
    # given an assigned case in review, a closed one and one in another service
    mine = another_case(case, status=Status.IN_REVIEW, assignee=official)
    closed = another_case(case, status=Status.APPROVED)
    elsewhere = CaseFactory(application__version__agency=case.agency)
    assert elsewhere.service_id != case.service_id
    # then the default shows open cases only
    assert set(row_numbers(office.get(QUEUE))) == {
        case.application.number,
        mine.application.number,
        elsewhere.application.number,
    }
    # and each filter narrows it
    assert row_numbers(office.get(QUEUE, {"status": "approved"})) == [closed.application.number]
    assert len(row_numbers(office.get(QUEUE, {"status": "all"}))) == 4
    assert row_numbers(office.get(QUEUE, {"assignee": "mine"})) == [mine.application.number]
    assert mine.application.number not in row_numbers(office.get(QUEUE, {"assignee": "nobody"}))
    assert row_numbers(office.get(QUEUE, {"service": elsewhere.service_id})) == [
        elsewhere.application.number
    ]
    assert row_numbers(office.get(QUEUE, {"state": "overdue"})) == []


def test_an_unknown_filter_value_is_an_error_next_to_its_field(office: Client) -> None:
    response = office.get(QUEUE, {"status": "nonsense"})
    assert response.status_code == 400
    assert 'id="id_status_error"' in response.content.decode()


def test_htmx_gets_only_the_results(office: Client, case: Case) -> None:
    response = office.get(QUEUE, headers={"HX-Request": "true", "HX-Target": "queue-results"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="queue-results"' in body
    assert case.application.number in body


def test_queue_query_count_does_not_grow_with_rows(office: Client, case: Case) -> None:
    # given two cases (and the region's calendar already read once: it is cached)
    another_case(case)
    office.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        office.get(QUEUE)
    # when there are twenty more, assigned
    for _number in range(20):
        another_case(case, assignee=UserFactory())
    with CaptureQueriesContext(connection) as many:
        response = office.get(QUEUE)
    # then the page costs the same number of queries
    assert len(response.context["rows"]) == 22
    assert len(many) == len(few) == 10


def test_the_queue_listing_is_logged(office: Client, case: Case, official: Any) -> None:
    office.get(QUEUE)
    event = AuditEvent.objects.get(verb="cases.listed")
    assert (event.actor, event.data["cases"]) == (official, [case.pk])


def test_taking_one_case_assigns_it_to_me(office: Client, case: Case, official: Any) -> None:
    response = office.post("/office/cases/assign/", {"take": case.pk, "next": QUEUE})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == official
    assert CaseEvent.objects.filter(case=case, kind="assignment").count() == 1
    assert AuditEvent.objects.filter(verb="case.assigned", target_id=str(case.pk)).count() == 1


def test_bulk_assignment_gives_the_chosen_cases_to_a_colleague(office: Client, case: Case) -> None:
    # given three cases and a colleague
    second, third = another_case(case), another_case(case)
    colleague = official_for(case, username="colleague")
    # when two are given to the colleague
    office.post("/office/cases/assign/", {"cases": [case.pk, second.pk], "assignee": colleague.pk})
    # then those two are theirs and the third is nobody's
    assert list(Case.objects.order_by("id").values_list("assignee", flat=True)) == [
        colleague.pk,
        colleague.pk,
        None,
    ]
    assert third.pk not in Case.objects.filter(assignee=colleague).values_list("pk", flat=True)


def test_bulk_assignment_refuses_a_stranger_and_other_agencies_cases(
    office: Client, case: Case
) -> None:
    # given a case of another agency and an official of another agency
    foreign = CaseFactory()
    stranger = UserFactory(role=Role.OFFICIAL, region=case.region, agency=AgencyFactory())
    # when the official tries to assign to the stranger, and to take the foreign case
    office.post("/office/cases/assign/", {"cases": [case.pk], "assignee": stranger.pk})
    office.post("/office/cases/assign/", {"take": foreign.pk})
    # then nothing changed
    assert list(Case.objects.values_list("assignee", flat=True)) == [None, None]
    assert not CaseEvent.objects.filter(kind="assignment").exists()


def test_a_curator_of_the_agency_cannot_be_given_cases(case: Case, official: Any) -> None:
    curator = UserFactory(role=Role.CURATOR, region=case.region, agency=case.agency)
    with pytest.raises(services.TransitionNotAllowed):
        services.assign_cases(cases=[case], assignee=curator, user=official)
    case.refresh_from_db()
    assert case.assignee is None


# The case page ----------------------------------------------------------------------------------


def test_case_page_shows_the_application_and_logs_the_view(
    office: Client, case: Case, official: Any
) -> None:
    # when the official opens the case twice
    office.get(f"/office/cases/{case.pk}/")
    response = office.get(f"/office/cases/{case.pk}/")
    # then they see the applicant's answers and each view is logged
    page = response.content.decode()
    assert response.status_code == 200
    assert APPLICANT_NAME in page
    assert case.application.number in page
    assert "Income statement" in page  # the variant's document the agency requests itself
    events = AuditEvent.objects.filter(verb="case.viewed", target_id=str(case.pk))
    assert [event.actor for event in events] == [official, official]


def test_case_page_offers_the_workflow_tables_actions(office: Client, case: Case) -> None:
    actions = [
        action.name for action, _form in office.get(f"/office/cases/{case.pk}/").context["actions"]
    ]
    assert actions == ["register", "extend", "refuse_to_accept"]
    Case.objects.filter(pk=case.pk).update(status=Status.IN_REVIEW)
    actions = [
        action.name for action, _form in office.get(f"/office/cases/{case.pk}/").context["actions"]
    ]
    assert actions == ["request_correction", "suspend", "extend", "approve", "refuse"]


@time_machine.travel(WEDNESDAY, tick=False)
@pytest.mark.parametrize(
    ("status", "action", "data", "expected"),
    [
        (Status.SUBMITTED, "register", {}, Status.REGISTERED),
        (Status.SUBMITTED, "start_review", {}, Status.IN_REVIEW),
        (Status.REGISTERED, "start_review", {}, Status.IN_REVIEW),
        (Status.SUBMITTED, "refuse_to_accept", {"reason": "Нет подписи"}, Status.REFUSED_TO_ACCEPT),
        (
            Status.IN_REVIEW,
            "suspend",
            {"reason": "Ждём архив", "until": "2025-04-01"},
            Status.SUSPENDED,
        ),
        (Status.SUSPENDED, "resume", {}, Status.IN_REVIEW),
        (
            Status.IN_REVIEW,
            "request_correction",
            {"text": "Уточните стаж"},
            Status.AWAITING_APPLICANT,
        ),
        (Status.AWAITING_APPLICANT, "resume", {}, Status.IN_REVIEW),
        (Status.IN_REVIEW, "approve", {"text": "Назначить"}, Status.APPROVED),
        (Status.IN_REVIEW, "refuse", {"text": "Нет стажа"}, Status.REFUSED),
        (Status.IN_REVIEW, "extend", {"days": "5", "reason": "Ответ архива"}, Status.IN_REVIEW),
    ],
)
def test_each_case_action(
    office: Client, case: Case, status: Status, action: str, data: dict[str, str], expected: Status
) -> None:
    # given a case in `status`
    Case.objects.filter(pk=case.pk).update(status=status, due_date=date(2025, 3, 17))
    events = CaseEvent.objects.count()
    # when the official acts with the revision they saw
    response = office.post(
        f"/office/cases/{case.pk}/actions/{action}/",
        {f"{action}-revision": case.revision, **{f"{action}-{k}": v for k, v in data.items()}},
    )
    # then the case moved on, one revision further, with its history and audit
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.status == expected
    assert case.revision > 1
    assert CaseEvent.objects.count() > events
    assert AuditEvent.objects.filter(target_id=str(case.pk)).exclude(verb="case.viewed").exists()
    if action == "approve":
        assert case.result_file.name.endswith(".pdf")
    if action == "extend":
        assert case.due_date > date(2025, 3, 17) or case.extensions.count() == 1


def test_a_stale_revision_is_refused_with_the_conflict_message_and_nothing_changes(
    office: Client, case: Case, official: Any
) -> None:
    # given another official registered the case after this one opened it
    seen = case.revision
    colleague = official_for(case, username="colleague")
    services.register_case(case=case, user=colleague, revision=seen)
    case.refresh_from_db()
    before = (case.status, case.revision, CaseEvent.objects.count())
    # when this official refuses to accept with the revision they saw
    response = office.post(
        f"/office/cases/{case.pk}/actions/refuse_to_accept/",
        {"refuse_to_accept-revision": seen, "refuse_to_accept-reason": "Нет подписи"},
    )
    # then they read the conflict message and nothing was overwritten
    assert response.status_code == 409
    assert str(services.CaseChangedMeanwhile.default_message) in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.revision, CaseEvent.objects.count()) == before


def test_an_empty_reason_is_an_error_next_to_the_field(office: Client, case: Case) -> None:
    response = office.post(
        f"/office/cases/{case.pk}/actions/refuse_to_accept/",
        {"refuse_to_accept-revision": case.revision, "refuse_to_accept-reason": "  "},
    )
    assert response.status_code == 400
    assert 'id="id_refuse_to_accept-reason_error"' in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.revision) == (Status.SUBMITTED, 1)


def test_an_action_the_table_forbids_is_refused(office: Client, case: Case) -> None:
    response = office.post(
        f"/office/cases/{case.pk}/actions/approve/",
        {"approve-revision": case.revision, "approve-text": "Назначить"},
    )
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_a_message_to_the_applicant_is_sent_and_notified(office: Client, case: Case) -> None:
    office.post(f"/office/cases/{case.pk}/messages/", {"message-text": "Позвоните нам"})
    message = Message.objects.get()
    assert (message.text, message.from_applicant) == ("Позвоните нам", False)
    notification = Notification.objects.get(kind="message")
    assert notification.recipient == case.application.applicant


@time_machine.travel(WEDNESDAY, tick=False)
def test_an_interagency_request_is_due_in_five_working_days_and_its_answer_recorded(
    office: Client, case: Case
) -> None:
    office.post(
        f"/office/cases/{case.pk}/requests/",
        {"interagency-document": "Сведения о стаже", "interagency-recipient": "Архив"},
    )
    sent = InteragencyRequest.objects.get()
    # Thu 6, Fri 7, Mon 10 (9 March is the weekend), Tue 11, Wed 12
    assert (sent.sent_on, sent.answer_due) == (date(2025, 3, 5), date(2025, 3, 12))
    office.post(
        f"/office/cases/{case.pk}/requests/{sent.pk}/answer/",
        {f"answer-{sent.pk}-answer": "Стаж 35 лет"},
    )
    sent.refresh_from_db()
    assert (sent.answer, sent.answered_on) == ("Стаж 35 лет", date(2025, 3, 5))


def test_an_uploaded_file_is_downloaded_by_the_official_and_logged(
    office: Client, case: Case
) -> None:
    # given an application with an uploaded file
    version = case.application.version
    version.definition["blocks"].append(
        {"key": "work_records", "kind": "file", "label": "Документы о стаже", "config": {}}
    )
    version.save()
    name = default_storage.save("drafts/abc/work_records/staj.pdf", ContentFile(b"%PDF-1.4"))
    Application.objects.filter(pk=case.application_id).update(
        answers={"full_name": APPLICANT_NAME, "work_records": name}
    )
    # when the official follows the link on the case page
    page = office.get(f"/office/cases/{case.pk}/").content.decode()
    assert f"/office/cases/{case.pk}/files/work_records/" in page
    response = office.get(f"/office/cases/{case.pk}/files/work_records/")
    # then the file comes and the download is logged
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    assert AuditEvent.objects.filter(verb="case.file_downloaded").count() == 1
    assert office.get(f"/office/cases/{case.pk}/files/full_name/").status_code == 404


# The MFC operator's intake ------------------------------------------------------------------------


@pytest.fixture
def demo() -> None:
    from uslugi.catalogue.demo import load_demo as load_catalogue
    from uslugi.constructor.demo import load_demo as load_constructor

    load_catalogue()
    load_constructor()


def test_an_mfc_operator_registers_an_application_with_its_channel(
    client: Client, demo: None
) -> None:
    from uslugi.applications.tests.test_flow import APPLICANT
    from uslugi.catalogue.models import Region, Service

    # given an MFC operator of Orenburg
    operator = UserFactory(role=Role.MFC_OPERATOR, region=Region.objects.get(code="56"))
    client.force_login(operator)
    pension = Service.objects.get(region__code="56", code="pensiya_star")
    # when they open the intake and register the pension application of a visitor
    intake = client.get("/office/intake/")
    assert pension in [service for service, _version in intake.context["services"]]
    assert {service.region.code for service, _version in intake.context["services"]} == {"56"}
    step = client.post(f"/office/intake/{pension.pk}/start/")["Location"]
    client.post(step, {**APPLICANT, "action": "continue"})
    client.post(step, {"delivery": "post", "missing_work_records": "no", "action": "continue"})
    client.post(step, {"north_work": "no", "action": "continue"})
    draft_id = step.rstrip("/").rsplit("/", 1)[-1]
    review = client.get(f"/forms/{draft_id}/review/").content.decode()
    assert 'name="channel" value="in_person"' in review
    response = client.post(f"/applications/submit/{draft_id}/", {"channel": "in_person"})
    # then the application is recorded with the channel, the operator and no citizen account
    application = Application.objects.get()
    assert (application.channel, application.submitted_by, application.applicant) == (
        "in_person",
        operator,
        None,
    )
    assert application.applicant_name == "Петрова Мария"
    # and the operator lands on the receipt and finds it in their list
    assert response["Location"] == f"/office/intake/applications/{application.number}/"
    assert application.number in client.get(response["Location"]).content.decode()
    assert [a.number for a in client.get("/office/intake/").context["registered"]] == [
        application.number
    ]


def test_an_operator_cannot_start_a_service_of_another_region(client: Client, demo: None) -> None:
    from uslugi.catalogue.models import Region, Service

    client.force_login(UserFactory(role=Role.MFC_OPERATOR, region=Region.objects.get(code="56")))
    kazan = Service.objects.get(region__code="16", code="pensiya_star")
    assert client.post(f"/office/intake/{kazan.pk}/start/").status_code == 404
