"""Startup checks: an enabled identity provider must be fully configured."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error


def check_oidc_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.OIDC_ENABLED:
        return []
    missing = [
        name
        for name in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")
        if not getattr(settings, name)
    ]
    return [
        Error(
            f"OIDC_ENABLED is true but {name} is empty.",
            hint="Set it in the environment (see .env.example) or set OIDC_ENABLED=false.",
            id="accounts.E001",
        )
        for name in missing
    ]
