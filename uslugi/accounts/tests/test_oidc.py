"""Login through OpenID Connect against a real provider started by the tests (oidc_provider.py)."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client

from uslugi.accounts import oidc
from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import ExternalIdentity, Role, User
from uslugi.accounts.tests.oidc_provider import DISCOVERY_PATH, OIDCProvider, running_provider
from uslugi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def provider(settings: Any) -> Iterator[OIDCProvider]:
    with running_provider() as provider:
        settings.OIDC_ENABLED = True
        settings.OIDC_PROVIDER_NAME = "Gosuslugi"
        settings.OIDC_ISSUER = provider.issuer
        settings.OIDC_CLIENT_ID = provider.client_id
        settings.OIDC_CLIENT_SECRET = provider.client_secret
        yield provider
    oidc._client.cache_clear()


def log_in_through(provider: OIDCProvider, client: Client, query: str = "") -> Any:
    """The browser's part: our start URL → the provider → back to our callback."""
    start = client.get(f"/accounts/oidc/login/{query}")
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.issuer}/authorize?")
    answer = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    callback = urlsplit(answer.headers["Location"])
    assert (callback.netloc, callback.path) == ("testserver", "/accounts/oidc/callback/")
    return client.get(f"{callback.path}?{callback.query}")


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_first_login_creates_a_citizen_with_the_names_and_snils_from_the_claims(
    provider: OIDCProvider, client: Client
) -> None:
    # when
    response = log_in_through(provider, client)
    # then the person is logged in as a new citizen
    assert (response.status_code, response["Location"]) == (302, "/")
    user = User.objects.get()
    assert logged_in_user_id(client) == str(user.pk)
    assert (user.role, user.last_name, user.first_name, user.middle_name, user.email) == (
        Role.CITIZEN,
        "Иванова",
        "Анна",
        "Сергеевна",
        "anna@example.org",
    )
    assert user.has_usable_password() is False
    identity = ExternalIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject, identity.snils) == (
        user,
        provider.issuer,
        "esia-1000399751",
        "112-233-445 95",
    )
    assert list(AuditEvent.objects.order_by("id").values_list("verb", "actor", "data")) == [
        ("account.registered", user.pk, {"method": "oidc", "issuer": provider.issuer}),
        ("account.logged_in", user.pk, {"method": "oidc"}),
    ]


def test_the_flow_uses_discovery_pkce_state_and_nonce(
    provider: OIDCProvider, client: Client
) -> None:
    # when
    log_in_through(provider, client)
    # then endpoints came from discovery and the request carried PKCE, state and nonce
    assert provider.paths == [DISCOVERY_PATH, "/authorize", "/token", "/jwks", "/userinfo"]
    [authorize] = provider.authorize_params
    assert authorize["code_challenge_method"] == "S256"
    assert authorize["scope"] == "openid profile email"
    assert authorize["redirect_uri"] == "http://testserver/accounts/oidc/callback/"
    assert len(authorize["state"]) >= 20
    assert len(authorize["nonce"]) >= 20
    [token] = provider.token_params
    assert len(token["code_verifier"]) >= 43  # RFC 7636 §4.1


def test_a_second_login_reuses_the_user_and_refreshes_the_names(
    provider: OIDCProvider, client: Client
) -> None:
    # given a citizen who logged in once and logged out
    log_in_through(provider, client)
    client.post("/accounts/logout/")
    first = User.objects.get()
    # when the provider's record changed and they log in again
    provider.person["family_name"] = "Петрова"
    provider.userinfo_claims["snils"] = "112-233-445 96"
    response = log_in_through(provider, client)
    # then the same user is logged in with the new name
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(first.pk)
    assert (User.objects.count(), ExternalIdentity.objects.count()) == (1, 1)
    assert User.objects.get().last_name == "Петрова"
    assert ExternalIdentity.objects.get().snils == "112-233-445 96"


def test_endpoints_given_in_settings_skip_discovery(
    provider: OIDCProvider, client: Client, settings: Any
) -> None:
    # given every endpoint is configured
    settings.OIDC_AUTHORIZATION_ENDPOINT = provider.endpoints["authorization_endpoint"]
    settings.OIDC_TOKEN_ENDPOINT = provider.endpoints["token_endpoint"]
    settings.OIDC_USERINFO_ENDPOINT = provider.endpoints["userinfo_endpoint"]
    settings.OIDC_JWKS_URI = provider.endpoints["jwks_uri"]
    # when
    response = log_in_through(provider, client)
    # then
    assert response.status_code == 302
    assert DISCOVERY_PATH not in provider.paths
    assert User.objects.get().last_name == "Иванова"


def test_the_next_page_is_honoured_on_this_site_only(
    provider: OIDCProvider, client: Client
) -> None:
    same_site = log_in_through(provider, client, "?next=/services/%3Fq%3Dpension")
    client.post("/accounts/logout/")
    other_site = log_in_through(provider, client, "?next=https://evil.example/")
    assert (same_site["Location"], other_site["Location"]) == ("/services/?q=pension", "/")


@pytest.mark.parametrize(
    ("misbehaviour", "changes"),
    [
        ("tamper_signature", {}),
        ("id_token_changes", {"nonce": "another-browsers-nonce"}),
        ("id_token_changes", {"aud": "another-client"}),
        ("id_token_changes", {"aud": ["another-client"], "azp": "uslugi-test"}),
        ("id_token_changes", {"iss": "https://evil.example"}),
        ("id_token_changes", {"exp": 1_000_000_000}),
    ],
)
def test_an_id_token_that_fails_a_check_logs_nobody_in(
    provider: OIDCProvider, client: Client, misbehaviour: str, changes: dict[str, Any]
) -> None:
    # given
    if misbehaviour == "tamper_signature":
        provider.tamper_signature = True
    provider.id_token_changes = changes
    # when
    response = log_in_through(provider, client)
    # then
    assert response.status_code == 400
    assert (
        "The answer from the identity provider could not be verified" in response.content.decode()
    )
    assert logged_in_user_id(client) is None
    assert (User.objects.count(), ExternalIdentity.objects.count()) == (0, 0)
    assert list(AuditEvent.objects.values_list("verb", "data__reason")) == [
        ("account.login_failed", "invalid_token")
    ]


def test_access_denied_at_the_provider_gives_a_clear_page(
    provider: OIDCProvider, client: Client
) -> None:
    # given the person cancels at the provider
    provider.deny = True
    # when
    response = log_in_through(provider, client)
    # then
    assert response.status_code == 403
    content = response.content.decode()
    assert "The login was cancelled at the identity provider" in content
    assert 'href="/accounts/login/"' in content
    assert logged_in_user_id(client) is None
    assert User.objects.count() == 0
    assert list(AuditEvent.objects.values_list("verb", "data__reason")) == [
        ("account.login_failed", "access_denied")
    ]


def test_a_forged_or_replayed_state_is_refused(provider: OIDCProvider, client: Client) -> None:
    # given a login that completed
    start = client.get("/accounts/oidc/login/")
    answer = requests.get(start["Location"], allow_redirects=False, timeout=10)
    callback = urlsplit(answer.headers["Location"])
    assert client.get(f"{callback.path}?{callback.query}").status_code == 302
    client.post("/accounts/logout/")
    code = parse_qs(callback.query)["code"][0]
    # when the same answer is replayed, and an answer with a state nobody issued arrives
    replayed = client.get(f"{callback.path}?{callback.query}")
    forged = client.get(f"{callback.path}?code={code}&state=forged")
    # then both are refused and nobody is logged in
    assert (replayed.status_code, forged.status_code) == (400, 400)
    assert "This login link has expired or was already used" in forged.content.decode()
    assert logged_in_user_id(client) is None


def test_an_unreachable_provider_gives_a_clear_page(client: Client, settings: Any) -> None:
    # given a provider that is down
    with running_provider() as provider:
        issuer = provider.issuer
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = issuer
    settings.OIDC_CLIENT_ID = "uslugi-test"
    settings.OIDC_CLIENT_SECRET = "test-secret"
    settings.OIDC_TIMEOUT = 2
    # when
    response = client.get("/accounts/oidc/login/")
    # then
    assert response.status_code == 502
    assert "The identity provider is not available right now" in response.content.decode()
    oidc._client.cache_clear()


def test_a_disabled_account_is_not_logged_in(provider: OIDCProvider, client: Client) -> None:
    # given the provider's person belongs to a disabled account
    user = UserFactory(is_active=False)
    ExternalIdentity.objects.create(user=user, issuer=provider.issuer, subject=provider.subject)
    # when
    response = log_in_through(provider, client)
    # then
    assert response.status_code == 403
    assert "This account is disabled" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_the_provider_button_shows_only_when_oidc_is_enabled(client: Client, settings: Any) -> None:
    # given OIDC is off
    settings.OIDC_ENABLED = False
    # then there is no button and no flow
    assert "Log in through" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/oidc/login/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404
    # when it is on
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Gosuslugi"
    content = client.get("/accounts/login/?next=/services/").content.decode()
    # then the button carries the label and the next page
    assert (
        '<a class="button" href="/accounts/oidc/login/?next=/services/">'
        "Log in through Gosuslugi</a>"
    ) in content
