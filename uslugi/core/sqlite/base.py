"""Django's SQLite backend with the threads of one process queueing for the write lock.

SQLite has one write lock per database. A thread that finds it taken sleeps in SQLite's busy
handler for 1, 2, 5, 10, … up to 100 ms between tries, however soon the lock is free again, so
under a dozen concurrent writers a request often sleeps far longer than any transaction lasts
(intake's p99 was over a second with transactions of a few milliseconds). Here the threads of one
process wait on a Python lock instead, handed on the moment the holder commits or rolls back;
only one thread per process is left to meet other processes in the busy handler.

Transactions start with BEGIN IMMEDIATE (settings: transaction_mode), so every transaction a
thread opens holds the process's turn from BEGIN to COMMIT or ROLLBACK.
"""

import threading
from typing import Any

from django.db.backends.sqlite3 import base

_writer = threading.Lock()
# The methods overridden here are private to Django's backend, absent from its type stubs.
_SQLiteWrapper: Any = base.DatabaseWrapper


class DatabaseWrapper(_SQLiteWrapper):
    _holds_turn = False

    def _start_transaction_under_autocommit(self) -> None:
        _writer.acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            _writer.release()
            raise
        self._holds_turn = True

    def _end_turn(self) -> None:
        if self._holds_turn:
            self._holds_turn = False
            _writer.release()

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
