"""Who may change what in the constructor (scopes from accounts: role, region)."""

from typing import Any

from django.core.exceptions import PermissionDenied

from uslugi.accounts.models import Role
from uslugi.constructor.models import RegionalVariant


def can_edit_templates(user: Any) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or user.role == Role.FEDERAL_METHODOLOGIST)
    )


def can_edit_variant(user: Any, variant: RegionalVariant) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.role == Role.REGIONAL_ADMINISTRATOR and user.region_id == variant.region_id


def can_import_variant(user: Any, region_code: Any) -> bool:
    """Checked before anything is written: a region's administrator imports only its own."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    region = user.region
    return (
        user.role == Role.REGIONAL_ADMINISTRATOR
        and region is not None
        and region.code == region_code
    )


def can_use_constructor(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and (
            user.is_superuser
            or user.role in {Role.FEDERAL_METHODOLOGIST, Role.REGIONAL_ADMINISTRATOR}
        )
    )


def ensure(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
