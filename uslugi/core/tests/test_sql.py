"""Statements built once (`core.sql`): rows written and read exactly as the ORM writes and reads
them, and a transaction's rows prepared before it opens (`Writes`)."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save, pre_save
from django.forms.models import model_to_dict

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import User
from uslugi.applications.models import Application, Case, CaseEvent
from uslugi.constructor.factories import VariantVersionFactory
from uslugi.core import sql
from uslugi.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)


def an_application(key: str, **fields: Any) -> Application:
    version = VariantVersionFactory(published=True)
    citizen = UserFactory()
    values = {
        "number": f"56-20260302-{key}",
        "version": version,
        "service": version.variant.service,
        "region": version.variant.service.region,
        "applicant": citizen,
        "applicant_name": "Петрова Мария",
        "submitted_by": citizen,
        "channel": "portal",
        "answers": {"birth_date": "1960-05-17", "children": [{"name": "Аня"}], "north": False},
        "received_at": NOW,
        "idempotency_key": key,
        **fields,
    }
    return Application(**values)


def stored(model: Any, pk: int) -> dict[str, Any]:
    """Every column of the row as the ORM reads it back."""
    return model.objects.filter(pk=pk).values().get()


def test_insert_writes_the_row_save_writes() -> None:
    # given two equal applications but for their keys
    by_save, by_insert = an_application("A"), an_application("B")
    by_insert.version, by_insert.service, by_insert.region = (
        by_save.version,
        by_save.service,
        by_save.region,
    )
    by_insert.applicant = by_insert.submitted_by = by_save.submitted_by
    # when one is saved by the ORM and the other inserted
    with time_machine.travel(NOW, tick=False):
        by_save.save(force_insert=True)
        sql.insert(by_insert)
    # then both rows hold the same values, the auto_now_add time included, and the instance
    # knows its pk and that it is stored
    saved, inserted = stored(Application, by_save.pk), stored(Application, by_insert.pk)
    for row in (saved, inserted):
        del row["id"], row["number"], row["idempotency_key"]
    assert inserted == saved
    assert inserted["created_at"] == NOW
    assert by_insert.pk == by_save.pk + 1
    assert (by_insert._state.adding, by_insert._state.db) == (False, "default")


def test_insert_sends_the_signals_save_sends() -> None:
    # given receivers of both signals
    seen: list[tuple[str, Any, bool | None]] = []

    def before(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(("pre", instance.pk, None))

    def after(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        seen.append(("post", instance.pk, created))

    pre_save.connect(before, sender=AuditEvent)
    post_save.connect(after, sender=AuditEvent)
    try:
        # when
        event = AuditEvent(verb="bench.insert", target_type="t", target_id="1")
        sql.insert(event)
    finally:
        pre_save.disconnect(before, sender=AuditEvent)
        post_save.disconnect(after, sender=AuditEvent)
    # then
    assert seen == [("pre", None, None), ("post", event.pk, True)]


def test_insert_refuses_an_instance_that_has_a_pk_and_one_of_an_unsaved_relation() -> None:
    # given
    existing = AuditEvent.objects.create(verb="x", target_type="t", target_id="1")
    application = an_application("C")
    case = Case(application=application, term=10, term_kind="working")
    # when, then
    with pytest.raises(TypeError, match="has a pk"):
        sql.insert(existing)
    with pytest.raises(ValueError, match="unsaved related object 'application'"):
        sql.insert(case)
    assert Case.objects.count() == 0


def test_queued_rows_are_written_in_order_with_keys_of_rows_queued_before() -> None:
    # given an application, its case and an event naming both, queued before any is written
    application = an_application("D")
    version = application.version
    case = Case(
        application=application,
        agency=version.agency,
        region=application.region,
        service=application.service,
        term=10,
        term_kind="working",
        registered_on=date(2026, 3, 2),
        due_date=date(2026, 3, 16),
    )
    event = CaseEvent(case=case, kind="transition", target="submitted")
    audit = AuditEvent(verb="application.submitted", target_type="applications.application")
    writes = sql.Writes()
    writes.insert(application)
    writes.insert(case)
    writes.insert(event)
    writes.insert(audit, target_id=lambda: str(application.pk), data=lambda: {"case": case.pk})
    assert Application.objects.count() == 0
    # when
    with transaction.atomic():
        writes.write()
    # then every row is there and points at the others
    assert stored(Case, case.pk)["application_id"] == application.pk
    assert stored(CaseEvent, event.pk)["case_id"] == case.pk
    assert (case.application_id, event.case_id) == (application.pk, case.pk)
    row = stored(AuditEvent, audit.pk)
    assert (row["target_id"], row["data"]) == (str(application.pk), {"case": case.pk})


def test_queued_rows_run_their_calls_in_order_and_after_commit_callbacks_at_the_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    called: list[str] = []
    event = AuditEvent(verb="x", target_type="t", target_id="1")
    writes = sql.Writes()
    writes.on_commit(lambda: called.append("committed"))
    writes.insert(event)
    writes.then(lambda: called.append(f"written {event.pk is not None}"))
    # when
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        writes.write()
        assert called == ["written True"]
    # then
    assert called == ["written True", "committed"]


def test_queued_rows_are_written_all_or_none() -> None:
    # given a batch whose second row breaks a unique key
    first = AuditEvent(verb="x", target_type="t", target_id="1")
    application = an_application("E")
    application.save()
    twin = an_application("E")  # the same number and idempotency key
    twin.version, twin.service, twin.region = (
        application.version,
        application.service,
        application.region,
    )
    twin.submitted_by = application.submitted_by
    twin.applicant = application.submitted_by
    writes = sql.Writes()
    writes.insert(first)
    writes.insert(twin)
    # when written, then nothing of it remains
    with pytest.raises(IntegrityError), transaction.atomic():
        writes.write()
    assert AuditEvent.objects.count() == 0
    assert Application.objects.count() == 1


def test_get_reads_the_row_the_orm_reads() -> None:
    # given a user with dates, flags, a foreign key and empty values
    user = UserFactory(is_staff=True, last_login=NOW)
    # when
    read, expected = sql.get(User, user.pk), User.objects.get(pk=user.pk)
    # then every field has the same value and type, and the instance is a stored one
    assert read is not None
    assert model_to_dict(read) == model_to_dict(expected)
    for field in User._meta.concrete_fields:
        value = getattr(read, field.attname)
        assert type(value) is type(getattr(expected, field.attname)), field.name
    assert read.last_login == NOW
    assert (read._state.adding, read._state.db) == (False, "default")


def test_get_answers_none_for_a_missing_row() -> None:
    assert sql.get(User, 999_999) is None
