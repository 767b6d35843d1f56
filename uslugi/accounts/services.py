"""Accounts: users, their role and scope, their identities at OpenID Connect providers.

Every registration, login, logout, failed login and password change writes an audit event
(`account.*` verbs). Views call these functions and stay thin.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import login, logout, update_session_auth_hash
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch
from django.utils import timezone

from uslugi.accounts.models import ExternalIdentity, Role, User
from uslugi.core.services import record_event

MODEL_BACKEND = "uslugi.accounts.backends.ModelBackend"
# Where staff land after logging in without `?next=`; URL names, so no app above is imported.
START_PAGES = {
    Role.FEDERAL_METHODOLOGIST: "constructor:dashboard",
    Role.REGIONAL_ADMINISTRATOR: "constructor:dashboard",
}


@dataclass(frozen=True)
class IdentityClaims:
    """Who an identity provider says a person is; None means the provider did not say."""

    issuer: str
    subject: str
    family_name: str | None = None
    given_name: str | None = None
    middle_name: str | None = None
    email: str | None = None
    snils: str | None = None


@transaction.atomic
def register_citizen(
    *,
    username: str,
    email: str,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    password: str,
) -> User:
    """Create a local citizen account (development and regions without an identity provider)."""
    user = User.objects.create_user(
        username=username,
        email=email,
        password=password,
        last_name=last_name,
        first_name=first_name,
        middle_name=middle_name,
        role=Role.CITIZEN,
    )
    record_event(actor=user, verb="account.registered", target=user, data={"method": "password"})
    return user


def log_in(request: HttpRequest, user: User, *, method: str) -> None:
    """Start the session of an authenticated user; `method` is "password", "oidc" or the like."""
    # A user who was not just `authenticate`d (a new registration) logs in through ModelBackend.
    login(request, user, backend=None if hasattr(user, "backend") else MODEL_BACKEND)
    record_event(actor=user, verb="account.logged_in", target=user, data={"method": method})


def log_out(request: HttpRequest) -> None:
    user = request.user
    if isinstance(user, User):
        record_event(actor=user, verb="account.logged_out", target=user)
    logout(request)


def record_failed_login(request: HttpRequest, *, username: str, method: str, reason: str) -> None:
    """Audit a refused login; the target is the named user, or an unsaved one if there is none."""
    target = User.objects.filter(username=username).first() if username else None
    record_event(
        actor=None,
        verb="account.login_failed",
        target=target or User(username=username),
        data={
            "username": username,
            "method": method,
            "reason": reason,
            "ip_address": request.META.get("REMOTE_ADDR", ""),
        },
    )


def change_password(request: HttpRequest, *, user: User, password: str) -> None:
    """Set a new password and keep this session (other sessions of the user end)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    record_event(actor=user, verb="account.password_changed", target=user)


def get_start_page(user: User) -> str:
    """The page a user lands on after logging in when no `next` page was asked for."""
    name = START_PAGES.get(Role(user.role)) or ("admin:index" if user.is_superuser else "")
    if name:
        try:
            return resolve_url(name)
        except NoReverseMatch:
            pass
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _username_for(identity: IdentityClaims) -> str:
    """A stable username that reveals nothing about the person (the `sub` may be an SNILS)."""
    digest = hashlib.sha256(f"{identity.issuer}\n{identity.subject}".encode()).hexdigest()
    return f"oidc-{digest[:24]}"


def _refresh(link: ExternalIdentity, identity: IdentityClaims) -> None:
    user = link.user
    changed = []
    for field, value, max_length in [
        ("last_name", identity.family_name, 150),
        ("first_name", identity.given_name, 150),
        ("middle_name", identity.middle_name, 150),
        ("email", identity.email, 254),
    ]:
        if value is not None and getattr(user, field) != value[:max_length]:
            setattr(user, field, value[:max_length])
            changed.append(field)
    if changed:
        user.save(update_fields=changed)
    if identity.snils is not None:
        link.snils = identity.snils[:32]
    link.last_login_at = timezone.now()
    link.save(update_fields=["snils", "last_login_at"])


def sync_external_identity(*, identity: IdentityClaims) -> User:
    """Find the user the provider's (issuer, sub) belongs to, or create a citizen for it.

    Names, e-mail and SNILS follow the provider's latest claims. Accounts are never matched by
    e-mail: an address at one provider proves nothing about a local account with the same one.
    """
    try:
        with transaction.atomic():
            return _sync(identity)
    except IntegrityError:  # a parallel first login created the identity first
        with transaction.atomic():
            return _sync(identity)


def _sync(identity: IdentityClaims) -> User:
    link = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=identity.issuer, subject=identity.subject)
        .first()
    )
    if link is None:
        user = User(username=_username_for(identity), role=Role.CITIZEN)
        user.set_unusable_password()
        user.save()
        link = ExternalIdentity.objects.create(
            user=user, issuer=identity.issuer, subject=identity.subject
        )
        record_event(
            actor=user,
            verb="account.registered",
            target=user,
            data={"method": "oidc", "issuer": identity.issuer},
        )
    _refresh(link, identity)
    return link.user
