"""Login through a region's OpenID Connect provider (ESIA-compatible), built on Authlib.

Authorization code flow with PKCE (RFC 7636, S256), `state` and `nonce`, configured by the `OIDC_*`
settings. Endpoints come from discovery (`{OIDC_ISSUER}/.well-known/openid-configuration`) unless
the authorization, token and JWKS endpoints are all given; a given endpoint always wins over a
discovered one. The ID token is checked as OpenID Connect Core 1.0 §3.1.3.7 asks: its signature
against the provider's JWKS with the allowed algorithms only (RS256 unless configured), `iss` equal
to OIDC_ISSUER, `aud` naming OIDC_CLIENT_ID, `exp`, `iat` and the `nonce` this browser was given.
Everything that can go wrong at the provider ends as a `ProviderLoginFailed` with its message.
"""

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from joserfc.errors import JoseError

from uslugi.accounts import services
from uslugi.accounts.errors import (
    ProviderLoginExpired,
    ProviderLoginRefused,
    ProviderTokenInvalid,
    ProviderUnavailable,
)
from uslugi.accounts.models import User
from uslugi.accounts.services import IdentityClaims
from uslugi.core import sql

CLIENT_NAME = "uslugi_oidc"  # names the session keys Authlib keeps the state, nonce and verifier in
# Discovery and keys are read again after this long, so a provider's key rotation is picked up even
# when it reuses a key id; an unknown key id makes Authlib read the JWKS at once anyway.
METADATA_MAX_AGE = 3600  # seconds
# Registered claims that describe the token, not the person; userinfo never overrides them.
TOKEN_CLAIMS = frozenset({"iss", "sub", "aud", "exp", "iat", "nbf", "nonce", "azp", "at_hash"})


@dataclass(frozen=True)
class ProviderSettings:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    token_endpoint_auth_method: str
    signing_algorithms: tuple[str, ...]
    timeout: float

    @property
    def discovery_url(self) -> str | None:
        if self.authorization_endpoint and self.token_endpoint and self.jwks_uri:
            return None
        return f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"


def is_enabled() -> bool:
    return bool(settings.OIDC_ENABLED)


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME or _("the identity provider")


def current_settings() -> ProviderSettings:
    scopes = settings.OIDC_SCOPES.split()
    if "openid" not in scopes:  # without it there is no ID token and so nothing to verify
        scopes.insert(0, "openid")
    return ProviderSettings(
        issuer=settings.OIDC_ISSUER,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        scopes=" ".join(scopes),
        authorization_endpoint=settings.OIDC_AUTHORIZATION_ENDPOINT,
        token_endpoint=settings.OIDC_TOKEN_ENDPOINT,
        userinfo_endpoint=settings.OIDC_USERINFO_ENDPOINT,
        jwks_uri=settings.OIDC_JWKS_URI,
        token_endpoint_auth_method=settings.OIDC_TOKEN_ENDPOINT_AUTH_METHOD,
        signing_algorithms=tuple(settings.OIDC_SIGNING_ALGORITHMS),
        timeout=float(settings.OIDC_TIMEOUT),
    )


class ProviderClient(DjangoOAuth2App):
    """Authlib's Django client with the configured values pinned over whatever discovery says."""

    def __init__(self, config: ProviderSettings) -> None:
        self.config = config
        given = {
            "authorization_endpoint": config.authorization_endpoint,
            "token_endpoint": config.token_endpoint,
            "userinfo_endpoint": config.userinfo_endpoint,
            "jwks_uri": config.jwks_uri,
        }
        self.pinned: dict[str, Any] = {
            **{key: value for key, value in given.items() if value},
            "issuer": config.issuer,
            "id_token_signing_alg_values_supported": list(config.signing_algorithms),
        }
        super().__init__(
            DjangoIntegration(CLIENT_NAME),
            name=CLIENT_NAME,
            client_id=config.client_id,
            client_secret=config.client_secret,
            server_metadata_url=config.discovery_url,
            client_kwargs={
                "scope": config.scopes,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": config.token_endpoint_auth_method,
                "default_timeout": config.timeout,
            },
            **self.pinned,
        )
        self.fresh_until = time.monotonic() + METADATA_MAX_AGE

    def load_server_metadata(self) -> dict[str, Any]:
        if time.monotonic() > self.fresh_until:
            self.server_metadata = dict(self.pinned)  # forget discovered values and cached keys
            self.fresh_until = time.monotonic() + METADATA_MAX_AGE
        metadata: dict[str, Any] = super().load_server_metadata()
        # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was fetched for.
        if metadata.get("issuer") != self.config.issuer:
            self.server_metadata = dict(self.pinned)
            raise ProviderUnavailable()
        metadata.update(self.pinned)
        return metadata


@lru_cache(maxsize=8)
def _client(config: ProviderSettings) -> ProviderClient:
    return ProviderClient(config)


def start_login(request: HttpRequest, *, redirect_uri: str) -> HttpResponse:
    """Redirect to the provider; the state, nonce and PKCE verifier stay in the session."""
    try:
        response: HttpResponse = _client(current_settings()).authorize_redirect(
            request, redirect_uri=redirect_uri
        )
    except (requests.RequestException, ValueError, KeyError, RuntimeError) as error:
        raise ProviderUnavailable() from error
    return response


def finish_login(request: HttpRequest) -> IdentityClaims:
    """Check the provider's answer at the callback and return who the person is.

    Raises `ProviderLoginRefused`, `ProviderLoginExpired`, `ProviderTokenInvalid` or
    `ProviderUnavailable`; nothing is written and nobody is logged in here.
    """
    config = current_settings()
    client = _client(config)
    try:
        token = client.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "value": config.issuer},
                "aud": {"essential": True, "value": config.client_id},
                "sub": {"essential": True},
            },
        )
        if "userinfo" not in token:  # the token endpoint sent no ID token
            raise ProviderTokenInvalid()
        claims = dict(token["userinfo"])
        if client.load_server_metadata().get("userinfo_endpoint"):
            extra = dict(client.userinfo(token=token))
            # OpenID Connect Core 1.0 §5.3.4: userinfo about someone else must not be used.
            if extra.get("sub") != claims["sub"]:
                raise ProviderTokenInvalid()
            claims.update({key: value for key, value in extra.items() if key not in TOKEN_CLAIMS})
    except MismatchingStateError as error:
        raise ProviderLoginExpired() from error
    except OAuthError as error:
        raise _oauth_error(error) from error
    except (JoseError, AuthlibBaseError) as error:
        raise ProviderTokenInvalid() from error
    except (requests.RequestException, ValueError, KeyError, RuntimeError) as error:
        raise ProviderUnavailable() from error
    return claims_to_identity(config.issuer, claims)


def _oauth_error(error: OAuthError) -> Exception:
    """An OAuth error code from the callback or the token endpoint (RFC 6749 §4.1.2.1, §5.2)."""
    if error.error == "access_denied":
        return ProviderLoginRefused()
    if error.error == "invalid_grant":  # the code expired or was already used
        return ProviderLoginExpired()
    return ProviderUnavailable()


def _claim(claims: dict[str, Any], name: str) -> str | None:
    value = claims.get(name) if name else None
    return None if value is None else str(value).strip()


def claims_to_identity(issuer: str, claims: dict[str, Any]) -> IdentityClaims:
    """Read the person from the claims through the configured names (ESIA-style by default)."""
    return IdentityClaims(
        issuer=issuer,
        subject=str(claims["sub"]),
        family_name=_claim(claims, settings.OIDC_CLAIM_FAMILY_NAME),
        given_name=_claim(claims, settings.OIDC_CLAIM_GIVEN_NAME),
        middle_name=_claim(claims, settings.OIDC_CLAIM_MIDDLE_NAME),
        email=_claim(claims, settings.OIDC_CLAIM_EMAIL),
        snils=_claim(claims, settings.OIDC_CLAIM_SNILS),
    )


class IdentityProviderBackend(BaseBackend):
    """Django authentication backend for a person the provider vouched for (see `finish_login`)."""

    def authenticate(
        self, request: HttpRequest | None, identity: IdentityClaims | None = None, **kwargs: Any
    ) -> User | None:
        if identity is None:
            return None
        user = services.sync_external_identity(identity=identity)
        return user if user.is_active else None

    def get_user(self, user_id: Any) -> User | None:
        user = sql.get(User, user_id)  # every request of a logged-in person (accounts.backends)
        return user if user is not None and user.is_active else None
