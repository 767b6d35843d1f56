"""The session and the logged-in user, read on every request by statements built once."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from uslugi.accounts.backends import ModelBackend
from uslugi.accounts.factories import UserFactory
from uslugi.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_stored_session_loads_with_its_data() -> None:
    # given
    session = SessionStore()
    session["answer"] = {"step": 2}
    session.create()
    # when
    loaded = SessionStore(session.session_key)
    # then
    assert loaded["answer"] == {"step": 2}
    assert loaded.session_key == session.session_key


def test_an_expired_or_unknown_session_loads_empty_and_forgets_its_key() -> None:
    # given a session past its expiry date
    session = SessionStore()
    session["answer"] = 42
    session.create()
    Session.objects.filter(pk=session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    # when
    expired, unknown = SessionStore(session.session_key), SessionStore("x" * 32)
    # then
    assert (expired.load(), unknown.load()) == ({}, {})
    assert (expired.session_key, unknown.session_key) == (None, None)


def test_the_backend_gives_an_active_user_and_refuses_an_inactive_or_missing_one() -> None:
    # given
    active, inactive = UserFactory(), UserFactory(is_active=False)
    backend = ModelBackend()
    # when
    found = [backend.get_user(user_id) for user_id in (active.pk, inactive.pk, 999_999)]
    # then
    assert found == [active, None, None]


def test_a_logged_in_person_stays_logged_in_until_they_log_out(client: Client) -> None:
    # given
    user = UserFactory()
    client.force_login(user)
    # when, then: the page of their own data answers them, and asks for a login after logout
    assert client.get("/my/applications/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/my/applications/").status_code == 302
