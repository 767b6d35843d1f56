"""Reads of the constructor: templates, variants, the version in force, drafts."""

import copy
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.catalogue.models import Region, Service
from uslugi.constructor import engine
from uslugi.constructor.models import (
    FederalTemplate,
    FormDraft,
    RegionalVariant,
    TemplateVersion,
    VariantVersion,
    VersionStatus,
)
from uslugi.core import sql


def list_templates() -> QuerySet[FederalTemplate]:
    return FederalTemplate.objects.prefetch_related("versions").order_by("name")


def get_template(code: str) -> FederalTemplate:
    try:
        return FederalTemplate.objects.get(code=code)
    except FederalTemplate.DoesNotExist:
        raise Http404(_("No template with code %(code)s.") % {"code": code}) from None


def get_template_version(template: FederalTemplate, number: int) -> TemplateVersion:
    try:
        return template.versions.get(number=number)
    except TemplateVersion.DoesNotExist:
        raise Http404(_("No version %(number)s of this template.") % {"number": number}) from None


def latest_published_template_version(template: FederalTemplate) -> TemplateVersion | None:
    return template.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def list_variants(*, region: Region | None = None) -> QuerySet[RegionalVariant]:
    variants = RegionalVariant.objects.select_related(
        "template", "region", "service"
    ).prefetch_related("versions__based_on")
    return variants.filter(region=region) if region else variants


def get_variant(pk: int) -> RegionalVariant:
    try:
        return RegionalVariant.objects.select_related("template", "region", "service").get(pk=pk)
    except RegionalVariant.DoesNotExist:
        raise Http404(_("No such regional variant.")) from None


def get_variant_version(variant: RegionalVariant, number: int) -> VariantVersion:
    try:
        return variant.versions.select_related("based_on", "agency", "curator").get(number=number)
    except VariantVersion.DoesNotExist:
        raise Http404(_("No version %(number)s of this variant.") % {"number": number}) from None


def current_draft(variant: RegionalVariant) -> VariantVersion | None:
    return variant.versions.filter(status=VersionStatus.DRAFT).select_related("based_on").first()


# Published versions are never edited (a change is a new version), so each process keeps the ones
# it has loaded: intake asks for the version in force on every submission, and loading it whole
# (its definition, its template version's) cost more than the rest of the lookup. The key carries
# `updated_at`, so a version closed or otherwise saved since (here or in another process) is
# loaded again; a save in this process also empties the cache (a test rolled back may reuse a pk).
_published: dict[tuple[int, Any], VariantVersion] = {}
_analyses: dict[tuple[int, datetime], engine.Analysis] = {}
PUBLISHED_KEPT = 256


def forget_published_versions(**_: Any) -> None:
    _published.clear()
    _analyses.clear()


def version_in_force(service: Service, on: date | None = None) -> VariantVersion | None:
    """The published variant version a citizen applies under today (or on `on`).

    Each call returns its own copy; the definition inside is shared and must not be changed.
    """
    day = on or timezone.localdate()
    key = _key_in_force(service.pk, day)
    if key is None:
        return None
    version = _published.get(key)
    if version is None:
        version = VariantVersion.objects.select_related(
            "variant__service__region", "based_on", "agency"
        ).get(pk=key[0])
        if len(_published) >= PUBLISHED_KEPT:
            forget_published_versions()
        _published[key] = version
    return copy.copy(version)


def _key_in_force(service_id: int, day: date) -> tuple[int, Any] | None:
    """(pk, updated_at) of the service's version in force on `day`: published, valid from that
    day or before, valid to that day or later (or open), the highest number of those.

    Intake asks this on every submission, and the ORM took ten times longer to build the
    statement than the database took to answer it, so the statement is written once per database
    vendor. The `updated_at` is the database's own value, compared only with itself.
    """
    value = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(
            sql.statement("version in force", _statement_in_force),
            [service_id, VersionStatus.PUBLISHED.value, value, value],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def _statement_in_force() -> str:
    def version(name: str) -> str:
        return f"v.{sql.column(VariantVersion, name)}"

    return (
        f"SELECT {version('id')}, {version('updated_at')} "
        f"FROM {sql.table(VariantVersion)} v JOIN {sql.table(RegionalVariant)} r "
        f"ON {version('variant')} = r.{sql.column(RegionalVariant, 'id')} "
        f"WHERE r.{sql.column(RegionalVariant, 'service')} = %s "
        f"AND {version('status')} = %s AND {version('valid_from')} <= %s "
        f"AND ({version('valid_to')} IS NULL OR {version('valid_to')} >= %s) "
        f"ORDER BY {version('number')} DESC LIMIT 1"
    )


def analysis_of(version: VariantVersion) -> engine.Analysis:
    """The form analysis of a version, worked out once per published version and process."""
    if version.status != VersionStatus.PUBLISHED:
        return engine.analyse(version.definition)
    key = (version.pk, version.updated_at)
    analysis = _analyses.get(key)
    if analysis is None:
        if len(_analyses) >= PUBLISHED_KEPT:
            _analyses.clear()
        analysis = _analyses[key] = engine.analyse(version.definition)
    return analysis


def newer_template_version(version: VariantVersion) -> TemplateVersion | None:
    """A published template version newer than the one the variant is built on, if any."""
    return (
        TemplateVersion.objects.filter(
            template_id=version.based_on.template_id,
            status=VersionStatus.PUBLISHED,
            number__gt=version.based_on.number,
        )
        .order_by("-number")
        .first()
    )


def get_form_draft(draft_id: str) -> FormDraft:
    try:
        return FormDraft.objects.select_related("version__variant__service__region").get(
            pk=draft_id
        )
    except (FormDraft.DoesNotExist, ValueError, ValidationError):
        raise Http404(_("There is no such draft.")) from None
