"""Reads of the constructor: templates, variants, the version in force, drafts."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from uslugi.catalogue.models import Region, Service
from uslugi.constructor.models import (
    FederalTemplate,
    FormDraft,
    RegionalVariant,
    TemplateVersion,
    VariantVersion,
    VersionStatus,
)


def _in_force(day: date) -> Q:
    return Q(status=VersionStatus.PUBLISHED, valid_from__lte=day) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


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


def version_in_force(service: Service, on: date | None = None) -> VariantVersion | None:
    """The published variant version a citizen applies under today (or on `on`)."""
    day = on or timezone.localdate()
    return (
        VariantVersion.objects.filter(_in_force(day), variant__service=service)
        .select_related("variant__service__region", "based_on")
        .order_by("-number")
        .first()
    )


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
