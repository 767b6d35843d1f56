"""Django's model backend, with the logged-in user read by a statement written once.

Every request of a logged-in person loads their user from the session's id. The stock backend
asks the ORM, which compiles the lookup anew each time; `core.sql.get` reads the same row through
the same converters with a statement built once. Logging in (`authenticate`) and permissions are
the stock backend's.
"""

from typing import Any

from django.contrib.auth import backends

from uslugi.accounts.models import User
from uslugi.core import sql


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = sql.get(User, user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
