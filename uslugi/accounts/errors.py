"""Why a login through the identity provider did not happen, each with its message defined once.

`reason` is the short code written to the audit log; `status` is the HTTP status of the page.
"""

from django.utils.translation import gettext_lazy as _

from uslugi.core.errors import UserFacingError


class ProviderLoginFailed(UserFacingError):
    reason = "failed"


class ProviderLoginRefused(ProviderLoginFailed):
    """The person cancelled at the provider or the provider refused (`error=access_denied`)."""

    status = 403
    reason = "access_denied"
    default_message = _(
        "The login was cancelled at the identity provider, so you are not logged in. "
        "You can try again or log in another way."
    )


class ProviderLoginExpired(ProviderLoginFailed):
    """No state this browser started: expired, reused or forged (RFC 6749 §10.12)."""

    status = 400
    reason = "bad_state"
    default_message = _(
        "This login link has expired or was already used. "
        "Start the login again from the login page."
    )


class ProviderTokenInvalid(ProviderLoginFailed):
    """The ID token failed a check of OpenID Connect Core §3.1.3.7 (signature, claims)."""

    status = 400
    reason = "invalid_token"
    default_message = _(
        "The answer from the identity provider could not be verified, so you are not logged in. "
        "Try again; if it happens again, tell the support service."
    )


class ProviderUnavailable(ProviderLoginFailed):
    """The provider did not answer, answered with an error, or is configured wrongly."""

    status = 502
    reason = "provider_unavailable"
    default_message = _(
        "The identity provider is not available right now. Try again later or log in another way."
    )


class AccountDisabled(ProviderLoginFailed):
    status = 403
    reason = "account_disabled"
    default_message = _("This account is disabled. Contact the support service.")
