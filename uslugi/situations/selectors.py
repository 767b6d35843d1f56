"""Reads of life situations, drafts and packages; a package is read only by its applicant."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.situations.models import (
    LifeSituation,
    Package,
    PackageDraft,
    SituationVersion,
    VersionStatus,
)


def _in_force(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": VersionStatus.PUBLISHED, f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def list_situations(*, region_code: str = "") -> QuerySet[LifeSituation]:
    """Situations with a version in force today, by region and name."""
    situations = (
        LifeSituation.objects.filter(_in_force(timezone.localdate(), "versions__"))
        .select_related("region")
        .distinct()
        .order_by("region__code", "name")
    )
    return situations.filter(region__code=region_code) if region_code else situations


def get_situation(*, region_code: str, code: str) -> LifeSituation:
    try:
        return LifeSituation.objects.select_related("region").get(
            region__code=region_code, code=code
        )
    except LifeSituation.DoesNotExist:
        raise Http404(_("There is no such life situation.")) from None


def version_in_force(situation: LifeSituation, on: date | None = None) -> SituationVersion | None:
    day = on or timezone.localdate()
    return (
        situation.versions.filter(_in_force(day))
        .select_related("situation__region")
        .order_by("-number")
        .first()
    )


def get_draft(draft_id: Any) -> PackageDraft:
    try:
        return PackageDraft.objects.select_related("version__situation__region").get(pk=draft_id)
    except (PackageDraft.DoesNotExist, ValueError, ValidationError):
        raise Http404(_("There is no such draft.")) from None


def list_my_packages(user: Any) -> QuerySet[Package]:
    return (
        Package.objects.filter(applicant=user)
        .select_related("version__situation__region")
        .order_by("-created_at")
    )


def get_my_package(user: Any, package_id: Any) -> Package:
    """One of the citizen's packages with its items and cases; anyone else's is a 404."""
    if user is None or not user.is_authenticated:
        raise Http404(_("There is no such package."))
    try:
        return (
            Package.objects.select_related("version__situation__region")
            .prefetch_related("items__service__region", "items__application__case")
            .get(pk=package_id, applicant=user)
        )
    except (Package.DoesNotExist, ValueError, ValidationError):
        raise Http404(_("There is no such package.")) from None
