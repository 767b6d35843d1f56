"""Export and import of templates and variants as JSON with a schema version.

Export → import gives an equal definition. An import is checked whole before anything is written
and written in one transaction, so a bad file leaves nothing half-imported.
"""

import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uslugi.catalogue.models import Agency, Curator, Region, Service
from uslugi.constructor import blocks as block_kinds
from uslugi.constructor.conditions import check_conditions
from uslugi.constructor.models import (
    CHANNEL_VALUES,
    FederalTemplate,
    RegionalVariant,
    TemplateVersion,
    VariantVersion,
    VersionStatus,
)
from uslugi.core.errors import UserFacingError
from uslugi.core.services import record_event

FORMAT_VERSION = 1
TEMPLATE_FORMAT = "uslugi.federal_template"
VARIANT_FORMAT = "uslugi.regional_variant"
MAX_VISITS = 32767  # what VariantVersion.visits (a PositiveSmallIntegerField) holds


class ImportRejected(UserFacingError):
    """The file cannot be imported; `reasons` lists every problem found."""

    default_message = gettext_lazy("The file cannot be imported.")

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(
            _("The file cannot be imported: %(reasons)s") % {"reasons": "; ".join(reasons)}
        )


def export_template_version(version: TemplateVersion) -> dict[str, Any]:
    return {
        "format": TEMPLATE_FORMAT,
        "format_version": FORMAT_VERSION,
        "template": {
            "code": version.template.code,
            "name": version.template.name,
            "description": version.template.description,
        },
        "version": version.number,
        "standard": {
            "max_term": version.max_term,
            "term_kind": version.term_kind,
            "max_applicant_documents": version.max_applicant_documents,
            "max_visits": version.max_visits,
            "required_channels": list(version.required_channels),
            "proactive": version.proactive,
        },
        "definition": version.definition,
    }


def export_variant_version(version: VariantVersion) -> dict[str, Any]:
    return {
        "format": VARIANT_FORMAT,
        "format_version": FORMAT_VERSION,
        "template": version.variant.template.code,
        "based_on": version.based_on.number,
        "region": version.variant.region.code,
        "service": version.variant.service.code,
        "parameters": {
            "agency": version.agency.code if version.agency else None,
            "curator": version.curator_id,
            "term": version.term,
            "term_kind": version.term_kind,
            "visits": version.visits,
            "channels": list(version.channels),
        },
        "definition": version.definition,
    }


def parse_json(text: str | bytes) -> Any:
    """The document, or ImportRejected naming the line and column of a syntax error."""
    try:
        return json.loads(text.decode("utf-8") if isinstance(text, bytes) else text)
    except UnicodeDecodeError:
        raise ImportRejected([_("The file is not UTF-8 text.")]) from None
    except json.JSONDecodeError as error:
        raise ImportRejected(
            [
                _("Malformed JSON at line %(line)s, column %(column)s: %(message)s.")
                % {"line": error.lineno, "column": error.colno, "message": error.msg}
            ]
        ) from None


def _definition_problems(definition: Any) -> list[str]:
    if not isinstance(definition, dict):
        return [_("“definition” must be an object.")]
    problems = [
        f"{error.path}: {error.message}" for error in block_kinds.validate_definition(definition)
    ]
    if not problems:
        problems = [message for _key, message in check_conditions(definition)]
    return problems


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _object(document: dict[str, Any], name: str, problems: list[str]) -> dict[str, Any]:
    """The part `name` of the file: an object, or {} with a problem saying it must be one."""
    value = document.get(name)
    if value is None or isinstance(value, dict):
        return value or {}
    problems.append(_("“%(name)s” must be an object.") % {"name": name})
    return {}


def _require(document: Any, expected_format: str) -> list[str]:
    if not isinstance(document, dict):
        return [_("The file must hold one JSON object.")]
    problems = []
    if document.get("format") != expected_format:
        problems.append(_("“format” must be “%(format)s”.") % {"format": expected_format})
    if document.get("format_version") != FORMAT_VERSION:
        problems.append(
            _("“format_version” %(found)r is not supported; this system reads %(supported)s.")
            % {"found": document.get("format_version"), "supported": FORMAT_VERSION}
        )
    return problems


@transaction.atomic
def import_template(*, document: Any, actor: Any) -> TemplateVersion:
    """A new draft version of the template (created if new) holding the file's definition."""
    problems = _require(document, TEMPLATE_FORMAT)
    if problems:
        raise ImportRejected(problems)
    meta = _object(document, "template", problems)
    standard = _object(document, "standard", problems)
    code = meta.get("code")
    if not isinstance(code, str) or not code:
        problems.append(_("“template.code” is required."))
    for name in ("max_term", "max_applicant_documents", "max_visits"):
        if not _is_whole(standard.get(name)) or standard[name] < 0:
            problems.append(_("“standard.%(name)s” must be a whole number.") % {"name": name})
    if standard.get("term_kind") not in {"working", "calendar"}:
        problems.append(_("“standard.term_kind” must be “working” or “calendar”."))
    channels = standard.get("required_channels", [])
    if not isinstance(channels, list) or not all(channel in CHANNEL_VALUES for channel in channels):
        problems.append(
            _("“standard.required_channels” may hold only %(channels)s.")
            % {"channels": ", ".join(CHANNEL_VALUES)}
        )
    problems += _definition_problems(document.get("definition"))
    template = FederalTemplate.objects.filter(code=code).first() if isinstance(code, str) else None
    if template and template.versions.filter(status=VersionStatus.DRAFT).exists():
        problems.append(
            _("The template %(code)s already has a draft; publish or discard it first.")
            % {"code": code}
        )
    if problems:
        raise ImportRejected(problems)
    if template is None:
        template = FederalTemplate.objects.create(
            code=str(code),
            name=str(meta.get("name") or code),
            description=meta.get("description") or "",
        )
    latest = template.versions.order_by("-number").first()
    version = TemplateVersion.objects.create(
        template=template,
        number=(latest.number + 1) if latest else 1,
        definition=document["definition"],
        max_term=standard["max_term"],
        term_kind=standard["term_kind"],
        max_applicant_documents=standard["max_applicant_documents"],
        max_visits=standard["max_visits"],
        required_channels=channels,
        proactive=bool(standard.get("proactive", False)),
    )
    record_event(actor=actor, verb="template.imported", target=version, data={"code": code})
    return version


@transaction.atomic
def import_variant(*, document: Any, actor: Any) -> VariantVersion:
    """A new draft version of the region's variant (created if new) with the file's definition."""
    problems = _require(document, VARIANT_FORMAT)
    if problems:
        raise ImportRejected(problems)
    based_on = document.get("based_on")
    template_version = (
        TemplateVersion.objects.filter(
            template__code=document.get("template"),
            number=based_on,
            status=VersionStatus.PUBLISHED,
        ).first()
        if _is_whole(based_on)
        else None
    )
    if template_version is None:
        problems.append(
            _("There is no published version %(number)s of the template %(code)s.")
            % {"number": document.get("based_on"), "code": document.get("template")}
        )
    region = Region.objects.filter(code=document.get("region")).first()
    if region is None:
        problems.append(_("There is no region %(code)s.") % {"code": document.get("region")})
    service = (
        Service.objects.filter(region=region, code=document.get("service")).first()
        if region
        else None
    )
    if region and service is None:
        problems.append(
            _("Region %(region)s has no service %(code)s.")
            % {"region": region.code, "code": document.get("service")}
        )
    parameters = _object(document, "parameters", problems)
    agency = (
        Agency.objects.filter(code=parameters.get("agency")).first()
        if parameters.get("agency")
        else None
    )
    if parameters.get("agency") and agency is None:
        problems.append(_("There is no agency %(code)s.") % {"code": parameters.get("agency")})
    curator = (
        Curator.objects.filter(pk=int(parameters["curator"])).first()
        if isinstance(parameters.get("curator"), int)
        else None
    )
    if parameters.get("curator") is not None and curator is None:
        problems.append(_("There is no curator %(id)s.") % {"id": parameters.get("curator")})
    if parameters.get("term") is not None and (
        not _is_whole(parameters.get("term")) or parameters["term"] < 1
    ):
        problems.append(_("“parameters.term” must be a whole number of days."))
    visits = parameters.get("visits", 0)
    if not _is_whole(visits) or not 0 <= visits <= MAX_VISITS:
        problems.append(
            _("%(name)s must be a whole number from %(low)s to %(high)s.")
            % {"name": "“parameters.visits”", "low": 0, "high": MAX_VISITS}
        )
    if parameters.get("term_kind", "working") not in {"working", "calendar"}:
        problems.append(_("“parameters.term_kind” must be “working” or “calendar”."))
    channels = parameters.get("channels", [])
    if not isinstance(channels, list) or not all(channel in CHANNEL_VALUES for channel in channels):
        problems.append(
            _("“parameters.channels” may hold only %(channels)s.")
            % {"channels": ", ".join(CHANNEL_VALUES)}
        )
    problems += _definition_problems(document.get("definition"))
    variant = None
    if template_version and region:
        variant = RegionalVariant.objects.filter(
            template=template_version.template, region=region
        ).first()
        if variant and variant.versions.filter(status=VersionStatus.DRAFT).exists():
            problems.append(_("This variant already has a draft; publish or discard it first."))
    if problems:
        raise ImportRejected(problems)
    assert template_version is not None
    assert region is not None
    assert service is not None
    if variant is None:
        variant = RegionalVariant.objects.create(
            template=template_version.template, region=region, service=service
        )
    latest = variant.versions.order_by("-number").first()
    version = VariantVersion.objects.create(
        variant=variant,
        number=(latest.number + 1) if latest else 1,
        based_on=template_version,
        definition=document["definition"],
        agency=agency,
        curator=curator,
        term=parameters.get("term"),
        term_kind=parameters.get("term_kind", "working"),
        visits=visits,
        channels=channels,
    )
    record_event(actor=actor, verb="variant.imported", target=version, data={"region": region.code})
    return version
