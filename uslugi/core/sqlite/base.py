"""Django's SQLite backend with writers queueing for the write lock instead of polling for it.

SQLite has one write lock per database. A connection that finds it taken sleeps in SQLite's busy
handler for 1, 2, 5, 10, … up to 100 ms between tries, however soon the lock is free again, so
under a dozen concurrent writers a request often sleeps far longer than any transaction lasts
(intake's p99 was over a second with transactions of a few milliseconds). Here every transaction
first takes an exclusive `flock` on a file beside the database: the kernel queues the waiters of
all processes and threads alike and wakes the next one the moment the holder commits or rolls
back. An in-memory database (the tests') is private to one process, so a thread lock does there.

Transactions start with BEGIN IMMEDIATE (settings: transaction_mode), so every transaction holds
the turn from BEGIN to COMMIT or ROLLBACK.
"""

import fcntl
import os
import threading
from typing import Any

from django.db.backends.sqlite3 import base

# The methods overridden here are private to Django's backend, absent from its type stubs.
_SQLiteWrapper: Any = base.DatabaseWrapper
_in_memory_writer = threading.Lock()


class DatabaseWrapper(_SQLiteWrapper):
    _turn_file: int | None = None
    _holds_turn = False

    def _take_turn(self) -> None:
        if self.is_in_memory_db():
            _in_memory_writer.acquire()
        else:
            if self._turn_file is None:
                path = f"{self.settings_dict['NAME']}-writer.lock"
                self._turn_file = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._turn_file, fcntl.LOCK_EX)
        self._holds_turn = True

    def _end_turn(self) -> None:
        if not self._holds_turn:
            return
        self._holds_turn = False
        if self._turn_file is None:
            _in_memory_writer.release()
        else:
            fcntl.flock(self._turn_file, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self._take_turn()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._end_turn()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()
        finally:
            self._end_turn()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()
        finally:
            self._end_turn()

    def _close(self) -> Any:
        try:
            return super()._close()
        finally:
            self._end_turn()
            if self._turn_file is not None:
                os.close(self._turn_file)
                self._turn_file = None
