"""Login, logout, registration and password change; login through the identity provider."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from uslugi.accounts import oidc, services
from uslugi.accounts.errors import AccountDisabled, ProviderLoginFailed
from uslugi.accounts.forms import LoginForm, RegistrationForm
from uslugi.accounts.models import User

NEXT_SESSION_KEY = "accounts_oidc_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    """`next` only when it stays on this site; anything else (another host, a scheme) is dropped."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _login_context(form: LoginForm, next_url: str) -> dict[str, Any]:
    return {
        "form": form,
        "next": next_url,
        "oidc_enabled": oidc.is_enabled(),
        "provider_name": oidc.provider_name(),
    }


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method != "POST":
        return render(request, "accounts/login.html", _login_context(LoginForm(), next_url))
    form = LoginForm(request, data=request.POST)
    if form.is_valid():
        user = form.get_user()
        services.log_in(request, user, method="password")
        return redirect(next_url or services.get_start_page(user))
    username = request.POST.get("username", "")
    if username and request.POST.get("password"):
        # django-axes marks the request when this attempt locks the account; its middleware then
        # answers with `locked_out` below instead of this page.
        locked = getattr(request, "axes_locked_out", False)
        services.record_failed_login(
            request,
            username=username,
            method="password",
            reason="locked_out" if locked else "wrong_credentials",
        )
    return render(request, "accounts/login.html", _login_context(form, next_url))


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): a page in the visitor's language."""
    return render(
        request,
        "accounts/locked_out.html",
        {"hours": settings.AXES_COOLOFF_TIME, "limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    services.log_out(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        user = services.register_citizen(
            username=data["username"],
            email=data["email"],
            last_name=data["last_name"],
            first_name=data["first_name"],
            middle_name=data["middle_name"],
            password=data["password1"],
        )
        services.log_in(request, user, method="password")
        messages.success(request, _("Your account is ready. You are logged in."))
        return redirect(next_url or services.get_start_page(user))
    return render(request, "accounts/register.html", {"form": form, "next": next_url})


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@never_cache
def password_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    form = PasswordChangeForm(user, request.POST if request.method == "POST" else None)
    if user.has_usable_password() and form.is_valid():
        services.change_password(request, user=user, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password has been changed."))
        return redirect(services.get_start_page(user))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "provider_name": oidc.provider_name()},
    )


def _provider_login_failed(request: HttpRequest, error: ProviderLoginFailed) -> HttpResponse:
    services.record_failed_login(request, username="", method="oidc", reason=error.reason)
    return render(
        request,
        "accounts/login_failed.html",
        {"message": error.message, "provider_name": oidc.provider_name()},
        status=error.status,
    )


@never_cache
def oidc_start(request: HttpRequest) -> HttpResponse:
    if not oidc.is_enabled():
        raise Http404
    request.session[NEXT_SESSION_KEY] = _safe_next(request, request.GET.get("next"))
    callback = request.build_absolute_uri(reverse("accounts:oidc_callback"))
    try:
        return oidc.start_login(request, redirect_uri=callback)
    except ProviderLoginFailed as error:
        return _provider_login_failed(request, error)


@never_cache
def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not oidc.is_enabled():
        raise Http404
    next_url = _safe_next(request, request.session.pop(NEXT_SESSION_KEY, ""))
    try:
        identity = oidc.finish_login(request)
        user = authenticate(request, identity=identity)
        if not isinstance(user, User):
            raise AccountDisabled()
    except ProviderLoginFailed as error:
        return _provider_login_failed(request, error)
    services.log_in(request, user, method="oidc")
    return redirect(next_url or services.get_start_page(user))
