"""Notifications: one row per event in the cabinet, delivered once by e-mail and SMS in a task."""

from datetime import date
from typing import Any

import pytest
from django.core import mail

from uslugi.applications import notifications, services
from uslugi.applications.models import Notification
from uslugi.applications.sms import LoggingGateway
from uslugi.applications.tasks import deliver_notification
from uslugi.applications.tests.cases import official_of, open_case
from uslugi.applications.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sms_sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(LoggingGateway, "sent", sent)
    return sent


def a_notification(**fields: Any) -> Notification:
    case = open_case(due=date(2026, 2, 27))
    values = {
        "case": case,
        "recipient": case.application.applicant,
        "kind": "status.registered",
        "subject": "Application 56-1: registered",
        "text": "Your application 56-1 has been registered.",
        "email": "petrova@example.org",
        "phone": "+7 912 345-67-89",
        "dedupe_key": "case:1:event:1",
        **fields,
    }
    return Notification.objects.create(**values)


def test_delivery_sends_the_email_and_the_sms_once_however_often_it_runs(
    sms_sent: list[tuple[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    # given
    notification = a_notification()
    # when the task runs, then runs again (a retry)
    with caplog.at_level("INFO", logger="uslugi.sms"):
        first = deliver_notification.enqueue(notification.pk)
        second = deliver_notification.enqueue(notification.pk)
    # then
    assert (first.status, second.status) == ("SUCCESSFUL", "SUCCESSFUL")
    assert [(message.to, message.subject, message.body) for message in mail.outbox] == [
        (
            ["petrova@example.org"],
            "Application 56-1: registered",
            "Your application 56-1 has been registered.",
        )
    ]
    assert sms_sent == [("+7 912 345-67-89", "Your application 56-1 has been registered.")]
    assert caplog.messages == [
        "SMS to +7 912 345-67-89: Your application 56-1 has been registered."
    ]
    notification.refresh_from_db()
    assert notification.sent_at is not None


def test_delivery_without_email_or_phone_only_marks_it_sent(
    sms_sent: list[tuple[str, str]],
) -> None:
    # given a notification for the cabinet only
    notification = a_notification(email="", phone="")
    # when
    deliver_notification.enqueue(notification.pk)
    # then
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert mail.outbox == []
    assert sms_sent == []


def test_notify_creates_one_row_per_key_and_delivers_it_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    case = open_case(due=date(2026, 2, 27))
    fields = {
        "case": case,
        "kind": "message",
        "subject": "A message",
        "text": "Bring the original passport.",
        "email": "petrova@example.org",
        "dedupe_key": "message:7",
    }
    # when the same event is notified twice
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = notifications.notify(**fields)
        second = notifications.notify(**fields)
    # then
    assert first is not None
    assert second is None
    assert len(callbacks) == 1
    assert Notification.objects.count() == 1
    assert [message.to for message in mail.outbox] == [["petrova@example.org"]]


def test_a_status_change_tells_the_applicant_in_the_cabinet_by_email_and_by_sms(
    django_capture_on_commit_callbacks: Any, sms_sent: list[tuple[str, str]]
) -> None:
    # given a submitted case whose applicant left an e-mail and a phone
    case = open_case(due=date(2026, 2, 27), status=Status.SUBMITTED)
    case.application.applicant_phone = "+7 912 345-67-89"
    case.application.save(update_fields=["applicant_phone"])
    official = official_of(case)
    # when the official registers it
    with django_capture_on_commit_callbacks(execute=True):
        services.register_case(case=case, user=official, revision=case.revision)
    # then
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.case) == (
        case.application.applicant,
        "status.registered",
        case,
    )
    assert notification.sent_at is not None
    assert [message.to for message in mail.outbox] == [["petrova@example.org"]]
    assert sms_sent == [("+7 912 345-67-89", notification.text)]


DATABASE_TASKS = {"default": {"BACKEND": "uslugi.core.task_backend.DatabaseBackend"}}


def test_with_tasks_in_the_database_the_delivery_is_written_with_the_notification(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    case = open_case(due=date(2026, 2, 27))
    fields = {"case": case, "kind": "message", "subject": "A message", "text": "Bring it."}
    # when a notification is written in a transaction that commits
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        kept = notifications.notify(**fields, dedupe_key="message:1")
    # then its delivery task is already there, written by the same transaction (no callback)
    assert kept is not None
    assert callbacks == []
    assert list(DBTaskResult.objects.values_list("args_kwargs", flat=True)) == [
        {"args": [kept.pk], "kwargs": {}}
    ]

    # when a notification's transaction rolls back
    class Undo(Exception):
        pass

    def notify_then_fail() -> None:
        with transaction.atomic():
            notifications.notify(**fields, dedupe_key="message:2")
            raise Undo

    with pytest.raises(Undo):
        notify_then_fail()
    # then neither it nor its delivery task remains
    assert Notification.objects.filter(dedupe_key="message:2").count() == 0
    assert DBTaskResult.objects.count() == 1


def test_with_tasks_in_the_database_intake_writes_the_delivery_after_its_notification(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from uslugi.accounts.factories import UserFactory
    from uslugi.applications.models import CaseEvent
    from uslugi.applications.tests.test_api import ANSWERS, PENSION, client_of, post
    from uslugi.catalogue.demo import load_demo as load_catalogue
    from uslugi.constructor.demo import load_demo as load_constructor

    # given tasks kept in the database and the demo's pension form
    settings.TASKS = DATABASE_TASKS
    load_catalogue()
    load_constructor()
    client = client_of(UserFactory(email="petrova@example.org"))
    # when a citizen submits (the application, case, event, notification and task queued first)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, "/api/applications", {"service": PENSION, "answers": ANSWERS})
    # then the notification names its case and event, and the task names the notification
    assert response.status_code == 201
    notification = Notification.objects.get()
    event = CaseEvent.objects.get()
    assert notification.dedupe_key == f"case:{event.case_id}:event:{event.pk}"
    assert notification.kind == "status.submitted"
    assert list(DBTaskResult.objects.values_list("args_kwargs", "status", "task_path")) == [
        (
            {"args": [notification.pk], "kwargs": {}},
            "READY",
            "uslugi.applications.tasks.deliver_notification",
        )
    ]
    assert callbacks == []
