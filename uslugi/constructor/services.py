"""The constructor owns federal templates, regional variants and their versions.

Drafts change under optimistic locking (a stale `revision` is refused, never silently overwritten);
publishing runs the compliance check and freezes the version with a validity window; every change
writes an audit event.
"""

import copy
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uslugi.catalogue import selectors as catalogue_selectors
from uslugi.catalogue import services as catalogue_services
from uslugi.catalogue.models import Agency, Curator, Region, Service
from uslugi.constructor import compliance
from uslugi.constructor.definitions import Definition, blocks_of_kind
from uslugi.constructor.models import (
    FederalTemplate,
    RegionalVariant,
    TemplateVersion,
    VariantVersion,
    VersionStatus,
)
from uslugi.constructor.rebase import RebaseResult, rebase
from uslugi.core.errors import UserFacingError
from uslugi.core.services import record_event

STANDARD_FIELDS = (
    "max_term",
    "term_kind",
    "max_applicant_documents",
    "max_visits",
    "required_channels",
    "proactive",
)
PARAMETER_FIELDS = ("agency", "curator", "term", "term_kind", "visits", "channels")


class EditConflict(UserFacingError):
    status = 409
    default_message = _(
        "Someone else saved this draft while you were editing it. Reload the page to see their "
        "changes; yours were not saved."
    )


class VersionNotDraft(UserFacingError):
    status = 409
    default_message = _("A published version never changes; start a new draft to edit it.")


class NotCompliant(UserFacingError):
    """Publishing was refused; `problems` says why, each in an administrator's words."""

    default_message = _("The version cannot be published.")

    def __init__(self, problems: list[compliance.Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))


class DraftExists(UserFacingError):
    status = 409
    default_message = _("A draft of this definition already exists; continue it.")


class TemplateNotPublished(UserFacingError):
    status = 409
    default_message = _("A variant is built only on a published version of the template.")


class RebaseHasConflicts(UserFacingError):
    status = 409
    default_message = _("Settle every conflict before rebasing.")


def standard_of(version: TemplateVersion) -> compliance.FederalStandard:
    return compliance.FederalStandard(
        max_term=version.max_term,
        term_kind=version.term_kind,
        max_applicant_documents=version.max_applicant_documents,
        max_visits=version.max_visits,
        required_channels=tuple(version.required_channels),
    )


def parameters_of(version: VariantVersion) -> compliance.VariantParameters:
    return compliance.VariantParameters(
        has_agency=version.agency_id is not None,
        has_curator=version.curator_id is not None,
        term=version.term,
        term_kind=version.term_kind,
        visits=version.visits,
        channels=tuple(version.channels),
    )


def check_variant_version(version: VariantVersion) -> list[compliance.Problem]:
    """Every reason this variant version cannot be published; [] when it can."""
    return compliance.check_variant(
        standard_of(version.based_on),
        version.based_on.definition,
        parameters_of(version),
        version.definition,
    )


def _save_draft(version: Any, *, revision: int, fields: dict[str, Any]) -> None:
    """Write a draft only if nobody saved it since `revision` was read (optimistic locking)."""
    if version.status != VersionStatus.DRAFT:
        raise VersionNotDraft()
    updated = (
        type(version)
        .objects.filter(pk=version.pk, revision=revision, status=VersionStatus.DRAFT)
        .update(revision=F("revision") + 1, updated_at=timezone.now(), **fields)
    )
    if updated != 1:
        raise EditConflict()
    for name, value in fields.items():
        setattr(version, name, value)
    version.revision = revision + 1


# Templates -----------------------------------------------------------------------------------


@transaction.atomic
def create_template(
    *,
    actor: Any,
    code: str,
    name: str,
    description: str = "",
    definition: Definition | None = None,
    **standard: Any,
) -> TemplateVersion:
    template = FederalTemplate.objects.create(code=code, name=name, description=description)
    version = TemplateVersion.objects.create(
        template=template,
        number=1,
        definition=copy.deepcopy(definition) if definition else {"schema_version": 1, "blocks": []},
        **standard,
    )
    record_event(actor=actor, verb="template.created", target=template, data={"code": code})
    return version


@transaction.atomic
def save_template_draft(
    *, version: TemplateVersion, actor: Any, revision: int, **changes: Any
) -> TemplateVersion:
    fields = {
        name: value for name, value in changes.items() if name in {"definition", *STANDARD_FIELDS}
    }
    _save_draft(version, revision=revision, fields=fields)
    record_event(
        actor=actor, verb="template.draft_saved", target=version, data={"fields": sorted(fields)}
    )
    return version


@transaction.atomic
def publish_template(
    *, version: TemplateVersion, actor: Any, valid_from: date | None = None
) -> TemplateVersion:
    version = TemplateVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise VersionNotDraft()
    problems = compliance.check_template(version.definition)
    if problems:
        raise NotCompliant(problems)
    start = valid_from or timezone.localdate()
    _close_previous(TemplateVersion.objects.filter(template=version.template), start)
    version.status = VersionStatus.PUBLISHED
    version.valid_from = start
    version.published_at = timezone.now()
    version.published_by = actor if getattr(actor, "is_authenticated", False) else None
    version.save(
        update_fields=["status", "valid_from", "published_at", "published_by", "updated_at"]
    )
    record_event(actor=actor, verb="template.published", target=version, data={"valid_from": start})
    return version


def _close_previous(versions: Any, start: date) -> None:
    """End the published version in force the day before the new one starts."""
    versions.filter(status=VersionStatus.PUBLISHED, valid_to__isnull=True).update(
        valid_to=start - timedelta(days=1)
    )


@transaction.atomic
def start_template_draft(*, template: FederalTemplate, actor: Any) -> TemplateVersion:
    """A new draft copied from the newest version, to change the template."""
    if template.versions.filter(status=VersionStatus.DRAFT).exists():
        raise DraftExists()
    latest = template.versions.order_by("-number").first()
    assert latest is not None  # a template is created with its first version
    version = TemplateVersion.objects.create(
        template=template,
        number=latest.number + 1,
        definition=copy.deepcopy(latest.definition),
        **{name: getattr(latest, name) for name in STANDARD_FIELDS},
    )
    record_event(
        actor=actor, verb="template.draft_started", target=version, data={"from": latest.number}
    )
    return version


# Variants ------------------------------------------------------------------------------------


@transaction.atomic
def create_variant(
    *, template_version: TemplateVersion, region: Region, service: Service, actor: Any
) -> VariantVersion:
    """The region's first draft: the template's blocks, the catalogue's agency and curator."""
    if template_version.status != VersionStatus.PUBLISHED:
        raise TemplateNotPublished()
    variant = RegionalVariant.objects.create(
        template=template_version.template, region=region, service=service
    )
    curators = catalogue_selectors.curators_in_force(service)
    version = VariantVersion.objects.create(
        variant=variant,
        number=1,
        based_on=template_version,
        definition=copy.deepcopy(template_version.definition),
        agency=service.agency,
        curator=curators[0].curator if curators else None,
        term=template_version.max_term,
        term_kind=template_version.term_kind,
        visits=min(1, template_version.max_visits),
        channels=sorted(set(template_version.required_channels) | {"portal"}),
    )
    record_event(
        actor=actor,
        verb="variant.created",
        target=variant,
        data={"template": template_version.template.code, "region": region.code},
    )
    return version


@transaction.atomic
def save_variant_draft(
    *, version: VariantVersion, actor: Any, revision: int, **changes: Any
) -> VariantVersion:
    fields = {
        name: value for name, value in changes.items() if name in {"definition", *PARAMETER_FIELDS}
    }
    for name, model in (("agency", Agency), ("curator", Curator)):
        if name in fields and fields[name] is not None and not isinstance(fields[name], model):
            raise TypeError(f"{name} must be a {model.__name__}")
    _save_draft(version, revision=revision, fields=fields)
    record_event(
        actor=actor,
        verb="variant.draft_saved",
        target=version,
        data={"fields": sorted(fields)},
    )
    return version


def publish_variant(
    *, version: VariantVersion, actor: Any, valid_from: date | None = None
) -> VariantVersion:
    """Publish if compliant; the catalogue's standard for the service follows the variant.

    A refusal is audited after the publishing transaction rolled back, so that its row stays.
    """
    try:
        return _publish_variant(version=version, actor=actor, valid_from=valid_from)
    except NotCompliant as refusal:
        record_event(
            actor=actor,
            verb="variant.publish_refused",
            target=version,
            data={"problems": [problem.code for problem in refusal.problems]},
        )
        raise


@transaction.atomic
def _publish_variant(
    *, version: VariantVersion, actor: Any, valid_from: date | None
) -> VariantVersion:
    version = (
        VariantVersion.objects.select_for_update()
        .select_related("based_on", "variant__service")
        .get(pk=version.pk)
    )
    if version.status != VersionStatus.DRAFT:
        raise VersionNotDraft()
    problems = check_variant_version(version)
    if problems:
        raise NotCompliant(problems)
    start = valid_from or timezone.localdate()
    _close_previous(VariantVersion.objects.filter(variant=version.variant), start)
    version.status = VersionStatus.PUBLISHED
    version.valid_from = start
    version.published_at = timezone.now()
    version.published_by = actor if getattr(actor, "is_authenticated", False) else None
    version.save(
        update_fields=["status", "valid_from", "published_at", "published_by", "updated_at"]
    )
    _publish_standard(version, actor, start)
    record_event(actor=actor, verb="variant.published", target=version, data={"valid_from": start})
    return version


def _publish_standard(version: VariantVersion, actor: Any, start: date) -> None:
    """Keep the catalogue's promise equal to the published variant (term, documents, channels)."""
    documents = blocks_of_kind(version.definition, "document")

    def titles(*providers: str) -> list[str]:
        return [
            str(block.get("label") or block.get("config", {}).get("title", ""))
            for block in documents
            if block.get("config", {}).get("provider") in providers
        ]

    values = {
        "term": version.term,
        "term_kind": version.term_kind,
        "applicant_documents": titles("applicant"),
        "interagency_documents": titles("agency", "either"),
        "max_visits": version.visits,
        "channel_portal": "portal" in version.channels,
        "channel_mfc": "mfc" in version.channels,
        "channel_in_person": "in_person" in version.channels,
        "channel_mail": "mail" in version.channels,
        "proactive": version.based_on.proactive,
    }
    service = version.variant.service
    current = catalogue_selectors.standard_in_force(service)
    if current and all(getattr(current, name) == value for name, value in values.items()):
        return
    if current and current.valid_from >= start:
        start = current.valid_from + timedelta(days=1)
    catalogue_services.revise_quality_standard(
        service=service, actor=actor, valid_from=start, **values
    )


@transaction.atomic
def start_variant_draft(*, variant: RegionalVariant, actor: Any) -> VariantVersion:
    if variant.versions.filter(status=VersionStatus.DRAFT).exists():
        raise DraftExists()
    latest = variant.versions.order_by("-number").first()
    assert latest is not None
    version = VariantVersion.objects.create(
        variant=variant,
        number=latest.number + 1,
        based_on=latest.based_on,
        definition=copy.deepcopy(latest.definition),
        **{name: getattr(latest, name) for name in PARAMETER_FIELDS},
    )
    record_event(
        actor=actor, verb="variant.draft_started", target=version, data={"from": latest.number}
    )
    return version


def preview_rebase(
    *, version: VariantVersion, onto: TemplateVersion, resolutions: dict[str, str] | None = None
) -> RebaseResult:
    return rebase(version.based_on.definition, onto.definition, version.definition, resolutions)


@transaction.atomic
def rebase_variant(
    *,
    variant: RegionalVariant,
    onto: TemplateVersion,
    actor: Any,
    resolutions: dict[str, str] | None = None,
) -> VariantVersion:
    """A draft of the variant built on `onto`, carrying the region's changes; refused while any
    conflict is unsettled."""
    source = (
        variant.versions.filter(status=VersionStatus.DRAFT).first()
        or variant.versions.order_by("-number").first()
    )
    assert source is not None
    result = preview_rebase(version=source, onto=onto, resolutions=resolutions)
    if result.conflicts:
        raise RebaseHasConflicts()
    if source.status == VersionStatus.DRAFT:
        _save_draft(source, revision=source.revision, fields={"definition": result.definition})
        VariantVersion.objects.filter(pk=source.pk).update(based_on=onto)
        source.based_on = onto
        draft = source
    else:
        draft = VariantVersion.objects.create(
            variant=variant,
            number=source.number + 1,
            based_on=onto,
            definition=result.definition,
            **{name: getattr(source, name) for name in PARAMETER_FIELDS},
        )
    record_event(
        actor=actor,
        verb="variant.rebased",
        target=draft,
        data={"onto": onto.number, "resolutions": resolutions or {}, "carried": result.carried},
    )
    return draft
