"""The SQLite backend: a process's threads take turns for the write lock, handed on at once."""

import threading

import pytest
from django.db import connection, transaction

from uslugi.core.models import AuditEvent
from uslugi.core.sqlite import base

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock only"),
]


def write(verb: str) -> None:
    AuditEvent.objects.create(verb=verb, target_type="test", target_id="1", target_repr="test")


def test_a_transaction_holds_the_processs_turn_from_begin_to_commit_or_rollback() -> None:
    assert not base._writer.locked()
    with transaction.atomic():
        write("first")
        assert base._writer.locked()
    assert not base._writer.locked()

    def write_then_fail() -> None:
        with transaction.atomic():
            write("undone")
            raise ValueError("undo")

    with pytest.raises(ValueError, match="undo"):
        write_then_fail()
    assert not base._writer.locked()
    assert list(AuditEvent.objects.values_list("verb", flat=True)) == ["first"]


def test_a_second_thread_waits_its_turn_and_writes_after_the_first_commits() -> None:
    order: list[str] = []
    holding = threading.Event()
    release = threading.Event()

    def first() -> None:
        with transaction.atomic():
            write("first")
            holding.set()
            release.wait(10)
            order.append("first commits")
        connection.close()

    def second() -> None:
        holding.wait(10)
        with transaction.atomic():
            order.append("second begins")
            write("second")
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    holding.wait(10)
    # the second thread is queued on the process's lock, not inside SQLite
    assert base._writer.locked()
    release.set()
    for thread in threads:
        thread.join(20)
    assert order == ["first commits", "second begins"]
    assert sorted(AuditEvent.objects.values_list("verb", flat=True)) == ["first", "second"]
    assert not base._writer.locked()
