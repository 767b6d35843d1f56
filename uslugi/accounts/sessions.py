"""Django's database sessions, with the session read by a statement written once.

Every request of a logged-in person reads their session. The stock store asks the ORM, which
compiles the lookup anew each time at several times the cost of the lookup itself; the same rows
are read here by one statement built per database vendor. Writing, expiry and clearing are the
stock store's (`SESSION_ENGINE = "uslugi.accounts.sessions"`).
"""

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from uslugi.core import sql


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        """The unexpired session row of this key (only its data is loaded), or None as the stock
        store answers when there is none."""
        key = self.session_key
        if key is None:
            return None
        model = self.model
        with connection.cursor() as cursor:
            cursor.execute(
                sql.statement("session", _statement),
                [key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0])


def _statement() -> str:
    from django.contrib.sessions.models import Session

    return (
        f"SELECT {sql.column(Session, 'session_data')} FROM {sql.table(Session)} "
        f"WHERE {sql.column(Session, 'session_key')} = %s "
        f"AND {sql.column(Session, 'expire_date')} > %s"
    )
