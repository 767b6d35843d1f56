"""A small OpenID Connect provider that the tests start on 127.0.0.1 with a free port.

Standard library `http.server` in a thread; ID tokens signed RS256 with joserfc (Authlib's own JOSE
dependency). It plays one client and one person, approves every authorization at once, and can be
told to misbehave: refuse (`error=access_denied`), change ID token claims, or break the signature.
It checks what a real provider checks: the client, the redirect URI, single-use codes, PKCE (S256).
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

DISCOVERY_PATH = "/.well-known/openid-configuration"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    nonce: str
    code_challenge: str


@dataclass
class OIDCProvider:
    issuer: str = ""
    client_id: str = "uslugi-test"
    client_secret: str = "test-secret"
    subject: str = "esia-1000399751"
    # Claims in both the ID token and userinfo; `userinfo_claims` only in userinfo (like SNILS).
    person: dict[str, Any] = field(
        default_factory=lambda: {
            "family_name": "Иванова",
            "given_name": "Анна",
            "middle_name": "Сергеевна",
            "email": "anna@example.org",
        }
    )
    userinfo_claims: dict[str, Any] = field(default_factory=lambda: {"snils": "112-233-445 95"})
    # Misbehaviour switches.
    deny: bool = False
    id_token_changes: dict[str, Any] = field(default_factory=dict)
    tamper_signature: bool = False
    # What the provider saw.
    paths: list[str] = field(default_factory=list)
    authorize_params: list[dict[str, str]] = field(default_factory=list)
    token_params: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.key = RSAKey.generate_key(
            2048, parameters={"kid": "test-key-1", "use": "sig", "alg": "RS256"}
        )
        self.grants: dict[str, Grant] = {}
        self.access_tokens: dict[str, str] = {}

    @property
    def endpoints(self) -> dict[str, str]:
        return {
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
        }

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            **self.endpoints,
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    def authorize(self, params: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """Answer an authorization request: (status, headers, body)."""
        self.authorize_params.append(params)
        redirect_uri = params.get("redirect_uri", "")
        if params.get("client_id") != self.client_id or not redirect_uri:
            return 400, {}, "unknown client or no redirect_uri"
        if params.get("response_type") != "code" or "openid" not in params.get("scope", "").split():
            return 400, {}, "only the OpenID Connect code flow is supported"
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return 400, {}, "PKCE with S256 is required"
        answer = {"state": params.get("state", "")}
        if self.deny:
            answer["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(16)
            self.grants[code] = Grant(
                client_id=self.client_id,
                redirect_uri=redirect_uri,
                nonce=params.get("nonce", ""),
                code_challenge=params["code_challenge"],
            )
            answer["code"] = code
        return 302, {"Location": f"{redirect_uri}?{urlencode(answer)}"}, ""

    def _client_authenticated(self, params: dict[str, str], authorization: str) -> bool:
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
            client_id, _, secret = decoded.partition(":")
            return (unquote(client_id), unquote(secret)) == (self.client_id, self.client_secret)
        return (params.get("client_id"), params.get("client_secret")) == (
            self.client_id,
            self.client_secret,
        )

    def token(self, params: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        """Exchange a code for tokens: (status, JSON body)."""
        self.token_params.append(params)
        if not self._client_authenticated(params, authorization):
            return 401, {"error": "invalid_client"}
        grant = self.grants.pop(params.get("code", ""), None)  # codes are single-use
        if (
            params.get("grant_type") != "authorization_code"
            or grant is None
            or grant.redirect_uri != params.get("redirect_uri")
        ):
            return 400, {"error": "invalid_grant"}
        verifier = params.get("code_verifier", "")
        if _b64url(hashlib.sha256(verifier.encode()).digest()) != grant.code_challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verifier"}
        access_token = secrets.token_urlsafe(16)
        self.access_tokens[access_token] = self.subject
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self.id_token(grant),
        }

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": self.subject,
            "aud": grant.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            "nonce": grant.nonce,
            **self.person,
            **self.id_token_changes,
        }
        token = jwt.encode({"alg": "RS256", "kid": "test-key-1"}, claims, self.key)
        if self.tamper_signature:  # another person's claims under the signature of the real ones
            header, _payload, signature = token.split(".")
            forged = _b64url(json.dumps({**claims, "sub": "someone-else"}).encode())
            token = f"{header}.{forged}.{signature}"
        return token

    def userinfo(self, authorization: str) -> tuple[int, dict[str, Any]]:
        subject = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if not authorization.startswith("Bearer ") or subject is None:
            return 401, {"error": "invalid_token"}
        return 200, {"sub": subject, **self.person, **self.userinfo_claims}


def _handler_for(provider: OIDCProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            content = body if isinstance(body, str) else json.dumps(body)
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            kind = "text/plain" if isinstance(body, str) else "application/json"
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(content.encode())

        def do_GET(self) -> None:  # http.server's naming
            url = urlsplit(self.path)
            provider.paths.append(url.path)
            params = {key: values[0] for key, values in parse_qs(url.query).items()}
            if url.path == DISCOVERY_PATH:
                self._send(200, provider.discovery())
            elif url.path == "/jwks":
                self._send(200, provider.jwks())
            elif url.path == "/authorize":
                status, headers, body = provider.authorize(params)
                self._send(status, body, headers)
            elif url.path == "/userinfo":
                self._send(*provider.userinfo(self.headers.get("Authorization", "")))
            else:
                self._send(404, "not found")

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            provider.paths.append(url.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            params = {key: values[0] for key, values in form.items()}
            if url.path == "/token":
                self._send(*provider.token(params, self.headers.get("Authorization", "")))
            else:
                self._send(404, "not found")

    return Handler


@contextmanager
def running_provider() -> Iterator[OIDCProvider]:
    """Start a provider on a free port of 127.0.0.1 for the duration of the block."""
    provider = OIDCProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
