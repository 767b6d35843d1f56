"""The SQLite backend: writers take turns for the write lock, handed on at once."""

import fcntl
import os
import threading
from pathlib import Path

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
    assert not base._in_memory_writer.locked()
    with transaction.atomic():
        write("first")
        assert base._in_memory_writer.locked()
    assert not base._in_memory_writer.locked()

    def write_then_fail() -> None:
        with transaction.atomic():
            write("undone")
            raise ValueError("undo")

    with pytest.raises(ValueError, match="undo"):
        write_then_fail()
    assert not base._in_memory_writer.locked()
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
    assert base._in_memory_writer.locked()
    release.set()
    for thread in threads:
        thread.join(20)
    assert order == ["first commits", "second begins"]
    assert sorted(AuditEvent.objects.values_list("verb", flat=True)) == ["first", "second"]
    assert not base._in_memory_writer.locked()


def test_on_a_database_file_the_turn_is_a_flock_beside_it(tmp_path: Path) -> None:
    # given a connection to a database file
    name = tmp_path / "uslugi.sqlite3"
    wrapper = base.DatabaseWrapper({**connection.settings_dict, "NAME": str(name)}, "turns")
    wrapper.ensure_connection()
    probe = os.open(f"{name}-writer.lock", os.O_RDWR | os.O_CREAT)
    try:
        # when it begins a transaction, then no one else (another process, another thread's
        # connection) can take the turn
        wrapper._start_transaction_under_autocommit()
        with pytest.raises(BlockingIOError):
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # when it commits, then the turn is free
        wrapper._commit()
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(probe, fcntl.LOCK_UN)
        # and a rollback frees it too
        wrapper._start_transaction_under_autocommit()
        wrapper._rollback()
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(probe)
        wrapper.close()
