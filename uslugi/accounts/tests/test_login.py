"""Local accounts: registration, login with throttling, logout, password change, safe `next`."""

from typing import Any

import pytest
from django.test import Client

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role, User
from uslugi.catalogue.factories import RegionFactory
from uslugi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # UserFactory's


@pytest.fixture
def client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def audit() -> list[tuple[str, Any]]:
    return list(AuditEvent.objects.order_by("id").values_list("verb", "data"))


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


REGISTRATION = {
    "username": "anna",
    "email": "anna@example.org",
    "last_name": "Иванова",
    "first_name": "Анна",
    "middle_name": "Сергеевна",
    "password1": "Zimniy-sad-2026",
    "password2": "Zimniy-sad-2026",
}


def test_registration_creates_a_citizen_and_logs_them_in(client: Client) -> None:
    # when
    response = client.post("/accounts/register/", REGISTRATION)
    # then
    assert (response.status_code, response["Location"]) == (302, "/")
    user = User.objects.get()
    assert (user.username, user.email, str(user), user.role) == (
        "anna",
        "anna@example.org",
        "Иванова Анна Сергеевна",
        Role.CITIZEN,
    )
    assert user.check_password("Zimniy-sad-2026") is True
    assert logged_in_user_id(client) == str(user.pk)
    assert audit() == [
        ("account.registered", {"method": "password"}),
        ("account.logged_in", {"method": "password"}),
    ]


def test_registration_applies_the_password_validators_next_to_the_field(client: Client) -> None:
    # when
    response = client.post(
        "/accounts/register/", {**REGISTRATION, "password1": "12345678", "password2": "12345678"}
    )
    # then
    assert response.status_code == 200
    content = response.content.decode()
    assert '<ul class="errorlist" id="id_password2_error" role="alert">' in content
    assert "This password is too common." in content
    assert "This password is entirely numeric." in content
    assert (User.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_registration_needs_the_names_and_an_email(client: Client) -> None:
    response = client.post(
        "/accounts/register/", {**REGISTRATION, "email": "", "last_name": "", "first_name": ""}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "last_name", "first_name"}
    assert User.objects.count() == 0


def test_login_page_has_labelled_fields(client: Client) -> None:
    content = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">Username' in content
    assert '<label for="id_password">Password' in content
    assert "Log in through" not in content


def test_a_citizen_logs_in_and_lands_on_the_home_page(client: Client) -> None:
    # given
    user = UserFactory(username="anna")
    # when
    response = client.post("/accounts/login/", {"username": "anna", "password": PASSWORD})
    # then
    assert (response.status_code, response["Location"]) == (302, "/")
    assert logged_in_user_id(client) == str(user.pk)
    assert audit() == [("account.logged_in", {"method": "password"})]


def test_a_wrong_password_shows_a_message_and_logs_nobody_in(client: Client) -> None:
    # given
    UserFactory(username="anna")
    # when
    response = client.post("/accounts/login/", {"username": "anna", "password": "wrong"})
    # then
    assert response.status_code == 200
    assert (
        "The username or password is wrong. Check them and try again." in response.content.decode()
    )
    assert logged_in_user_id(client) is None
    assert audit() == [
        (
            "account.login_failed",
            {
                "username": "anna",
                "method": "password",
                "reason": "wrong_credentials",
                "ip_address": "127.0.0.1",
            },
        )
    ]


def test_a_failed_login_with_an_unknown_username_is_audited_too(client: Client) -> None:
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    event = AuditEvent.objects.get()
    assert (event.verb, event.target_type, event.target_repr, event.actor) == (
        "account.login_failed",
        "accounts.user",
        "nobody",
        None,
    )


def test_login_is_locked_after_five_failures_with_a_clear_page(
    client: Client, settings: Any
) -> None:
    # given
    assert settings.AXES_FAILURE_LIMIT == 5
    UserFactory(username="anna")
    # when five wrong passwords and then the right one are tried
    wrong = [
        client.post("/accounts/login/", {"username": "anna", "password": f"wrong{attempt}"})
        for attempt in range(5)
    ]
    right = client.post("/accounts/login/", {"username": "anna", "password": PASSWORD})
    # then the fifth failure locks the account and even the right password is refused
    assert [response.status_code for response in wrong] == [200, 200, 200, 200, 429]
    assert right.status_code == 429
    content = right.content.decode()
    assert "<h1>Login paused</h1>" in content
    assert "logging in is paused for 1 hour." in content
    assert logged_in_user_id(client) is None
    assert [data["reason"] for _verb, data in audit()] == [
        "wrong_credentials",
        "wrong_credentials",
        "wrong_credentials",
        "wrong_credentials",
        "locked_out",
        "locked_out",
    ]
    assert {verb for verb, _data in audit()} == {"account.login_failed"}


def test_logout_needs_a_post_and_is_audited(client: Client) -> None:
    # given
    user = UserFactory()
    client.force_login(user)
    # when
    refused = client.get("/accounts/logout/")
    response = client.post("/accounts/logout/")
    # then
    assert refused.status_code == 405
    assert (response.status_code, response["Location"]) == (302, "/")
    assert logged_in_user_id(client) is None
    assert audit() == [("account.logged_out", {})]


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/services/?q=pension", "/services/?q=pension"),
        ("https://evil.example/", "/"),
        ("//evil.example/steal", "/"),
        ("http://testserver.evil.example/", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_is_followed_only_within_this_site(
    client: Client, next_url: str, lands_on: str
) -> None:
    UserFactory(username="anna")
    response = client.post(
        "/accounts/login/", {"username": "anna", "password": PASSWORD, "next": next_url}
    )
    assert (response.status_code, response["Location"]) == (302, lands_on)


def test_an_anonymous_visitor_of_a_staff_page_is_sent_here_and_back(client: Client) -> None:
    # given
    UserFactory(
        username="admin56",
        role=Role.REGIONAL_ADMINISTRATOR,
        region=RegionFactory(),
        is_staff=True,
    )
    # when
    sent = client.get("/constructor/")
    page = client.get(sent["Location"])
    back = client.post(
        sent["Location"], {"username": "admin56", "password": PASSWORD, "next": "/constructor/"}
    )
    # then
    assert sent["Location"] == "/accounts/login/?next=/constructor/"
    assert '<input type="hidden" name="next" value="/constructor/">' in page.content.decode()
    assert back["Location"] == "/constructor/"


@pytest.mark.parametrize(
    ("role", "start_page"),
    [
        (Role.REGIONAL_ADMINISTRATOR, "/constructor/"),
        (Role.FEDERAL_METHODOLOGIST, "/constructor/"),
        (Role.OFFICIAL, "/"),
    ],
)
def test_staff_without_next_land_on_their_start_page(
    client: Client, role: Role, start_page: str
) -> None:
    UserFactory(username="staff", role=role, region=RegionFactory(), is_staff=True)
    response = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
    assert response["Location"] == start_page


def test_password_change_keeps_the_session_and_is_audited(client: Client) -> None:
    # given
    user = UserFactory()
    client.force_login(user)
    # when
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Letniy-sad-2027",
            "new_password2": "Letniy-sad-2027",
        },
    )
    # then
    assert (response.status_code, response["Location"]) == (302, "/")
    user.refresh_from_db()
    assert user.check_password("Letniy-sad-2027") is True
    assert logged_in_user_id(client) == str(user.pk)
    assert audit() == [("account.password_changed", {})]


def test_password_change_with_a_wrong_old_password_changes_nothing(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "Letniy-sad-2027", "new_password2": "x"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD) is True
    assert AuditEvent.objects.count() == 0


def test_the_header_shows_the_name_and_a_logout_button(client: Client) -> None:
    # given
    anonymous = client.get("/services/").content.decode()
    client.force_login(UserFactory(last_name="Петров", first_name="Иван"))
    # when
    member = client.get("/services/").content.decode()
    # then
    assert '<a href="/accounts/login/?next=/services/">Log in</a>' in anonymous
    assert "Петров Иван</a>" in member
    assert '<form class="inline-form" action="/accounts/logout/" method="post">' in member
    assert "Log in</a>" not in member
